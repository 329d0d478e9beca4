"""The flows that matter, in a real browser: Playwright driving Debian's Chromium."""

from pathlib import Path

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from tests.browser.helpers import log_in
from tests.browser.test_accessibility import serious_violations
from tests.targets import test_city_figures as figures

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
city, network = figures.city, figures.network  # fixtures: the city's targets; VUHN and HN2 with businesses



def test_staff_logs_in_sees_home_switches_language_and_logs_out(page, live_server, make):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    staff = make.user(Role.STAFF, full_name="Nguyễn Thị Thu Hà")

    page.goto(f"{live_server}/home/staff")
    assert "/login" in page.url  # anonymous: sent to the login page
    log_in(page, live_server, staff, wait=False)
    page.wait_for_url(f"{live_server}/home/staff")
    assert page.locator("h1").inner_text() == "Cán bộ Vườn ươm"

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Incubator staff"
    assert page.locator("html").get_attribute("lang") == "en"

    page.locator("#userMenu").click()
    page.locator("#logout").click()
    page.wait_for_url(f"{live_server}/login")
    assert page.get_by_role("heading", name="Log in").is_visible()
    page.goto(f"{live_server}/home/staff")
    assert "/login" in page.url
    assert not errors, errors  # no script blocked by the CSP, no missing asset


def test_home_page_fits_a_375_pixel_phone(browser, live_server, make):
    ARTIFACTS.mkdir(exist_ok=True)
    founder = make.user(Role.FOUNDER, Role.REVIEWER, full_name="Bùi Văn Khánh")
    staff = make.user(Role.STAFF)
    make.member(company=make.company(name="Công ty TNHH Dữ liệu Đô thị Thăng Long"), user=founder)
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    for user, url, name in ((founder, "/home/founder", "home-founder-375"), (staff, "/home/staff", "home-staff-375")):
        log_in(page, live_server, user, wait=False)
        page.goto(f"{live_server}{url}")
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        # The menu opens from the toggler (Bootstrap's script runs under the CSP).
        page.locator(".navbar-toggler").click()
        page.locator("#mainNav.collapse.show").wait_for(state="visible")  # the animation has finished
        page.locator("#userMenu").click()
        page.locator(".dropdown-menu.show #logout").wait_for(state="visible")
        page.locator("#logout").click()
        page.wait_for_url(f"{live_server}/login")
    context.close()


def test_official_reads_the_targets_dashboard_and_opens_the_numerator(page, live_server, make, runner):
    """Issue 4, acceptance 5: the targets (the third, CERT5, since issue 22), the chart and the drill-down, as an
    official sees them."""
    ARTIFACTS.mkdir(exist_ok=True)
    assert runner.invoke(args=["demo", "--no-upgrade"]).exit_code == 0
    official = make.user(Role.OFFICIAL, full_name="Hoàng Thị Lan")
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, official, wait=False)
    page.goto(f"{live_server}/targets/?as_of=2025-12-31")
    assert page.locator("section.card").count() == 3
    assert page.locator("section.card svg").count() == 3
    assert page.locator("#target-IT70 svg rect").count() == 12  # one bar per quarter
    assert page.locator("#target-CERT5 svg rect").count() == 12
    page.screenshot(path=str(ARTIFACTS / "targets-dashboard.png"), full_page=True)
    numerator = page.locator("#target-IT70 a.fs-3[href*='show=numerator']")  # the city's (not a table's row)
    expected = int(numerator.inner_text())
    numerator.click()
    page.wait_for_url("**show=numerator**")
    assert page.locator("#explained tbody tr").count() == expected
    page.screenshot(path=str(ARTIFACTS / "targets-numerator.png"), full_page=True)


