"""Periodic reports: one function creates, one edits the narrative, one finalises, one issues a new version."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from incubator import bounds
from incubator.audit import services as audit
from incubator.db import utcnow
from incubator.errors import DomainError, expect_version
from incubator.extensions import db
from incubator.reports.models import PeriodicReport
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


def finalise(report: PeriodicReport, *, actor, version=None) -> PeriodicReport:
    """Freeze the figures and keep both PDFs: later changes to the data do not change this report."""
    from incubator.reports.figures import compute
    from incubator.reports.render import render_pdf

    if report.is_final:
        raise DomainError(_l("This report is already finalised."))
    expect_version(report, version)
    if not report.number:
        raise DomainError(_l("Give the report its number before finalising it."), field="number")
    if report.issued_on is None:
        report.issued_on = utcnow().date()
    figures = compute(report.period_start, report.period_end)
    report.snapshot = figures
    report.pdf_vi = render_pdf(report, figures, "vi")
    report.pdf_en = render_pdf(report, figures, "en")
    report.status = "final"
    report.finalised_at = utcnow()
    db.session.flush()
    audit.record("report.finalise", report, label=report.number, to_state="final", actor=actor)
    _tell_officials(report)
    return report


def _tell_officials(report: PeriodicReport) -> None:
    """The Department's officials are told once that the report is finalised, in their language, with the link
    to its page (where they read it and download its PDF: the PDF is not attached)."""
    from flask_babel import gettext as _

    from incubator.auth.enums import Role
    from incubator.auth.queries import active_with_role
    from incubator.mail import services as mail
    from incubator.urls import external_url

    link = external_url("reports.report", report_id=report.id)
    for official in active_with_role(Role.OFFICIAL):
        mail.send_to(official, "report_finalised",
                     lambda: _("Report %(number)s of the incubator is finalised", number=report.number),
                     event=f"report.final:{report.id}", report=report, link=link)


def new_version(report: PeriodicReport, *, actor) -> PeriodicReport:
    if not report.is_final:
        raise DomainError(_l("Only a finalised report gets a new version; edit the draft instead."))
    copy = PeriodicReport(period_label=report.period_label, period_start=report.period_start,
                          period_end=report.period_end, version=report.version + 1, supersedes_id=report.id,
                          created_by_id=actor.id, **{k: getattr(report, k) for k in TEXT_FIELDS})
    db.session.add(copy)
    db.session.flush()
    audit.record("report.version", copy, label=report.number, actor=actor, details={"supersedes": report.id})
    return copy
