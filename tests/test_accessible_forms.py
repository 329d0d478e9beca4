"""Forms tie each error to its field, and every ARIA reference on a page names an element that is there.

Every form the permission matrix sends back with its errors (a POST answered 400) is checked as staff and as an
administrator: a field marked invalid says so (aria-invalid) and names its message (aria-describedby), and that
message holds the error. Every GET page those roles open is checked too: no aria-describedby or aria-labelledby
points at nothing, and no visible field is left without a label.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from incubator.auth.enums import Role
from tests.helpers import csrf_token, login
from tests.test_permission_matrix import MATRIX, _url, objects  # noqa: F401 (objects: the matrix's world)

pytestmark = pytest.mark.slow

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class Page(HTMLParser):
    """The elements of a page with their attributes, the ids and what each labelled field's <label for> is."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.label_for: set[str] = set()
        self.text_by_id: dict[str, list[str]] = {}
        self._open: list[tuple[str, str | None]] = []  # (tag, id) to gather each element's text
        self._label_depth = 0
        self.wrapped: list[dict] = []  # fields inside a <label>
        self.feed(html)

    VOID = {"input", "br", "img", "hr", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        self.elements.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "label":
            self._label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea") and self._label_depth:
            self.wrapped.append(attrs)
        if tag not in self.VOID:
            self._open.append((tag, attrs.get("id")))
            if attrs.get("id"):
                self.text_by_id.setdefault(attrs["id"], [])

    def handle_endtag(self, tag):
        if tag == "label" and self._label_depth:
            self._label_depth -= 1
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for _tag, element_id in self._open:
            if element_id:
                self.text_by_id[element_id].append(data)

    def text_of(self, element_id: str) -> str:
        return " ".join("".join(self.text_by_id.get(element_id, [])).split())


def broken_references(page: Page) -> list[str]:
    problems = []
    for tag, attrs in page.elements:
        for name in ("aria-describedby", "aria-labelledby", "aria-controls"):
            for ref in attrs.get(name, "").split():
                if ref not in page.ids:
                    problems.append(f"<{tag} id={attrs.get('id')!r}> {name}={ref!r} names nothing")
    return problems


def unlabelled_fields(page: Page) -> list[str]:
    wrapped = [id(a) for a in page.wrapped]
    problems = []
    for tag, attrs in page.elements:
        if tag not in ("input", "select", "textarea") or attrs.get("type", "text") in UNLABELLED_TYPES:
            continue
        if id(attrs) in wrapped or attrs.get("aria-label") or attrs.get("aria-labelledby") or attrs.get("title"):
            continue
        if attrs.get("id") and attrs["id"] in page.label_for:
            continue
        problems.append(f"<{tag} name={attrs.get('name')!r} id={attrs.get('id')!r}> has no label")
    return problems


def errors_not_tied(page: Page) -> list[str]:
    problems = []
    for tag, attrs in page.elements:
        if tag not in ("input", "select", "textarea") or "is-invalid" not in attrs.get("class", "").split():
            continue
        name = attrs.get("name") or attrs.get("id")
        if attrs.get("aria-invalid") != "true":
            problems.append(f"{name}: marked invalid without aria-invalid")
        described = [ref for ref in attrs.get("aria-describedby", "").split() if page.text_of(ref)]
        if not described:
            problems.append(f"{name}: its error is not named by aria-describedby")
    return problems


@pytest.mark.parametrize("role", ["staff", "admin", "founder", "anonymous"])
def test_every_form_sent_back_ties_each_error_to_its_field(role, app, make, client_factory, request):
    world = request.getfixturevalue("objects")
    client = client_factory()
    if role != "anonymous":
        login(client, make.user(Role(role)))
    token = csrf_token(client)
    checked, failures = 0, []
    for (method, endpoint, params), expected in MATRIX.items():
        if method != "POST" or expected[role] != 400 or endpoint in ("auth.logout",):
            continue
        url = _url(app, endpoint, params, world)
        response = client.post(url, data={"csrf_token": token})
        if response.status_code != 400 or response.mimetype != "text/html":
            continue
        page = Page(response.get_data(as_text=True))
        if "is-invalid" not in response.get_data(as_text=True):
            continue  # refused as a whole (a stale version, a closed form): the reason is above the form
        checked += 1
        failures.extend(f"POST {url}: {p}" for p in errors_not_tied(page) + broken_references(page))
    if role in ("staff", "admin"):
        assert checked >= 10, checked  # the register's, the rounds', the reviews' forms…
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ["anonymous", *[r.value for r in Role]])
def test_every_page_labels_its_fields_and_names_only_what_is_there(role, app, make, client_factory, request):
    world = request.getfixturevalue("objects")
    client = client_factory()
    if role != "anonymous":
        login(client, make.user(Role(role)))
    failures, checked = [], 0
    for (method, endpoint, params), expected in MATRIX.items():
        if method != "GET" or expected[role] != 200:
            continue
        url = _url(app, endpoint, params, world)
        response = client.get(url)
        if response.mimetype != "text/html":
            continue
        checked += 1
        page = Page(response.get_data(as_text=True))
        failures.extend(f"GET {url}: {p}" for p in broken_references(page) + unlabelled_fields(page))
    assert checked
    assert not failures, f"as {role}:\n" + "\n".join(failures)


def test_a_refused_field_says_so_and_names_its_message(client):
    """The register form sent back: each refused field is aria-invalid and described by its error's text."""
    token = csrf_token(client, "/register")
    response = client.post("/register", data={"csrf_token": token, "full_name": "", "email": "khong-phai-email",
                                              "password": "ngan", "confirm": "khac"})
    assert response.status_code == 400
    page = Page(response.get_data(as_text=True))
    email = next(attrs for tag, attrs in page.elements if tag == "input" and attrs.get("name") == "email")
    assert email.get("aria-invalid") == "true"
    assert email["aria-describedby"] == "email-feedback"
    assert page.text_of("email-feedback")  # the reason, in words
    assert not errors_not_tied(page)
    # A field with nothing to say names nothing.
    fresh = Page(client.get("/login").get_data(as_text=True))
    assert not broken_references(fresh)
    password = next(attrs for tag, attrs in fresh.elements if tag == "input" and attrs.get("name") == "password")
    assert "aria-invalid" not in password


def test_the_checks_find_what_they_look_for():
    page = Page('<label for="a">A</label><input id="a" name="a" class="form-control is-invalid">'
                '<input id="b" name="b" aria-describedby="nowhere"><label>C <input name="c"></label>'
                '<select name="d" aria-label="D"></select><input type="hidden" name="e">')
    assert errors_not_tied(page) == ["a: marked invalid without aria-invalid",
                                     "a: its error is not named by aria-describedby"]
    assert broken_references(page) == ["<input id='b'> aria-describedby='nowhere' names nothing"]
    assert unlabelled_fields(page) == ["<input name='b' id='b'> has no label"]
