"""The city's targets, computed at any date, as domain.md defines them, in a constant number of queries.

Ratio at d = IT businesses with an active *incubated* residency at d / IT businesses with any active
residency at d (active: start <= d <= end, end empty = running; each business once; non-IT in neither).
Graduates at d = IT businesses with a *graduated* outcome decided within the target's window and on or before
d, with market evidence and at least one digital pillar (each business once).

The target row decides whose residencies and outcomes count: an incubator's row, that incubator's; the city's
row (no incubator), every incubator's, each business still counted once (a business in two incubators, or
graduated in both, is one business of the city), read across the network whatever the incubators the request
is limited to (``all_incubators``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from incubator.certificates.models import Certificate, CertificateStandard
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Company, Residency
from incubator.extensions import db
from incubator.i18n import fmt_date
from incubator.organisation.models import Incubator
from incubator.outcomes.enums import Decision
from incubator.outcomes.models import GraduationOutcome
from incubator.targets.enums import TargetKind
from incubator.targets.models import Target


@dataclass
class RatioFigure:
    target: Target
    as_of: date
    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def threshold(self) -> Decimal:
        return Decimal(self.target.threshold)

    @property
    def met(self) -> bool:
        """Exact: 69.95 % does not meet 70 %, even though it is shown rounded as 70.0 %."""
        return self.denominator > 0 and Decimal(self.numerator) * 100 >= self.threshold * self.denominator

    @property
    def has_figure(self) -> bool:
        """Nobody in the incubator: no percentage, and no verdict either."""
        return self.denominator > 0


@dataclass
class GraduateFigure:
    target: Target
    as_of: date
    count: int

    @property
    def threshold(self) -> Decimal:
        return Decimal(self.target.threshold)

    @property
    def met(self) -> bool:
        return self.count >= self.threshold

    has_figure = True


@dataclass
class Explained:
    """A business behind a figure, with why it counts or why it does not."""

    company: Company
    reasons: list = field(default_factory=list)
    residencies: list = field(default_factory=list)
    outcome: GraduationOutcome | None = None
    # The certified share: the business's certificates (those that count on the day, for the numerator; every
    # one it holds or held, for the others) with their standards.
    certificates: list = field(default_factory=list)


# ---- Figures (aggregates in SQL) ------------------------------------------------------------------------

def _across(stmt, target: Target):
    """A city row's figures read every incubator's rows, even inside a block limited to some."""
    return stmt.execution_options(all_incubators=True) if target.is_city else stmt


def _residencies_of(target: Target) -> list:
    """The residencies a target counts: its incubator's, or (the city's) all."""
    return [] if target.is_city else [Residency.incubator_id == _incubator_id(target)]


def _incubator_id(target: Target) -> int | None:
    if target.incubator_id is None and target.incubator is not None:
        db.session.flush()
    return target.incubator_id


def _ratio_columns():
    incubated = sa.case((Residency.kind == ResidencyKind.INCUBATED, Company.id))
    return sa.func.count(sa.distinct(incubated)), sa.func.count(sa.distinct(Company.id))


def ratio(target: Target, as_of: date) -> RatioFigure:
    numerator, denominator = _ratio_columns()
    row = db.session.execute(_across(
        sa.select(numerator, denominator).select_from(Residency).join(Company)
        .where(Company.is_it.is_(True), Residency.active_on_clause(as_of), *_residencies_of(target)), target)
    ).one()
    return RatioFigure(target, as_of, row[0], row[1])


def _holds_certificate(day):
    """The business of the row holds, on ``day`` (a date or a date column), a certificate that counts."""
    return (sa.select(Certificate.id).join(CertificateStandard, CertificateStandard.id == Certificate.standard_id)
            .where(Certificate.company_id == Company.id, Certificate.counts_clause(), Certificate.held_on_clause(day))
            .exists())


def _certified_columns(day):
    certified = sa.case((_holds_certificate(day), Company.id))
    return sa.func.count(sa.distinct(certified)), sa.func.count(sa.distinct(Company.id))


def certified(target: Target, as_of: date) -> RatioFigure:
    """The certified share at ``as_of``: the IT businesses of the ratio's denominator (an active residency of
    the target's incubator, or of any for the city's) that hold a counting certificate that day, over them."""
    numerator, denominator = _certified_columns(as_of)
    row = db.session.execute(_across(
        sa.select(numerator, denominator).select_from(Residency).join(Company)
        .where(Company.is_it.is_(True), Residency.active_on_clause(as_of), *_residencies_of(target)), target)
    ).one()
    return RatioFigure(target, as_of, row[0], row[1])


def _graduate_conditions(target: Target, day_column):
    conditions = [
        GraduationOutcome.decision == Decision.GRADUATED,
        Company.is_it.is_(True),
        GraduationOutcome.decided_on <= day_column,
        GraduationOutcome.evidence_clause(),
        GraduationOutcome.pillar_clause(),
    ]
    if target.window_start is not None:
        conditions.append(GraduationOutcome.decided_on >= target.window_start)
    if target.window_end is not None:
        conditions.append(GraduationOutcome.decided_on <= target.window_end)
    if not target.is_city:
        conditions.append(GraduationOutcome.incubator_id == _incubator_id(target))
    return conditions


def graduates(target: Target, as_of: date) -> GraduateFigure:
    count = db.session.scalar(_across(
        sa.select(sa.func.count(sa.distinct(GraduationOutcome.company_id))).select_from(GraduationOutcome)
        .join(Company).where(*_graduate_conditions(target, as_of)), target))
    return GraduateFigure(target, as_of, count or 0)


def figure(target: Target, as_of: date):
    if target.kind is TargetKind.INCUBATED_IT_RATIO:
        return ratio(target, as_of)
    if target.kind is TargetKind.CERTIFIED_SHARE:
        return certified(target, as_of)
    return graduates(target, as_of)


# ---- Quarterly series (one query per series, whatever the number of quarters or businesses) --------------

def quarter_end(day: date) -> date:
    month = ((day.month - 1) // 3 + 1) * 3
    next_month = date(day.year + (month == 12), month % 12 + 1, 1)
    return next_month - timedelta(days=1)


def last_quarter_ends(as_of: date, count: int = 12) -> list[date]:
    """The last ``count`` quarter ends on or before ``as_of``, oldest first."""
    def previous_end(end: date) -> date:  # the day before the quarter's first day
        return date(end.year, end.month - 2, 1) - timedelta(days=1)

    end = quarter_end(as_of)
    if end > as_of:
        end = previous_end(end)
    ends = [end]
    while len(ends) < count:
        ends.append(previous_end(ends[-1]))
    return sorted(ends)


def _days_table(days: list[date]):
    selects = [sa.select(sa.literal(d, sa.Date()).label("day")) for d in days]
    return sa.union_all(*selects).subquery("days")


def ratio_series(target: Target, days: list[date]) -> list[RatioFigure]:
    days_t = _days_table(days)
    day = days_t.c.day
    incubated = sa.case((Residency.kind == ResidencyKind.INCUBATED, Company.id))
    inner = sa.join(Residency, Company, sa.and_(Company.id == Residency.company_id, Company.is_it.is_(True)))
    stmt = (sa.select(day, sa.func.count(sa.distinct(incubated)), sa.func.count(sa.distinct(Company.id)))
            .select_from(days_t.outerjoin(inner, sa.and_(Residency.active_on_clause(day),
                                                         *_residencies_of(target))))
            .group_by(day))
    found = {_as_date(r[0]): (r[1], r[2]) for r in db.session.execute(_across(stmt, target))}
    return [RatioFigure(target, d, *found.get(d, (0, 0))) for d in days]


def certified_series(target: Target, days: list[date]) -> list[RatioFigure]:
    """The certified share at each of ``days``, in one query (as :func:`ratio_series`)."""
    days_t = _days_table(days)
    day = days_t.c.day
    numerator, denominator = _certified_columns(day)
    inner = sa.join(Residency, Company, sa.and_(Company.id == Residency.company_id, Company.is_it.is_(True)))
    stmt = (sa.select(day, numerator, denominator)
            .select_from(days_t.outerjoin(inner, sa.and_(Residency.active_on_clause(day),
                                                         *_residencies_of(target))))
            .group_by(day))
    found = {_as_date(r[0]): (r[1], r[2]) for r in db.session.execute(_across(stmt, target))}
    return [RatioFigure(target, d, *found.get(d, (0, 0))) for d in days]


def graduate_series(target: Target, days: list[date]) -> list[GraduateFigure]:
    """A startup counts from its first outcome that counts: the database returns how many startups count
    from each such date (one pass over the outcomes, whatever the number of days), summed here up to each day."""
    if not days:
        return []
    first = (sa.select(sa.func.min(GraduationOutcome.decided_on).label("first")).select_from(GraduationOutcome)
             .join(Company).where(*_graduate_conditions(target, max(days)))
             .group_by(GraduationOutcome.company_id).subquery())
    starts = [(_as_date(day), count) for day, count in db.session.execute(
        _across(sa.select(first.c.first, sa.func.count()).group_by(first.c.first), target))]
    return [GraduateFigure(target, d, sum(count for start, count in starts if start <= d)) for d in days]


def series(target: Target, days: list[date]):
    if target.kind is TargetKind.INCUBATED_IT_RATIO:
        return ratio_series(target, days)
    if target.kind is TargetKind.CERTIFIED_SHARE:
        return certified_series(target, days)
    return graduate_series(target, days)


# The dashboard's figures, remembered by each process while nothing they count has changed: the series join
# every quarter end to every residency, a cost that follows the size of the register, while the dashboard is
# read far more often than the register changes. Each view first reads the counter raised by every write to the
# rows the targets count (targets.freshness: one row); a remembered series is used only for that same count,
# and for a minute at most (a change made outside the application, which raises no counter, shows within the
# minute).
REMEMBER_SECONDS = 60
_REMEMBERED: dict[tuple, tuple[float, list]] = {}


def data_state() -> tuple:
    """Changes whenever a business, residency, outcome, certificate or standard is added, removed or changed
    through the application (``freshness.counter``). Read once per request (the request reads one snapshot of
    the database)."""
    from flask import g, has_request_context

    from incubator.targets import freshness

    if has_request_context() and "targets_data_state" in g:
        return g.targets_data_state
    state = (str(db.engine.url), freshness.counter())
    if has_request_context():
        g.targets_data_state = state
    return state


def figure_and_series(target: Target, as_of: date, days: list[date]):
    """The figure at ``as_of`` and at each of ``days``, from the series' own query (the dashboard)."""
    import time

    asked = sorted({*days, as_of})
    key = (data_state(), target.id, target.incubator_id, target.version_id, target.kind, target.threshold,
           target.window_start, target.window_end, tuple(asked))
    now = time.monotonic()
    remembered = _REMEMBERED.get(key)
    if remembered is not None and now - remembered[0] < REMEMBER_SECONDS:
        values = remembered[1]
    else:
        values = [(p.numerator, p.denominator) if isinstance(p, RatioFigure) else (p.count,)
                  for p in series(target, asked)]
        if len(_REMEMBERED) >= 64:
            _REMEMBERED.clear()
        _REMEMBERED[key] = (now, values)
    make = RatioFigure if target.is_ratio else GraduateFigure
    by_day = {d: make(target, d, *v) for d, v in zip(asked, values, strict=True)}
    return by_day[as_of], [by_day[d] for d in days]


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# ---- Explanations (drill-down): every business behind a figure, and those left out, with the reason -----

