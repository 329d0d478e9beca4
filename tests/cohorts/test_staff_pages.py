"""Staff pages: cohorts, admission by hand, outcomes with the "does not count" warning, services delivered,
and the cohort page's fixed number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.cohorts.enums import MemberStatus, ReportStatus
from incubator.cohorts.models import Cohort, CohortMember, ProgressReport, ServiceDelivery, ServiceRecipient
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Company, Residency
from tests.helpers import count_queries, nothing_written, post_form, tax_code


def test_staff_create_a_cohort_and_admit_a_startup_by_hand(login_as, make, db):
    client, staff = login_as(Role.STAFF)
    response = post_form(client, "/cohorts/new", {"name": "Khóa ươm tạo 2026", "starts_on": "2026-03-01",
                                                  "ends_on": "2026-12-31", "owner_id": str(staff.id),
                                                  "round_id": "", "rhythm": "quarterly"})
    assert response.status_code == 302
    cohort = db.session.scalar(sa.select(Cohort))
    assert cohort.owner_id == staff.id and cohort.rhythm.value == "quarterly"
    assert post_form(client, "/cohorts/new", {"name": "Khóa ươm tạo 2026", "starts_on": "2026-03-01",
                                              "ends_on": "2026-01-01", "rhythm": "monthly"}).status_code == 400
    company = make.company()
    spaced = f"{company.tax_code[:4]} {company.tax_code[4:7]}.{company.tax_code[7:]}"  # as people type it
    assert post_form(client, f"/cohorts/{cohort.id}", {"tax_code": spaced}).status_code == 302
    residency = db.session.scalar(sa.select(Residency).where(Residency.company_id == company.id))
    assert residency.kind is ResidencyKind.INCUBATED and residency.starts_on == date(2026, 3, 1)
    assert company.name in client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)


def test_admission_by_hand_names_the_startup_by_its_tax_code_and_refuses_unknown_or_non_it_ones(login_as, make,
                                                                                                   db):
    client, _ = login_as(Role.STAFF)
    cohort = make.cohort()
    non_it = make.company(is_it=False)
    for typed, reason in (("", "Vui lòng nhập mã số thuế"), (tax_code(424242), "Không có doanh nghiệp nào phù hợp"),
                          (non_it.tax_code, "không phải là doanh nghiệp CNTT trong sổ đăng ký")):
        response = post_form(client, f"/cohorts/{cohort.id}", {"tax_code": typed})
        assert response.status_code == 400
        assert reason.lower() in response.get_data(as_text=True).lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CohortMember)) == 0


def test_graduating_without_evidence_is_saved_and_shown_as_not_counting(login_as, make, db):
    from incubator.targets.enums import TargetKind

    make.target(code="GRAD10", kind=TargetKind.GRADUATE_COUNT, threshold=10, window_start=date(2024, 1, 1),
                window_end=date(2025, 12, 31))
    client, _ = login_as(Role.STAFF)
    member = make.cohort_member(make.cohort(starts_on=date(2025, 1, 1), ends_on=date(2025, 6, 30)))
    form_page = client.get(f"/cohorts/members/{member.id}/leave").get_data(as_text=True)
    assert 'id="will-not-count"' in form_page  # said before saving
    response = post_form(client, f"/cohorts/members/{member.id}/leave", {
        "status": "graduated", "on": "2025-06-30", "version": str(member.version_id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert member.status is MemberStatus.GRADUATED
    page = client.get(f"/startups/{member.company_id}").get_data(as_text=True)
    assert "không được tính vào chỉ tiêu 10" in page  # and after, with the reasons
    assert "Chưa ghi nhận bằng chứng thị trường" in page or "No market evidence" in page
    cohort_page = client.get(f"/cohorts/{member.cohort_id}").get_data(as_text=True)
    assert "badge text-bg-warning" in cohort_page


def test_staff_record_a_course_with_attendance(login_as, make, db):
    client, _ = login_as(Role.STAFF)
    partner = make.partner(name="Hiệp hội Phần mềm và Dịch vụ CNTT Việt Nam")
    members = [make.cohort_member() for _ in range(3)]
    form = {"kind": "training", "title": "Khóa đào tạo gọi vốn", "delivered_on": "2025-04-12", "hours": "8",
            "provider_id": str(partner.id), "recipients": [str(m.company_id) for m in members],
            "attended": [str(members[0].company_id)]}
    response = post_form(client, "/services/new", form)
    assert response.status_code == 302
    # The form sent twice (a double click) records one service; another date is another service.
    assert post_form(client, "/services/new", form).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ServiceDelivery.id))) == 1
    assert post_form(client, "/services/new", {**form, "delivered_on": "2025-04-19"}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ServiceDelivery.id))) == 2
    service = db.session.scalar(sa.select(ServiceDelivery).order_by(ServiceDelivery.id))
    assert {r.company_id: r.attended for r in service.recipients} == {
        members[0].company_id: True, members[1].company_id: False, members[2].company_id: False}
    listing = client.get("/services/?kind=training&year=2025").get_data(as_text=True)
    assert "Khóa đào tạo gọi vốn" in listing
    assert "Khóa đào tạo gọi vốn" not in client.get("/services/?year=2024").get_data(as_text=True)
    assert "Khóa đào tạo gọi vốn" in client.get(f"/startups/{members[1].company_id}").get_data(as_text=True)
    assert post_form(client, "/services/new", {"kind": "training", "title": "", "delivered_on": "",
                                               "recipients": []}).status_code == 400


def _seed_members(db, cohort, start, count, founder_id):
    """``count`` members, each with a submitted monthly report for every month of the cohort (2 years)."""
    from incubator.cohorts.periods import periods

    all_periods = periods(cohort.starts_on, cohort.ends_on, cohort.rhythm)
    for i in range(start, start + count):
        company = Company(tax_code=tax_code(90000 + i), name=f"Công ty Thành Viên {i:03d}", is_it=True)
        member = CohortMember(cohort=cohort, company=company, joined_on=cohort.starts_on)
        db.session.add(member)
        for p in all_periods:
            db.session.add(ProgressReport(member=member, period_start=p.start, period_end=p.end, due_on=p.due_on,
                                          status=ReportStatus.SUBMITTED, revenue=1_000_000 * i, paying_customers=i,
                                          employees=5, created_by_id=founder_id,
                                          submitted_at=datetime(2025, 1, 1, tzinfo=UTC)))
    db.session.commit()


def test_the_cohort_page_with_40_members_and_two_years_of_reports_costs_the_queries_of_2(login_as, make, db):
    client, _ = login_as(Role.STAFF)
    cohort = make.cohort(starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31))
    founder = make.user()
    url = f"/cohorts/{cohort.id}"

    def measure():
        with count_queries() as counter:
            response = client.get(url)
            assert response.status_code == 200
        return counter.count, response.get_data(as_text=True)

    _seed_members(db, cohort, 1, 2, founder.id)
    small, page = measure()
    assert page.count("Công ty Thành Viên") == 2
    _seed_members(db, cohort, 3, 38, founder.id)
    large, page = measure()
    assert page.count("Công ty Thành Viên") == 25  # a page of 25
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgressReport)) == 40 * 24
    assert large == small


def test_a_cohort_of_60_shows_its_members_25_to_a_page_in_vietnamese_order(login_as, make, db):
    client, _ = login_as(Role.STAFF)
    cohort = make.cohort(starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31))
    _seed_members(db, cohort, 1, 60, make.user().id)
    pages = [client.get(f"/cohorts/{cohort.id}?page={n}").get_data(as_text=True) for n in (1, 2, 3)]
    assert [p.count("Công ty Thành Viên") for p in pages] == [25, 25, 10]
    assert pages[0].index("Thành Viên 001") < pages[0].index("Thành Viên 025") and "Thành Viên 026" in pages[1]
    assert "Thành Viên 051" in pages[2] and "Thành Viên 060" in pages[2]
    assert f'href="/cohorts/{cohort.id}?page=2"' in pages[0] and f'href="/cohorts/{cohort.id}?page=3"' in pages[0]


def test_a_non_it_graduate_with_evidence_is_shown_as_not_counting_like_the_target_says(login_as, make, db):
    from incubator.cohorts import services
    from incubator.targets.enums import TargetKind

    make.target(code="GRAD10", kind=TargetKind.GRADUATE_COUNT, threshold=10, window_start=date(2024, 1, 1),
                window_end=date(2025, 12, 31))
    client, staff = login_as(Role.STAFF)
    it, not_it = make.cohort_member(), make.cohort_member(company=make.company(is_it=False))
    for member in (it, not_it):
        services.leave(member, MemberStatus.GRADUATED, on=date(2025, 6, 30), actor=staff, product="Ứng dụng",
                       evidence_text="Hợp đồng với khách hàng", pillars=["economy"])
    db.session.commit()
    assert "được tính vào chỉ tiêu 10" in client.get(f"/startups/{it.company_id}").get_data(as_text=True)
    page = client.get(f"/startups/{not_it.company_id}").get_data(as_text=True)
    assert "không được tính vào chỉ tiêu 10" in page


def test_leaving_one_cohort_keeps_the_incubation_of_another_on_the_same_residency(make, db):
    from incubator.cohorts import services
    from incubator.companies.models import Residency

    staff = make.user(Role.STAFF)
    company = make.company()
    first = services.admit(make.cohort(starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31)), company, actor=staff)
    services.leave(first, MemberStatus.EXTENDED, on=date(2025, 12, 31), actor=staff,
                   extended_to=date(2026, 3, 31))
    second = services.admit(make.cohort(starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30)), company, actor=staff)
    assert second.residency_id == first.residency_id
    services.leave(first, MemberStatus.GRADUATED, on=date(2026, 1, 31), actor=staff)
    db.session.commit()
    residency = db.session.get(Residency, second.residency_id)
    assert residency.ends_on is None  # still incubated in the second cohort
    services.leave(second, MemberStatus.GRADUATED, on=date(2026, 6, 30), actor=staff)
    db.session.commit()
    assert residency.ends_on == date(2026, 6, 30)


def test_impossible_cohort_years_and_hours_are_refused(login_as, make):
    client, _ = login_as(Role.STAFF)
    with nothing_written():
        assert post_form(client, "/cohorts/new", {"name": "Khóa lỗi", "starts_on": "2025-01-01",
                                                  "ends_on": "9999-12-31", "rhythm": "monthly"}).status_code == 400
    member = make.cohort_member()
    form = {"kind": "consulting", "title": "Tư vấn", "hours": "sNaN", "delivered_on": "2025-04-12",
            "recipients": [str(member.company_id)]}
    with nothing_written():
        response = post_form(client, "/services/new", form)
        assert response.status_code == 400


def test_the_cohort_page_shows_the_latest_report_in_force_and_the_periods_late(login_as, make, db):
    """Monthly from January: January and February reported, March not, April reported then corrected; on
    20 May everything up to April is due (10 days after its end): March is late, April's correction shows."""
    client, _ = login_as(Role.STAFF)
    cohort = make.cohort(starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    member = make.cohort_member(cohort)
    founder = make.user()
    for start, version, revenue in ((date(2025, 1, 1), 1, 10), (date(2025, 2, 1), 1, 20), (date(2025, 4, 1), 1, 40),
                                    (date(2025, 4, 1), 2, 45)):
        end = date(2025, start.month + 1, 1) - timedelta(days=1)
        db.session.add(ProgressReport(member=member, period_start=start, period_end=end, due_on=end, version=version,
                                      status=ReportStatus.SUBMITTED, revenue=revenue * 1_000_000, paying_customers=3,
                                      created_by_id=founder.id, submitted_at=datetime(2025, 5, 1, tzinfo=UTC)))
    # Three services received by the startup's company, one by another company.
    other = make.cohort_member(cohort)
    for n, company_id in enumerate((member.company_id, member.company_id, member.company_id, other.company_id)):
        service = ServiceDelivery(kind="training", title=f"Lớp {n}", delivered_on=date(2025, 3, 1 + n))
        service.recipients.append(ServiceRecipient(company_id=company_id))
        db.session.add(service)
    db.session.commit()
    with mock.patch("incubator.cohorts.views.today", return_value=date(2025, 5, 20)):
        page = client.get(f"/cohorts/{cohort.id}").get_data(as_text=True)
    assert "04/2025 · 45.000.000" in page and "40.000.000" not in page and "1 kỳ chậm" in page
    row = page[page.index(member.company.name):]
    row = row[:row.index("</tr>")]
    assert '<td class="text-end">3</td>' in row
