"""Read side of cohorts: the cohort page, late reports, a startup's file and trends; fixed query counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from incubator.cohorts.enums import IN_INCUBATION, ProductStatus, ReportStatus
from incubator.cohorts.models import Cohort, CohortMember, ProgressReport, ServiceDelivery, ServiceRecipient
from incubator.cohorts.periods import Period, member_periods
from incubator.extensions import db


def cohorts_with_counts():
    counts = dict(db.session.execute(sa.select(CohortMember.cohort_id, sa.func.count(CohortMember.id))
                                     .group_by(CohortMember.cohort_id)).all())
    cohorts = db.session.scalars(sa.select(Cohort).options(joinedload(Cohort.owner), joinedload(Cohort.round))
                                 .order_by(Cohort.starts_on.desc(), Cohort.id.desc())).all()
    return [(c, counts.get(c.id, 0)) for c in cohorts]


def current_reports(member_ids: list[int]) -> dict[int, dict[date, ProgressReport]]:
    """The submitted report of each member and period: its latest version (corrections replace)."""
    result: dict[int, dict[date, ProgressReport]] = {}
    if not member_ids:
        return result
    rows = db.session.scalars(sa.select(ProgressReport).where(
        ProgressReport.member_id.in_(member_ids), ProgressReport.status == ReportStatus.SUBMITTED)
        .order_by(ProgressReport.member_id, ProgressReport.period_start, ProgressReport.version)).all()
    for report in rows:
        result.setdefault(report.member_id, {})[report.period_start] = report  # later versions win
    return result


@dataclass
class MemberRow:
    member: CohortMember
    periods: list[Period]
    reports: dict[date, ProgressReport]
    services: int
    today: date
    late: list[Period] = field(default_factory=list)

    def __post_init__(self):
        if self.member.status in IN_INCUBATION:
            self.late = [p for p in self.periods if p.due_on < self.today and p.start not in self.reports]

    @cached_property
    def latest(self) -> ProgressReport | None:
        return self.reports[max(self.reports)] if self.reports else None

    @property
    def next_due(self) -> Period | None:
        return next((p for p in self.periods if p.due_on >= self.today and p.start not in self.reports), None)

    @cached_property
    def missing(self) -> list[str]:
        """What stands between the member and a graduation that counts."""
        from flask_babel import gettext as _

        if self.member.status not in IN_INCUBATION:
            return []
        missing = []
        if self.late:
            missing.append(_("%(count)s reports late", count=len(self.late)))
        latest = self.latest
        if latest is None or latest.product_status not in (ProductStatus.ON_MARKET, ProductStatus.SCALING):
            missing.append(_("product not yet on the market"))
        if latest is None or not latest.paying_customers:
            missing.append(_("no paying customer reported"))
        return missing


def _services_by_company(company_ids: list[int]) -> dict[int, int]:
    if not company_ids:
        return {}
    return dict(db.session.execute(sa.select(ServiceRecipient.company_id, sa.func.count(ServiceRecipient.id))
                                   .where(ServiceRecipient.company_id.in_(company_ids))
                                   .group_by(ServiceRecipient.company_id)).all())


def cohort_rows(cohort: Cohort, today: date) -> list[MemberRow]:
    """The cohort page: four queries whatever the number of members and reports."""
    from incubator.text import vietnamese_sort_key

    members = db.session.scalars(sa.select(CohortMember).where(CohortMember.cohort_id == cohort.id)
                                 .options(joinedload(CohortMember.company), joinedload(CohortMember.residency),
                                          joinedload(CohortMember.outcome), joinedload(CohortMember.cohort))).all()
    reports = current_reports([m.id for m in members])
    services = _services_by_company([m.company_id for m in members])
    rows = [MemberRow(m, member_periods(m), reports.get(m.id, {}), services.get(m.company_id, 0), today)
            for m in members]
    return sorted(rows, key=lambda r: vietnamese_sort_key(r.member.company.name))


# A cohort is usually 8 to 20 startups: a page of 25 shows one whole, and keeps a larger one's page light.
COHORT_PAGE_SIZE = 25


def cohort_rows_page(cohort: Cohort, today: date, page: int, per_page: int = COHORT_PAGE_SIZE):
    """One page of the cohort page's members, in Vietnamese order of the company's name (by the register's
    sort key, in SQL): (the pager, its rows). One query whatever the number of members and reports: each
    member with its company and outcome, its latest report in force (an object), the periods it reported (as
    one string of days) and the number of services its company received, and the list's total."""
    from incubator.companies.models import Company
    from incubator.web import page_with_total

    submitted = sa.and_(ProgressReport.member_id == CohortMember.id, ProgressReport.status == ReportStatus.SUBMITTED)
    latest_id = (sa.select(ProgressReport.id).where(submitted)
                 .order_by(ProgressReport.period_start.desc(), ProgressReport.version.desc()).limit(1)
                 .correlate(CohortMember).scalar_subquery())
    periods = (sa.select(sa.func.aggregate_strings(sa.cast(ProgressReport.period_start, sa.String), ","))
               .where(submitted).correlate(CohortMember).scalar_subquery())
    services = (sa.select(sa.func.count(ServiceRecipient.id))
                .where(ServiceRecipient.company_id == CohortMember.company_id)
                .correlate(CohortMember).scalar_subquery())
    latest = aliased(ProgressReport, name="latest_report")
    stmt = (sa.select(CohortMember, latest, periods, services).join(Company, Company.id == CohortMember.company_id)
            .outerjoin(latest, latest.id == latest_id)
            .where(CohortMember.cohort_id == cohort.id)
            .options(contains_eager(CohortMember.company), joinedload(CohortMember.outcome))
            .order_by(Company.name_sort, CohortMember.id))
    pager = page_with_total(stmt, page, per_page)
    rows = []
    for member, report, days, services_received in pager.items:
        set_committed_value(member, "cohort", cohort)  # the page's own cohort, not read again with every member
        reports: dict[date, ProgressReport | None] = dict.fromkeys(
            (date.fromisoformat(day[:10]) for day in days.split(",")) if days else ())
        if report is not None:
            reports[report.period_start] = report
        rows.append(MemberRow(member, member_periods(member), reports, services_received or 0, today))
    pager.items = [row.member for row in rows]
    return pager, rows


