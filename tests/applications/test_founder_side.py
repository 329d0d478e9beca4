"""What a founder meets while applying (issue 17): uploads answered in place, autosave's reasons per field,
amounts typed with grouping, figures filled from the business's record, a summary before submitting, the copy
of what was sent (page and PDF), a withdrawal that asks first, and the round named after adding a business."""

import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from incubator.applications.enums import ApplicationStatus, QuestionKind
from incubator.applications.models import Application, RoundDocument, RoundQuestion
from incubator.auth.enums import Role
from tests.helpers import blank_pdf, login, nothing_written, post_form

JSON = {"Accept": "application/json"}


@pytest.fixture
def s(make, client_factory):
    """An open round asking for a product (long text), an amount in đồng, a choice and a business plan (PDF);
    a founder holding a young IT company of 9 people."""
    now = datetime.now(UTC)
    intake_round = make.intake_round(name_vi="Đợt tuyển chọn mùa thu", opens_at=now - timedelta(days=3),
                                     closes_at=now + timedelta(days=10))
    product = make._save(RoundQuestion(round=intake_round, kind=QuestionKind.LONG_TEXT, label_vi="Sản phẩm",
                                       label_en="Product", required=True, max_length=2000, position=1))
    raised = make._save(RoundQuestion(round=intake_round, kind=QuestionKind.MONEY, label_vi="Vốn đã gọi được",
                                      label_en="Funding raised", position=2))
    market = make._save(RoundQuestion(
        round=intake_round, kind=QuestionKind.SINGLE_CHOICE, label_vi="Thị trường", label_en="Market", position=3,
        choices=[{"value": "b2g", "label_vi": "Cơ quan nhà nước", "label_en": "Government"},
                 {"value": "b2c", "label_vi": "Người tiêu dùng", "label_en": "Consumers"}]))
    document = make._save(RoundDocument(round=intake_round, name_vi="Kế hoạch kinh doanh", name_en="Business plan"))
    founder = make.user(Role.FOUNDER, full_name="Phan Thị Mận")
    company = make.company(name="Công ty TNHH Mận Số", founded_on=date.today() - timedelta(days=400), employees=9)
    make.member(company=company, user=founder)
    client = client_factory()
    login(client, founder)
    return {"round": intake_round, "product": product, "raised": raised, "market": market, "document": document,
            "founder": founder, "company": company, "client": client}


def _start(s) -> int:
    url = f"/applications/start/{s['round'].id}"
    response = post_form(s["client"], url, {"company_id": s["company"].id}, token_from=url)
    assert response.status_code == 302
    return int(re.search(r"/applications/(\d+)/edit", response.headers["Location"]).group(1))


def _version(s, application_id) -> str:
    page = s["client"].get(f"/applications/{application_id}/edit").get_data(as_text=True)
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def _autosave(s, application_id, **answers):
    data = {"is_public_company": "no", "sector_kind": "services_trade", "employees": "9",
            "version": _version(s, application_id), **answers}
    return post_form(s["client"], f"/applications/{application_id}/autosave", data,
                     token_from=f"/applications/{application_id}/edit", headers=JSON)


def _upload(s, application_id, content, name="ke-hoach.pdf", headers=JSON):
    url = f"/applications/{application_id}/documents/{s['document'].id}"
    return post_form(s["client"], url, {"file": (io.BytesIO(content), name)},
                     token_from=f"/applications/{application_id}/edit", content_type="multipart/form-data",
                     headers=headers)


def _submit(s, application_id):
    url = f"/applications/{application_id}/submit"
    return post_form(s["client"], url, token_from=url)


def _complete(s, application_id, db):
    response = _autosave(s, application_id, **{f"q{s['product'].id}": "Trợ lý số cho hợp tác xã",
                                                f"q{s['raised'].id}": "1.250.000.000",
                                                f"q{s['market'].id}": "b2g", "revenue": "3.000.000.000"})
    assert response.status_code == 200, response.get_json()
    assert _upload(s, application_id, blank_pdf()).status_code == 200


# ---- Uploads tell what happened, in place ------------------------------------------------------------------