def explain_ratio(as_of: date, target: Target | None = None) -> dict[str, list[Explained]]:
    """numerator, denominator and excluded lists; one query whatever the size of the register. The
    businesses of the target's incubator (their residencies there), or of the city (their residencies in every
    incubator, each business once) for a city target or none."""
    # The residencies, each with its business (not the business's collection of residencies, which holds the
    # residencies of every incubator and may have been loaded earlier), grouped by business in order.
    stmt = (sa.select(Residency).join(Residency.company).options(contains_eager(Residency.company))
            .where(Residency.starts_on <= as_of).order_by(Company.name_sort, Residency.starts_on))
    if target is None:
        stmt = stmt.execution_options(all_incubators=True)
    else:
        stmt = _across(stmt.where(*_residencies_of(target)), target)
    by_company: dict[int, tuple[Company, list[Residency]]] = {}
    for residency in db.session.scalars(stmt):
        by_company.setdefault(residency.company_id, (residency.company, []))[1].append(residency)
    numerator, denominator, excluded = [], [], []
    for company, counted in by_company.values():
        active = [r for r in counted if r.is_active_on(as_of)]
        if not active:
            last = max(counted, key=lambda r: r.ends_on or as_of)
            excluded.append(Explained(company, [_l("Residency ended on %(date)s", date=fmt_date(last.ends_on))],
                                      [last]))
            continue
        if not company.is_it:
            excluded.append(Explained(company, [_l("Not an IT business")], active))
            continue
        incubated = [r for r in active if r.kind is ResidencyKind.INCUBATED]
        entry = Explained(company, [], active)
        if incubated:
            entry.reasons.append(_l("IT business, incubated startup since %(date)s",
                                    date=fmt_date(incubated[0].starts_on)))
            numerator.append(entry)
        else:
            entry.reasons.append(_l("IT business in the incubator as %(kind)s, not an incubated startup",
                                    kind=", ".join(str(r.kind.label) for r in active)))
        denominator.append(entry)
    return {"numerator": numerator, "denominator": denominator, "excluded": excluded}


