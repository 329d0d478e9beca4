"""A world for the yearly survey: staff of the incubator, businesses with residencies before, during and after
the year surveyed, and a founder holding one of them."""

from __future__ import annotations

from datetime import date

import pytest

from incubator.auth.enums import Role
from incubator.companies.enums import ResidencyKind

YEAR = 2026


@pytest.fixture
def world(make, db):
    staff = make.user(Role.STAFF, full_name="Trần Thị Bình")
    founder = make.user(Role.FOUNDER, full_name="Nguyễn Văn An", email="an@songhong.example")
    inside = make.company(name="Công ty Cổ phần Phần mềm Sông Hồng")
    make.member(company=inside, user=founder)
    make.residency(inside, starts_on=date(2025, 3, 1))  # running through the year
    # Residencies touching the year on its first and last day (both dates inclusive), changing kind within it.
    first_day = make.company(name="Công ty TNHH Ngày Đầu Năm")
    make.residency(first_day, starts_on=date(2024, 5, 1), ends_on=date(YEAR, 1, 1))
    last_day = make.company(name="Công ty TNHH Ngày Cuối Năm")
    make.residency(last_day, starts_on=date(YEAR, 12, 31), kind=ResidencyKind.SERVICE_TENANT)
    changed = make.company(name="Công ty TNHH Đổi Loại")
    make.residency(changed, starts_on=date(2024, 1, 1), ends_on=date(YEAR, 6, 30))
    make.residency(changed, starts_on=date(YEAR, 7, 1), kind=ResidencyKind.ALUMNUS)
    # Not during the year: ended the day before it began, or starting the day after it ended.
    before = make.company(name="Công ty TNHH Đã Rời Đi")
    make.residency(before, starts_on=date(2023, 1, 1), ends_on=date(YEAR - 1, 12, 31))
    after = make.company(name="Công ty TNHH Mới Vào")
    make.residency(after, starts_on=date(YEAR + 1, 1, 1))
    return {"staff": staff, "founder": founder, "inside": inside, "first_day": first_day, "last_day": last_day,
            "changed": changed, "before": before, "after": after}


def new_survey(staff, year=YEAR, opens_on=date(YEAR, 12, 1), deadline=date(YEAR + 1, 1, 31)):
    from incubator.surveys import services

    return services.create_survey(actor=staff, year=year, title_vi=f"Khảo sát doanh nghiệp năm {year}",
                                  title_en=f"Survey of businesses, {year}", opens_on=opens_on, deadline=deadline)


def answers_for(survey, **by_key) -> dict:
    """Answers keyed by question id, given by the default questions' keys."""
    ids = {q.key: str(q.id) for q in survey.questions if q.key}
    return {ids[key]: value for key, value in by_key.items()}
