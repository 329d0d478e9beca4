"""Fixtures of the API's tests: a token of an official (or of whoever a test names), and a client calling with
it. ``PATH_PARAMETERS`` gives the contract harness (test_contract.py) the values of each documented path's
parameters on the data ``api_world`` makes: a helper adding a resource adds its paths' values here."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from incubator.api import services
from incubator.auth.enums import Role


@pytest.fixture
def new_token(make, db):
    """new_token(owner=None, **options) -> secret: a token made through the service (its owner an official
    unless given), committed."""

    def _new(owner=None, name: str | None = None, **options) -> str:
        owner = owner or make.user(Role.OFFICIAL)
        made = services.create_token(owner, name or f"token {make._next()}", **options)
        db.session.commit()
        return made.secret

    return _new


class ApiClient:
    def __init__(self, client, secret: str | None):
        self.client = client
        self.secret = secret

    def get(self, url: str, headers: dict | None = None, **kw):
        headers = dict(headers or {})
        if self.secret is not None:
            headers.setdefault("Authorization", f"Bearer {self.secret}")
        return self.client.get(url, headers=headers, **kw)


@pytest.fixture
def api(client, new_token) -> Callable[..., ApiClient]:
    """api(secret=None) -> a client sending that token (a new official's when none is given)."""

    def _api(secret: str | None = None) -> ApiClient:
        return ApiClient(client, secret if secret is not None else new_token())

    return _api


# --- The contract harness's world and the values of the documented paths' parameters -----------------------

@pytest.fixture
def api_world(runner, db):
    """The demonstration's data (two incubators, their registers, rounds, cohorts, reports …), loaded by the
    `flask demo` command, as the world every documented operation is called in."""
    result = runner.invoke(args=["demo", "--no-upgrade"])
    assert result.exit_code == 0, result.output
    db.session.commit()
    return db


def _codes(db) -> list[str]:
    import sqlalchemy as sa

    from incubator.organisation.models import Incubator

    return list(db.session.scalars(sa.select(Incubator.code).order_by(Incubator.id)))


# Documented path → calls(db) → the (path parameters, query parameters) to call it with, on api_world. A path
# with no parameters and no required query is called once as it is; any other must be listed here (the
# harness fails on a documented path it cannot call). Add your resource's paths.
CALLS: dict[str, Callable] = {
    "/api/v1/incubators": lambda db: [({}, {}), ({}, {"limit": 1})],
    "/api/v1/incubators/{code}": lambda db: [({"code": code}, {}) for code in _codes(db)],
    "/api/v1/targets": lambda db: [({}, {}), ({}, {"as_of": "2025-06-30"}),
                                   *[({}, {"incubator": code}) for code in _codes(db)]],
    "/api/v1/targets/series": lambda db: [({}, {}), ({}, {"incubator": _codes(db)[0], "quarters": 4})],
    "/api/v1/targets/{code}/businesses": lambda db: [
        ({"code": code}, {"list": name, "limit": 5, **where})
        for code, names in (("IT70", ("numerator", "denominator", "excluded")), ("GRAD10", ("count", "excluded")),
                            ("CERT5", ("numerator", "denominator", "excluded")))
        for name in names for where in ({}, {"incubator": _codes(db)[0]})],
}