def explain_certified(target: Target, as_of: date) -> dict[str, list[Explained]]:
    """numerator, denominator and excluded lists of the certified share at ``as_of``, each business once in
    each list it belongs to, in two queries whatever the size of the register: the residencies of the target's
    incubator (or of every incubator, for the city's) begun by then, each with its business, as the ratio's
    drill-down reads them; then the certificates of those businesses with their standards.

    The denominator is the ratio's: the IT businesses with an active residency at ``as_of``; the numerator, those
    of them holding that day a certificate that counts (its certificates that count listed); excluded, every
    other business with the reasons: not an IT business, residency ended, no certificate, or each certificate's
    reason not to count (waiting for verification, not accepted, standard not recognised, CMMI level 1, not yet
    issued, revoked, expired)."""
    ratio_lists = explain_ratio(as_of, target)
    everyone = ratio_lists["denominator"] + ratio_lists["excluded"]
    ids = [e.company.id for e in everyone]
    by_company: dict[int, list[Certificate]] = {}
    if ids:
        certificates = db.session.scalars(_across(
            sa.select(Certificate).join(Certificate.standard).options(contains_eager(Certificate.standard))
            .where(Certificate.company_id.in_(_companies_explained(target, as_of)))
            .order_by(Certificate.company_id, Certificate.issued_on, Certificate.id), target))
        for certificate in certificates:
            by_company.setdefault(certificate.company_id, []).append(certificate)
    numerator, denominator, excluded = [], [], []
    in_denominator = {e.company.id for e in ratio_lists["denominator"]}
    for entry in sorted(everyone, key=lambda e: (e.company.name_sort or "", e.company.id)):
        company = entry.company
        held = by_company.get(company.id, [])
        if company.id not in in_denominator:  # not IT, or not in the incubator that day: its reason already
            excluded.append(Explained(company, list(entry.reasons), entry.residencies, certificates=held))
            continue
        counting = [c for c in held if c.counts and c.is_held_on(as_of)]
        if counting:
            explained = Explained(company, [certificate_reason(c) for c in counting], entry.residencies,
                                  certificates=counting)
            numerator.append(explained)
            denominator.append(explained)
            continue
        reasons = [certificate_exclusion(c, as_of) for c in held] or [_l("No certificate recorded")]
        explained = Explained(company, reasons, entry.residencies, certificates=held)
        denominator.append(explained)
        excluded.append(explained)
    return {"numerator": numerator, "denominator": denominator, "excluded": excluded}


