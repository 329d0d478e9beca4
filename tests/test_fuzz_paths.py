"""Numbers no database holds, decimals that are no number and days at the calendar's ends, in the path and the
query string of every route (walked from ``app.url_map``), as an anonymous visitor, a founder and staff: never
a 5xx (quality.md; issue 16).

- Every ``<int:…>`` of a GET or POST route replaced by 2**31 (beyond PostgreSQL's INTEGER, the type of every
  id), 2**63, -2**63-1 and 10**30 answers 404: no route matches a number its id column cannot hold.
  POSTs carry a valid CSRF token, so they would reach the view if the route matched.
- Every GET route is requested with every query parameter the views read (and those of the page's own filter
  forms) set to such numbers, to sNaN and -Infinity, and to days like 0001-01-01 and 31/12/9999: each
  parameter takes each value once over a handful of requests (a refused number may answer 400; never 500).
  tests/test_fuzz_forms.py's generated query strings draw from more of these (NaN, Infinity, 2**64 …).

tests/test_fuzz_forms.py posts generated values to every form and generated query strings to every page;
tests/test_values_in_bounds.py holds the rules one by one.
"""

from __future__ import annotations

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

from incubator.auth.enums import Role
from tests.helpers import csrf_token
from tests.test_fuzz_forms import PUBLIC_ENDPOINTS, QUERY_PARAMETERS, World, _forms, _log_in, _matrix_rows

pytestmark = pytest.mark.slow

HUGE_IDS = [2**31, 2**63, -(2**63) - 1, 10**30]
QUERY_VALUES = [str(2**63), str(-(2**63) - 1), "1" + "0" * 30, str(2**31), "sNaN", "-Infinity", "0001-01-01",
                "31/12/9999"]
VISITORS = ("anonymous", "founder", "staff")


@pytest.fixture
def visitors(make, client_factory):
    """The fuzz world, and a client for each visitor; the founder is a confirmed member of the world's business
    (its own pages open to them)."""
    from incubator.companies.models import Company
    from incubator.extensions import db

    world = World(make, client_factory)
    founder = make.user(Role.FOUNDER)
    make.member(company=db.session.get(Company, world.objects["company_id"]), user=founder)
    clients = {"anonymous": client_factory(), "staff": world.client("staff"), "founder": client_factory()}
    _log_in(clients["founder"], founder)
    return world, clients


def _spec_values(world, method: str, rule) -> dict:
    """The url arguments of the route's first row in the permission matrix (the world's objects); the world's
    object of each argument's name for a route the matrix does not know yet (its own test says so)."""
    endpoint = rule.endpoint
    rows = _matrix_rows(method, endpoint)
    spec = rows[0][0] if rows else ",".join(rule.arguments)
    values = {}
    for name in (spec or "").split(","):
        key, _, value = name.partition("=")
        if key:
            values[key] = world.objects.get(value or key, value or key)
    if endpoint in ("auth.reset_password", "auth.accept_invitation", "auth.verify_email"):
        values["token"] = world.objects["token"]
    return values


def _routes(app, method: str):
    return [rule for rule in app.url_map.iter_rules()
            if method in rule.methods and rule.endpoint not in PUBLIC_ENDPOINTS]


@pytest.mark.parametrize("visitor", VISITORS)
def test_a_number_its_column_cannot_hold_in_any_path_is_404(app, visitors, visitor):
    world, clients = visitors
    client = clients[visitor]
    token = csrf_token(client)
    wrong, walked = [], 0
    for method in ("GET", "POST"):
        for rule in _routes(app, method):
            numbers = [name for name, c in rule._converters.items() if isinstance(c, IntegerConverter)]
            if not numbers:
                continue
            values = _spec_values(world, method, rule)
            for number in HUGE_IDS:
                with app.test_request_context():
                    url = url_for(rule.endpoint, **{**values, **dict.fromkeys(numbers, number)})
                response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
                walked += 1
                # The API is answered by token, never by a session: without one, 401 before any lookup (its own
                # fuzzer, tests/api/test_fuzz_api.py, sends such numbers with a token).
                expected = 401 if rule.rule.startswith("/api/v1/") else 404
                if response.status_code != expected:
                    wrong.append(f"{method} {url}: {response.status_code}")
    assert walked > 300
    assert not wrong, f"as {visitor}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("visitor", VISITORS)
def test_huge_numbers_nan_and_far_days_in_any_query_string_never_give_a_5xx(app, visitors, visitor):
    world, clients = visitors
    client = clients[visitor]
    failed, walked = [], 0
    for rule in _routes(app, "GET"):
        with app.test_request_context():
            url = url_for(rule.endpoint, **_spec_values(world, "GET", rule))
        page = client.get(url)
        assert page.status_code < 500, f"GET {url} as {visitor}: {page.status_code}"
        if page.status_code in (301, 302, 303) or page.status_code >= 400:
            continue  # a login redirect or a refusal: the view read nothing
        own = [name for form in _forms(page.get_data(as_text=True)) if form["method"] == "get"
               for name in form["fields"]] if page.mimetype == "text/html" else []
        names = sorted(set(QUERY_PARAMETERS + own))
        # Each parameter takes each value once; the values rotate so that a refused number (400) in one
        # parameter does not always hide what the others do. A download (a spreadsheet, a PDF) reads the
        # filters of its list page, walked in full: it is asked once, each parameter with another value.
        for shift in range(len(QUERY_VALUES) if page.mimetype == "text/html" else 1):
            query = [(name, QUERY_VALUES[(i + shift) % len(QUERY_VALUES)]) for i, name in enumerate(names)]
            response = client.get(url, query_string=query)
            walked += 1
            if response.status_code >= 500:
                failed.append(f"GET {url}?{'&'.join(f'{k}={v}' for k, v in query)}: {response.status_code}")
    assert walked >= 5 * len(QUERY_VALUES)  # the pages open to the visitor (anonymous: login, the public rounds …)
    assert not failed, f"as {visitor}:\n" + "\n".join(failed)
