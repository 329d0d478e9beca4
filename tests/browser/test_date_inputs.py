"""Issue 18, acceptance 3: a Chromium whose own language is English (en-US, month first in its date inputs)
shows and accepts dd/mm/yyyy on the Vietnamese pages; the calendar picks a day with a click, a tap or the keyboard;
without JavaScript a typed day is still understood."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from tests.browser.helpers import log_in
from tests.helpers import tax_code

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _context(browser, **kw):
    return browser.new_context(locale="en-US", timezone_id="America/New_York", **kw)



def _pick(page, field_id, day: date):
    """Open the field's calendar, go to the day's month and year with the calendar's own lists, click the day."""
    page.locator(f".datepicker-field:has(#{field_id}) .datepicker-toggle").click()
    panel = page.locator(".datepicker")
    panel.wait_for(state="visible")
    panel.locator(".datepicker-year").select_option(str(day.year))
    panel.locator(".datepicker-month").select_option(str(day.month - 1))
    panel.locator(f"button[data-day='{day.isoformat()}']").click()
    panel.wait_for(state="detached")


def test_an_english_browser_shows_and_accepts_dd_mm_yyyy_on_vietnamese_pages(browser, live_server, make, db):
    from incubator.companies.models import Company, Residency

    ARTIFACTS.mkdir(exist_ok=True)
    errors = []
    staff = make.user(Role.STAFF, full_name="Nguyễn Thị Thu Hà")
    context = _context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, live_server, staff)
    assert page.evaluate("navigator.language") == "en-US"

    # A business's founding date, typed: the 12th of February, not the 2nd of December.
    page.goto(f"{live_server}/register/new")
    assert page.locator("html").get_attribute("lang") == "vi"
    founded = page.locator("#founded_on")
    assert founded.get_attribute("type") == "text" and founded.get_attribute("placeholder") == "dd/mm/yyyy"
    page.fill("#tax_code", tax_code(181801))
    page.fill("#name", "Công ty TNHH Lịch Việt")
    page.fill("#founded_on", "12/02/2021")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/register/new" not in url)
    db.session.rollback()  # a fresh snapshot: the live server committed in another connection
    company = db.session.scalar(sa.select(Company).where(Company.tax_code == tax_code(181801)))
    assert company.founded_on == date(2021, 2, 12)
    page.goto(f"{live_server}/register/{company.id}/edit")
    assert page.input_value("#founded_on") == "12/02/2021"  # shown back day first

    # A residency's first day, picked on the calendar: it writes dd/mm/yyyy into the field.
    page.goto(f"{live_server}/register/{company.id}/residencies/new")
    _pick(page, "starts_on", date(2025, 1, 15))
    assert page.input_value("#starts_on") == "15/01/2025"
    page.screenshot(path=str(ARTIFACTS / "date-input-residency-en-US.png"), full_page=True)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/residencies/new" not in url)
    db.session.rollback()
    assert db.session.scalar(sa.select(Residency.starts_on).where(Residency.company_id == company.id)) \
        == date(2025, 1, 15)

    assert not errors, errors  # no script blocked by the CSP

    # A day that is none is refused at its field (a 400), with what was typed kept.
    page.goto(f"{live_server}/register/{company.id}/edit")
    page.fill("#founded_on", "31/02/2021")
    page.locator("main form button[type=submit]").click()
    assert page.locator("#founded_on.is-invalid").count() == 1
    assert "31/02/2021" in page.locator("#founded_on-feedback").inner_text()
    assert page.input_value("#founded_on") == "31/02/2021"
    context.close()


