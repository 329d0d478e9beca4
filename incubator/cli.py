"""Flask commands: ``flask --app incubator demo``, ``create-admin``, ``mail deliver``, ``sessions purge``."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask, g
from flask_migrate import upgrade

from incubator.db import write_lock
from incubator.extensions import db


def register(app: Flask) -> None:
    from incubator import backup, translations_cli, uploads
    from incubator.api import cli as api_cli
    from incubator.certificates import cli as certificates_cli
    from incubator.cohorts import cli as cohorts_cli
    from incubator.imports import cli as imports_cli
    from incubator.organisation import cli as organisation_cli
    from incubator.reports import cli as reports_cli
    from incubator.requests import cli as requests_cli
    from incubator.reviews import cli as reviews_cli
    from incubator.surveys import cli as surveys_cli
    from incubator.targets import cli as targets_cli

    translations_cli.register(app)
    organisation_cli.register(app)
    backup.register(app)
    targets_cli.register(app)
    imports_cli.register(app)
    cohorts_cli.register(app)
    reports_cli.register(app)
    reviews_cli.register(app)
    requests_cli.register(app)
    surveys_cli.register(app)
    certificates_cli.register(app)
    uploads.register(app)
    api_cli.register(app)

    @app.cli.command("demo")
    @click.option("--no-upgrade", is_flag=True, help="Do not run the migrations first.")
    @click.option("--force", is_flag=True,
                  help="Load even where a secret key is configured or real accounts exist (a development copy).")
    def demo_command(no_upgrade: bool, force: bool) -> None:
        """Create (or bring up to date) the schema and load invented demonstration data. Safe to run twice.

        Refused on an installation configured to serve (a secret key set, debug and testing off) and on a
        database holding accounts other than the demo's: the demo's accounts share a published password."""
        from incubator.config import LOCAL_PUBLIC_URL
        from incubator.demo.data import DEMO_PASSWORD, load

        if not app.config.get("PUBLIC_URL"):
            app.config["PUBLIC_URL"] = LOCAL_PUBLIC_URL  # the demo's e-mails link to the local server
        if not force and _configured_for_production(app):
            raise click.ClickException(
                "This installation is configured for production (a secret key is set and debug mode is off): "
                "the demonstration data, whose accounts share a published password, is not loaded here. On a "
                "development copy, run with --debug (flask --app incubator --debug demo) or pass --force.")
        if not no_upgrade:
            upgrade()
        with write_lock():
            real = [] if force else _accounts_not_of_the_demo()
            if real:
                raise click.ClickException(
                    f"This database holds accounts that the demonstration did not create ({', '.join(real)}): "
                    "invented data and accounts with a published password are not mixed into it. Use a fresh "
                    "database, or pass --force on a development copy.")
            summary = load()
            db.session.commit()
        click.echo(f"Demonstration data: {summary['incubators']} incubators, {summary['partners']} partners, "
                   f"{summary['companies']} companies, {summary['residencies']} residencies, "
                   f"{summary['outcomes']} outcomes, {summary['users']} users "
                   f"({summary['created']} rows created this time).")
        click.echo("Log in at http://127.0.0.1:5000 with one of these accounts "
                   f"(password for all: {DEMO_PASSWORD}):")
        for role, email in summary["logins"]:
            click.echo(f"  {role:<14} {email}")

    def _configured_for_production(app: Flask) -> bool:
        return bool(app.config.get("SECRET_KEY_CONFIGURED")) and not (app.debug or app.testing)

    def _accounts_not_of_the_demo() -> list[str]:
        from incubator.auth.models import User
        from incubator.demo.data import DEMO_DOMAIN

        return list(db.session.scalars(sa.select(User.email).where(~User.email.endswith("@" + DEMO_DOMAIN))
                                       .order_by(User.id).limit(3)))

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--name", prompt="Full name")
    @click.password_option()
    def create_admin(email: str, name: str, password: str) -> None:
        """Create the first administrator (for a production install)."""
        from incubator import security
        from incubator.audit import services as audit
        from incubator.auth.enums import Role
        from incubator.auth.models import User, UserRole
        from incubator.auth.services import find_user, normalise_email
        from incubator.db import outside_transaction, utcnow

        email, name = _checked_email(email), _checked_name(name)
        g.force_write_lock = True
        if find_user(email):
            raise click.ClickException(f"{email} already has an account.")
        if _has_control_characters(password):
            raise click.BadParameter("the password contains control characters.", param_hint="--password")
        problems = security.password_problems(password, email=email, name=name)
        if problems:
            raise click.ClickException(str(problems[0]))
        with outside_transaction(db.session):  # argon2 with no write lock held
            password_hash = security.hash_password(password)
        if find_user(email):
            raise click.ClickException(f"{email} already has an account.")
        user = User(email=normalise_email(email), full_name=name, password_hash=password_hash,
                    email_verified_at=utcnow(), password_changed_at=utcnow())
        user.role_rows.append(UserRole(role=Role.ADMIN))
        db.session.add(user)
        db.session.flush()
        audit.record("user.create", user, to_state="admin", reason="flask create-admin")
        db.session.commit()
        click.echo(f"Administrator {user.email} created.")

    def _checked_email(email: str) -> str:
        """The checks of the registration form's e-mail field, as a usage error."""
        from email_validator import EmailNotValidError, validate_email

        email = (email or "").strip()
        if len(email) > 254 or _has_control_characters(email):
            raise click.BadParameter("not a valid e-mail address.", param_hint="EMAIL")
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError as exc:
            raise click.BadParameter(f"not a valid e-mail address: {exc}", param_hint="EMAIL") from None
        return email

    def _checked_name(name: str) -> str:
        name = (name or "").strip()
        if not name or len(name) > 200 or _has_control_characters(name):
            raise click.BadParameter("give the full name: 1 to 200 characters, no control characters.",
                                     param_hint="--name")
        return name

    def _has_control_characters(text: str) -> bool:
        return any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in text)

    mail_group = click.Group("mail", help="The outbox of e-mail.")
    app.cli.add_command(mail_group)

    @mail_group.command("deliver")
    @click.option("--limit", default=100, type=click.IntRange(1, 10000))
    def mail_deliver(limit: int) -> None:
        """Send queued and failed messages again (run it from cron)."""
        from incubator.mail.services import deliver_pending

        with write_lock():
            count = deliver_pending(limit)
            db.session.commit()
        click.echo(f"{count} message(s) processed.")

    sessions_group = click.Group("sessions", help="Server-side sessions.")
    app.cli.add_command(sessions_group)

    @sessions_group.command("purge")
    def sessions_purge() -> None:
        """Delete expired sessions and login attempts older than a day."""
        from datetime import timedelta

        from incubator.auth.models import LoginAttempt, WebSession
        from incubator.db import utcnow

        now = utcnow()
        g.force_write_lock = True
        sessions = db.session.execute(sa.delete(WebSession).where(WebSession.expires_at < now)).rowcount
        attempts = db.session.execute(
            sa.delete(LoginAttempt).where(LoginAttempt.attempted_at < now - timedelta(days=1))).rowcount
        db.session.commit()
        click.echo(f"{sessions} expired session(s) and {attempts} old login attempt(s) deleted.")
