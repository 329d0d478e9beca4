"""A startup's way through a cohort, driven through the services, moves the two targets as domain.md says."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.cohorts import services
from incubator.cohorts.enums import MemberStatus, ReportStatus
from incubator.cohorts.periods import member_periods
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Residency
from incubator.errors import DomainError
from incubator.targets import queries as targets
from incubator.targets.enums import TargetKind


@pytest.fixture
def city_targets(make):
    ratio = make.target(code="IT70", kind=TargetKind.INCUBATED_IT_RATIO, threshold=Decimal("70"))
    grads = make.target(code="GRAD10", kind=TargetKind.GRADUATE_COUNT, threshold=Decimal("10"),
                        window_start=date(2024, 1, 1), window_end=date(2025, 12, 31))
    return ratio, grads


def _ratio(target, day):
    figure = targets.ratio(target, day)
    return figure.numerator, figure.denominator


def test_admit_report_graduate_with_evidence_stay_on_moves_the_targets(make, db, city_targets):
    ratio, grads = city_targets
    staff = make.user(Role.STAFF)
    founder = make.user()
    # A partner's IT office has been in the building since 2024: 0 of 1 IT businesses are incubated.
    make.residency(company=make.company(name="Văn phòng Đối tác MISA"), kind=ResidencyKind.PARTNER_OFFICE,
                   starts_on=date(2024, 1, 1))
    startup = make.company(name="Công ty TNHH Dữ liệu Đô thị Thăng Long", is_it=True)
    make.member(company=startup, user=founder)
    cohort = services.create_cohort(actor=staff, name="Khóa ươm tạo 2025", starts_on=date(2025, 1, 1),
                                    ends_on=date(2025, 6, 30), owner_id=staff.id)
    assert _ratio(ratio, date(2025, 3, 1)) == (0, 1)

    # Admitted: an incubated residency from the cohort's first day.
    member = services.admit(cohort, startup, actor=staff)
    db.session.commit()
    assert _ratio(ratio, date(2024, 12, 31)) == (0, 1)
    assert _ratio(ratio, date(2025, 1, 1)) == (1, 2)
    assert _ratio(ratio, date(2025, 3, 1)) == (1, 2)

    # A progress report changes neither target.
    period = member_periods(member)[0]
    report = services.draft_for(member, period, actor=founder)
    services.save_report(report, actor=founder, submit=True, now=datetime(2025, 2, 5, tzinfo=UTC),
                         revenue=Decimal("150000000"), paying_customers=3, employees=6)
    db.session.commit()
    assert report.status is ReportStatus.SUBMITTED
    assert _ratio(ratio, date(2025, 3, 1)) == (1, 2)
    assert targets.graduates(grads, date(2025, 12, 31)).count == 0

    # Graduates on 30/06/2025 with a contract and a pillar, and stays in the building as an alumnus.
    services.leave(member, MemberStatus.GRADUATED, on=date(2025, 6, 30), actor=staff, stays_on=True,
                   product="Bản đồ ngập úng đô thị", evidence_text="Hợp đồng với UBND phường Dịch Vọng",
                   pillars=["government"])
    db.session.commit()
    assert _ratio(ratio, date(2025, 6, 30)) == (1, 2)  # the last day of incubation still counts
    assert _ratio(ratio, date(2025, 7, 1)) == (0, 2)  # an alumnus is an IT business, not an incubated one
    kinds = {r.kind for r in db.session.scalars(sa.select(Residency).where(Residency.company_id == startup.id))}
    assert kinds == {ResidencyKind.INCUBATED, ResidencyKind.ALUMNUS}
    assert targets.graduates(grads, date(2025, 6, 29)).count == 0
    assert targets.graduates(grads, date(2025, 6, 30)).count == 1
    assert member.status is MemberStatus.GRADUATED and member.outcome.cohort_name == "Khóa ươm tạo 2025"


def test_a_graduate_without_evidence_is_recorded_but_does_not_count(make, db, city_targets):
    _ratio_target, grads = city_targets
    staff = make.user(Role.STAFF)
    cohort = services.create_cohort(actor=staff, name="Khóa 2025", starts_on=date(2025, 1, 1),
                                    ends_on=date(2025, 6, 30))
    member = services.admit(cohort, make.company(), actor=staff)
    services.leave(member, MemberStatus.GRADUATED, on=date(2025, 6, 30), actor=staff)
    db.session.commit()
    assert member.status is MemberStatus.GRADUATED
    assert targets.graduates(grads, date(2025, 12, 31)).count == 0
    reasons = [str(r) for r in targets.graduate_exclusions(grads, member.outcome, date(2025, 12, 31))]
    assert len(reasons) == 2  # no evidence, no pillar


def test_withdrawal_ends_the_residency_and_an_extension_keeps_it(make, db, city_targets):
    ratio, _ = city_targets
    staff = make.user(Role.STAFF)
    cohort = services.create_cohort(actor=staff, name="Khóa 2025", starts_on=date(2025, 1, 1),
                                    ends_on=date(2025, 6, 30))
    leaving, extended = (services.admit(cohort, make.company(), actor=staff) for _ in range(2))
    services.leave(leaving, MemberStatus.WITHDRAWN, on=date(2025, 3, 31), actor=staff)
    services.leave(extended, MemberStatus.EXTENDED, on=date(2025, 6, 30), actor=staff,
                   extended_to=date(2025, 12, 31))
    db.session.commit()
    assert _ratio(ratio, date(2025, 4, 1)) == (1, 1)
    assert _ratio(ratio, date(2025, 9, 1)) == (1, 1)  # the extended startup is still incubated
    with pytest.raises(DomainError):
        services.leave(leaving, MemberStatus.GRADUATED, on=date(2025, 6, 30), actor=staff)


def test_admitting_twice_changes_nothing_and_a_running_residency_is_reused(make, db):
    staff = make.user(Role.STAFF)
    company = make.company()
    running = make.residency(company=company, starts_on=date(2024, 6, 1))
    cohort = services.create_cohort(actor=staff, name="Khóa 2025", starts_on=date(2025, 1, 1),
                                    ends_on=date(2025, 6, 30))
    first = services.admit(cohort, company, actor=staff)
    assert services.admit(cohort, company, actor=staff) is first
    assert first.residency_id == running.id
