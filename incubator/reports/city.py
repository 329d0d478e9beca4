"""The city's consolidated periodic report (issue 20): for a period, each incubator's part I figures with its own
targets beside the city's, as an A4 PDF laid out like an incubator's report (Decree 30/2020/NĐ-CP).

The city's column counts every incubator's rows, with the city's targets, and each business once (domain.md, "A
network of incubators"): the businesses operating, in the cohorts, graduated or served are counted once however
many incubators they sit in, so that column is not the sum of the others. Applications, cohorts, mentoring
sessions, services and funding are each one incubator's rows: there the city's column is their sum.

The heading's names are those of the network's first incubator (the one every installation starts with, whose
operator compiles the network's report for the Department) in force on the period's last day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from incubator.extensions import db
from incubator.i18n import fmt_date, fmt_decimal, fmt_money, fmt_number, fmt_percent
from incubator.pdf import StaticOnlyFetcher, html_to_pdf
from incubator.reports.figures import _compute, compute


def _distinct_businesses(start: date, end: date) -> dict:
    """The businesses behind the figures of the rows in view, each counted once: operating on ``end`` (IT or
    not), members of a cohort running in the period, graduated in it, served in it."""
    from incubator.cohorts.models import Cohort, CohortMember, ServiceDelivery, ServiceRecipient
    from incubator.companies.models import Company, Residency
    from incubator.outcomes.models import GraduationOutcome

    operating = dict(db.session.execute(
        sa.select(Company.is_it, sa.func.count(sa.distinct(Residency.company_id))).join(Company)
        .where(Residency.active_on_clause(end)).group_by(Company.is_it)).all())
    in_cohorts = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(CohortMember.company_id))).join(Cohort)
        .where(Cohort.starts_on <= end, Cohort.ends_on >= start))
    graduated = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(GraduationOutcome.company_id)))
        .where(GraduationOutcome.decision == "graduated", GraduationOutcome.decided_on.between(start, end)))
    served = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(ServiceRecipient.company_id))).join(ServiceDelivery)
        .where(ServiceDelivery.delivered_on.between(start, end)))
    return {"operating_it": operating.get(True, 0), "operating_other": operating.get(False, 0),
            "in_cohorts": in_cohorts or 0, "graduated": graduated or 0, "served": served or 0}


def part_one(start: date, end: date) -> dict:
    """{"incubators": [(incubator, figures), …] by code, "city": figures}: each incubator's figures as its own
    report counts them (its rows, its targets), and the city's over every incubator's rows with the city's
    targets; each with the distinct businesses behind it (``businesses``)."""
    from incubator.organisation.current import use_incubator
    from incubator.organisation.queries import all_incubators
    from incubator.organisation.scoping import scoped_to

    parts = []
    for incubator in all_incubators():
        figures = compute(start, end, incubator.id)
        with scoped_to([incubator.id]), use_incubator(incubator.id):
            figures["businesses"] = _distinct_businesses(start, end)
        parts.append((incubator, figures))
    with scoped_to(None), use_incubator(None):  # every incubator's rows, whatever the request is limited to
        city = _compute(start, end, None)
        city["businesses"] = _distinct_businesses(start, end)
    return {"period": {"start": start, "end": end}, "incubators": parts, "city": city}


@dataclass
class Table:
    """One figure of part I: a row per measure, a cell per incubator then the city's; ``summed``: whether the
    city's column is the sum of the incubators' (else it counts each business once)."""

    title: str
    summed: bool
    key: str = ""  # what the page calls it (its table's id: city-<key>)
    note: str = ""  # what the note under the table says, when not the usual one
    rows: list[tuple[str, list[str] | None]] = field(default_factory=list)

    def row(self, label: str, cells: list) -> None:
        self.rows.append((label, [str(c) for c in cells]))

    def group(self, label: str) -> None:
        """A heading row over the rows that follow (cells: None)."""
        self.rows.append((label, None))


def _ratio(r: dict | None) -> str:
    if not r:
        return "—"
    percent = fmt_percent(r["percent"]) if r["percent"] is not None else "—"
    return f"{r['numerator']} / {r['denominator']} = {percent}"


def _yes_no(target: dict | None) -> str:
    if not target:
        return "—"
    return _("Yes") if target["met"] else _("No")


def tables(data: dict) -> list[Table]:
    """Part I as tables, in the current language (called inside ``force_locale``)."""
    from incubator.cohorts.enums import ServiceKind
    from incubator.companies.enums import ResidencyKind

    columns = [f for _incubator, f in data["incubators"]] + [data["city"]]
    end = data["period"]["end"]

    def cells(get) -> list:
        return [get(f) for f in columns]

    intake = Table(_("Intake"), summed=True, key="intake")
    intake.row(_("Applications received"), cells(lambda f: f["applications"]["received"]))
    intake.row(_("Applications accepted"), cells(lambda f: f["applications"]["accepted"]))

    cohorts = Table(_("Cohorts"), summed=False, key="cohorts")
    cohorts.row(_("Cohorts running"), cells(lambda f: len(f["cohorts"])))
    cohorts.row(_("Businesses in these cohorts"), cells(lambda f: f["businesses"]["in_cohorts"]))

    operating = Table(_("Businesses operating in the incubators on %(date)s", date=fmt_date(end)), summed=False,
                      key="operating")
    for it, group in (("it", _("IT businesses")), ("other", _("Other businesses"))):
        operating.group(group)
        for kind, label in ResidencyKind.labels().items():
            counts = cells(lambda f, key=f"{kind.value}:{it}": f["residencies"].get(key, 0))
            if any(counts):
                operating.row(str(label), counts)
        operating.row(_("In all (each business once)"), cells(lambda f, it=it: f["businesses"][f"operating_{it}"]))

    goals = Table(_("Targets on %(date)s", date=fmt_date(end)), summed=False, key="targets", note=_(
        "Each incubator's figures are counted with its own targets; the city's with the city's targets, counting "
        "each business once, so they are not the sum of the incubators' figures."))
    ratio = lambda f: f["targets"]["startup_ratio"]  # noqa: E731
    grads = lambda f: f["targets"]["graduates"]  # noqa: E731
    goals.row(_("Incubated IT startups among the IT businesses in the incubator"), cells(lambda f: _ratio(ratio(f))))
    goals.row(_("Threshold"), cells(lambda f: f"{int(ratio(f)['threshold'])} %" if ratio(f) else "—"))
    goals.row(_("Met"), cells(lambda f: _yes_no(ratio(f))))
    goals.row(_("Innovative digital-technology startups graduated"),
              cells(lambda f: grads(f)["count"] if grads(f) else "—"))
    goals.row(_("Threshold"), cells(lambda f: grads(f)["threshold"] if grads(f) else "—"))
    goals.row(_("Window"), cells(lambda f: _window(grads(f))))
    goals.row(_("Met"), cells(lambda f: _yes_no(grads(f))))
    shares = lambda f: f["targets"].get("certified_share")  # noqa: E731
    if any(shares(f) for f in columns):
        goals.row(_("IT businesses holding CMMI or ISO/IEC certificates"), cells(lambda f: _ratio(shares(f))))
        goals.row(_("Threshold"), cells(lambda f: f"{fmt_number(shares(f)['threshold'])} %" if shares(f) else "—"))
        goals.row(_("Met"), cells(lambda f: _yes_no(shares(f))))

    graduates = Table(_("Graduates of the period"), summed=False, key="graduates")
    graduates.row(_("Startups graduated"), cells(lambda f: f["businesses"]["graduated"]))

    mentoring = Table(_("Mentoring"), summed=True, key="mentoring")
    mentoring.row(_("Confirmed mentoring sessions"), cells(lambda f: f["mentoring"]["sessions"]))
    mentoring.row(_("Mentoring hours"), cells(lambda f: fmt_decimal(f["mentoring"]["hours"])))

    services = Table(_("Services delivered"), summed=False, key="services")
    delivered = [{row["kind"]: row["count"] for row in f["services"]} for f in columns]
    for kind, label in ServiceKind.labels().items():
        counts = [d.get(kind.value, 0) for d in delivered]
        if any(counts):
            services.row(str(label), counts)
    services.row(_("Services in all"), [sum(d.values()) for d in delivered])
    services.row(_("Startups served"), cells(lambda f: f["businesses"]["served"]))

    funding = Table(_("Funding raised"), summed=True, key="funding")
    funding.row(_("Reported by the startups"), cells(lambda f: fmt_money(f["funding"]["reported"])))
    funding.row(_("Investments recorded by fund managers"), cells(lambda f: fmt_money(f["funding"]["invested"])))
    result = [intake, cohorts, operating, goals, graduates, mentoring, services, funding]
    if all(f.get("requests") for f in columns):
        result.append(_requests_table(columns))
    return result


def _requests_table(columns: list[dict]) -> Table:
    """Businesses' requests to the city (issue 21): each incubator's, and the city's over every incubator's
    requests (the counts add up; the median and the satisfaction are the city's own)."""
    table = Table(_("Businesses' requests to the city"), summed=False, key="requests", note=_(
        "Each request is one incubator's: the city's counts are the sum of the incubators'; its median and "
        "satisfaction are counted over all the requests."))
    total = [f["requests"]["total"] for f in columns]
    table.row(_("Requests and complaints received"), [t["received"] for t in total])
    table.row(_("Answered"), [t["answered"] for t in total])
    table.row(_("Answered on time"), [t["on_time"] for t in total])
    table.row(_("Overdue (not answered by their due date)"), [t["overdue"] for t in total])
    table.row(_("Median calendar days to answer"), [fmt_days(t["median_days"]) for t in total])
    table.row(_("Satisfied with the answer"),
              [f"{t['satisfied']} / {t['rated']}" if t["rated"] else "—" for t in total])
    return table


def fmt_days(value) -> str:
    """A number of days: whole as it is ("11"), a median between two days with its half ("21,5"); "—" none."""
    if value is None:
        return "—"
    return fmt_decimal(value, 0 if float(value).is_integer() else 1)


def _window(target: dict | None) -> str:
    if not target or not target["window_start"] or not target["window_end"]:
        return "—"
    first, last = (fmt_date(date.fromisoformat(target[key])) for key in ("window_start", "window_end"))
    return f"{first} – {last}"


def graduates_list(start: date, end: date) -> list[dict]:
    """Every startup graduated in the period, once, with the incubators that graduated it (by code), its first
    graduation's date, product and pillars."""
    from incubator.companies.models import Company
    from incubator.organisation.models import Incubator
    from incubator.organisation.scoping import scoped_to
    from incubator.outcomes.models import GraduationOutcome

    by_company: dict[int, dict] = {}
    with scoped_to(None):
        rows = db.session.execute(
            sa.select(Company.id, Company.name, GraduationOutcome.product, GraduationOutcome.decided_on,
                      GraduationOutcome.serves_government, GraduationOutcome.serves_economy,
                      GraduationOutcome.serves_society, Incubator.code)
            .join(Company, GraduationOutcome.company_id == Company.id)
            .join(Incubator, GraduationOutcome.incubator_id == Incubator.id)
            .where(GraduationOutcome.decision == "graduated", GraduationOutcome.decided_on.between(start, end))
            .order_by(GraduationOutcome.decided_on, Company.name_sort, Incubator.code))
        for company_id, name, product, decided_on, g, e, s, code in rows:
            entry = by_company.setdefault(company_id, {
                "company": name, "product": product, "decided_on": decided_on.isoformat(), "incubators": [],
                "pillars": [x for x, flag in (("government", g), ("economy", e), ("society", s)) if flag]})
            if code not in entry["incubators"]:
                entry["incubators"].append(code)
    return list(by_company.values())


def certified_list(data: dict) -> list[dict]:
    """The businesses of the city's certified share at the period's end, each once with its certificates that
    count, and the incubators (by code) whose own share counts it: read from ``part_one``, no query."""
    where: dict[str, list[str]] = {}
    for incubator, figures in data["incubators"]:
        for entry in figures.get("certified") or []:
            where.setdefault(entry["tax_code"], []).append(incubator.code)
    return [{**entry, "incubators": where.get(entry["tax_code"], [])} for entry in data["city"].get("certified") or []]


def heading_names(end: date, lang: str) -> dict:
    """The names the heading and the closing print: the first incubator's (its operator compiles the network's
    report for the Department), in force on ``end``."""
    from incubator.organisation.models import Incubator
    from incubator.reports.queries import names_in_force

    first = db.session.scalar(sa.select(Incubator.id).order_by(Incubator.id).limit(1))
    return names_in_force(end, first).get(lang) or {}


def document_html(start: date, end: date, period_label: str, lang: str, today: date) -> str:
    from types import SimpleNamespace

    from incubator.reports.render import addressee_lines, keep_together, period_phrase, place_and_date

    data = part_one(start, end)
    names = heading_names(end, lang)
    with force_locale(lang):
        period = period_phrase(SimpleNamespace(period_label=period_label, period_start=start, period_end=end))
        return render_template("reports/city_document.html", lang=lang, names=names, keep_together=keep_together,
                               period=period, incubators=[i for i, _f in data["incubators"]],
                               tables=tables(data), graduates=graduates_list(start, end),
                               certified=certified_list(data),
                               addressees=addressee_lines(names.get("addressees") or []),
                               signer_title=names.get("signer_title") or "",
                               place_date=place_and_date(today, lang, names.get("place") or ""))


def render_pdf(start: date, end: date, period_label: str, lang: str, today: date,
               fetcher: StaticOnlyFetcher | None = None) -> bytes:
    return html_to_pdf(document_html(start, end, period_label, lang, today), fetcher)