def test_an_upload_sent_in_the_background_answers_with_the_documents_slot_and_the_message(s, db):
    application_id = _start(s)
    response = _upload(s, application_id, blank_pdf(), name="ke-hoach-2026.pdf")
    assert response.status_code == 200 and response.is_json  # no redirect for the script to follow
    data = response.get_json()
    assert data["ok"] is True
    assert "Kế hoạch kinh doanh" in data["message"]
    # The slot as drawn again: the file's name, the button now replaces, the message inside, tied to the input.
    html = data["html"]
    assert f'id="document-{s["document"].id}"' in html and "ke-hoach-2026.pdf" in html
    assert data["message"] in html
    assert f'aria-describedby="document-{s["document"].id}-message"' in html
    assert db.session.get(Application, application_id).documents[0].original_name == "ke-hoach-2026.pdf"
    # Nothing was left for the next page: the message is not flashed a second time.
    assert data["message"] not in s["client"].get(f"/applications/{application_id}/edit").get_data(as_text=True)


@pytest.mark.parametrize(("content", "name", "reason"), [
    (b"<html>not a pdf</html>", "ke-hoach.pdf", "Không đọc được tệp này dưới dạng tài liệu PDF."),
    (b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 10), "lon.pdf", "Tệp có dung lượng lớn hơn 10 MB."),
])
def test_a_refused_upload_says_why_in_place_and_marks_the_file_input(s, db, content, name, reason):
    application_id = _start(s)
    response = _upload(s, application_id, content, name=name)
    assert response.status_code == 400 and response.is_json
    data = response.get_json()
    assert data["ok"] is False and reason in data["message"] and "Kế hoạch kinh doanh" in data["message"]
    assert "is-invalid" in data["html"] and reason in data["html"]
    assert db.session.get(Application, application_id).documents == []