def _companies_explained(target: Target, as_of: date):
    """The businesses the ratio's drill-down reads (a residency of the target's incubator, or of any, begun
    by ``as_of``), as a subquery: the certificates' query names them without a list of ids."""
    return (sa.select(Residency.company_id).where(Residency.starts_on <= as_of, *_residencies_of(target))
            .scalar_subquery())


def _label(certificate: Certificate):
    """The certificate's label ("CMMI level 3", "ISO 9001") in the language the reason is read in (lazy, as the
    reason is: a list made in one language may be shown in another)."""
    if certificate.standard.has_levels and certificate.level:
        return _l("%(standard)s level %(level)s", standard=certificate.standard.code, level=certificate.level)
    return certificate.standard.code


def certificate_reason(certificate: Certificate):
    """Why a certificate counts: "ISO 9001, no. 123, valid 01/01/2024 – 31/12/2026" (without its number when it
    has none)."""
    dates = {"start": fmt_date(certificate.issued_on),
             "end": fmt_date(certificate.expires_on) if certificate.expires_on else _l("no expiry")}
    if not certificate.number:
        return _l("%(certificate)s, valid %(start)s – %(end)s", certificate=_label(certificate), **dates)
    return _l("%(certificate)s, no. %(number)s, valid %(start)s – %(end)s", certificate=_label(certificate),
              number=certificate.number, **dates)