def test_a_mentor_picks_a_sessions_day_on_a_phone_and_types_its_time(browser, live_server, make, db):
    from incubator.mentoring.models import MentoringSession

    mentor = make.user(Role.MENTOR, partner=make.partner(), full_name="Trần Văn Cố Vấn")
    assignment = make.mentor_assignment(make.cohort_member(make.cohort()), mentor)
    context = _context(browser, viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                       has_touch=True)
    page = context.new_page()
    log_in(page, live_server, mentor)
    page.goto(f"{live_server}/mentoring/assignments/{assignment.id}/sessions/new")
    page.locator(".datepicker-field:has(#starts_on) .datepicker-toggle").tap()
    panel = page.locator(".datepicker")
    panel.wait_for(state="visible")
    # Fingers: every day is at least 44 px square, and the calendar stays on the 375 px screen.
    box = panel.locator("button.datepicker-day").first.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    panel_box = panel.bounding_box()
    assert panel_box["x"] >= 0 and panel_box["x"] + panel_box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # Vietnamese names of the months and days, Monday first, whatever the browser's language.
    assert panel.locator("thead th").first.inner_text().startswith("Th")
    assert panel.locator(".datepicker-month option").first.inner_text().lower() == "tháng 1"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "date-input-session-375-en-US.png"))
    panel.locator(".datepicker-year").select_option("2025")
    panel.locator(".datepicker-month").select_option("2")
    panel.locator("button[data-day='2025-03-10']").tap()
    assert page.input_value("#starts_on") == "10/03/2025"
    assert page.locator("#starts_time").get_attribute("type") == "text"  # not 02:30 PM
    page.fill("#starts_time", "14:30")
    page.fill("#minutes", "60")
    page.select_option("#mode", "in_person")
    page.fill("#place", "Phòng họp tầng 3")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/sessions/new" not in url)
    db.session.rollback()
    session = db.session.scalar(sa.select(MentoringSession))
    assert session.starts_at == datetime(2025, 3, 10, 7, 30, tzinfo=UTC)  # 14:30 in Hà Nội
    context.close()


def test_the_calendar_works_with_the_keyboard_and_a_rounds_time_is_kept(browser, live_server, make, db):
    staff = make.user(Role.STAFF)
    context = _context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server, staff)
    page.goto(f"{live_server}/rounds/new")
    page.fill("#closes_at", "17:00 30/04/2026")
    toggle = page.locator(".datepicker-field:has(#closes_at) .datepicker-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    page.locator(".datepicker").wait_for(state="visible")
    assert toggle.get_attribute("aria-expanded") == "true"
    focused = page.evaluate("document.activeElement.getAttribute('data-day')")
    assert focused == "2026-04-30"  # the day already in the field
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowUp")  # a week earlier: 22/04
    page.keyboard.press("Enter")
    assert page.input_value("#closes_at") == "17:00 22/04/2026"  # the time kept
    toggle.click()
    page.keyboard.press("Escape")
    page.locator(".datepicker").wait_for(state="detached")
    assert page.evaluate("document.activeElement.classList.contains('datepicker-toggle')")
    context.close()


def test_the_keyboard_never_takes_the_focus_onto_a_day_that_cannot_be_chosen(browser, live_server, make, db):
    """A founding date is not in the future: from the last day allowed, the arrows keep the focus in the calendar,
    on a day that can be chosen, and the next key still moves it."""
    staff = make.user(Role.STAFF)
    context = _context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server, staff)
    page.goto(f"{live_server}/register/new")
    last = page.locator("#founded_on").get_attribute("data-max")
    assert last  # the field's bound is given to the calendar
    last_day = date.fromisoformat(last)
    page.fill("#founded_on", last_day.strftime("%d/%m/%Y"))
    toggle = page.locator(".datepicker-field:has(#founded_on) .datepicker-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    page.locator(".datepicker").wait_for(state="visible")
    assert page.evaluate("document.activeElement.getAttribute('data-day')") == last
    for key in ("ArrowRight", "ArrowDown"):  # the next day, the next week: beyond the bound
        page.keyboard.press(key)
        assert page.evaluate("document.activeElement.getAttribute('data-day')") == last, key
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.getAttribute('data-day')") == \
        (last_day - timedelta(days=1)).isoformat()
    context.close()


def test_without_javascript_a_typed_day_is_understood(browser, live_server, make, db):
    from incubator.companies.models import Company

    staff = make.user(Role.STAFF)
    context = _context(browser, java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = context.new_page()
    log_in(page, live_server, staff)
    page.goto(f"{live_server}/register/new")
    assert page.locator(".datepicker-toggle").count() == 0  # no calendar, the text box alone
    page.fill("#tax_code", tax_code(181802))
    page.fill("#name", "Công ty TNHH Không Kịch Bản")
    page.fill("#founded_on", "5/6/2020")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/register/new" not in url)
    db.session.rollback()
    company = db.session.scalar(sa.select(Company).where(Company.tax_code == tax_code(181802)))
    assert company.founded_on == date(2020, 6, 5)
    page.goto(f"{live_server}/targets/?as_of=31/12/2025")
    assert page.input_value("#as_of") == "31/12/2025"
    context.close()
