"""Founders apply: draft, documents, eligibility, submission before the deadline, once, and the status."""

import io
import re
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from incubator.applications.enums import ApplicationStatus, QuestionKind
from incubator.applications.models import Application, RoundDocument, RoundQuestion
from incubator.auth.enums import Role
from incubator.mail.models import OutboxMessage
from tests.helpers import blank_pdf, login, post_form


@pytest.fixture
def setting(make, client_factory):
    """An open round with one required question and one required document; a founder with a young IT company."""
    now = datetime.now(UTC)
    intake_round = make.intake_round(opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=10))
    question = make._save(RoundQuestion(round=intake_round, kind=QuestionKind.LONG_TEXT, label_vi="Sản phẩm",
                                        label_en="Product", required=True, max_length=2000))
    document = make._save(RoundDocument(round=intake_round, name_vi="Kế hoạch kinh doanh", name_en="Business plan"))
    founder = make.user(Role.FOUNDER, full_name="Lý Thị Ươm")
    company = make.company(name="Công ty TNHH Ươm Mầm Số", founded_on=date.today() - timedelta(days=400))
    make.member(company=company, user=founder)
    client = client_factory()
    login(client, founder)
    return {"round": intake_round, "question": question, "document": document, "founder": founder,
            "company": company, "client": client}


FACTS = {"is_public_company": "no", "sector_kind": "services_trade", "employees": "12", "revenue": "3000000000"}


def _start(s):
    url = f"/applications/start/{s['round'].id}"
    response = post_form(s["client"], url, {"company_id": s["company"].id}, token_from=url)
    assert response.status_code == 302
    return int(re.search(r"/applications/(\d+)/edit", response.headers["Location"]).group(1))


def _fill(s, application_id, **extra):
    url = f"/applications/{application_id}/edit"
    page = s["client"].get(url).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    data = {**FACTS, f"q{s['question'].id}": "Nền tảng quản lý phản ánh hiện trường", "version": version, **extra}
    return post_form(s["client"], url, data, token_from=url)


def _upload(s, application_id, content=None, name="ke-hoach.pdf"):
    url = f"/applications/{application_id}/documents/{s['document'].id}"
    return post_form(s["client"], url, {"file": (io.BytesIO(content if content is not None else blank_pdf()), name)},
                     token_from=f"/applications/{application_id}/edit", content_type="multipart/form-data")


def _submit(s, application_id, client=None):
    url = f"/applications/{application_id}/submit"
    return post_form(client or s["client"], url, token_from=f"/applications/{application_id}")


def test_a_founder_drafts_uploads_and_submits_once_with_a_reference_and_an_email(setting, db):
    s = setting
    application_id = _start(s)
    assert _start(s) == application_id  # one application per company per round
    assert _fill(s, application_id).status_code == 302
    page = s["client"].get(f"/applications/{application_id}/edit").get_data(as_text=True)
    assert "Nền tảng quản lý phản ánh hiện trường" in page  # the draft kept what was typed
    assert "Tải lên tài liệu" in s["client"].get(f"/applications/{application_id}/submit").get_data(as_text=True)
    assert _upload(s, application_id).status_code == 302
    assert _submit(s, application_id).status_code == 302
    application = db.session.get(Application, application_id)
    assert application.status is ApplicationStatus.SUBMITTED
    assert re.fullmatch(r"VU-\d{4}-0001", application.reference)
    status = s["client"].get(f"/applications/{application_id}").get_data(as_text=True)
    assert application.reference in status
    mail = db.session.query(OutboxMessage).filter_by(to_address=s["founder"].email).one()
    assert application.reference in mail.subject and application.reference in mail.body_text
    assert mail.to_name == s["founder"].full_name  # the founder's name in the To header
    assert _submit(s, application_id).status_code == 302  # sent again: nothing changes
    db.session.refresh(application)
    assert application.status is ApplicationStatus.SUBMITTED


def test_the_confirmation_of_a_submission_goes_to_every_founder_holding_the_file(setting, make, db):
    s = setting
    partner = make.member(company=s["company"], user=make.user(Role.FOUNDER, locale="en")).user
    from incubator.companies.enums import MembershipStatus

    waiting = make.member(company=s["company"], user=make.user(Role.FOUNDER), status=MembershipStatus.PENDING).user
    application_id = _start(s)
    _fill(s, application_id)
    _upload(s, application_id)
    assert _submit(s, application_id).status_code == 302
    to = sorted(db.session.scalars(sa.select(OutboxMessage.to_address)
                                   .where(OutboxMessage.purpose == "application_submitted")))
    assert to == sorted([s["founder"].email, partner.email]) and waiting.email not in to


def test_a_failed_hard_rule_blocks_submission_and_says_why(setting, db):
    s = setting
    application_id = _start(s)
    _fill(s, application_id, is_public_company="yes")
    _upload(s, application_id)
    response = _submit(s, application_id)
    assert response.status_code == 400
    assert "công ty đại chúng" in response.get_data(as_text=True)
    assert db.session.get(Application, application_id).status is ApplicationStatus.DRAFT


def test_a_submit_after_the_deadline_is_refused_and_the_draft_kept(setting, db):
    s = setting
    application_id = _start(s)
    _fill(s, application_id)
    _upload(s, application_id)
    s["round"].closes_at = datetime.now(UTC) - timedelta(minutes=1)  # the form was opened before the deadline
    db.session.commit()
    response = _submit(s, application_id)
    assert response.status_code == 400
    assert "không thể nộp" in response.get_data(as_text=True)
    application = db.session.get(Application, application_id)
    assert application.status is ApplicationStatus.DRAFT and application.answers


