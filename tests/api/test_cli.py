"""`flask api-tokens create|list|revoke|trim`: the token alone on the last line, once; refusals with a message
and an exit code other than 0; a revoked token stops working."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from incubator.api.enums import SCOPES
from incubator.api.models import ApiCall, ApiToken
from incubator.auth.enums import Role
from incubator.organisation import services as organisation


def _create(runner, *args):
    return runner.invoke(args=["api-tokens", "create", *args])


def test_create_prints_the_token_alone_on_the_last_line_and_keeps_only_its_hash(runner, make, db, api):
    official = make.user(Role.OFFICIAL, email="sotttt@vuonuom.example")
    db.session.commit()
    result = _create(runner, "SOTTTT@vuonuom.example", "--name", "Hệ thống của Sở")
    assert result.exit_code == 0, result.output
    lines = result.output.rstrip("\n").split("\n")
    secret = lines[-1]
    assert secret.startswith("ivn_") and " " not in secret
    assert secret not in "\n".join(lines[:-1])
    token = db.session.scalar(sa.select(ApiToken))
    assert token.owner_id == official.id and token.name == "Hệ thống của Sở"
    assert token.resources == list(SCOPES) and token.incubator_ids == []
    assert (token.expires_at - token.created_at) == timedelta(days=90)
    assert secret not in repr(db.session.execute(sa.select(ApiToken.__table__)).all())
    assert api(secret).get("/api/v1/incubators").status_code == 200
    listed = runner.invoke(args=["api-tokens", "list", "sotttt@vuonuom.example"])
    assert listed.exit_code == 0 and "Hệ thống của Sở" in listed.output and token.prefix in listed.output
    assert secret not in listed.output


def test_create_with_days_resources_and_incubators(runner, make, db, api):
    make.user(Role.ADMIN, email="quantri@vuonuom.example")
    hn2 = organisation.create("HN2", "Vườn ươm thứ hai", "Second")
    db.session.commit()
    result = _create(runner, "quantri@vuonuom.example", "--name", "bi", "--days", "7", "--resource", "targets",
                     "--resource", "incubators", "--incubator", "hn2")
    assert result.exit_code == 0, result.output
    token = db.session.scalar(sa.select(ApiToken))
    assert token.resources == ["targets", "incubators"] and token.incubator_ids == [hn2.id]
    assert (token.expires_at - token.created_at) == timedelta(days=7)
    client = api(result.output.strip().split("\n")[-1])
    assert [i["code"] for i in client.get("/api/v1/incubators").get_json()["items"]] == ["HN2"]


def test_create_refuses_with_a_message_and_writes_nothing(runner, make, db):
    make.user(Role.OFFICIAL, email="sotttt@vuonuom.example")
    make.user(Role.STAFF, email="canbo@vuonuom.example")
    make.user(Role.FOUNDER, email="sanglap@vuonuom.example")
    db.session.commit()
    assert _create(runner, "sotttt@vuonuom.example", "--name", "taken").exit_code == 0
    cases = [
        (["canbo@vuonuom.example", "--name", "x"], "administrators and officials"),
        (["sanglap@vuonuom.example", "--name", "x"], "administrators and officials"),
        (["nobody@vuonuom.example", "--name", "x"], "No account"),
        (["sotttt@vuonuom.example", "--name", "taken"], "already have a token with this name"),
        (["sotttt@vuonuom.example", "--name", "x", "--resource", "salaries"], "Invalid value"),
        (["sotttt@vuonuom.example", "--name", "x", "--incubator", "NOPE"], "No incubator"),
        (["sotttt@vuonuom.example", "--name", "x", "--days", "0"], "Invalid value"),
        (["sotttt@vuonuom.example", "--name", "x", "--days", str(2**70)], "Invalid value"),
        (["sotttt@vuonuom.example", "--name", "a\x00b"], "control characters"),
        (["sotttt@vuonuom.example", "--name", "   "], "Give the token a name"),
    ]
    for args, message in cases:
        result = _create(runner, *args)
        assert result.exit_code != 0, (args, result.output)
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 1


def test_revoke_stops_the_token_and_is_audited(runner, make, db, api):
    from incubator.audit.models import AuditEntry

    make.user(Role.OFFICIAL, email="sotttt@vuonuom.example")
    db.session.commit()
    secret = _create(runner, "sotttt@vuonuom.example", "--name", "old").output.strip().split("\n")[-1]
    result = runner.invoke(args=["api-tokens", "revoke", "sotttt@vuonuom.example", "old"])
    assert result.exit_code == 0, result.output
    assert api(secret).get("/api/v1/incubators").status_code == 401
    again = runner.invoke(args=["api-tokens", "revoke", "sotttt@vuonuom.example", "old"])
    assert again.exit_code != 0 and "already revoked" in again.output
    missing = runner.invoke(args=["api-tokens", "revoke", "sotttt@vuonuom.example", "other"])
    assert missing.exit_code != 0 and "no token called" in missing.output
    actions = list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_type == "api_tokens")
                                      .order_by(AuditEntry.id)))
    assert actions == ["api_token.create", "api_token.revoke"]
    assert "revoked" in runner.invoke(args=["api-tokens", "list", "sotttt@vuonuom.example"]).output


def test_trim_keeps_the_calls_of_the_retention_period(runner, api, db):
    client = api()
    client.get("/api/v1/incubators")
    client.get("/api/v1/incubators")
    call = db.session.scalar(sa.select(ApiCall).order_by(ApiCall.id))
    call.at -= timedelta(days=91)
    db.session.commit()
    result = runner.invoke(args=["api-tokens", "trim"])
    assert result.exit_code == 0 and "1 API call(s)" in result.output
    assert db.session.scalar(sa.select(sa.func.count(ApiCall.id))) == 1