def test_official_reads_the_city_dashboard_with_two_incubators(page, live_server, make, network):
    """Issue 20: each incubator's figure beside the city's, and an incubator's drill-down."""
    ARTIFACTS.mkdir(exist_ok=True)
    official = make.user(Role.OFFICIAL, full_name="Hoàng Thị Lan", locale="en")
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, official, wait=False)
    page.goto(f"{live_server}/targets/?as_of=2025-06-30")
    assert page.locator("#incubators-IT70 tbody tr").count() == 3  # VUHN, HN2, the city
    assert page.locator("#incubators-GRAD10 tbody tr").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=str(ARTIFACTS / "targets-city-dashboard.png"), full_page=True)
    page.locator("#target-IT70 details summary").click()  # each incubator's quarterly series
    assert page.locator("#series-IT70 tbody tr").count() == 3
    assert not serious_violations(page)
    page.locator("#incubators-IT70 tr[data-incubator='HN2'] a[href*='show=denominator']").click()
    page.wait_for_url("**incubator=HN2**")
    assert page.locator("#explained tbody tr").count() == 2  # A and C
    page.screenshot(path=str(ARTIFACTS / "targets-city-drill-down.png"), full_page=True)


def test_a_founder_applies_on_a_phone(browser, live_server, make, db, tmp_path):
    """Issue 5, acceptance 1: at 375 px, from registration to the reference number and the confirmation."""
    import re
    from datetime import UTC, datetime, timedelta

    from pypdf import PdfWriter

    from incubator.applications.enums import QuestionKind
    from incubator.applications.models import RoundDocument, RoundQuestion
    from incubator.mail.models import OutboxMessage

    now = datetime.now(UTC)
    intake_round = make.intake_round(name_vi="Đợt tuyển chọn thử nghiệm", opens_at=now - timedelta(days=1),
                                     closes_at=now + timedelta(days=20))
    make._save(RoundQuestion(round=intake_round, kind=QuestionKind.LONG_TEXT, label_vi="Sản phẩm của bạn",
                             label_en="Your product", required=True))
    document = make._save(RoundDocument(round=intake_round, name_vi="Kế hoạch kinh doanh", name_en="Business plan"))
    pdf = tmp_path / "ke-hoach.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    with pdf.open("wb") as f:
        writer.write(f)

    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    email, password = "hoa.founder@vuonuom.example", "Cay-bang-pho-co-2026"
    page.goto(f"{live_server}/register")
    page.fill("#full_name", "Đinh Thị Hoa")
    page.fill("#email", email)
    page.fill("#password", password)
    page.fill("#confirm", password)
    page.locator("main form button[type=submit]").click()
    # Until the address is confirmed, the account lands on the page that says so, and can do nothing else.
    page.wait_for_url(f"{live_server}/account/confirm")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto(f"{live_server}/my/companies/new")
    assert "chỉ mở sau khi địa chỉ email của bạn được xác nhận" in page.content()

    db.session.rollback()  # a fresh snapshot: the live server committed in another connection
    body = db.session.query(OutboxMessage).filter_by(to_address=email).one().body_text
    page.goto(live_server + re.search(r"(/verify/\S+)", body).group(1))
    assert "đã được xác nhận" in page.content()

    page.goto(f"{live_server}/my/companies/new")
    page.fill("#tax_code", "0101243150")
    page.fill("#name", "Công ty TNHH Hoa Số")
    page.fill("#founded_on", (now - timedelta(days=500)).date().isoformat())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/home/founder")

    page.goto(f"{live_server}/rounds/{intake_round.id}")
    page.get_by_role("link", name="Đăng ký tham gia", exact=True).last.click()
    page.locator("main form button[type=submit]").click()  # the only company is chosen
    page.wait_for_url(re.compile(r".*/applications/\d+/edit"))
    application_url = page.url
    page.select_option("#is_public_company", "no")
    page.select_option("#sector_kind", "services_trade")
    page.fill("#employees", "8")
    page.fill("#revenue", "2500000000")
    page.locator("textarea").first.fill("Ứng dụng đặt lịch khám cho trạm y tế phường")
    page.get_by_text("Đã lưu lúc").wait_for()  # saved while typing, without pressing a button
    assert "Đạt" in page.locator("#eligibility").inner_text()
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.wait_for_url(application_url)
    page.set_input_files(f"#documents form[action$='/documents/{document.id}'] input[type=file]", str(pdf))
    page.locator(f"#documents form[action$='/documents/{document.id}'] button").click()
    page.get_by_text("ke-hoach.pdf").wait_for()  # uploaded with a progress bar, then the page reloads
    page.wait_for_load_state("networkidle")  # the reload is over before the session is cut (else it races the typing)

    # The session ends while the founder types: nothing typed is lost.
    context.clear_cookies()
    page.locator("textarea").first.fill("Ứng dụng đặt lịch khám, bản sửa khi phiên đã hết")
    page.get_by_text("phiên làm việc đã kết thúc").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.goto(f"{live_server}/login")  # log in again, as the message asks
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/home/founder")

    page.goto(application_url)
    page.get_by_text("Đã lưu lúc").wait_for()  # what was typed without a session, put back and saved
    assert page.locator("textarea").first.input_value() == "Ứng dụng đặt lịch khám, bản sửa khi phiên đã hết"

    # Log out and in again by the menu, as the acceptance line says, then submit.
    page.locator(".navbar-toggler").click()
    page.locator("#mainNav.collapse.show").wait_for(state="visible")
    page.locator("#userMenu").click()
    page.locator(".dropdown-menu.show #logout").wait_for(state="visible")
    page.locator("#logout").click()
    page.wait_for_url(f"{live_server}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server}/home/founder")
    page.goto(application_url)
    page.get_by_role("button", name="Lưu và kiểm tra trước khi nộp").click()
    page.locator("#submit-application").click()
    page.wait_for_url(re.compile(r".*/applications/\d+$"))
    reference = page.locator("#reference").inner_text()
    assert re.fullmatch(r"VU-\d{4}-0001", reference)
    page.screenshot(path=str(ARTIFACTS / "application-submitted-375.png"), full_page=True)
    db.session.rollback()  # a fresh snapshot: the live server committed in another connection
    from incubator.applications.models import Application

    saved = db.session.query(Application).one().answers
    assert "Ứng dụng đặt lịch khám, bản sửa khi phiên đã hết" in saved.values()
    subjects = [m.subject for m in db.session.query(OutboxMessage).filter_by(to_address=email)]
    assert any(reference in s for s in subjects), subjects
    context.close()


