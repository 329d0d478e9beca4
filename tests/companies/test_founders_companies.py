"""Founders enter their company by tax code; joining a company other founders hold waits for staff."""

import pytest

from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.companies.enums import MembershipStatus
from incubator.companies.models import Company, CompanyMember
from incubator.mail.models import OutboxMessage
from tests.helpers import post_form

URL = "/my/companies/new"


@pytest.fixture
def founder(login_as):
    return login_as(Role.FOUNDER, full_name="Trịnh Văn Sáng")


def _claim(client, tax_code, name="Công ty TNHH Khởi Nghiệp Xanh", **extra):
    return post_form(client, URL, {"tax_code": tax_code, "name": name, "is_it": "y", **extra}, token_from=URL)


def test_a_founder_enters_a_new_company_and_holds_its_file(founder, db):
    client, user = founder
    assert _claim(client, "0100109106", position="Giám đốc").status_code == 302
    membership = db.session.query(CompanyMember).one()
    assert membership.status is MembershipStatus.APPROVED and membership.user_id == user.id
    assert membership.company.name == "Công ty TNHH Khởi Nghiệp Xanh"
    html = client.get("/home/founder").get_data(as_text=True)
    assert "Công ty TNHH Khởi Nghiệp Xanh" in html and "0100109106" in html


def test_a_bad_tax_code_is_refused_with_the_reason_and_nothing_is_written(founder, db):
    client, _ = founder
    response = _claim(client, "0100109107")
    assert response.status_code == 400 and "chữ số kiểm tra" in response.get_data(as_text=True)
    assert db.session.query(Company).count() == 0


def test_a_company_nobody_holds_is_joined_at_once_without_changing_its_details(founder, make, db):
    client, _ = founder
    company = make.company(name="Tên Trong Sổ Đăng Ký")
    assert _claim(client, company.tax_code, name="Tên Khác").status_code == 302
    db.session.refresh(company)
    assert company.name == "Tên Trong Sổ Đăng Ký"
    assert db.session.query(CompanyMember).one().status is MembershipStatus.APPROVED


def test_joining_a_company_others_hold_waits_for_staff_and_tells_them(founder, make, db):
    client, _ = founder
    holder = make.user(Role.FOUNDER, full_name="Người Đang Giữ")
    company = make.company()
    make.member(company=company, user=holder)
    assert _claim(client, company.tax_code).status_code == 302
    request = db.session.query(CompanyMember).filter_by(status=MembershipStatus.PENDING).one()
    assert request.company_id == company.id
    mail = db.session.query(OutboxMessage).filter_by(to_address=holder.email).one()
    assert "Trịnh Văn Sáng" in mail.body_text
    assert _claim(client, company.tax_code).status_code == 400  # asked once is enough


def test_staff_approve_or_refuse_with_a_reason_and_the_founder_is_told(founder, make, login_as, db):
    client, user = founder
    company = make.company()
    make.member(company=company, user=make.user(Role.FOUNDER))
    _claim(client, company.tax_code)
    request = db.session.query(CompanyMember).filter_by(user_id=user.id).one()
    staff, _ = login_as(Role.STAFF)
    assert "Trịnh Văn Sáng" in staff.get("/home/staff").get_data(as_text=True)
    url = f"/register/memberships/{request.id}/refuse"
    post_form(staff, url, {"reason": ""})
    db.session.refresh(request)
    assert request.status is MembershipStatus.PENDING  # a refusal needs its reason
    assert post_form(staff, url, {"reason": "Không phải người của doanh nghiệp"}).status_code == 302
    db.session.refresh(request)
    assert request.status is MembershipStatus.REJECTED
    entry = db.session.query(AuditEntry).filter_by(action="membership.decide").one()
    assert (entry.from_state, entry.to_state, entry.reason) == ("pending", "rejected",
                                                               "Không phải người của doanh nghiệp")
    assert db.session.query(OutboxMessage).filter_by(to_address=user.email).count() == 1
    post_form(staff, f"/register/memberships/{request.id}/approve")
    db.session.refresh(request)
    assert request.status is MembershipStatus.REJECTED  # decided once


def test_only_founders_enter_companies_and_only_staff_decide(login_as, make):
    reviewer, _ = login_as(Role.REVIEWER)
    assert reviewer.get(URL).status_code == 403
    founder, _ = login_as(Role.FOUNDER)
    request = make.member(status=MembershipStatus.PENDING)
    assert post_form(founder, f"/register/memberships/{request.id}/approve").status_code == 403
