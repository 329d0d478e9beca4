"""A business is who it says it is. A founder who registers a business new to the register holds its file at
once (the business shows as not yet verified until staff verify it); a claim of a business already on the
register, held by founders or not, waits for staff, who decide with the registration certificate attached."""

import io

import pytest

from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.companies.enums import MembershipStatus
from incubator.companies.models import Company, CompanyMember
from incubator.mail.models import OutboxMessage
from tests.helpers import blank_pdf, nothing_written, post_form

URL = "/my/companies/new"


@pytest.fixture
def founder(login_as):
    return login_as(Role.FOUNDER, full_name="Trịnh Văn Sáng")


def _claim(client, tax_code, name="Công ty TNHH Khởi Nghiệp Xanh", certificate=None, **extra):
    data = {"tax_code": tax_code, "name": name, "is_it": "y", **extra}
    if certificate is not None:
        data["certificate"] = (io.BytesIO(certificate), "giay-chung-nhan.pdf")
    return post_form(client, URL, data, token_from=URL, content_type="multipart/form-data")


def test_a_founder_registers_a_new_business_holds_its_file_at_once_and_it_is_not_yet_verified(founder, db):
    client, user = founder
    assert _claim(client, "0100109106", position="Giám đốc").status_code == 302
    membership = db.session.query(CompanyMember).one()
    assert membership.status is MembershipStatus.APPROVED and membership.user_id == user.id
    assert membership.company.name == "Công ty TNHH Khởi Nghiệp Xanh"
    assert membership.company.verified_at is None
    html = client.get("/home/founder").get_data(as_text=True)
    assert "Công ty TNHH Khởi Nghiệp Xanh" in html and "0100109106" in html


def test_a_bad_tax_code_is_refused_with_the_reason_and_nothing_is_written(founder, db):
    client, _ = founder
    response = _claim(client, "0100109107")
    assert response.status_code == 400 and "chữ số kiểm tra" in response.get_data(as_text=True)
    assert db.session.query(Company).count() == 0


def test_a_business_staff_entered_is_not_given_to_the_first_founder_who_types_its_tax_code(founder, make, db):
    client, _user = founder
    company = make.company(name="Tên Trong Sổ Đăng Ký")
    make.residency(company=company)
    application = make.application(company=company)
    # Without the registration certificate, the claim is refused with the reason and nothing is written.
    response = _claim(client, company.tax_code, name="Tên Khác")
    assert response.status_code == 400
    assert "giấy chứng nhận đăng ký doanh nghiệp" in response.get_data(as_text=True).lower()
    assert db.session.query(CompanyMember).count() == 0
    # With it, the claim waits for staff: the founder sees nothing of the business's file meanwhile.
    assert _claim(client, company.tax_code, name="Tên Khác", certificate=blank_pdf()).status_code == 302
    membership = db.session.query(CompanyMember).one()
    assert membership.status is MembershipStatus.PENDING and membership.certificate_file
    db.session.refresh(company)
    assert company.name == "Tên Trong Sổ Đăng Ký"
    assert client.get(f"/applications/{application.id}").status_code == 404
    assert client.get(f"/applications/{application.id}/edit").status_code == 404
    assert client.get(f"/startups/{company.id}").status_code == 404
    assert client.get(f"/funding/consent/{company.id}").status_code == 404
    home = client.get("/home/founder").get_data(as_text=True)
    assert "Chờ phê duyệt" in home and "Hoạt động tại Vườn ươm" not in home  # not even its residency
    assert post_form(client, f"/applications/{application.id}/withdraw",
                     token_from="/home/founder").status_code == 404


def test_joining_a_business_others_hold_waits_for_staff_and_tells_them(founder, make, db):
    client, _ = founder
    holder = make.user(Role.FOUNDER, full_name="Người Đang Giữ")
    company = make.company()
    make.member(company=company, user=holder)
    assert _claim(client, company.tax_code, certificate=blank_pdf()).status_code == 302
    request = db.session.query(CompanyMember).filter_by(status=MembershipStatus.PENDING).one()
    assert request.company_id == company.id
    mail = db.session.query(OutboxMessage).filter_by(to_address=holder.email).one()
    assert "Trịnh Văn Sáng" in mail.body_text
    assert _claim(client, company.tax_code, certificate=blank_pdf()).status_code == 400  # asked once is enough


