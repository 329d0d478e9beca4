"""Home pages in a real browser: a reviewer meets the applications assigned to them on their home, and an
anonymous visitor's front page fits a phone."""

from datetime import timedelta
from pathlib import Path

import pytest

from incubator.auth.enums import Role
from incubator.db import utcnow
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_reviewer_logs_in_and_finds_the_applications_assigned_on_the_home(page, live_server, make):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    reviewer = make.user(Role.REVIEWER, full_name="Lê Minh Tuấn")
    soon = make.review_stage(closes_at=utcnow() + timedelta(days=3))
    later = make.review_stage(closes_at=utcnow() + timedelta(days=20))
    first = make.assignment(entry=make.stage_entry(stage=soon), reviewer=reviewer)
    for i in range(11):
        make.assignment(entry=make.stage_entry(stage=later if i % 2 else soon), reviewer=reviewer)

    log_in(page, live_server, reviewer, wait=False)
    page.wait_for_url(f"{live_server}/home/reviewer")

    assert page.locator("#reviews-total").get_attribute("data-count") == "12"
    assert page.locator("#reviews-to-review").get_attribute("data-count") == "12"
    items = page.locator("#review-items a")
    assert items.count() == 10  # the desk's first ten; the rest one click away
    assert items.first.get_attribute("data-assignment") == str(first.id)
    assert page.locator("#review-stages progress").count() == 2
    assert first.application.company.name in items.first.inner_text()

    items.first.click()
    page.wait_for_url(f"{live_server}/reviews/assignments/{first.id}")
    page.go_back()
    page.locator("#reviews-see-all").click()
    page.wait_for_url(f"{live_server}/reviews/")
    assert not errors, errors


def test_the_anonymous_front_page_fits_a_375_pixel_phone(browser, live_server, make):
    ARTIFACTS.mkdir(exist_ok=True)
    open_round = make.intake_round(name_vi="Đợt tuyển chọn khởi nghiệp sáng tạo năm 2026 – đợt 1")
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server}/")
    assert page.url == f"{live_server}/"  # no longer sent to the login page
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    page.screenshot(path=str(ARTIFACTS / "front-375.png"), full_page=True)
    assert "Đợt tuyển chọn khởi nghiệp sáng tạo năm 2026" in page.locator("#open-rounds").inner_text()

    page.get_by_role("button", name="Menu").click()
    menu = page.locator("#mainNav")
    menu.get_by_role("link", name="Tạo tài khoản").wait_for()
    assert menu.get_by_role("link", name="Đăng ký tham gia").count() == 0  # one word per meaning

    page.locator(f"#open-rounds a.btn[href='/rounds/{open_round.id}']").click()
    page.wait_for_url(f"{live_server}/rounds/{open_round.id}")
    context.close()


def test_a_person_with_many_roles_sees_every_role_tab_on_a_phone_without_scrolling_sideways(page, live_server,
                                                                                             make):
    person = make.user(Role.STAFF, Role.REVIEWER, Role.MENTOR, Role.FUND_MANAGER, Role.OFFICIAL, Role.FOUNDER,
                       full_name="Người Nhiều Vai")
    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, live_server, person, wait=False)
    page.wait_for_url(f"{live_server}/home/*")
    tabs = page.locator("#role-tabs")
    assert tabs.locator(".nav-link").count() == 6
    assert tabs.evaluate("e => e.scrollWidth <= e.clientWidth")  # the tabs wrap: none is clipped
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for link in tabs.locator(".nav-link").all():  # each tab lies within the screen
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
