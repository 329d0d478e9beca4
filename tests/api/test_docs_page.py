"""The API's documentation page renders in Chromium with the site's Content-Security-Policy unchanged: Swagger
UI's files come from the swagger-ui-bundle package and its start-up script is a static file, so no inline
script is refused and nothing is fetched from elsewhere; axe-core finds no serious violation. A screenshot goes
to test-artifacts/."""

from pathlib import Path

import pytest

from incubator.security import CONTENT_SECURITY_POLICY
from tests.browser.test_accessibility import serious_violations

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_the_documentation_page_renders_every_operation_without_a_csp_error(browser, live_server, client):
    ARTIFACTS.mkdir(exist_ok=True)
    spec = client.get("/api/v1/openapi.json").get_json()
    operations = sum(1 for item in spec["paths"].values() for method in item if method == "get")
    messages, requests = [], []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    response = page.goto(f"{live_server}/api/v1/docs")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() == operations
    assert page.locator(".opblock-tag", has_text="targets").count() == 1
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=False)
    assert serious_violations(page) == []
    assert not [m for m in messages if "error" in m.lower() or "Content Security Policy" in m], messages
    assert all(url.startswith(live_server) or url.startswith("data:") for url in requests), requests