def test_the_second_founder_of_a_business_just_registered_waits_for_staff_too(founder, login_as, db):
    client, _ = founder
    assert _claim(client, "0100109106").status_code == 302
    other, _ = login_as(Role.FOUNDER)
    assert _claim(other, "0100109106", certificate=blank_pdf()).status_code == 302
    statuses = sorted(m.status.value for m in db.session.query(CompanyMember))
    assert statuses == ["approved", "pending"]


def test_staff_see_what_they_need_to_decide_and_the_certificate(founder, make, login_as, db):
    client, user = founder
    company = make.company(name="Công ty CP Dữ Liệu Sông Hồng")
    _claim(client, company.tax_code, certificate=blank_pdf(), position="Giám đốc")
    request = db.session.query(CompanyMember).one()
    staff, _ = login_as(Role.STAFF)
    page = staff.get("/register/claims").get_data(as_text=True)
    assert "Trịnh Văn Sáng" in page and user.email in page and "Công ty CP Dữ Liệu Sông Hồng" in page
    assert company.tax_code in page and f"/register/memberships/{request.id}/certificate" in page
    assert f"/register/claims#claim-{request.id}" in staff.get("/home/staff").get_data(as_text=True)
    download = staff.get(f"/register/memberships/{request.id}/certificate")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert ".pdf" in download.headers["Content-Disposition"]
    # The founder cannot fetch it back through staff's door, nor can another founder.
    assert client.get(f"/register/memberships/{request.id}/certificate").status_code == 403


def test_staff_approve_or_refuse_with_a_reason_and_the_founder_is_told(founder, make, login_as, db):
    client, user = founder
    company = make.company()
    make.member(company=company, user=make.user(Role.FOUNDER))
    _claim(client, company.tax_code, certificate=blank_pdf())
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
    assert request.decision_reason == "Không phải người của doanh nghiệp"
    entry = db.session.query(AuditEntry).filter_by(action="membership.decide").one()
    assert (entry.from_state, entry.to_state, entry.reason) == ("pending", "rejected",
                                                               "Không phải người của doanh nghiệp")
    told = db.session.query(OutboxMessage).filter_by(to_address=user.email).one()
    assert "Không phải người của doanh nghiệp" in told.body_text
    assert "Không phải người của doanh nghiệp" in client.get("/home/founder").get_data(as_text=True)
    post_form(staff, f"/register/memberships/{request.id}/approve")
    db.session.refresh(request)
    assert request.status is MembershipStatus.REJECTED  # decided once
    # A founder refused may ask again, with a certificate; the request waits for staff once more, and the
    # certificate it replaces is deleted from the store.
    from incubator.uploads import exists

    first = request.certificate_file
    assert exists("certificates", first)
    assert _claim(client, company.tax_code, certificate=blank_pdf()).status_code == 302
    db.session.refresh(request)
    assert request.status is MembershipStatus.PENDING and request.decision_reason is None
    assert request.certificate_file != first
    assert not exists("certificates", first) and exists("certificates", request.certificate_file)


def test_approved_the_founder_holds_the_file(founder, make, login_as, db):
    client, user = founder
    company = make.company()
    application = make.application(company=company)
    _claim(client, company.tax_code, certificate=blank_pdf())
    request = db.session.query(CompanyMember).one()
    staff, _ = login_as(Role.STAFF)
    assert post_form(staff, f"/register/memberships/{request.id}/approve").status_code == 302
    assert client.get(f"/applications/{application.id}").status_code == 200
    told = db.session.query(OutboxMessage).filter_by(to_address=user.email).one()
    assert company.name in told.body_text


