"""Issue 17, acceptance 1 (the founder): on a 375 × 812 phone, from registration to the read-only copy of what
was sent; an upload refused in place; autosave marking the field at fault."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from incubator.applications.enums import QuestionKind
from incubator.applications.models import RoundDocument, RoundQuestion
from incubator.auth.enums import Role
from tests.browser.helpers import log_in
from tests.helpers import blank_pdf

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def _open_round(make):
    now = datetime.now(UTC)
    intake_round = make.intake_round(name_vi="Đợt tuyển chọn Sen Hồ Tây", opens_at=now - timedelta(days=1),
                                     closes_at=now + timedelta(days=20))
    question = make._save(RoundQuestion(round=intake_round, kind=QuestionKind.LONG_TEXT, label_vi="Sản phẩm của bạn",
                                        label_en="Your product", required=True, position=1))
    raised = make._save(RoundQuestion(round=intake_round, kind=QuestionKind.MONEY, label_vi="Vốn đã gọi được",
                                      label_en="Funding raised", position=2))
    document = make._save(RoundDocument(round=intake_round, name_vi="Kế hoạch kinh doanh", name_en="Business plan"))
    return intake_round, question, raised, document


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling on a phone



def test_a_founder_on_a_phone_goes_from_registration_to_the_copy_of_what_was_sent(browser, live_server, make, db,
                                                                                   tmp_path):
    from incubator.applications.models import Application
    from incubator.mail.models import OutboxMessage

    ARTIFACTS.mkdir(exist_ok=True)
    intake_round, question, raised, document = _open_round(make)
    pdf = tmp_path / "ke-hoach-sen.pdf"
    pdf.write_bytes(blank_pdf())
    errors = []
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # Create the account, confirm the address by the link in the outbox, log in.
    email, password = "mai.sen@vuonuom.example", "Hoa-sen-Ho-Tay-2026"
    page.goto(f"{live_server}/register")
    page.fill("#full_name", "Vũ Thị Mai")
    page.fill("#email", email)
    page.fill("#password", password)
    page.fill("#confirm", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/account/confirm")
    db.session.rollback()  # a fresh snapshot: the live server committed in another connection
    body = db.session.query(OutboxMessage).filter_by(to_address=email).one().body_text
    page.goto(live_server + re.search(r"(/verify/\S+)", body).group(1))
    assert "đã được xác nhận" in page.content()
    context.clear_cookies()
    log_in(page, live_server, email, password, wait=False)
    page.wait_for_url(f"{live_server}/home/founder")

    # Add the business: the message names the round open now, with the link to apply.
    page.goto(f"{live_server}/my/companies/new")
    page.fill("#tax_code", "0101243150")
    page.fill("#name", "Công ty TNHH Sen Số")
    page.fill("#founded_on", (datetime.now(UTC) - timedelta(days=500)).date().isoformat())
    page.fill("#employees", "8")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/home/founder")
    alert = page.locator(".alert-success")
    assert "Đợt tuyển chọn Sen Hồ Tây" in alert.inner_text()
    _fits(page)
    alert.locator(f"a[href='/applications/start/{intake_round.id}']").click()
    page.locator("main form button[type=submit]").click()  # the only company is chosen
    page.wait_for_url(re.compile(r".*/applications/\d+/edit"))
    application_url = page.url

    # The business's file already answers the number of employees.
    assert page.locator("#employees").input_value() == "8"
    page.select_option("#is_public_company", "no")
    page.select_option("#sector_kind", "services_trade")
    page.fill("#revenue", "2500000000")
    page.locator("#revenue").blur()
    assert page.locator("#revenue").input_value() == "2.500.000.000"  # shown with its grouping
    page.fill(f"#q{raised.id}", "1250000000")
    page.locator(f"textarea#q{question.id}").fill("Ứng dụng đặt lịch khám cho trạm y tế phường")
    page.get_by_text("Đã lưu lúc").wait_for()  # saved while typing
    assert page.locator(f"#q{raised.id}").input_value() == "1.250.000.000"

    # Upload the business plan: the outcome is told in the document's place, the page is not reloaded.
    page.evaluate("window.stillTheSamePage = true")
    slot = page.locator(f"#document-{document.id}")
    slot.scroll_into_view_if_needed()
    scrolled = page.evaluate("window.scrollY")
    slot.locator("input[type=file]").set_input_files(str(pdf))
    slot.locator("button").click()
    message = page.locator(f"#document-{document.id}-message")
    message.filter(has_text="Kế hoạch kinh doanh").wait_for()
    slot = page.locator(f"#document-{document.id}")
    assert "ke-hoach-sen.pdf" in slot.inner_text()
    assert "text-success" in message.get_attribute("class")
    assert page.evaluate("window.stillTheSamePage") is True and page.url == application_url
    assert abs(page.evaluate("window.scrollY") - scrolled) < 100  # no jump to the top of the page
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "founder-upload-in-place-375.png"), full_page=True)

    # The summary of every answer and document, then submit.
    page.get_by_role("button", name="Lưu và kiểm tra trước khi nộp").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/submit"))
    summary = page.locator("#summary").inner_text()
    for text in ("Ứng dụng đặt lịch khám cho trạm y tế phường", "2.500.000.000", "1.250.000.000",
                 "Kế hoạch kinh doanh", "ke-hoach-sen.pdf"):
        assert text in summary, text
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "founder-summary-375.png"), full_page=True)
    page.locator("#submit-application").click()
    page.wait_for_url(re.compile(r".*/applications/\d+$"))
    reference = page.locator("#reference").inner_text()
    assert re.fullmatch(r"VU-\d{4}-\d{4}", reference)

    # The read-only copy of what was sent, to print or save as PDF.
    page.locator("#copy").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/copy$"))
    copy = page.locator("main").inner_text()
    for text in (reference, "Ứng dụng đặt lịch khám cho trạm y tế phường", "2.500.000.000", "ke-hoach-sen.pdf",
                 "0101243150"):
        assert text in copy, text
    assert page.locator("main textarea, main input[type=file]").count() == 0
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / "founder-copy-375.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible() and not page.locator("[data-print]").is_visible()
    page.emulate_media(media="screen")
    download = page.request.get(live_server + page.locator("#copy-pdf").get_attribute("href"))
    assert download.ok and download.body().startswith(b"%PDF-")
    assert not errors, errors  # no script blocked by the CSP, no missing asset

    db.session.rollback()
    application = db.session.query(Application).one()
    assert application.reference == reference and application.employees == 8
    assert application.answers[str(raised.id)] == 1250000000
    context.close()


def _draft(make, db):
    intake_round, question, raised, document = _open_round(make)
    founder = make.user(Role.FOUNDER, full_name="Đỗ Văn Bình")
    company = make.company(name="Công ty TNHH Bình Minh Số")
    make.member(company=company, user=founder)
    application = make.application(intake_round=intake_round, company=company, created_by=founder)
    return founder, application, question, raised, document


def test_a_refused_upload_says_why_in_place_without_reloading(browser, live_server, make, db, tmp_path):
    founder, application, _question, _raised, document = _draft(make, db)
    fake = tmp_path / "ke-hoach.pdf"
    fake.write_bytes(b"<html><body>not a PDF</body></html>")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    log_in(page, live_server, founder.email, wait=False)
    page.wait_for_url(f"{live_server}/home/founder")
    page.goto(f"{live_server}/applications/{application.id}/edit")
    page.evaluate("window.stillTheSamePage = true")
    slot = page.locator(f"#document-{document.id}")
    slot.locator("input[type=file]").set_input_files(str(fake))
    slot.locator("button").click()
    message = page.locator(f"#document-{document.id}-message")
    message.filter(has_text="Không đọc được tệp này dưới dạng tài liệu PDF.").wait_for()
    assert "text-danger" in message.get_attribute("class")
    file_input = page.locator(f"#document-{document.id} input[type=file]")
    assert "is-invalid" in file_input.get_attribute("class")
    assert file_input.get_attribute("aria-describedby") == f"document-{document.id}-message"
    assert page.evaluate("window.stillTheSamePage") is True
    assert "ke-hoach.pdf" not in page.locator(f"#document-{document.id}").inner_text()  # nothing was stored
    page.screenshot(path=str(ARTIFACTS / "founder-upload-refused-375.png"), full_page=True)

    # Without choosing a file: asked for one, in place, without sending anything.
    page.locator(f"#document-{document.id} button").click()
    page.locator(f"#document-{document.id}-message").filter(has_text="PDF").wait_for()
    context.close()


def test_autosave_marks_the_field_at_fault_with_the_servers_reason(browser, live_server, make, db):
    founder, application, question, _raised, _document = _draft(make, db)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    log_in(page, live_server, founder.email, wait=False)
    page.wait_for_url(f"{live_server}/home/founder")
    page.goto(f"{live_server}/applications/{application.id}/edit")
    page.locator(f"textarea#q{question.id}").fill("Nền tảng số cho làng nghề")
    page.fill("#revenue", "-5.000.000")
    revenue = page.locator("#revenue.is-invalid")
    revenue.wait_for()  # marked as soon as the server answers, without pressing "Save the draft"
    feedback = page.locator("#revenue-feedback")
    assert feedback.inner_text() == "Hãy nhập số tiền bằng đồng, không âm."
    assert "invalid-feedback" in feedback.get_attribute("class")
    assert revenue.get_attribute("aria-describedby") == "revenue-feedback"
    assert revenue.get_attribute("aria-invalid") == "true"
    assert page.locator(".is-invalid").count() == 1  # only the field at fault
    page.screenshot(path=str(ARTIFACTS / "founder-autosave-marked-375.png"), full_page=True)

    # Corrected: saved, and the mark goes.
    page.fill("#revenue", "5.000.000")
    page.get_by_text("Đã lưu lúc").wait_for()
    assert page.locator(".is-invalid").count() == 0
    assert page.locator("#revenue-feedback.invalid-feedback").count() == 0
    db.session.rollback()
    from incubator.applications.models import Application

    saved = db.session.get(Application, application.id)
    assert int(saved.revenue) == 5_000_000 and saved.answers[str(question.id)] == "Nền tảng số cho làng nghề"
    context.close()