def late_reports(today: date) -> list[MemberRow]:
    """Every member in incubation with a report past its due date, across cohorts."""
    members = db.session.scalars(sa.select(CohortMember).join(Cohort)
                                 .where(CohortMember.status.in_(IN_INCUBATION), Cohort.starts_on <= today)
                                 .options(joinedload(CohortMember.company), joinedload(CohortMember.cohort))).all()
    reports = current_reports([m.id for m in members])
    rows = [MemberRow(m, member_periods(m), reports.get(m.id, {}), 0, today) for m in members]
    return sorted((r for r in rows if r.late), key=lambda r: (r.late[0].due_on, r.member.company.name))


def memberships_of(company_id: int) -> list[CohortMember]:
    return list(db.session.scalars(sa.select(CohortMember).where(CohortMember.company_id == company_id)
                                   .options(joinedload(CohortMember.cohort), joinedload(CohortMember.outcome),
                                            joinedload(CohortMember.residency))
                                   .order_by(CohortMember.joined_on.desc(), CohortMember.id.desc())))


def all_versions(member_ids: list[int]) -> list[ProgressReport]:
    if not member_ids:
        return []
    return list(db.session.scalars(sa.select(ProgressReport).where(ProgressReport.member_id.in_(member_ids))
                                   .options(joinedload(ProgressReport.created_by))
                                   .order_by(ProgressReport.period_start.desc(), ProgressReport.version.desc())))


def services_of(company_id: int) -> list[ServiceDelivery]:
    return services_for([company_id]).get(company_id, [])


def services_for(company_ids: list[int]) -> dict[int, list[ServiceDelivery]]:
    """The services each company received, newest first: two queries for any number of companies."""
    if not company_ids:
        return {}
    services = db.session.scalars(sa.select(ServiceDelivery).join(ServiceRecipient)
                                  .where(ServiceRecipient.company_id.in_(company_ids))
                                  .options(joinedload(ServiceDelivery.provider),
                                           selectinload(ServiceDelivery.recipients))
                                  .order_by(ServiceDelivery.delivered_on.desc(), ServiceDelivery.id.desc())).unique()
    result: dict[int, list[ServiceDelivery]] = {}
    wanted = set(company_ids)
    for service in services:
        for recipient in service.recipients:
            if recipient.company_id in wanted:
                result.setdefault(recipient.company_id, []).append(service)
    return result


def graduate_exclusions(outcomes, today: date) -> dict:
    """For each graduation outcome, why the 10-graduate target does not count it (empty: it counts), as the
    targets themselves decide. One query, for the target's definition."""
    from incubator.targets.enums import TargetKind
    from incubator.targets.queries import first_of_kind
    from incubator.targets.queries import graduate_exclusions as reasons

    graduated = [o for o in outcomes if o.is_graduated]
    if not graduated:
        return {}
    from incubator.targets.queries import incubator_in_view

    target = first_of_kind(TargetKind.GRADUATE_COUNT, incubator_in_view())
    if target is None:
        return {}
    return {o.id: reasons(target, o, max(o.decided_on, today)) for o in graduated}


def trends(member_ids: list[int]) -> list[ProgressReport]:
    """The current version of every submitted report of the company, oldest first."""
    reports = current_reports(member_ids)
    flat = [r for by_period in reports.values() for r in by_period.values()]
    return sorted(flat, key=lambda r: r.period_start)