def test_a_reviewer_declares_no_conflict_and_scores_on_a_phone_then_staff_rank(browser, live_server, runner, db):
    """Issue 6: the demo's dossier review, as the reviewer (375 px) and then the staff (the ranking)."""
    from incubator.demo.data import DEMO_PASSWORD

    ARTIFACTS.mkdir(exist_ok=True)
    assert runner.invoke(args=["demo", "--no-upgrade"]).exit_code == 0
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    log_in(page, live_server, "chuyengia@vuonuom.example", DEMO_PASSWORD)
    page.goto(f"{live_server}/reviews/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "review-desk-375.png"), full_page=True)
    page.get_by_text("Cần khai báo xung đột lợi ích trước").first.click()
    page.locator("#no-conflict").click()
    page.wait_for_selector("fieldset legend")
    for group in page.locator(".score-scale").all():
        group.locator("label").nth(3).click()  # a 4 on each 1-5 criterion
    page.fill("#comment_for_applicant", "Sản phẩm rõ ràng; nên bổ sung số liệu khách hàng thử nghiệm.")
    page.get_by_role("button", name="Gửi bài đánh giá").click()
    page.wait_for_selector(".alert-success")
    assert "Đã gửi lúc" in page.content()
    assert page.locator("#others").is_visible()  # the stage shares scores once one's own is in
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(ARTIFACTS / "review-score-375.png"), full_page=True)
    context.close()

    staff_context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = staff_context.new_page()
    log_in(page, live_server, "canbo@vuonuom.example", DEMO_PASSWORD)
    from incubator.reviews.models import ReviewStage

    stage = db.session.scalar(sa.select(ReviewStage).where(ReviewStage.name_vi == "Vòng đánh giá hồ sơ"))
    page.goto(f"{live_server}/reviews/stages/{stage.id}/ranking")
    assert page.locator("#ranking tbody tr").count() == 12
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # the menu fits too
    page.get_by_role("link", name="Trung vị").click()
    page.wait_for_url(lambda url: "sort=median" in url)
    page.screenshot(path=str(ARTIFACTS / "review-ranking.png"), full_page=True)
    staff_context.close()
    assert not errors, errors


