"""Periodic reports: one function creates, one edits the narrative, one finalises, one issues a new version."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from incubator import bounds
from incubator.audit import services as audit
from incubator.db import utcnow
from incubator.errors import DomainError, expect_version
from incubator.extensions import db
from incubator.i18n import local_today
from incubator.organisation.models import Incubator
from incubator.reports.enums import SINGLE_KINDS, NameKind, ReportStatus
from incubator.reports.models import BodyName, PeriodicReport
from incubator.reports.periods import check_dates

TEXT_FIELDS = ("number", "shortcomings", "next_tasks", "recommendations", "recipients", "signer_position",
               "signer_name")


def create(*, actor, period_label: str, start, end, **fields) -> PeriodicReport:
    """A report covers a period in the years a report may cover (from 2000), not ending more than ten years
    ahead (bounds.PROGRAMME); it is dated as a document is (bounds.DECISION: at most a month ahead)."""
    if start is None or end is None or end < start:
        raise DomainError(_l("The period must end after it starts."), field="period_end")
    try:
        check_dates(start, end)
    except ValueError:
        raise DomainError(_l("Give a period such as 2025, 2025-H1 or 2025-Q2, or two dates in order."),
                          field="period_end") from None
    bounds.PROGRAMME.check(start, "period_start")
    bounds.PROGRAMME.check(end, "period_end")
    bounds.DECISION.check(fields.get("issued_on"), "issued_on")
    report = PeriodicReport(period_label=period_label, period_start=start, period_end=end, created_by_id=actor.id,
                            issued_on=fields.get("issued_on"),
                            **{k: (fields.get(k) or "").strip() or None for k in TEXT_FIELDS})
    db.session.add(report)
    db.session.flush()
    if report.number is None:  # proposed: the next of its incubator's series in the year it is issued
        from incubator.reports.queries import next_number

        year = (report.issued_on or local_today()).year
        report.number = next_number(db.session.get(Incubator, report.incubator_id), year)
        db.session.flush()
    audit.record("report.create", report, label=period_label, actor=actor)
    return report


def update(report: PeriodicReport, *, actor, version=None, **fields) -> PeriodicReport:
    if report.is_final:
        raise DomainError(_l("A finalised report is not changed: issue a new version."))
    expect_version(report, version)
    bounds.DECISION.check(fields.get("issued_on"), "issued_on")
    for key in TEXT_FIELDS:
        if key in fields:
            setattr(report, key, (fields[key] or "").strip() or None)
    if "issued_on" in fields:
        report.issued_on = fields["issued_on"]
    db.session.flush()
    audit.record("report.update", report, label=report.period_label, actor=actor)
    return report


def finalise(report: PeriodicReport, *, actor, version=None, pdfs_later: bool = False) -> PeriodicReport:
    """Freeze the figures and keep both PDFs: later changes to the data do not change this report.
    ``pdfs_later``: the PDFs are drawn afterwards from the frozen figures and names (reports.renders, in the
    background: seconds each at the city's scale), not inside this request."""
    from incubator.reports.figures import compute
    from incubator.reports.queries import names_in_force
    from incubator.reports.render import render_pdf

    if not report.status.allows(ReportStatus.FINAL):
        raise DomainError(_l("This report is already finalised."))
    expect_version(report, version)
    if not report.number:
        raise DomainError(_l("Give the report its number before finalising it."), field="number")
    from incubator.reports.queries import number_taken

    taken = number_taken(report)
    if taken is not None:
        from incubator.reports.render import period_title

        raise DomainError(_l("The report of %(period)s already carries the number %(number)s: give this one "
                             "another.", period=period_title(taken), number=report.number), field="number")
    if report.issued_on is None:
        report.issued_on = local_today()  # the day in Hà Nội, not in UTC (07:00 earlier)
    # The report's incubator's figures and targets, even when an official of the whole network finalises it.
    figures = compute(report.period_start, report.period_end, report.incubator_id)
    report.snapshot = figures
    # Issued with these names, whatever staff change later, and by this incubator as it was named then.
    incubator = db.session.get(Incubator, report.incubator_id)
    report.names = {**names_in_force(report.period_end, report.incubator_id),
                    "incubator": {"code": incubator.code, "name_vi": incubator.name_vi,
                                  "name_en": incubator.name_en}}
    if not pdfs_later:
        report.pdf_vi = render_pdf(report, figures, "vi")
        report.pdf_en = render_pdf(report, figures, "en")
    report.status = ReportStatus.FINAL
    report.finalised_at = utcnow()
    db.session.flush()
    audit.record("report.finalise", report, label=report.number, to_state=ReportStatus.FINAL, actor=actor)
    _tell_officials(report)
    return report


def _tell_officials(report: PeriodicReport) -> None:
    """The Department's officials are told once that the report is finalised, in their language, with the link
    to its page (where they read it and download its PDF: the PDF is not attached)."""
    from flask_babel import gettext as _

    from incubator.auth.enums import Role
    from incubator.auth.queries import active_with_role
    from incubator.mail import services as mail
    from incubator.organisation.current import several_incubators
    from incubator.urls import external_url

    link = external_url("reports.report", report_id=report.id)
    network = several_incubators()  # then the subject names the incubator, in the official's language

    def subject():
        if network:
            return _("Report %(number)s of %(incubator)s is finalised", number=report.number,
                     incubator=report.incubator.name)
        return _("Report %(number)s of the incubator is finalised", number=report.number)

    for official in active_with_role(Role.OFFICIAL):
        mail.send_to(official, "report_finalised", subject, event=f"report.final:{report.id}", report=report,
                     link=link)


def new_version(report: PeriodicReport, *, actor) -> PeriodicReport:
    if not report.is_final:
        raise DomainError(_l("Only a finalised report gets a new version; edit the draft instead."))
    copy = PeriodicReport(period_label=report.period_label, period_start=report.period_start,
                          period_end=report.period_end, version=report.version + 1, supersedes_id=report.id,
                          incubator_id=report.incubator_id,  # the report's, whatever incubator one works in
                          created_by_id=actor.id, **{k: getattr(report, k) for k in TEXT_FIELDS})
    db.session.add(copy)
    db.session.flush()
    audit.record("report.version", copy, label=report.number, actor=actor, details={"supersedes": report.id})
    return copy


# ---- The dated names a report prints ----------------------------------------------------------------------

# Seeded by the migration and the demo; staff edit them afterwards. Since 01/03/2025 the city's Department of
# Information and Communications is merged into the Department of Science and Technology (see the domain).
MERGER = date(2025, 3, 1)
DEFAULT_NAMES = (
    # kind, Vietnamese, English, from, until, position
    (NameKind.GOVERNING_BODY, "Sở Thông tin và Truyền thông Hà Nội",
     "Hà Nội Department of Information and Communications", date(2000, 1, 1), MERGER - timedelta(days=1), 0),
    (NameKind.GOVERNING_BODY, "Sở Khoa học và Công nghệ Hà Nội", "Hà Nội Department of Science and Technology",
     MERGER, None, 0),
    (NameKind.ISSUING_BODY, "Trung tâm Đào tạo, tư vấn CNTT và Truyền thông Hà Nội",
     "Hà Nội ICT Training and Consulting Centre", date(2000, 1, 1), None, 0),
    (NameKind.ADDRESSEE, "Sở Thông tin và Truyền thông Hà Nội", "Hà Nội Department of Information and Communications",
     date(2000, 1, 1), MERGER - timedelta(days=1), 1),
    (NameKind.ADDRESSEE, "Sở Khoa học và Công nghệ Hà Nội", "Hà Nội Department of Science and Technology",
     MERGER, None, 1),
    (NameKind.ADDRESSEE, "Lưu: VT", "Archives", date(2000, 1, 1), None, 9),
    (NameKind.PLACE, "Hà Nội", "Hà Nội", date(2000, 1, 1), None, 0),
    (NameKind.SIGNER_TITLE, "Giám đốc", "Director", date(2000, 1, 1), None, 0),
)
NAME_FIELDS = ("kind", "name_vi", "name_en", "valid_from", "valid_until", "position")


def ensure_default_names(incubator_id: int | None = None) -> int:
    """Give the incubator (the current one when None) the seeded names when it has none yet (the demo, a
    database made by create_all); never touch the names staff keep."""
    from incubator.organisation.current import current_incubator_id

    incubator_id = incubator_id if incubator_id is not None else current_incubator_id()
    if db.session.scalar(sa.select(sa.func.count(BodyName.id)).where(BodyName.incubator_id == incubator_id)
                         .execution_options(all_incubators=True)):
        return 0
    for kind, vi, en, start, until, position in DEFAULT_NAMES:
        db.session.add(BodyName(kind=kind, name_vi=vi, name_en=en, valid_from=start, valid_until=until,
                                position=position, incubator_id=incubator_id))
    db.session.flush()
    audit.record("report_name.seed", object_type=BodyName.__tablename__, label=str(len(DEFAULT_NAMES)))
    return len(DEFAULT_NAMES)


def copy_names(incubator, *, actor=None, operator_vi: str | None = None,
               operator_en: str | None = None) -> list[BodyName]:
    """Give a new incubator copies of the names of the first incubator (the installation's own, VUHN) in force
    today, with their dates and order, each audited; its issuing body is the organisation that runs it instead:
    ``operator_vi``/``operator_en`` when given, else the incubator's own names. Nothing when it has names
    already, or is the first. Its staff edit them afterwards on the names page."""
    first_id = db.session.scalar(sa.select(sa.func.min(Incubator.id)))
    if first_id is None or first_id == incubator.id:
        return []
    if db.session.scalar(sa.select(BodyName.id).where(BodyName.incubator_id == incubator.id).limit(1)
                         .execution_options(all_incubators=True)) is not None:
        return []
    today = local_today()
    in_force = db.session.scalars(
        sa.select(BodyName).where(BodyName.incubator_id == first_id, BodyName.valid_from <= today,
                                  sa.or_(BodyName.valid_until.is_(None), BodyName.valid_until >= today))
        .order_by(BodyName.id).execution_options(all_incubators=True)).all()
    operator_vi = " ".join((operator_vi or "").split()) or incubator.name_vi
    operator_en = " ".join((operator_en or "").split()) or incubator.name_en or operator_vi
    made = []
    for row in in_force:
        copy = BodyName(incubator_id=incubator.id, **{key: getattr(row, key) for key in NAME_FIELDS})
        if row.kind is NameKind.ISSUING_BODY:
            copy.name_vi, copy.name_en = operator_vi[:300], operator_en[:300]
        made.append(copy)
    if not any(row.kind is NameKind.ISSUING_BODY for row in in_force):  # its operator all the same
        made.append(BodyName(incubator_id=incubator.id, kind=NameKind.ISSUING_BODY, name_vi=operator_vi[:300],
                             name_en=operator_en[:300], valid_from=date(2000, 1, 1), position=0))
    db.session.add_all(made)
    db.session.flush()
    for name in made:
        audit.record("report_name.create", name, label=name.name_vi, to_state=name.kind.value, actor=actor,
                     reason=f"copy of the first incubator's names for {incubator.code}")
    return made


def _incubator_created(incubator, actor=None, default=False, operator_vi=None, operator_en=None,
                       **_extra) -> None:
    """A new incubator starts with the first incubator's names (its own issuing body); the installation's
    default one has those the migrations seeded."""
    if not default:
        copy_names(incubator, actor=actor, operator_vi=operator_vi, operator_en=operator_en)


def connect_to_organisation() -> None:
    """Called by the factory: a new incubator gets copies of the names reports print (organisation's
    incubator_created; connecting twice connects once)."""
    from incubator.organisation.services import incubator_created

    incubator_created.connect(_incubator_created)  # a module-level function: blinker's weak reference holds


def _check_one_in_force(name: BodyName | None, values: dict) -> None:
    """One governing body, issuing body, place and signer's title at a time: a name of those kinds may not share a
    day with another of its kind (the old one is ended first), so that no report is left to a silent choice.
    Addressees are a list: several are in force together."""
    if values["kind"] not in SINGLE_KINDS:
        return
    start, end = values["valid_from"], values["valid_until"]
    clash = db.session.scalar(
        sa.select(BodyName).where(
            BodyName.incubator_id == values["incubator_id"],
            BodyName.kind == values["kind"], BodyName.id != (name.id if name is not None else -1),
            sa.or_(BodyName.valid_until.is_(None), BodyName.valid_until >= start),
            *([BodyName.valid_from <= end] if end is not None else []))
        .order_by(BodyName.valid_from).limit(1))
    if clash is None:
        return
    from incubator.i18n import fmt_date

    if clash.valid_until is None:
        raise DomainError(_l("“%(other)s” is in force from %(start)s with no last day: give it its last day "
                             "first (the day before this name applies).", other=clash.name_vi,
                             start=fmt_date(clash.valid_from)), field="valid_from")
    raise DomainError(_l("“%(other)s” is in force from %(start)s to %(end)s: the dates of two names of this kind "
                         "cannot overlap.", other=clash.name_vi, start=fmt_date(clash.valid_from),
                         end=fmt_date(clash.valid_until)), field="valid_from")


def save_name(name: BodyName | None, *, actor, version=None, **fields) -> BodyName:
    """Add a dated name (``name`` None) or correct one. Both languages are given; the dates are a programme's
    (bounds.PROGRAMME), the last not before the first. Audited with what changed."""
    kind = fields.get("kind")
    try:
        kind = NameKind(kind)
    except ValueError:
        raise DomainError(_l("Choose what the name is for."), field="kind") from None
    values = {"kind": kind, "position": int(fields.get("position") or 0),
              "valid_from": fields.get("valid_from"), "valid_until": fields.get("valid_until")}
    for key in ("name_vi", "name_en"):
        values[key] = " ".join((fields.get(key) or "").split())
        if not values[key]:
            raise DomainError(_l("Give the name in both languages."), field=key)
    if values["valid_from"] is None:
        raise DomainError(_l("Give the day from which the name applies."), field="valid_from")
    bounds.PROGRAMME.check(values["valid_from"], "valid_from")
    bounds.PROGRAMME.check(values["valid_until"], "valid_until")
    if values["valid_until"] is not None and values["valid_until"] < values["valid_from"]:
        raise DomainError(_l("The last day comes after the first."), field="valid_until")
    if not 0 <= values["position"] <= 99:
        raise DomainError(_l("The order is a number from 0 to 99."), field="position")
    from incubator.organisation.current import current_incubator_id

    _check_one_in_force(name, {**values, "incubator_id": name.incubator_id if name is not None
                               else current_incubator_id()})
    if name is None:
        name = BodyName(**values)
        db.session.add(name)
        db.session.flush()
        audit.record("report_name.create", name, label=values["name_vi"], to_state=kind.value, actor=actor)
        return name
    expect_version(name, version)
    changed = {k: [str(getattr(name, k)), str(v)] for k, v in values.items() if getattr(name, k) != v}
    for key, value in values.items():
        setattr(name, key, value)
    db.session.flush()
    audit.record("report_name.update", name, label=name.name_vi, actor=actor, details={"changed": changed})
    return name