def test_an_upload_without_script_still_redirects_with_the_message(s, db):
    application_id = _start(s)
    response = _upload(s, application_id, b"not a pdf", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/applications/{application_id}/edit#document-{s['document'].id}")
    page = s["client"].get(f"/applications/{application_id}/edit").get_data(as_text=True)
    assert "Không đọc được tệp này dưới dạng tài liệu PDF." in page


def test_a_document_of_another_round_is_not_found(s, make, db):
    application_id = _start(s)
    other = make._save(RoundDocument(round=make.intake_round(), name_vi="Khác", name_en="Other"))
    url = f"/applications/{application_id}/documents/{other.id}"
    with nothing_written():
        response = post_form(s["client"], url, {"file": (io.BytesIO(blank_pdf()), "a.pdf")},
                             token_from=f"/applications/{application_id}/edit", content_type="multipart/form-data",
                             headers=JSON)
        assert response.status_code == 404


# ---- Autosave: the server's reasons per field ---------------------------------------------------------------

def test_autosave_returns_each_refused_answer_under_its_field_with_the_reason(s, db):
    application_id = _start(s)
    response = _autosave(s, application_id, employees="mười", revenue="-5.000.000",
                         **{f"q{s['product'].id}": "Bản nháp vẫn được giữ"})
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert set(errors) == {"employees", "revenue"}
    assert errors["employees"] == ["Số nguyên không hợp lệ."]
    assert errors["revenue"] == ["Hãy nhập số tiền bằng đồng, không âm."]
    # Nothing of a refused save is written.
    assert db.session.get(Application, application_id).answers in ({}, None)


def test_autosave_names_the_question_whose_amount_is_refused(s, db):
    application_id = _start(s)
    response = _autosave(s, application_id, **{f"q{s['raised'].id}": "-1"})
    assert response.status_code == 400
    assert list(response.get_json()["errors"]) == [f"q{s['raised'].id}"]


# ---- Amounts in đồng -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["1.250.000.000", "1250000000", "1 250 000 000 ₫"])
def test_an_amount_typed_with_or_without_grouping_is_the_same_number(s, db, typed):
    application_id = _start(s)
    response = _autosave(s, application_id, revenue=typed, **{f"q{s['raised'].id}": typed})
    assert response.status_code == 200, response.get_json()
    application = db.session.get(Application, application_id)
    assert application.revenue == Decimal(1250000000)
    assert application.answers[str(s["raised"].id)] == 1250000000


def test_the_draft_shows_amounts_with_their_grouping_in_a_numeric_text_box(s, db):
    application_id = _start(s)
    assert _autosave(s, application_id, revenue="1250000000",
                     **{f"q{s['raised'].id}": "750000000"}).status_code == 200
    page = s["client"].get(f"/applications/{application_id}/edit").get_data(as_text=True)
    revenue = re.search(r'<input[^>]*id="revenue"[^>]*>', page).group(0)
    assert 'type="text"' in revenue and 'inputmode="numeric"' in revenue and 'value="1.250.000.000"' in revenue
    raised = re.search(rf'<input[^>]*id="q{s["raised"].id}"[^>]*>', page).group(0)
    assert 'inputmode="numeric"' in raised and 'value="750.000.000"' in raised


# ---- Filled from the business's record ------------------------------------------------------------------------

def test_a_new_draft_starts_with_what_the_business_record_already_answers(s, make, db):
    earlier = make.application(intake_round=make.intake_round(), company=s["company"], created_by=s["founder"],
                               status=ApplicationStatus.REJECTED, revenue=Decimal(2_000_000_000),
                               capital=Decimal(500_000_000), is_public_company=False, employees=4)
    assert earlier.id
    application = db.session.get(Application, _start(s))
    assert application.employees == 9  # the file's figure wins over the earlier declaration
    assert application.revenue == Decimal(2_000_000_000) and application.capital == Decimal(500_000_000)
    assert application.is_public_company is False
    page = s["client"].get(f"/applications/{application.id}/edit").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="employees"[^>]*value="9"', page)
    assert re.search(r'<input[^>]*id="revenue"[^>]*value="2.000.000.000"', page)


def test_a_first_draft_takes_the_employees_from_the_file_and_leaves_the_rest_blank(s, db):
    application = db.session.get(Application, _start(s))
    assert application.employees == 9
    assert application.revenue is None and application.capital is None and application.is_public_company is None


# ---- The summary before submitting, the copy after ------------------------------------------------------------

def test_the_page_before_submitting_shows_every_answer_and_document(s, db):
    application_id = _start(s)
    _complete(s, application_id, db)
    page = s["client"].get(f"/applications/{application_id}/submit").get_data(as_text=True)
    summary = page[page.index('id="summary"'):]
    for text in ("Sản phẩm", "Trợ lý số cho hợp tác xã", "Vốn đã gọi được", "1.250.000.000", "3.000.000.000",
                 "Thị trường", "Cơ quan nhà nước", "Kế hoạch kinh doanh", "ke-hoach.pdf"):
        assert text in summary, text
    assert 'id="submit-application"' in page


def test_the_summary_shows_what_is_missing_and_no_submit_button(s, db):
    application_id = _start(s)
    page = s["client"].get(f"/applications/{application_id}/submit").get_data(as_text=True)
    assert 'id="missing"' in page and 'id="submit-application"' not in page
    assert "Kế hoạch kinh doanh" in page[page.index('id="summary"'):]


def test_after_submitting_the_founder_reads_prints_and_downloads_what_was_sent(s, db):
    application_id = _start(s)
    _complete(s, application_id, db)
    assert _submit(s, application_id).status_code == 302
    reference = db.session.get(Application, application_id).reference
    status = s["client"].get(f"/applications/{application_id}").get_data(as_text=True)
    assert f'/applications/{application_id}/copy"' in status and f"/applications/{application_id}/copy.pdf" in status

    copy = s["client"].get(f"/applications/{application_id}/copy")
    html = copy.get_data(as_text=True)
    assert copy.status_code == 200 and reference in html
    for text in ("Trợ lý số cho hợp tác xã", "1.250.000.000", "Cơ quan nhà nước", "ke-hoach.pdf",
                 s["company"].tax_code):
        assert text in html, text
    assert "data-print" in html  # the print button (its script is in application.js: no inline script)
    assert "<textarea" not in html and 'type="file"' not in html  # read-only

    pdf = s["client"].get(f"/applications/{application_id}/copy.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-")
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert reference in text and "Trợ lý số cho hợp tác xã" in text


def test_the_copys_pdf_fetches_nothing_an_answer_points_to(s, db, monkeypatch):
    from incubator import pdf as pdf_module

    fetched = []
    original = pdf_module.StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf_module.StaticOnlyFetcher, "fetch", spy)
    application_id = _start(s)
    _complete(s, application_id, db)
    assert _autosave(s, application_id, revenue="3000000000", **{
        f"q{s['product'].id}": '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://x/">'},
    ).status_code == 200
    _submit(s, application_id)
    response = s["client"].get(f"/applications/{application_id}/copy.pdf")
    assert response.status_code == 200
    assert not [u for u in fetched if "passwd" in u or u.startswith("http")]