def test_a_startups_file_shows_its_charts_and_timeline_at_375_and_1280(browser, live_server, runner, db):
    """Issue 7, acceptance 5: the demo founder's file (their company is in the running demo cohort)."""
    from incubator.companies.models import Company
    from incubator.demo.data import DEMO_PASSWORD

    ARTIFACTS.mkdir(exist_ok=True)
    assert runner.invoke(args=["demo", "--no-upgrade"]).exit_code == 0
    company = db.session.scalar(sa.select(Company).where(Company.name == "Công ty TNHH Dữ liệu Đô thị Thăng Long"))
    for email, width, name in (("sanglap@vuonuom.example", 375, "startup-file-founder-375"),
                               ("canbo@vuonuom.example", 1280, "startup-file-staff-1280")):
        context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=2 if width < 500
                                      else 1, is_mobile=width < 500, has_touch=width < 500)
        page = context.new_page()
        errors = []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{live_server}/login")
        page.fill("#email", email)
        page.fill("#password", DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(lambda url: "/login" not in url)
        if width < 500:  # the founder reaches the file from the home page
            page.get_by_role("link", name="Hồ sơ doanh nghiệp của chúng tôi").click()
        else:
            page.goto(f"{live_server}/startups/{company.id}")
        page.wait_for_selector("#trends svg")
        assert page.locator("#trends svg").count() == 3
        assert page.locator("#trends svg circle").count() > 10  # the months reported, as points
        assert page.locator("#history li").count() > 3
        assert page.locator("#cohorts .text-bg-danger").count() >= 1  # the month the founder is behind on
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        assert not errors, errors
        context.close()


def test_a_mentor_logs_a_session_the_founder_confirms_and_the_partners_hours_change(browser, live_server, runner,
                                                                                     db):
    """Issue 8, acceptance 4, on the demonstration data: MISA's mentor and the demo founder."""
    from incubator.demo.data import DEMO_PASSWORD
    from incubator.partners.models import Partner

    ARTIFACTS.mkdir(exist_ok=True)
    assert runner.invoke(args=["demo", "--no-upgrade"]).exit_code == 0
    misa = db.session.scalar(sa.select(Partner).where(Partner.short_name == "MISA"))

    def page_as(email, width=1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{live_server}/login")
        page.fill("#email", email)
        page.fill("#password", DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(lambda url: "/login" not in url)
        return context, page

    def partner_hours():
        context, page = page_as("canbo@vuonuom.example")
        page.goto(f"{live_server}/partners/{misa.id}")
        text = page.locator("#partner-hours").inner_text()
        context.close()
        return float(text.split(" ")[0].replace(",", "."))

    before = partner_hours()
    context, page = page_as("covan@vuonuom.example", width=375)
    page.goto(f"{live_server}/mentoring/")
    item = page.locator(".list-group-item", has_text="Công ty TNHH Dữ liệu Đô thị Thăng Long")
    item.get_by_role("link", name="Lên lịch hoặc ghi nhận buổi cố vấn").click()
    # The calendar moves the day's box into its group when the page has loaded: type once it has (a box moved
    # while Playwright types into it loses the text).
    page.wait_for_selector("#starts_on[data-datepicker-ready]", state="attached")
    page.fill("#starts_on", "2026-11-20")
    page.fill("#starts_time", "09:00")
    page.fill("#minutes", "90")
    page.select_option("#mode", "in_person")
    page.fill("#place", "Phòng họp tầng 3, Vườn ươm")
    page.fill("#action_items", "Gửi lại bảng dòng tiền 12 tháng")
    page.fill("#notes", "Chi phí cố định còn cao")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    assert "/mentoring/sessions/" in page.url, page.locator(".invalid-feedback, .alert").all_inner_texts()
    session_url = page.url
    assert "Đã diễn ra, chờ xác nhận" in page.content()
    page.screenshot(path=str(ARTIFACTS / "mentoring-session-logged-375.png"), full_page=True)
    context.close()

    context, page = page_as("sanglap@vuonuom.example", width=375)
    page.goto(session_url)
    assert "Chi phí cố định còn cao" not in page.content()  # the mentor's notes are not the founder's
    assert "Gửi lại bảng dòng tiền 12 tháng" in page.content()
    page.locator("#confirm-session").click()
    page.wait_for_selector("#status .badge")
    assert page.locator("#status").inner_text().strip().startswith("Đã xác nhận")
    context.close()

    assert partner_hours() == before + 1.5
