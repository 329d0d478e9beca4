"""Issue 21, acceptance 2: a founder on a phone files a request with an attachment, anonymised; staff route and
answer it; a second member of staff approves it and publishes the version without names; it appears on the
public page and in the feed, without the business's name."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from incubator.auth.enums import Role
from incubator.requests import services
from incubator.requests.enums import BodyKind
from tests.browser.helpers import log_in
from tests.helpers import blank_pdf

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
ATOM = "{http://www.w3.org/2005/Atom}"


def _fits(page, width=375):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_request_filed_on_a_phone_is_routed_answered_approved_and_published_without_names(
        browser, live_server, make, db, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    services.ensure_default_categories()
    company = make.company(name="Công ty Cổ phần Phần mềm Sông Hồng")
    founder = make.user(Role.FOUNDER, full_name="Nguyễn Văn An")
    make.member(company=company, user=founder)
    staff = make.user(Role.STAFF, full_name="Trần Thị Bình")
    second = make.user(Role.STAFF, full_name="Lê Văn Cường")
    services.save_body(None, actor=staff, name_vi="Cục Thuế thành phố Hà Nội", kind=BodyKind.OTHER_DEPARTMENT)
    db.session.commit()
    pdf = tmp_path / "to-khai-thue.pdf"
    pdf.write_bytes(blank_pdf())
    errors = []

    # The founder, on a phone: the menu, the form, the request's page.
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, live_server, founder)
    page.locator(".navbar-toggler").click()
    page.locator("#nav-requests").click()
    page.wait_for_url(f"{live_server}/requests/mine")
    page.locator("#new-request").click()
    page.wait_for_url(f"{live_server}/requests/new")
    _fits(page)
    page.select_option("#category", label="Thuế và tài chính")
    page.fill("#title", "Hoàn thuế cho Công ty Sông Hồng")
    page.fill("#text", "Công ty Sông Hồng xuất khẩu phần mềm, đề nghị hướng dẫn thủ tục hoàn thuế.")
    page.set_input_files("#attachments", str(pdf))
    page.check("input[name=consent][value=anonymised]")
    page.screenshot(path=str(ARTIFACTS / "request-file-phone.png"), full_page=True)
    page.locator("#file-request").click()
    page.wait_for_url(lambda url: "/requests/new" not in url)
    number = re.search(r"KN-\d{4}-\d{4}", page.locator("main").inner_text()).group(0)
    assert page.locator("a", has_text="to-khai-thue.pdf").count() == 1
    _fits(page)
    request_url = page.url
    page.screenshot(path=str(ARTIFACTS / "request-page-phone.png"), full_page=True)

    # Staff route it and draft the answer.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    staff_page = desk.new_page()
    log_in(staff_page, live_server, staff)
    staff_page.goto(f"{live_server}/requests/")
    staff_page.locator("a", has_text=number).click()
    staff_page.select_option("#route-body", label="Cục Thuế thành phố Hà Nội")
    staff_page.locator("#do-route").click()
    staff_page.wait_for_load_state()
    staff_page.fill("#answer-text", "Cục Thuế hướng dẫn: nộp hồ sơ hoàn thuế trực tuyến trên cổng thuế điện tử.")
    staff_page.locator("#do-answer").click()
    staff_page.wait_for_load_state()
    assert staff_page.locator("#approve-by-another").count() == 1  # not by the one who wrote it
    desk.close()

    # A second member of staff approves, prepares the version without names and publishes it.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    second_page = desk.new_page()
    log_in(second_page, live_server, second)
    second_page.goto(request_url)
    second_page.locator("#do-approve").click()
    second_page.wait_for_load_state()
    second_page.fill("#prepare-public_title", "Hoàn thuế cho phần mềm xuất khẩu")
    second_page.fill("#prepare-public_text", "Một doanh nghiệp xuất khẩu phần mềm đề nghị hướng dẫn thủ tục hoàn thuế.")
    second_page.locator("#do-prepare").click()
    second_page.wait_for_load_state()
    second_page.locator("#do-publish").click()
    second_page.wait_for_load_state()
    second_page.screenshot(path=str(ARTIFACTS / "request-staff-page.png"), full_page=True)
    desk.close()

    # The founder reads the answer on the phone and rates it.
    page.goto(request_url)
    assert "cổng thuế điện tử" in page.locator("#answer").inner_text()
    page.check("input[name=satisfied][value=yes]")
    page.fill("#comment", "Hướng dẫn rõ ràng.")
    page.screenshot(path=str(ARTIFACTS / "request-answered-phone.png"), full_page=True)
    page.locator("#send-rating").click()
    page.wait_for_load_state()
    assert page.locator("#rating").count() == 1
    _fits(page)

    # Staff read the quarter's figures: one request received, answered on time, the business satisfied.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    figures = desk.new_page()
    log_in(figures, live_server, staff)
    figures.goto(f"{live_server}/requests/")
    figures.locator("#requests-figures").click()
    figures.wait_for_url(lambda url: "/requests/figures/" in url)
    year_row = figures.locator("#figures-year-total td").all_inner_texts()
    assert [cell.split()[0] for cell in year_row[:4]] == ["1", "1", "1", "0"] and year_row[5].startswith("1 / 1")
    assert figures.locator("text=Cục Thuế thành phố Hà Nội").count() >= 1
    figures.screenshot(path=str(ARTIFACTS / "request-figures.png"), full_page=True)
    desk.close()

    # Anyone reads it on the public page (on a phone) and in the feed.
    public = browser.new_context(**PHONE).new_page()
    public.goto(f"{live_server}/requests/answers/?q=hoan thue")
    text = public.locator("main").inner_text()
    assert "Một doanh nghiệp xuất khẩu phần mềm" in text and "cổng thuế điện tử" in text
    assert "Sông Hồng" not in text and "Nguyễn Văn An" not in text
    _fits(public)
    public.screenshot(path=str(ARTIFACTS / "request-public-answers-phone.png"), full_page=True)
    feed = public.request.get(f"{live_server}/requests/answers.atom")
    body = feed.body().decode("utf-8")
    entries = ET.fromstring(body).findall(f"{ATOM}entry")  # noqa: S314 - the application's own feed
    assert len(entries) == 1 and number in entries[0].findtext(f"{ATOM}title")
    assert "Sông Hồng" not in body and "Nguyễn Văn An" not in body  # neither the business nor its people
    assert "Một doanh nghiệp xuất khẩu phần mềm" in body and "cổng thuế điện tử" in body  # the prepared text
    assert errors == []
