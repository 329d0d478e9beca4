"""A startup's file, for staff, its founders and its mentors (who do not see the applications and decisions)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from incubator.auth.permissions import is_staff
from incubator.charts import line_chart
from incubator.cohorts import queries as cohorts
from incubator.cohorts.periods import member_periods
from incubator.cohorts.permissions import can_report
from incubator.funding.services import funding_raised
from incubator.i18n import local_today
from incubator.mentoring.queries import hours as mentoring_hours
from incubator.mentoring.queries import sessions_of
from incubator.reviews.queries import decisions_for_applications
from incubator.startups import queries
from incubator.startups.permissions import can_view_startup, sees_whole_file

bp = Blueprint("startups", __name__, url_prefix="/startups")


@bp.route("/<int:company_id>")
@login_required
def file(company_id):
    company = queries.company(company_id)
    if company is None or not can_view_startup(current_user, company):
        abort(404)
    today = local_today()
    memberships = cohorts.memberships_of(company.id)
    member_ids = [m.id for m in memberships]
    reports = cohorts.trends(member_ids)
    founders = queries.founders(company.id)
    applications = queries.applications(company.id)
    found = decisions_for_applications([a.id for a in applications])
    decisions = {a.id: found.get(a.id, []) for a in applications}
    labels = [r.period_start.strftime("%m/%Y") for r in reports]

    def series(attr):
        return [(label, float(getattr(r, attr)) if getattr(r, attr) is not None else None)
                for label, r in zip(labels, reports, strict=True)]

    empty = _("No report yet")
    charts = [line_chart(series("revenue"), title=_("Revenue (VND)"), empty_label=empty),
              line_chart(series("paying_customers"), title=_("Paying customers"), empty_label=empty),
              line_chart(series("employees"), title=_("Employees"), empty_label=empty)]
    versions = cohorts.all_versions(member_ids)
    trail = queries.timeline(company, member_ids, applications, versions) if is_staff(current_user) else []
    current = cohorts.current_reports(member_ids)
    rows = {m.id: cohorts.MemberRow(m, member_periods(m), current.get(m.id, {}), 0, today)
            for m in memberships}
    whole = sees_whole_file(current_user, company)
    from incubator.surveys.results import answers_of_company

    surveys = answers_of_company(company.id) if whole else []  # its answers: staff and its founders
    exclusions = cohorts.graduate_exclusions([m.outcome for m in memberships if m.outcome is not None], today)
    return render_template("startups/file.html", company=company, memberships=memberships, rows=rows,
                           # The sessions the visitor may open: all for staff and the founders; for a mentor,
                           # their own with the startup only, not those of its other mentors, of their partner
                           # or another (mentoring.permissions.can_view_session); their hours likewise.
                           sessions=sessions_of(current_user, company_id=company.id),
                           whole=whole, exclusions=exclusions,
                           mentoring=mentoring_hours(company_id=company.id,
                                                     mentor_id=None if whole else current_user.id),
                           invested=funding_raised([company.id]).get(company.id) if whole else None,
                           founders=founders, applications=applications, decisions=decisions, charts=charts,
                           versions=versions, services=cohorts.services_of(company.id),
                           trail=trail if whole else [], surveys=surveys,
                           can_report=any(can_report(current_user, m) for m in memberships))