def certificate_exclusion(certificate: Certificate, as_of: date):
    """Why a certificate of a business in the denominator does not count on ``as_of`` (the first reason)."""
    from incubator.certificates.enums import CertificateStatus
    from incubator.certificates.models import LOWEST_COUNTING_LEVEL

    label = _label(certificate)
    if certificate.status is CertificateStatus.SUBMITTED:
        return _l("%(certificate)s: waiting for verification", certificate=label)
    if certificate.status is CertificateStatus.REJECTED:
        return _l("%(certificate)s: not accepted by staff", certificate=label)
    if not certificate.standard.recognised:
        return _l("%(certificate)s: standard not recognised by the target", certificate=label)
    if certificate.standard.has_levels and (certificate.level or 0) < LOWEST_COUNTING_LEVEL:
        return _l("%(certificate)s: maturity level 1 is not appraised and does not count", certificate=label)
    if certificate.issued_on > as_of:
        return _l("%(certificate)s: not yet issued (issued on %(date)s)", certificate=label,
                  date=fmt_date(certificate.issued_on))
    if certificate.revoked_on is not None and certificate.revoked_on < as_of:
        return _l("%(certificate)s: revoked on %(date)s", certificate=label, date=fmt_date(certificate.revoked_on))
    if certificate.expires_on is not None and certificate.expires_on < as_of:
        return _l("%(certificate)s: expired on %(date)s", certificate=label, date=fmt_date(certificate.expires_on))
    return _l("%(certificate)s: does not count", certificate=label)


def explain_graduates(target: Target, as_of: date) -> dict[str, list[Explained]]:
    """count and excluded lists: every graduated outcome is either counted or shown with its reasons."""
    mine = [] if target.is_city else [GraduationOutcome.incubator_id == _incubator_id(target)]
    outcomes = db.session.scalars(_across(
        sa.select(GraduationOutcome).join(Company).options(contains_eager(GraduationOutcome.company))
        .where(GraduationOutcome.decision == Decision.GRADUATED, *mine)
        .order_by(Company.name_sort, GraduationOutcome.decided_on, GraduationOutcome.id), target)
    ).all()
    counted, excluded, seen = [], [], set()
    for outcome in outcomes:
        reasons = graduate_exclusions(target, outcome, as_of)
        if not reasons and outcome.company_id in seen:
            reasons = [_l("Already counted once: each startup counts once")]
        entry = Explained(outcome.company, reasons, outcome=outcome)
        if reasons:
            excluded.append(entry)
        else:
            seen.add(outcome.company_id)
            entry.reasons = [_l("Graduated on %(date)s, with a product on the market serving %(pillars)s",
                                date=fmt_date(outcome.decided_on),
                                pillars=", ".join(str(p.label) for p in outcome.pillars))]
            counted.append(entry)
    return {"count": counted, "excluded": excluded}


def graduate_exclusions(target: Target, outcome: GraduationOutcome, as_of: date) -> list:
    reasons = []
    if not outcome.company.is_it:
        reasons.append(_l("Not an IT (digital-technology) business"))
    if (target.window_start and outcome.decided_on < target.window_start) or \
            (target.window_end and outcome.decided_on > target.window_end):
        reasons.append(_l("Decided on %(date)s, outside the window %(start)s – %(end)s",
                          date=fmt_date(outcome.decided_on), start=fmt_date(target.window_start) or "…",
                          end=fmt_date(target.window_end) or "…"))
    if outcome.decided_on > as_of:
        reasons.append(_l("Decided on %(date)s, after the date asked", date=fmt_date(outcome.decided_on)))
    if not outcome.has_evidence:
        reasons.append(_l("No market evidence recorded (customer, contract or public link)"))
    if not outcome.pillars:
        reasons.append(_l("No digital pillar (government, economy, society) recorded"))
    return reasons


def incubator_in_view() -> int | None:
    """Whose targets this request or command shows: the city's (None) to a reader of the whole network (an
    official, an administrator, a command not limited to one incubator) and wherever there is a single
    incubator (its own copies count the same businesses); with several, a reader limited to incubators (their
    staff) gets those of the incubator they work in, never the city's figures over the others' businesses."""
    from incubator.organisation.current import current_incubator_id, several_incubators
    from incubator.organisation.scoping import current_scope

    if current_scope() is None or not several_incubators():
        return None
    return current_incubator_id()


