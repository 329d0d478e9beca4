"""Certificates through the doors people use: staff on a business's file, founders submitting, staff verifying,
the standards page, the staff home's lines and the list of those expiring soon."""

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.certificates import services
from incubator.certificates.enums import CertificateStatus
from incubator.certificates.models import Certificate, CertificateStandard
from incubator.extensions import db
from incubator.i18n import local_today
from tests.helpers import blank_pdf, nothing_written, post_form


def _std(code):
    return services.standard_by_code(code)


def _version(html: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


@pytest.fixture
def staff(login_as):
    client, user = login_as(Role.STAFF)
    client.user = user
    return client


def _certificate(company, **kw):
    kw.setdefault("standard", _std("ISO 9001"))
    kw.setdefault("issued_on", date(2025, 1, 10))
    certificate = Certificate(company_id=company.id, **kw)
    db.session.add(certificate)
    db.session.commit()
    return certificate


def test_staff_add_a_certificate_with_its_pdf_and_see_it_on_the_file(staff, make):
    company = make.residency().company
    url = f"/certificates/company/{company.id}/new"
    response = post_form(staff, url, {
        "standard_id": _std("CMMI").id, "level": "3", "scope": "Phát triển phần mềm", "issuer": "CMMI Institute",
        "number": "APPR-1234", "issued_on": "2025-03-01", "expires_on": "2028-02-28",
        "evidence_pdf": (io.BytesIO(blank_pdf()), "cmmi.pdf")}, token_from=url, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    certificate = db.session.scalar(sa.select(Certificate))
    assert certificate.level == 3 and certificate.status is CertificateStatus.VERIFIED and certificate.evidence_file
    page = staff.get(f"/register/{company.id}").get_data(as_text=True)
    assert "CMMI level 3" in page or "CMMI mức 3" in page
    assert "01/03/2025" in page and "28/02/2028" in page and "APPR-1234" in page
    pdf = staff.get(f"/certificates/{certificate.id}/evidence")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_refused_form_writes_nothing(staff, make):
    company = make.residency().company
    url = f"/certificates/company/{company.id}/new"
    with nothing_written():
        response = post_form(staff, url, {"standard_id": _std("CMMI").id, "issued_on": "2025-03-01"}, token_from=url)
    assert response.status_code == 400  # CMMI without its level


def test_staff_edit_with_the_version_and_an_older_version_is_refused(staff, make):
    certificate = _certificate(make.residency().company, number="Q-1")
    url = f"/certificates/{certificate.id}/edit"
    version = _version(staff.get(url).get_data(as_text=True))
    data = {"standard_id": certificate.standard_id, "issued_on": "2025-01-10", "number": "Q-2", "version": version}
    assert post_form(staff, url, data, token_from=url).status_code == 302
    db.session.refresh(certificate)
    assert certificate.number == "Q-2"
    assert post_form(staff, url, {**data, "number": "Q-3"}, token_from=url).status_code == 409


def test_staff_revoke_with_a_day_and_a_reason_then_delete_a_mistake(staff, make):
    company = make.residency().company
    certificate = _certificate(company, expires_on=date(2029, 1, 1))
    url = f"/certificates/{certificate.id}/revoke"
    version = _version(staff.get(url).get_data(as_text=True))
    assert post_form(staff, url, {"revoked_on": "2025-06-01", "version": version}, token_from=url).status_code == 400
    response = post_form(staff, url, {"revoked_on": "2025-06-01", "reason": "Bị thu hồi", "version": version},
                         token_from=url)
    assert response.status_code == 302
    db.session.refresh(certificate)
    assert certificate.revoked_on == date(2025, 6, 1)
    assert "revoked on 01/06/2025" in staff.get(f"/register/{company.id}").get_data(as_text=True) or \
        "01/06/2025" in staff.get(f"/register/{company.id}").get_data(as_text=True)
    certificate_id = certificate.id
    edit = f"/certificates/{certificate_id}/edit"
    assert post_form(staff, f"/certificates/{certificate_id}/delete",
                     {"version": str(certificate.version_id), "reason": "Nhầm"}, token_from=edit).status_code == 302
    db.session.expunge_all()
    assert db.session.get(Certificate, certificate_id) is None


def test_a_founder_submits_staff_verify_and_another_founder_gets_404(make, login_as, staff):
    founder_client, founder = login_as(Role.FOUNDER)
    company = make.member(user=founder, company=make.residency().company).company
    url = f"/certificates/company/{company.id}/submit"
    assert founder_client.get(url).status_code == 200
    response = post_form(founder_client, url, {
        "standard_id": _std("ISO/IEC 27001").id, "issued_on": "2025-04-01", "expires_on": "2028-03-31",
        "number": "ISMS-77", "evidence_pdf": (io.BytesIO(blank_pdf()), "isms.pdf")}, token_from=url,
        content_type="multipart/form-data")
    assert response.status_code == 302
    certificate = db.session.scalar(sa.select(Certificate))
    assert certificate.status is CertificateStatus.SUBMITTED and certificate.submitted_by_id == founder.id
    home = founder_client.get("/home/founder").get_data(as_text=True)
    assert "ISMS-77" in home and ("waiting for verification" in home.lower() or "Chờ xác minh" in home)
    assert founder_client.get(f"/certificates/{certificate.id}/evidence").status_code == 200

    other_client, _other = login_as(Role.FOUNDER)
    assert other_client.get(url).status_code == 404
    assert other_client.get(f"/certificates/{certificate.id}/evidence").status_code == 404

    assert "certificates-waiting" in staff.get("/home/staff").get_data(as_text=True)
    assert "ISMS-77" in staff.get("/certificates/submissions").get_data(as_text=True)
    review = f"/certificates/{certificate.id}/review"
    version = _version(staff.get(review).get_data(as_text=True))
    assert post_form(staff, f"/certificates/{certificate.id}/verify", {"version": version},
                     token_from=review).status_code == 302
    db.session.refresh(certificate)
    assert certificate.status is CertificateStatus.VERIFIED and certificate.counts


def test_staff_refuse_and_the_founder_reads_the_reason(make, login_as, staff):
    founder_client, founder = login_as(Role.FOUNDER)
    company = make.member(user=founder, company=make.residency().company).company
    certificate = _certificate(company, status=CertificateStatus.SUBMITTED, submitted_by_id=founder.id,
                               number="X-9")
    review = f"/certificates/{certificate.id}/review"
    version = _version(staff.get(review).get_data(as_text=True))
    refuse = f"/certificates/{certificate.id}/refuse"
    assert post_form(staff, refuse, {"version": version, "reason": ""}, token_from=review).status_code == 400
    assert post_form(staff, refuse, {"version": version, "reason": "Số chứng chỉ không khớp"},
                     token_from=review).status_code == 302
    assert "Số chứng chỉ không khớp" in founder_client.get("/home/founder").get_data(as_text=True)


def test_the_standards_page_adds_and_edits_with_codes_unique(staff):
    page = staff.get("/certificates/standards/").get_data(as_text=True)
    assert "ISO/IEC 20000-1" in page and "CMMI" in page
    url = "/certificates/standards/new"
    assert post_form(staff, url, {"code": "iso 9001", "name_vi": "Trùng", "name_en": "Same"},
                     token_from=url).status_code == 400
    assert post_form(staff, url, {"code": "ISO 14001", "name_vi": "Quản lý môi trường",
                                  "name_en": "Environmental management"}, token_from=url).status_code == 302
    standard = _std("iso14001")
    assert standard is not None and not standard.recognised
    edit = f"/certificates/standards/{standard.id}/edit"
    version = _version(staff.get(edit).get_data(as_text=True))
    data = {"code": "ISO 14001", "name_vi": "Quản lý môi trường", "name_en": "Environmental management",
            "recognised": "y", "version": version}
    assert post_form(staff, edit, data, token_from=edit).status_code == 302
    assert db.session.get(CertificateStandard, standard.id).recognised
    assert post_form(staff, edit, data, token_from=edit).status_code == 409


def test_the_home_line_and_the_list_of_those_expiring_within_60_days(staff, make):
    today = local_today()
    soon = _certificate(make.residency().company, number="SOON", expires_on=today + timedelta(days=20))
    _certificate(make.residency().company, number="LATER", expires_on=today + timedelta(days=90))
    _certificate(make.residency().company, number="GONE", expires_on=today - timedelta(days=1))
    _certificate(make.residency().company, number="OTHER", standard=services.standard_for_code("ISO 14001")[0],
                 expires_on=today + timedelta(days=10))
    _certificate(make.company(), number="NOT-HERE", expires_on=today + timedelta(days=10))  # no residency
    home = staff.get("/home/staff").get_data(as_text=True)
    line = re.search(r'id="certificates-expiring">(.*?)</li>', home, re.S).group(1)
    assert "/certificates/expiring" in line and "1" in line
    listed = staff.get("/certificates/expiring").get_data(as_text=True)
    assert "SOON" in listed and soon.company.name in listed
    assert all(n not in listed for n in ("LATER", "GONE", "OTHER", "NOT-HERE"))


def test_the_startups_file_lists_its_certificates_and_the_founder_may_submit_from_it(make, login_as):
    founder_client, founder = login_as(Role.FOUNDER)
    company = make.member(user=founder, company=make.residency().company).company
    _certificate(company, number="FILE-1", standard=_std("CMMI"), level=1)
    page = founder_client.get(f"/startups/{company.id}").get_data(as_text=True)
    assert "FILE-1" in page and f"/certificates/company/{company.id}/submit" in page
    assert "level 1 is not appraised" in page or "mức 1 không được đánh giá" in page


def test_a_certificates_table_keeps_to_four_columns_its_details_under_the_standard(make, login_as):
    """On a founder's phone a nine-column table broke the standard, the body and the number letter by letter:
    the details stand under the standard, beside them only the dates and the status."""
    founder_client, founder = login_as(Role.FOUNDER)
    company = make.member(user=founder, company=make.residency().company).company
    _certificate(company, issuer="Quacert", number="QMS-31", scope="Phần mềm", evidence_link="https://x.example/c")
    home = founder_client.get("/home/founder").get_data(as_text=True)
    table = re.search(r'<table class="table table-sm align-middle certificates">.*?</table>', home, re.S).group(0)
    assert len(re.findall(r"<th[ >]", table)) == 4
    standard = re.search(r'<td class="certificate-standard">(.*?)</td>', table, re.S).group(1)
    assert "Quacert" in standard and "QMS-31" in standard and "Phần mềm" in standard and "x.example" in standard
    assert "certificate-counts" in table
