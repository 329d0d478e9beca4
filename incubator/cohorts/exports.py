"""The rows of the cohort lists for their exports (incubator.exports writes the files): the same queries as
the pages, so the files hold what the pages show."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from incubator.cohorts.queries import MemberRow
from incubator.exports import Month


def cohorts(items) -> tuple[list, list]:
    header = [_("Cohort"), _("Intake round"), _("From"), _("To"), _("Reports"), _("In charge"), _("Members"),
              _("Mentoring hours per startup")]
    body = [[c.name, c.round.name if c.round else "", c.starts_on, c.ends_on, str(c.rhythm.label),
             c.owner.full_name if c.owner else "", n, c.mentoring_allowance_hours] for c, n in items]
    return header, body


def members(rows: list[MemberRow], exclusions: dict) -> tuple[list, list]:
    header = [_("Startup"), _("Tax code"), _("Joined on"), _("Left on"), _("Status"), _("Extended until"),
              _("Latest report"),
              _("Revenue (VND)"), _("Paying customers"), _("Employees"), _("Product"), _("Reports late"),
              _("Services"), _("Before graduation"), _("Does not count towards the 10")]
    body = []
    for r in rows:
        m, latest = r.member, r.latest
        excluded = exclusions.get(m.outcome.id) if m.outcome is not None else None
        body.append([m.company.name, m.company.tax_code, m.joined_on, m.left_on, str(m.status.label),
                     m.extended_to, Month.of(latest.period_start) if latest else None,
                     latest.revenue if latest else None, latest.paying_customers if latest else None,
                     latest.employees if latest else None,
                     str(latest.product_status.label) if latest and latest.product_status else "",
                     len(r.late), r.services, "; ".join(r.missing), "; ".join(excluded or [])])
    return header, body


def reports(rows: list[MemberRow], today: date) -> tuple[list, list]:
    """One line per startup and period begun: the report in force (its latest version), or why there is none."""
    header = [_("Startup"), _("Tax code"), _("Period"), _("Due on"), _("State"), _("Version"), _("Submitted at"),
              _("Revenue (VND)"), _("Paying customers"), _("Employees"), _("Funding raised (VND)"),
              _("Source of funding"), _("Product"), _("Highlights"), _("Problems"), _("Help needed")]
    body = []
    for r in rows:
        company = r.member.company
        for period in r.periods:
            if period.start > today:
                continue
            report = r.reports.get(period.start)
            label = Month.of(period.start)
            if report is None:
                state = _("Late") if period in r.late else _("Not yet due") if period.due_on >= today \
                    else _("Not required")
                body.append([company.name, company.tax_code, label, period.due_on, state] + [None] * 11)
                continue
            body.append([company.name, company.tax_code, label, period.due_on, _("Submitted"), report.version,
                         report.submitted_at, report.revenue, report.paying_customers, report.employees,
                         report.funding_raised, report.funding_source or "",
                         str(report.product_status.label) if report.product_status else "",
                         report.highlights or "", report.problems or "", report.help_needed or ""])
    return header, body


def late(rows: list[MemberRow]) -> tuple[list, list]:
    header = [_("Startup"), _("Tax code"), _("Cohort"), _("Period"), _("Due on")]
    body = [[r.member.company.name, r.member.company.tax_code, r.member.cohort.name, Month.of(p.start),
             p.due_on] for r in rows for p in r.late]
    return header, body


def services(items) -> tuple[list, list]:
    header = [_("Date"), _("Service"), _("Kind"), _("Provided by"), _("Hours"), _("Startups"), _("Attended"),
              _("Note")]
    body = []
    for s in items:
        names = sorted(rec.company.name for rec in s.recipients)
        attended = sorted(rec.company.name for rec in s.recipients if rec.attended)
        body.append([s.delivered_on, s.title, str(s.kind.label), s.provider.name if s.provider else _("The incubator"),
                     s.hours, "; ".join(names), "; ".join(attended), s.note or ""])
    return header, body
