"""The figures of a periodic report, as plain data: what a finalised report keeps as its snapshot."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from incubator.extensions import db


def _instant(day: date, end: bool = False) -> datetime:
    from incubator.i18n import local_tz

    local = datetime.combine(day + timedelta(days=1) if end else day, time(0), tzinfo=local_tz())
    return local.astimezone(UTC)


def compute(start: date, end: date, incubator_id: int | None = None) -> dict:
    """The figures of a period. ``incubator_id``: that incubator's (a report's), whoever asks and whatever
    incubators the request is limited to: every ORM query reads its rows only (``scoped_to``), and its own
    targets count, or the city's where it is the only incubator (its copies count the same businesses).
    Without it: what the request sees, with the targets in view (``targets.incubator_in_view``)."""
    from incubator.targets import queries as targets

    if incubator_id is None:
        return _compute(start, end, targets.incubator_in_view())
    from incubator.organisation.current import several_incubators, use_incubator
    from incubator.organisation.scoping import scoped_to

    owner = incubator_id if several_incubators() else None
    with scoped_to([incubator_id]), use_incubator(incubator_id):
        return _compute(start, end, owner)


def _compute(start: date, end: date, in_view: int | None) -> dict:
    from incubator.applications.enums import ApplicationStatus
    from incubator.applications.models import Application
    from incubator.cohorts.models import Cohort, CohortMember, ProgressReport, ServiceDelivery, ServiceRecipient
    from incubator.companies.models import Company, Residency
    from incubator.funding.enums import PipelineStage
    from incubator.funding.models import PipelineEntry
    from incubator.mentoring.queries import hours_by_partner
    from incubator.outcomes.models import GraduationOutcome
    from incubator.partners.models import Partner
    from incubator.targets import queries as targets
    from incubator.targets.enums import TargetKind

    t0, t1 = _instant(start), _instant(end, end=True)
    from incubator.applications.queries import counted_as_submitted

    received = db.session.scalar(sa.select(sa.func.count()).select_from(Application).where(
        Application.submitted_at >= t0, Application.submitted_at < t1, counted_as_submitted()))
    accepted = db.session.scalar(sa.select(sa.func.count()).select_from(Application).where(
        Application.status == ApplicationStatus.ACCEPTED, Application.decided_at >= t0, Application.decided_at < t1))
    cohorts = [{"name": name, "members": members} for name, members in db.session.execute(
        sa.select(Cohort.name, sa.func.count(CohortMember.id)).join(CohortMember, isouter=True)
        .where(Cohort.starts_on <= end, Cohort.ends_on >= start).group_by(Cohort.id, Cohort.name)
        .order_by(Cohort.starts_on, Cohort.id))]
    by_kind = defaultdict(int)
    for kind, is_it, count in db.session.execute(
            sa.select(Residency.kind, Company.is_it, sa.func.count(sa.distinct(Residency.company_id)))
            .join(Company).where(Residency.active_on_clause(end)).group_by(Residency.kind, Company.is_it)):
        by_kind[f"{kind.value}:{'it' if is_it else 'other'}"] += count
    graduates = [{"company": c, "product": p, "decided_on": d.isoformat(),
                  "pillars": [x for x, flag in (("government", g), ("economy", e), ("society", s)) if flag]}
                 for c, p, d, g, e, s in db.session.execute(
                     sa.select(Company.name, GraduationOutcome.product, GraduationOutcome.decided_on,
                               GraduationOutcome.serves_government, GraduationOutcome.serves_economy,
                               GraduationOutcome.serves_society).join(Company)
                     .where(GraduationOutcome.decision == "graduated", GraduationOutcome.decided_on.between(start, end))
                     .order_by(GraduationOutcome.decided_on, Company.name_sort))]
    mentoring = hours_by_partner(start=start, end=end)
    partner_names = dict(db.session.execute(sa.select(Partner.id, Partner.name)).all())
    services = [{"kind": kind.value, "count": count, "startups": startups} for kind, count, startups in
                db.session.execute(
                    sa.select(ServiceDelivery.kind, sa.func.count(sa.distinct(ServiceDelivery.id)),
                              sa.func.count(sa.distinct(ServiceRecipient.company_id)))
                    .join(ServiceRecipient, isouter=True).where(ServiceDelivery.delivered_on.between(start, end))
                    .group_by(ServiceDelivery.kind).order_by(ServiceDelivery.kind))]
    reported = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(ProgressReport.funding_raised), 0)).where(
        ProgressReport.status == "submitted", ProgressReport.period_start.between(start, end)))
    invested = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(PipelineEntry.amount), 0)).where(
        PipelineEntry.stage == PipelineStage.INVESTED, PipelineEntry.stage_on.between(start, end)))
    # The city's targets and figures, or an incubator's own (``in_view``): each target read once, its figure on
    # the period's last day with its quarterly series, in the series' query (remembered while nothing the
    # targets count has changed, as on the dashboard).
    chosen = targets.targets_of_kinds(in_view)
    days = targets.last_quarter_ends(end, 8)
    at_end, points = {}, {}
    for kind, target in chosen.items():
        at_end[kind], points[kind] = targets.figure_and_series(target, end, days)
    ratios, grads, shares = (points.get(kind) for kind in (
        TargetKind.INCUBATED_IT_RATIO, TargetKind.GRADUATE_COUNT, TargetKind.CERTIFIED_SHARE))
    series = []
    for i, day in enumerate(days):
        series.append({"day": day.isoformat(),
                       "percent": float(ratios[i].percent) if ratios and ratios[i].percent is not None else None,
                       "graduates": grads[i].count if grads else None,
                       "certified": float(shares[i].percent) if shares and shares[i].percent is not None else None})
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "applications": {"received": received, "accepted": accepted},
        "cohorts": cohorts,
        "residencies": dict(sorted(by_kind.items())),
        "targets": targets.figures_as_json(end, in_view, known={"targets": chosen, "figures": at_end}),
        "series": series,
        "graduates": graduates,
        # The businesses of the certified share's numerator on the period's last day, with their certificates.
        "certified": targets.certified_businesses(end, in_view, chosen),
        "mentoring": {"sessions": mentoring.sessions, "hours": round(mentoring.total, 1),
                      "by_partner": sorted(({"partner": partner_names.get(p, ""), "hours": round(h, 1)}
                                            for p, h in mentoring.by_partner.items()), key=lambda r: -r["hours"])},
        "services": services,
        "funding": {"reported": int(reported or 0), "invested": int(invested or 0)},
        "requests": request_figures(start, end),
        "survey": survey_figures(end.year),
    }


def request_figures(start: date, end: date) -> dict:
    """The businesses' requests of the period in the rows in view (issue 21): received, answered, on time,
    overdue, median days to answer, satisfaction, in total, by category and by body, in both languages."""
    from incubator.requests.queries import figures_data

    return figures_data(start, end)


def survey_figures(year: int) -> dict | None:
    """The incubator's yearly survey of the period's last year (issue 22), when it has submitted answers: the
    response rate, the totals and medians of the default number and amount questions, year against year."""
    from incubator.surveys.results import report_section

    return report_section(year)