def _owned_by(incubator: Incubator | int | None):
    """The city's rows (None), or an incubator's (its record or id)."""
    incubator_id = incubator.id if isinstance(incubator, Incubator) else incubator
    return Target.incubator_id.is_(None) if incubator_id is None else Target.incubator_id == incubator_id


KIND_ORDER = {TargetKind.INCUBATED_IT_RATIO: 0, TargetKind.GRADUATE_COUNT: 1}  # then the others (as plans list them)


def all_targets(incubator: Incubator | int | None = None) -> list[Target]:
    """The city's targets, or an incubator's own: the ratio first, then the graduates, then the others (the
    certified share), as the plans list them."""
    order = sa.case(*((Target.kind == kind, rank) for kind, rank in KIND_ORDER.items()), else_=2)
    return list(db.session.scalars(sa.select(Target).where(_owned_by(incubator)).order_by(order, Target.code)))



def by_code(code: str, incubator: Incubator | int | None = None) -> Target | None:
    """The city's target of this code, or the incubator's."""
    return db.session.scalar(sa.select(Target).where(Target.code == code, _owned_by(incubator)))


def first_of_kind(kind: TargetKind, incubator: Incubator | int | None = None) -> Target | None:
    """The city's first target of this kind, or the incubator's."""
    return db.session.scalars(sa.select(Target).where(Target.kind == kind, _owned_by(incubator))
                              .order_by(Target.id).limit(1)).first()


def targets_of_kinds(incubator: Incubator | int | None = None) -> dict[TargetKind, Target]:
    """The city's first target of each kind, or the incubator's (as :func:`first_of_kind`), in one query."""
    found: dict[TargetKind, Target] = {}
    for target in db.session.scalars(sa.select(Target).where(_owned_by(incubator)).order_by(Target.id)):
        found.setdefault(target.kind, target)
    return found


def figures_as_json(as_of: date, incubator: Incubator | int | None = None, known: dict | None = None) -> dict:
    """The figures of the three targets at a date, in the shape promised to the Department's tools (`flask targets
    --json`) and kept in a periodic report's snapshot; more keys may follow those documented. The city's
    figures with the city's targets, or (``incubator``, a record or id) that incubator's with its own.
    ``known``: the targets (kind -> target) and figures at ``as_of`` (kind -> figure) a caller has already read,
    as ``{"targets": ..., "figures": ...}`` (a report reads them with their series)."""
    result: dict = {"as_of": as_of.isoformat(), "startup_ratio": None, "graduates": None, "certified_share": None}
    chosen = known["targets"] if known else targets_of_kinds(incubator)
    read = known["figures"] if known else {}

    def figure_of(kind: TargetKind):
        target = chosen.get(kind)
        return target, (read.get(kind) or figure(target, as_of)) if target is not None else None

    ratio_target, r = figure_of(TargetKind.INCUBATED_IT_RATIO)
    if ratio_target is not None:
        result["startup_ratio"] = {
            "numerator": r.numerator, "denominator": r.denominator,
            "percent": float(r.percent) if r.percent is not None else None,
            "threshold": float(r.threshold), "met": r.met, "target": ratio_target.code,
        }
    graduate_target, g = figure_of(TargetKind.GRADUATE_COUNT)
    if graduate_target is not None:
        threshold = g.threshold
        result["graduates"] = {
            "count": g.count, "threshold": int(threshold) if threshold == threshold.to_integral() else float(threshold),
            "window_start": graduate_target.window_start.isoformat() if graduate_target.window_start else None,
            "window_end": graduate_target.window_end.isoformat() if graduate_target.window_end else None,
            "met": g.met, "target": graduate_target.code,
        }
    certified_target, c = figure_of(TargetKind.CERTIFIED_SHARE)
    if certified_target is not None:
        result["certified_share"] = {
            "numerator": c.numerator, "denominator": c.denominator,
            "percent": float(c.percent) if c.percent is not None else None,
            "threshold": float(c.threshold), "met": c.met, "target": certified_target.code,
        }
    return result