def test_twenty_parallel_submits_give_one_submission(setting, db, client_factory):
    s = setting
    application_id = _start(s)
    _fill(s, application_id)
    _upload(s, application_id)
    url = f"/applications/{application_id}/submit"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      s["client"].get(url).get_data(as_text=True)).group(1)
    cookie = s["client"].get_cookie("incubator_session").value
    statuses, barrier = [], threading.Barrier(20)

    def send():
        client = client_factory()
        client.set_cookie("incubator_session", cookie)
        barrier.wait()
        statuses.append(client.post(url, data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=send) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert statuses.count(302) == 20, statuses
    application = db.session.get(Application, application_id)
    assert application.status is ApplicationStatus.SUBMITTED and application.reference.endswith("-0001")
    from incubator.audit.models import AuditEntry

    assert db.session.query(AuditEntry).filter_by(action="application.status", to_state="submitted").count() == 1
    assert db.session.query(OutboxMessage).filter_by(to_address=s["founder"].email).count() == 1


NOT_PDF, TOO_LARGE = "Không đọc được tệp này dưới dạng tài liệu PDF", "lớn hơn 10 MB"


@pytest.mark.parametrize("content, name, message", [
    (b"\x89PNG\r\n\x1a\n fake image", "anh.pdf", NOT_PDF),
    (b"Day la van ban, khong phai PDF", "van-ban.pdf", NOT_PDF),
    (b"%PDF-1.7 " + b"0" * (10 * 1024 * 1024), "qua-lon.pdf", TOO_LARGE)])
def test_a_fake_or_oversized_pdf_is_refused_with_a_clear_message(setting, db, content, name, message):
    s = setting
    application_id = _start(s)
    response = _upload(s, application_id, content=content, name=name)
    assert response.status_code == 303
    page = s["client"].get(f"/applications/{application_id}/edit").get_data(as_text=True)
    assert message in page
    assert db.session.get(Application, application_id).documents == []


def test_another_founder_cannot_see_or_upload_to_the_application(setting, login_as, db):
    s = setting
    application_id = _start(s)
    other, _ = login_as(Role.FOUNDER)
    for url in (f"/applications/{application_id}", f"/applications/{application_id}/edit",
                f"/applications/{application_id}/submit"):
        assert other.get(url).status_code == 404, url
    upload = post_form(other, f"/applications/{application_id}/documents/{s['document'].id}",
                       {"file": (io.BytesIO(blank_pdf()), "cua-nguoi-khac.pdf")}, content_type="multipart/form-data")
    assert upload.status_code == 404
    assert db.session.get(Application, application_id).documents == []


def test_the_founder_withdraws_before_a_decision(setting, db):
    s = setting
    application_id = _start(s)
    _fill(s, application_id)
    _upload(s, application_id)
    _submit(s, application_id)
    url = f"/applications/{application_id}/withdraw"
    assert post_form(s["client"], url, {"reason": "Chưa sẵn sàng"}, token_from=f"/applications/{application_id}") \
        .status_code == 302
    assert db.session.get(Application, application_id).status is ApplicationStatus.WITHDRAWN


def test_an_upload_over_the_request_limit_gets_a_friendly_413_page(setting):
    s = setting
    application_id = _start(s)
    response = _upload(s, application_id, content=b"%PDF-1.7 " + b"0" * (13 * 1024 * 1024), name="rat-lon.pdf")
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_data(as_text=True)


def test_a_file_name_with_control_characters_is_cleaned(setting, db):
    s = setting
    application_id = _start(s)
    assert _upload(s, application_id, name="ke\x00hoach.pdf").status_code == 302
    assert db.session.get(Application, application_id).documents[0].original_name == "kehoach.pdf"


def test_no_withdrawal_after_a_decision_and_never_by_staff_for_a_company(setting, make, login_as, db):
    s = setting
    application_id = _start(s)
    application = db.session.get(Application, application_id)
    application.status = ApplicationStatus.WAITLISTED
    db.session.commit()
    url = f"/applications/{application_id}/withdraw"
    post_form(s["client"], url, token_from=f"/applications/{application_id}")
    assert db.session.get(Application, application_id).status is ApplicationStatus.WAITLISTED
    application.status = ApplicationStatus.SUBMITTED
    db.session.commit()
    both, _ = login_as(Role.STAFF, Role.FOUNDER)  # a founder too, but not of this company
    assert post_form(both, url, token_from=f"/applications/{application_id}").status_code == 403
    assert db.session.get(Application, application_id).status is ApplicationStatus.SUBMITTED


def test_a_returned_application_keeps_its_reference_when_submitted_again(setting, db):
    from incubator.applications.services import change_status

    s = setting
    application_id = _start(s)
    _fill(s, application_id)
    _upload(s, application_id)
    _submit(s, application_id)
    application = db.session.get(Application, application_id)
    reference = application.reference
    change_status(application, ApplicationStatus.DRAFT, actor=s["founder"], reason="Bổ sung tài liệu")
    db.session.commit()
    _submit(s, application_id)
    db.session.refresh(application)
    assert application.status is ApplicationStatus.SUBMITTED and application.reference == reference


def test_references_count_on_past_9999(make, db):
    from incubator.applications.services import _next_reference

    make.application(reference="VU-2026-9999", status=ApplicationStatus.SUBMITTED)
    assert _next_reference(datetime(2026, 6, 1, tzinfo=UTC)) == "VU-2026-10000"
    make.application(reference="VU-2026-10000", status=ApplicationStatus.SUBMITTED)
    assert _next_reference(datetime(2026, 6, 1, tzinfo=UTC)) == "VU-2026-10001"