def test_staff_see_filter_and_verify_the_businesses_founders_registered(founder, make, login_as, db):
    client, _ = founder
    _claim(client, "0100109106", name="Công ty TNHH Mới Đăng Ký")
    make.company(name="Công ty Nhập Từ Sổ")
    staff, _ = login_as(Role.STAFF)
    unverified = staff.get("/register/?verified=no").get_data(as_text=True)
    assert "Công ty TNHH Mới Đăng Ký" in unverified and "Công ty Nhập Từ Sổ" not in unverified
    assert "Công ty Nhập Từ Sổ" in staff.get("/register/?verified=yes").get_data(as_text=True)
    assert "1 doanh nghiệp do nhà sáng lập tự đăng ký" in staff.get("/home/staff").get_data(as_text=True)
    company = db.session.query(Company).filter_by(tax_code="0100109106").one()
    page = staff.get(f"/register/{company.id}").get_data(as_text=True)
    assert f"/register/{company.id}/verify" in page
    assert post_form(staff, f"/register/{company.id}/verify", {"version": company.version_id},
                     token_from=f"/register/{company.id}").status_code == 302
    staff.get(f"/register/{company.id}")  # the page that shows the confirmation
    db.session.refresh(company)
    assert company.verified_at is not None
    assert db.session.query(AuditEntry).filter_by(action="company.verify").count() == 1
    assert "Công ty TNHH Mới Đăng Ký" not in staff.get("/register/?verified=no").get_data(as_text=True)


def test_what_staff_enter_or_import_is_verified(login_as, db):
    staff, _ = login_as(Role.STAFF)
    response = post_form(staff, "/register/new", {"tax_code": "0100047516", "name": "Công ty Do Cán Bộ Nhập",
                                                  "is_it": "y"}, token_from="/register/new")
    assert response.status_code == 302
    assert db.session.query(Company).one().verified_at is not None


def test_only_founders_enter_companies_and_only_staff_decide(login_as, make):
    reviewer, _ = login_as(Role.REVIEWER)
    assert reviewer.get(URL).status_code == 403
    founder, _ = login_as(Role.FOUNDER)
    request = make.member(status=MembershipStatus.PENDING)
    with nothing_written():
        assert post_form(founder, f"/register/memberships/{request.id}/approve").status_code == 403
    assert founder.get("/register/claims").status_code == 403


def test_staff_see_an_application_of_a_business_not_yet_verified_as_such(founder, make, login_as, db):
    client, _ = founder
    _claim(client, "0100109106", name="Công ty TNHH Chưa Kiểm Tra")
    company = db.session.query(Company).one()
    application = make.application(company=company, reference="VU-2026-0007")
    staff, _ = login_as(Role.STAFF)
    listing = staff.get(f"/rounds/{application.round_id}/applications").get_data(as_text=True)
    file = staff.get(f"/applications/{application.id}/file").get_data(as_text=True)
    assert "chưa xác minh" in listing and "chưa xác minh" in file
    company.verified_at = company.created_at
    db.session.commit()
    assert "chưa xác minh" not in staff.get(f"/applications/{application.id}/file").get_data(as_text=True)


@pytest.mark.parametrize("typed", ["０１００１０９１０６", "𝟎𝟏𝟎𝟎𝟏𝟎𝟗𝟏𝟎𝟔", " 0100.109.106 "])
def test_a_tax_code_typed_in_other_forms_of_the_digits_is_the_same_business(founder, make, db, typed):
    client, _ = founder
    company = make.company(tax_code="0100109106", name="Công ty Trong Sổ")
    assert _claim(client, typed).status_code == 400  # already on file: a certificate is needed
    assert _claim(client, typed, certificate=blank_pdf()).status_code == 302
    assert db.session.query(Company).count() == 1
    assert db.session.query(CompanyMember).one().company_id == company.id
    assert db.session.query(CompanyMember).one().status is MembershipStatus.PENDING


def test_digits_of_another_script_are_not_a_tax_code(founder, db):
    client, _ = founder
    response = _claim(client, "٠١٠٠١٠٩١٠٦")  # Arabic-Indic digits
    assert response.status_code == 400
    assert db.session.query(Company).count() == 0