def certified_businesses(as_of: date, incubator: Incubator | int | None = None,
                         chosen: dict[TargetKind, Target] | None = None) -> list[dict]:
    """The businesses of the certified share's numerator at ``as_of`` (the city's target, or the incubator's
    own), each once with the certificates that count that day, as plain data (a report's snapshot keeps it):
    business, tax code, and for each certificate its standard, level, number, issuer and validity. ``chosen``:
    the targets by kind (:func:`targets_of_kinds`), when the caller has read them."""
    target = (chosen.get(TargetKind.CERTIFIED_SHARE) if chosen is not None
              else first_of_kind(TargetKind.CERTIFIED_SHARE, incubator))
    if target is None:
        return []
    return [{"company": company.name, "tax_code": company.tax_code, "certificates": [
        {"standard": c.standard.code, "standard_vi": c.standard.name_vi, "standard_en": c.standard.name_en,
         "level": c.level, "number": c.number, "issuer": c.issuer, "issued_on": c.issued_on.isoformat(),
         "expires_on": c.expires_on.isoformat() if c.expires_on else None} for c in certificates]}
        for company, certificates in certified_numerator(target, as_of)]


def certified_numerator(target: Target, as_of: date) -> list[tuple[Company, list[Certificate]]]:
    """The certified share's numerator at ``as_of`` as ``explain_certified`` lists it (each business in Vietnamese
    order, with its certificates that count that day, by date of issue), in one query of those certificates
    alone: a report needs the businesses counted, not the register's every business with its reasons."""
    active = sa.select(Residency.company_id).where(Residency.active_on_clause(as_of), *_residencies_of(target))
    stmt = _across(
        sa.select(Certificate).join(Certificate.standard).join(Certificate.company)
        .options(contains_eager(Certificate.standard), contains_eager(Certificate.company))
        .where(Company.is_it.is_(True), Company.id.in_(active), Certificate.counts_clause(),
               Certificate.held_on_clause(as_of))
        .order_by(Company.name_sort, Company.id, Certificate.issued_on, Certificate.id), target)
    numerator: dict[int, tuple[Company, list[Certificate]]] = {}
    for certificate in db.session.scalars(stmt):
        numerator.setdefault(certificate.company_id, (certificate.company, []))[1].append(certificate)
    return list(numerator.values())


# ---- The city dashboard: each incubator's figure of a target side by side with the city's ---------------

@dataclass
class IncubatorFigure:
    """One row of a city target's table: an incubator, its own copy of the target (None when it has none of
    that code), its figure at the date and its quarterly series, both counted with its own row."""

    incubator: Incubator
    target: Target | None
    figure: RatioFigure | GraduateFigure | None = None
    points: list = field(default_factory=list)


def city_and_incubators(as_of: date, days: list[date]) -> tuple[list[Target], dict[str, list[IncubatorFigure]]]:
    """The city's targets (in ``all_targets``' order) and, for each (by code), one row per incubator (by code): its
    own copy of the target and its figure and series (``figure_and_series``: one query per copy at most, none
    while remembered, whatever the number of businesses). One query reads them all, every target with every
    incubator (a full outer join: an incubator with no copy still has its rows), so that the city's dashboard
    costs as many queries with ten incubators as the dashboard of one."""
    rows = db.session.execute(
        sa.select(Target, Incubator).join(Incubator, Target.incubator_id == Incubator.id, full=True)
        .execution_options(all_incubators=True)).all()
    city = sorted((target for target, _incubator in rows if target is not None and target.incubator_id is None),
                  key=lambda t: (KIND_ORDER.get(t.kind, 2), t.code))
    incubators = sorted({incubator.id: incubator for _t, incubator in rows if incubator is not None}.values(),
                        key=lambda incubator: incubator.code)
    copies = {(target.incubator_id, target.code): target for target, _i in rows
              if target is not None and target.incubator_id is not None}
    result: dict[str, list[IncubatorFigure]] = {}
    for code in (t.code for t in city):
        result[code] = []
        for incubator in incubators:
            copy = copies.get((incubator.id, code))
            row = IncubatorFigure(incubator, copy)
            if copy is not None:
                row.figure, row.points = figure_and_series(copy, as_of, days)
            result[code].append(row)
    return city, result


def city_dashboard() -> bool:
    """Whether the targets dashboard shows each incubator side by side with the city: for a reader of the whole
    network (an official, an administrator) when there are several incubators; otherwise it stays one figure
    per target (the city's, or the incubator's of a reader limited to theirs)."""
    from incubator.organisation.current import several_incubators

    return incubator_in_view() is None and several_incubators()