def test_another_founder_gets_no_copy(s, login_as, db):
    application_id = _start(s)
    _complete(s, application_id, db)
    _submit(s, application_id)
    other, _user = login_as(Role.FOUNDER)
    assert other.get(f"/applications/{application_id}/copy").status_code == 404
    assert other.get(f"/applications/{application_id}/copy.pdf").status_code == 404


# ---- Withdrawing asks first -------------------------------------------------------------------------------------

def test_withdrawing_asks_for_confirmation_first_and_works_without_script(s, db):
    application_id = _start(s)
    _complete(s, application_id, db)
    _submit(s, application_id)
    status = s["client"].get(f"/applications/{application_id}").get_data(as_text=True)
    assert f'href="/applications/{application_id}/withdraw"' in status  # a link to a page, not a form that acts
    assert f'action="/applications/{application_id}/withdraw"' not in status

    page = s["client"].get(f"/applications/{application_id}/withdraw")
    assert page.status_code == 200 and 'id="confirm-withdraw"' in page.get_data(as_text=True)
    assert db.session.get(Application, application_id).status is ApplicationStatus.SUBMITTED  # asking changes nothing

    url = f"/applications/{application_id}/withdraw"
    response = post_form(s["client"], url, {"reason": "Chúng tôi đã nhận đầu tư khác"}, token_from=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, application_id).status is ApplicationStatus.WITHDRAWN
    # Withdrawn: the page no longer offers it, and asking again only says so.
    assert s["client"].get(url).status_code == 302


# ---- After adding a business: the round open now ------------------------------------------------------------------

def _add_business(client, tax_code):
    url = "/my/companies/new"
    return post_form(client, url, {"tax_code": tax_code, "name": "Công ty TNHH Sen Số", "is_it": "y"},
                     token_from=url, content_type="multipart/form-data", follow_redirects=True)


def test_after_adding_a_business_the_message_names_the_open_round_with_a_link_to_apply(make, login_as, db):
    now = datetime.now(UTC)
    make.intake_round(name_vi="Đợt đã đóng", opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1))
    open_round = make.intake_round(name_vi="Đợt tuyển chọn mùa xuân", opens_at=now - timedelta(days=1),
                                   closes_at=now + timedelta(days=20))
    client, _user = login_as(Role.FOUNDER)
    html = _add_business(client, "0100109106").get_data(as_text=True)
    alert = re.search(r'<div class="alert[^"]*"[^>]*>(.*?)<button', html, re.S).group(1)
    assert "Công ty TNHH Sen Số" in alert and "Đợt tuyển chọn mùa xuân" in alert and "Đợt đã đóng" not in alert
    assert f'href="/applications/start/{open_round.id}"' in alert


def test_after_adding_a_business_with_no_round_open_the_message_says_so_without_a_link(make, login_as, db):
    now = datetime.now(UTC)
    make.intake_round(name_vi="Đợt sắp mở", opens_at=now + timedelta(days=5), closes_at=now + timedelta(days=30))
    client, _user = login_as(Role.FOUNDER)
    html = _add_business(client, "0100109106").get_data(as_text=True)
    alert = re.search(r'<div class="alert[^"]*"[^>]*>(.*?)<button', html, re.S).group(1)
    assert "Công ty TNHH Sen Số" in alert and "/applications/start/" not in alert and "Đợt sắp mở" not in alert
