"""Every page passes axe-core with no serious or critical violation, as each role sees it, in both languages.

The pages are the permission matrix's GET routes that answer 200, opened in the matrix's own world (its
``objects`` fixture) by a role the matrix lets in; axe-core runs in Chromium from the copy that
axe-playwright-python ships (no network).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from incubator.auth.enums import Role
from tests.helpers import PASSWORD
from tests.test_permission_matrix import MATRIX, ROLES, _url, objects  # noqa: F401 (objects: the matrix's world)

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


def _log_in(page, live_server, user):
    page.goto(f"{live_server}/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


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
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
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
            _log_in(page, live_server, user)
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
            assert response.status == 200, f"{url}: {response.status}"
            checked += 1
            failures.extend(f"[{lang}] {endpoint} {url}: {line}" for line in serious_violations(page))
        context.close()
    assert checked, f"no page checked as {role}"
    assert not failures, f"as {role}:\n" + "\n".join(failures)
