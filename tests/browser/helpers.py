"""What the browser tests share: logging in through the login page as a person does."""

from __future__ import annotations

from tests.helpers import PASSWORD


def log_in(page, live_server, who, password: str = PASSWORD, *, wait: bool = True) -> None:
    """Log in as ``who`` (a user, or an e-mail address) with the login form; with ``wait``, until the login page
    has been left (a refused login then times out instead of going on unnoticed)."""
    page.goto(f"{live_server}/login")
    page.fill("#email", who if isinstance(who, str) else who.email)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    if wait:
        page.wait_for_url(lambda url: "/login" not in url)
