"""The API's framework: bearer tokens, problem+json errors, cursor pagination, ETags, the call log and the
per-token limit, on its first resource (the incubators)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from incubator.api import services
from incubator.api.models import ApiCall, ApiToken
from incubator.auth.enums import Role
from incubator.db import utcnow
from incubator.organisation import services as organisation
from incubator.organisation.models import Incubator

PROBLEM = "application/problem+json"


def _problem(response, status: int):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert set(body) == {"type", "title", "status", "detail"}
    assert body["status"] == status
    return body


@pytest.fixture
def several(db):
    for i in range(2, 8):
        organisation.create(f"HN{i}", f"Vườn ươm số {i}", f"Incubator {i}")
    db.session.commit()
    return list(db.session.scalars(sa.select(Incubator).order_by(Incubator.id)))


def test_the_secret_is_shown_once_and_only_its_hash_is_kept(make, db):
    official = make.user(Role.OFFICIAL)
    made = services.create_token(official, "Hệ thống báo cáo")
    db.session.commit()
    assert made.secret.startswith("ivn_") and len(made.secret) > 40
    row = db.session.get(ApiToken, made.token.id)
    stored = [str(v) for v in db.session.execute(sa.select(ApiToken.__table__)).one()]
    assert all(made.secret not in value for value in stored)
    assert row.secret_hash == services.hash_secret(made.secret)
    assert made.secret.startswith(row.prefix) and len(row.prefix) < 16


def test_no_token_an_unknown_a_malformed_one_answer_401_with_www_authenticate(api, client):
    for headers in ({}, {"Authorization": "Bearer ivn_nothing"}, {"Authorization": "Basic abc"},
                    {"Authorization": "Bearer "}):
        response = client.get("/api/v1/incubators", headers=headers)
        _problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_session_without_a_token_gets_401(login_as, app):
    client, _ = login_as(Role.ADMIN)
    _problem(client.get("/api/v1/incubators"), 401)


def test_an_expired_a_revoked_token_and_a_deactivated_owner_answer_401(api, make, db, new_token):
    official = make.user(Role.OFFICIAL)
    expired = new_token(official, "expired", days=1)
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "expired"))
    token.expires_at = utcnow() - timedelta(seconds=1)
    revoked = new_token(official, "revoked")
    services.revoke_token(db.session.scalar(sa.select(ApiToken).where(ApiToken.name == "revoked")), official)
    db.session.commit()
    for secret in (expired, revoked):
        _problem(api(secret).get("/api/v1/incubators"), 401)
    other = make.user(Role.OFFICIAL)
    working = new_token(other, "working")
    assert api(working).get("/api/v1/incubators").status_code == 200
    other.active = False
    db.session.commit()
    _problem(api(working).get("/api/v1/incubators"), 401)


def test_an_owner_who_lost_the_role_loses_the_token(api, make, db, new_token):
    official = make.user(Role.OFFICIAL)
    secret = new_token(official)
    assert api(secret).get("/api/v1/incubators").status_code == 200
    official.role_rows.clear()
    db.session.commit()
    _problem(api(secret).get("/api/v1/incubators"), 401)


def test_only_administrators_and_officials_own_tokens(make):
    from incubator.errors import NotAllowed

    for role in (Role.STAFF, Role.FOUNDER, Role.REVIEWER, Role.MENTOR):
        with pytest.raises(NotAllowed):
            services.create_token(make.user(role), "mine")
    services.create_token(make.user(Role.ADMIN), "mine")


def test_a_resource_not_granted_answers_403(api, new_token):
    secret = new_token(resources=["targets"])
    _problem(api(secret).get("/api/v1/incubators"), 403)


def test_an_incubator_the_token_may_not_read_is_404_and_missing_from_the_list(api, new_token, several):
    first, second = several[0], several[1]
    secret = new_token(incubator_ids=[first.id])
    client = api(secret)
    assert client.get(f"/api/v1/incubators/{first.code}").status_code == 200
    _problem(client.get(f"/api/v1/incubators/{second.code}"), 404)
    assert [i["code"] for i in client.get("/api/v1/incubators").get_json()["items"]] == [first.code]


def test_the_cursor_walks_every_row_once(api, several):
    client = api()
    seen, url, pages = [], "/api/v1/incubators?limit=3", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.get_json()
        seen += [i["code"] for i in body["items"]]
        pages += 1
        if body["next"]:
            assert body["next"].startswith("http://localhost/api/v1/incubators?")
            assert response.headers["Link"] == f'<{body["next"]}>; rel="next"'
            url = body["next"].removeprefix("http://localhost")
        else:
            assert "Link" not in response.headers
            url = None
    assert seen == [i.code for i in several]
    assert pages == 3


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "limit=abc", f"limit={2**70}", "cursor=%%%",
                                   "cursor=eyJhZnRlciI6ICJ4In0", "bogus=1", "limit=5&colour=red"])
def test_bad_query_parameters_answer_400_problems(api, query):
    _problem(api().get(f"/api/v1/incubators?{query}"), 400)


def test_unknown_query_parameters_on_an_operation_that_takes_none_answer_400(api):
    _problem(api().get("/api/v1/incubators/VUHN?as_of=2026-01-01"), 400)


def test_unknown_paths_and_writing_methods_are_problems_too(api, client):
    secret = api().secret
    _problem(client.get("/api/v1/nothing-here", headers={"Authorization": f"Bearer {secret}"}), 404)
    response = client.post("/api/v1/incubators", headers={"Authorization": f"Bearer {secret}"})
    _problem(response, 405)
    assert "POST" not in response.headers["Allow"]
    assert client.get("/no-such-page").mimetype == "text/html"  # the rest of the site keeps its pages


def test_etag_and_if_none_match_answer_304(api):
    client = api()
    first = client.get("/api/v1/incubators")
    etag = first.headers["ETag"]
    assert "private" in first.headers["Cache-Control"]
    again = client.get("/api/v1/incubators", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert client.get("/api/v1/incubators", headers={"If-None-Match": '"other"'}).status_code == 200
    one = client.get("/api/v1/incubators/VUHN")
    assert one.headers["ETag"] != etag


def test_every_call_is_logged_with_its_token(api, db):
    client = api()
    client.get("/api/v1/incubators")
    client.get("/api/v1/incubators/NOPE")
    api("ivn_unknown").get("/api/v1/incubators")
    rows = db.session.execute(sa.select(ApiCall.token_id, ApiCall.method, ApiCall.path, ApiCall.status)
                              .order_by(ApiCall.id)).all()
    token_id = db.session.scalar(sa.select(ApiToken.id))
    assert [tuple(r) for r in rows] == [(token_id, "GET", "/api/v1/incubators", 200),
                                        (token_id, "GET", "/api/v1/incubators/NOPE", 404),
                                        (None, "GET", "/api/v1/incubators", 401)]
    assert db.session.get(ApiToken, token_id).last_used_at is not None


def test_calls_beyond_the_limit_per_minute_answer_429_with_retry_after(api, app, db):
    app.config["API_CALLS_PER_MINUTE"] = 3
    try:
        client = api()
        assert [client.get("/api/v1/incubators").status_code for _ in range(3)] == [200, 200, 200]
        response = client.get("/api/v1/incubators")
        _problem(response, 429)
        assert 1 <= int(response.headers["Retry-After"]) <= 60
        other = api()  # another token has its own count
        assert other.get("/api/v1/incubators").status_code == 200
        # A minute later the calls no longer count.
        _age_calls(db, timedelta(seconds=61))
        assert client.get("/api/v1/incubators").status_code == 200
    finally:
        app.config["API_CALLS_PER_MINUTE"] = 120


def _age_calls(db, by: timedelta) -> None:
    for call in db.session.scalars(sa.select(ApiCall)):
        call.at -= by
    db.session.commit()


def test_trimming_forgets_old_calls(api, db):
    api().get("/api/v1/incubators")
    _age_calls(db, timedelta(days=91))
    api().get("/api/v1/incubators")
    assert services.trim_calls(90) == 1
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(ApiCall.id))) == 1


def test_a_nul_or_a_control_character_in_the_path_is_not_found_and_logged_encoded(api, db):
    client = api()
    for path in ("/api/v1/incubators/%00", "/api/v1/incubators/a%1bb", "/api/v1/nothing/%00"):
        _problem(client.get(path), 404)
    paths = list(db.session.scalars(sa.select(ApiCall.path).order_by(ApiCall.id)))
    assert paths == ["/api/v1/incubators/%00", "/api/v1/incubators/a%1Bb", "/api/v1/nothing/%00"]


@pytest.mark.slow  # a server and threads
def test_calls_at_once_are_all_answered_and_logged(live_server, new_token, db):
    """Many calls at once (threads of a real server): none fails for the database's lock, each is logged."""
    import json
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    secret = new_token()

    def call(_):
        request = urllib.request.Request(f"{live_server}/api/v1/incubators",  # noqa: S310 (our test server)
                                         headers={"Authorization": f"Bearer {secret}"})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read())["items"][0]["code"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(call, range(40)))
    assert answers == [(200, "VUHN")] * 40
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(ApiCall.id))) == 40


def test_a_rule_refusing_inside_a_resource_is_a_problem_not_a_500(api, app, monkeypatch):
    """A DomainError a domain's query or service raises (here: no incubator chosen) answers its status."""
    from incubator.api.resources import incubators
    from incubator.organisation.current import NoIncubatorChosen

    def refuse(*_args, **_kwargs):
        raise NoIncubatorChosen("Choose the incubator")

    monkeypatch.setattr(incubators, "_visible", refuse)
    body = _problem(api().get("/api/v1/incubators"), 400)
    assert body["detail"] == "Choose the incubator"


def test_a_name_taken_between_the_check_and_the_insert_is_refused_not_a_500(make, db, monkeypatch):
    """Two forms sent at once: the unique constraint refuses the second, which is told so."""
    from incubator.errors import DomainError

    official = make.user(Role.OFFICIAL)
    services.create_token(official, "twice")
    db.session.commit()
    real_scalar = db.session.scalar
    monkeypatch.setattr(db.session, "scalar", lambda query, *a, **k: None if "api_tokens.name" in str(query)
                        else real_scalar(query, *a, **k))
    with pytest.raises(DomainError) as refused:
        services.create_token(official, "twice")
    assert refused.value.field == "name"
    monkeypatch.undo()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 1
