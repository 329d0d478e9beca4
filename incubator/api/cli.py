"""``flask --app incubator api-tokens create EMAIL --name NAME [--days N] [--resource R]… [--incubator CODE]…``,
``api-tokens list EMAIL``, ``api-tokens revoke EMAIL NAME`` and ``api-tokens trim`` (the call log's retention)."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import force_locale

from incubator.api.enums import DEFAULT_DAYS, MAX_DAYS, SCOPES
from incubator.db import write_lock
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.text import has_control_characters


def _plain(value: str, what: str, limit: int = 254) -> str:
    """An argument fit to look up or store: no control character, valid UTF-8, not too long."""
    value = (value or "").strip()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise click.BadParameter(f"{what} is not valid text.") from None
    if has_control_characters(value) or len(value) > limit:
        raise click.BadParameter(f"{what} holds control characters or is longer than {limit} characters.")
    return value


def _owner(email: str):
    from incubator.auth.services import find_user

    user = find_user(_plain(email, "EMAIL"))
    if user is None:
        raise click.ClickException(f"No account with the address {email.strip()!r}.")
    return user


def _refused(exc: DomainError):
    db.session.rollback()
    with force_locale("en"):
        return click.ClickException(str(exc.message))


def register(app: Flask) -> None:
    group = click.Group("api-tokens", help="Tokens of the read-only API (/api/v1) for the Department's systems.")
    app.cli.add_command(group)

    @group.command("create")
    @click.argument("email")
    @click.option("--name", required=True, help="A name for the token, unique among its owner's (e.g. the system "
                                                "that uses it).")
    @click.option("--days", type=click.IntRange(1, MAX_DAYS), default=DEFAULT_DAYS, show_default=True,
                  help="How many days the token works.")
    @click.option("--resource", "resources", multiple=True, type=click.Choice(sorted(SCOPES)),
                  help="A resource the token may read (repeat the option; default: every resource).")
    @click.option("--incubator", "incubators", multiple=True, metavar="CODE",
                  help="An incubator whose data the token may read (repeat the option; default: every incubator "
                       "the owner sees).")
    def create_command(email: str, name: str, days: int, resources: tuple[str, ...],
                       incubators: tuple[str, ...]) -> None:
        """Make a token for EMAIL (an administrator or an official of the Department). The token is printed
        once, alone on the last line: only its hash is kept."""
        from incubator.api import services
        from incubator.organisation.models import Incubator

        owner = _owner(email)
        name = _plain(name, "--name", services.NAME_MAX)
        ids = []
        for code in incubators:
            code = _plain(code, "--incubator", 10).upper()
            found = db.session.scalar(sa.select(Incubator.id).where(Incubator.code == code))
            if found is None:
                raise click.ClickException(f"No incubator with the code {code!r}.")
            ids.append(found)
        with write_lock():
            try:
                made = services.create_token(owner, name, days=days, resources=list(resources),
                                             incubator_ids=ids, actor=owner)
            except DomainError as exc:
                raise _refused(exc) from None
            db.session.commit()
        token = made.token
        where = ", ".join(incubators).upper() if incubators else "every incubator"
        click.echo(f"Token {token.name!r} of {owner.email}: {', '.join(token.resources)}; {where}; "
                   f"expires {token.expires_at:%d/%m/%Y}.")
        click.echo("Keep it now: it is shown this once, only its hash is stored.")
        click.echo(made.secret)

    @group.command("list")
    @click.argument("email")
    def list_command(email: str) -> None:
        """List EMAIL's tokens (never their secret, only the first characters)."""
        from incubator.api.queries import tokens_of
        from incubator.db import utcnow
        from incubator.organisation.models import Incubator

        owner = _owner(email)
        codes = {i.id: i.code for i in db.session.scalars(sa.select(Incubator))}
        now = utcnow()
        tokens = tokens_of(owner)
        if not tokens:
            click.echo(f"{owner.email} has no API token.")
        for token in tokens:
            state = ("revoked" if token.revoked_at else "expired" if token.expires_at <= now else "active")
            used = f"last used {token.last_used_at:%d/%m/%Y %H:%M} UTC" if token.last_used_at else "never used"
            where = ", ".join(codes.get(i, "?") for i in token.incubator_ids) or "every incubator"
            click.echo(f"{token.name}\t{token.prefix}…\t{state}\texpires {token.expires_at:%d/%m/%Y}\t{used}\t"
                       f"{', '.join(token.resources)}\t{where}")

    @group.command("revoke")
    @click.argument("email")
    @click.argument("name")
    def revoke_command(email: str, name: str) -> None:
        """Revoke EMAIL's token called NAME: it stops working at once."""
        from incubator.api import services
        from incubator.api.queries import token_named

        owner = _owner(email)
        token = token_named(owner, _plain(name, "NAME", services.NAME_MAX))
        if token is None:
            raise click.ClickException(f"{owner.email} has no token called {name.strip()!r}.")
        with write_lock():
            try:
                services.revoke_token(token, None)
            except DomainError as exc:
                raise _refused(exc) from None
            db.session.commit()
        click.echo(f"Token {token.name!r} of {owner.email} revoked.")

    @group.command("trim")
    @click.option("--days", type=click.IntRange(1, 3650), default=None,
                  help="Keep the calls of the last DAYS days (default: API_CALLS_KEPT_DAYS, 90).")
    def trim_command(days: int | None) -> None:
        """Forget the API calls older than the retention period (run it daily, e.g. from cron)."""
        from incubator.api import services

        days = days or int(current_app.config.get("API_CALLS_KEPT_DAYS", 90))
        with write_lock():
            removed = services.trim_calls(days)
            db.session.commit()
        click.echo(f"{removed} API call(s) older than {days} days forgotten.")
