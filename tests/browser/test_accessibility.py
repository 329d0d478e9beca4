"""Every page passes axe-core with no serious or critical violation, as each role sees it, in both languages.

The pages are the permission matrix's GET routes that answer 200, opened in the matrix's own world (its
``objects`` fixture) by a role the matrix lets in; axe-core runs in Chromium from the copy that
axe-playwright-python ships (no network).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from incubator.auth.enums import Role
from tests.browser.helpers import log_in
from tests.test_permission_matrix import (  # noqa: F401 (objects, near_one_business: the matrix's worlds)
    MATRIX,
    OBJECT_MATRIX,
    ROLES,
    _url,
    near_one_business,
    objects,
)

pytestmark = pytest.mark.browser

LANGUAGES = ("vi", "en")
SERIOUS = {"serious", "critical"}
# Staff and administrators see the same pages but for the administration ones: an administrator is taken
# only to the pages staff cannot open, so each page is checked once per language without doubling the run.
SAME_AS = {"admin": "staff"}


def pages_of(role: str) -> list[tuple[str, str | None]]:
    """The (endpoint, params) of the GET routes the matrix lets ``role`` open with a 200."""
    shadow = SAME_AS.get(role)
    return sorted(
        (endpoint, params)
        for (method, endpoint, params), expected in MATRIX.items()
        if method == "GET" and expected[role] == 200 and not (shadow and expected[shadow] == 200)
    )


def test_every_role_has_pages_to_check():
    assert all(pages_of(role) for role in ROLES)
    # The administrator's own pages at least (the users, the invitations) are in its share.
    assert ("admin.users", None) in pages_of("admin")



def _choose_language(page, live_server, lang):
    page.goto(f"{live_server}/password/forgot")  # a page every role may open, with the language buttons
    page.locator(f"button[name=locale][value={lang}]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == lang


def serious_violations(page, axe=Axe()) -> list[str]:  # noqa: B008 (one engine, loaded once)
    """axe-core's serious and critical violations on the page, one line per rule with where it failed."""
    results = axe.run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            first = violation["nodes"][0]
            why = next((c["message"] for c in first.get("any", []) + first.get("all", []) if c.get("message")), "")
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets} — {why}")
    return lines


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_opens_has_no_serious_accessibility_violation(role, app, browser, live_server, make,
                                                                       request):
    world = request.getfixturevalue("objects")  # the permission matrix's world
    user = None if role == "anonymous" else make.user(Role(role), full_name="Nguyễn Thị Kiểm Tra")
    failures, checked = [], 0
    for lang in LANGUAGES:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        if user:
            log_in(page, live_server, user)
        _choose_language(page, live_server, lang)
        for endpoint, params in pages_of(role):
            url = live_server + _url(app, endpoint, params, world)
            try:
                response = page.goto(url)
            except Exception as error:  # a file sent as an attachment: not a page
                if "Download is starting" in str(error):
                    continue
                raise
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue  # an export, a PDF, a calendar: not a page to read
            if response.status != 200:  # the permission matrix says why; here, the other pages go on
                failures.append(f"[{lang}] {endpoint} {url}: answered {response.status}")
                continue
            checked += 1
            failures.extend(f"[{lang}] {endpoint} {url}: {line}" for line in serious_violations(page))
        context.close()
    assert checked, f"no page checked as {role}"
    assert not failures, f"as {role}:\n" + "\n".join(failures)



# The object-level rows: a business's own pages as the founders holding it and its mentor see them.
OWN_PAGES_OF = ("holder", "mentor")


@pytest.mark.parametrize("visitor", OWN_PAGES_OF)
def test_a_business_pages_as_its_founder_and_its_mentor_see_them_have_no_serious_violation(
        visitor, app, browser, live_server, request):
    people, ids = request.getfixturevalue("near_one_business")
    pages = sorted((endpoint, params) for (method, endpoint, params), expected in OBJECT_MATRIX.items()
                   if method == "GET" and expected[visitor] == 200)
    assert pages
    failures = []
    for lang in LANGUAGES:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        log_in(page, live_server, people[visitor])
        _choose_language(page, live_server, lang)
        for endpoint, params in pages:
            url = live_server + _url(app, endpoint, params, ids)
            response = page.goto(url)
            if response.status != 200:
                failures.append(f"[{lang}] {endpoint} {url}: answered {response.status}")
                continue
            failures.extend(f"[{lang}] {endpoint} {url}: {line}" for line in serious_violations(page))
        context.close()
    assert not failures, f"as {visitor}:\n" + "\n".join(failures)

# ---- Pages full of data: the demo's year, as staff and an official read it ---------------------------------

DEMO_PASSWORD = "Vuon-uom-2025-demo"


