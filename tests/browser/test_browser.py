"""The flows that matter, in a real browser: Playwright driving Debian's Chromium."""

from pathlib import Path

import pytest

from incubator.auth.enums import Role
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _log_in(page, live_server, user):
    page.goto(f"{live_server}/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_staff_logs_in_sees_home_switches_language_and_logs_out(page, live_server, make):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    staff = make.user(Role.STAFF, full_name="Nguyễn Thị Thu Hà")

    page.goto(f"{live_server}/home/staff")
    assert "/login" in page.url  # anonymous: sent to the login page
    _log_in(page, live_server, staff)
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
        _log_in(page, live_server, user)
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
    """Issue 4, acceptance 5: the two targets, the chart and the drill-down, as an official sees them."""
    ARTIFACTS.mkdir(exist_ok=True)
    assert runner.invoke(args=["demo", "--no-upgrade"]).exit_code == 0
    official = make.user(Role.OFFICIAL, full_name="Hoàng Thị Lan")
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, live_server, official)
    page.goto(f"{live_server}/targets/?as_of=2025-12-31")
    assert page.locator("section.card").count() == 2
    assert page.locator("section.card svg").count() == 2
    assert page.locator("#target-IT70 svg rect").count() == 12  # one bar per quarter
    page.screenshot(path=str(ARTIFACTS / "targets-dashboard.png"), full_page=True)
    numerator = page.locator("#target-IT70 a[href*='show=numerator']")
    expected = int(numerator.inner_text())
    numerator.click()
    page.wait_for_url("**show=numerator**")
    assert page.locator("#explained tbody tr").count() == expected
    page.screenshot(path=str(ARTIFACTS / "targets-numerator.png"), full_page=True)