@pytest.fixture
def demo_year(runner, db):
    """The demo's data and a periodic report for the year 2025 (its charts: a year of quarters and more)."""
    from datetime import date

    import sqlalchemy as sa

    from incubator.auth.models import User
    from incubator.reports import services as reports
    from incubator.reviews.models import ReviewStage

    result = runner.invoke(args=["demo", "--no-upgrade"])
    assert result.exit_code == 0, result.output
    from incubator.organisation.current import use_incubator
    from incubator.organisation.models import Incubator

    staff = db.session.scalar(sa.select(User).where(User.email == "canbo@vuonuom.example"))
    with use_incubator(db.session.scalar(sa.select(Incubator).where(Incubator.code == "VUHN"))):
        # The demo holds two incubators: the report is VUHN's, where canbo@ works.
        report = reports.create(actor=staff, period_label="2025", start=date(2025, 1, 1), end=date(2025, 12, 31))
    db.session.commit()
    stage = db.session.scalar(sa.select(ReviewStage).order_by(ReviewStage.id))
    return {"report": f"/reports/{report.id}", "ranking": f"/reviews/stages/{stage.id}/ranking",
            "dashboard": "/targets/?as_of=2025-12-31"}



def test_the_pages_full_of_data_have_no_serious_accessibility_violation(browser, live_server, demo_year):
    failures = []
    for email, pages in (("canbo@vuonuom.example", ("dashboard", "ranking", "report")),
                         ("sotttt@vuonuom.example", ("dashboard", "report"))):
        for lang in LANGUAGES:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            log_in(page, live_server, email, DEMO_PASSWORD)
            _choose_language(page, live_server, lang)
            for name in pages:
                page.goto(live_server + demo_year[name])
                failures.extend(f"[{lang}] {email} {name}: {line}" for line in serious_violations(page))
            context.close()
    assert not failures, "\n".join(failures)


def test_the_report_page_fits_a_375_pixel_phone_with_a_year_of_quarters(browser, live_server, demo_year):
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    log_in(page, live_server, "canbo@vuonuom.example", DEMO_PASSWORD)
    page.goto(live_server + demo_year["report"])
    charts = page.locator("#figures .chart svg")
    assert charts.count() == 3  # the incubated share, the graduates, the certified share
    # No sideways scrolling: not the page, and not a chart cut at the screen's edge.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
        # every quarter of the series drawn inside the screen, the last one included
        labels = charts.nth(i).locator("text", has_text="2025")
        assert labels.count() >= 4
        last = labels.last.bounding_box()
        assert last["x"] + last["width"] <= 375
    for table in page.locator("#figures table").all():
        box = table.bounding_box()
        assert box["x"] + box["width"] <= 375
    assert not serious_violations(page)
    context.close()



def test_on_a_phone_what_scrolls_sideways_is_reached_with_the_keyboard(browser, live_server, demo_year):
    """At 375 px the dashboard's charts and the audit log's table scroll in their own boxes: each box that scrolls
    with nothing focusable inside can be focused (and so scrolled with the arrow keys); axe agrees."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, "canbo@vuonuom.example", DEMO_PASSWORD)
    failures = []
    for url in (demo_year["dashboard"], demo_year["ranking"], "/audit/", "/register/"):
        page.goto(live_server + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
        failures.extend(f"{url}: {line}" for line in serious_violations(page))
    page.goto(live_server + demo_year["dashboard"])
    chart = page.locator("#target-IT70 .chart")
    assert chart.get_attribute("tabindex") == "0"
    assert chart.get_attribute("aria-label") == page.locator("#target-IT70 svg > title").text_content()
    context.close()
    assert not failures, "\n".join(failures)

# ---- Keyboard: the ranking and the dashboards -----------------------------------------------------------------

def _tab_to(page, selector: str, limit: int = 80) -> bool:
    """Press Tab until the focused element matches the selector (as a person without a mouse goes)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return True
    return False


def test_the_ranking_and_the_dashboard_can_be_used_with_a_keyboard(page, live_server, demo_year):
    log_in(page, live_server, "canbo@vuonuom.example", DEMO_PASSWORD)
    page.goto(live_server + demo_year["ranking"])
    # Sorting by a column: Tab to its heading's link, Enter; the header cell then says how the list is sorted.
    assert _tab_to(page, "#ranking th a[href*='sort=median']")
    page.keyboard.press("Enter")
    page.wait_for_url("**sort=median**")
    assert page.locator("#ranking th[aria-sort]").count() == 1
    assert "median" in page.locator("#ranking th[aria-sort] a").get_attribute("href")
    # Ticking an application: Tab to its box, Space.
    box = page.locator("#ranking input[type=checkbox]").first
    if box.count():
        assert _tab_to(page, "#ranking input[type=checkbox]")
        page.keyboard.press("Space")
        assert page.evaluate("document.activeElement.checked")

    page.goto(live_server + demo_year["dashboard"])
    # The chart's figures are there in words, and the numerator opens from the keyboard.
    chart = page.locator("#target-IT70 svg[role=img]")
    described = chart.get_attribute("aria-describedby")
    assert "2025" in page.locator(f"[id='{described}']").text_content()
    assert _tab_to(page, "#target-IT70 a[href*='show=numerator']")
    page.keyboard.press("Enter")
    page.wait_for_url("**show=numerator**")
