"""The Hà Nội innovation ICT business incubator: programme management."""

from __future__ import annotations

import logging
import os
import secrets
import sys
import uuid
from pathlib import Path

from flask import Flask, g, request

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


class ConfigurationError(RuntimeError):
    pass


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("INCUBATOR_INSTANCE_PATH") or str(PROJECT_DIR / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_DIR / "templates"),
    )
    from incubator.config import Defaults

    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("INCUBATOR")
    if config:
        app.config.from_mapping(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _configure_database(app)
    _configure_secret_key(app)
    _configure_public_url(app)
    _configure_logging(app)
    from incubator import web

    web.configure(app)  # the bounded <int:…> converter and request class, before any route is added
    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    _init_extensions(app)
    _register_blueprints(app)
    _register_request_hooks(app)
    from incubator.home import incubators

    incubators.register(app)  # each request works in its person's incubator (after the hooks above)
    from incubator.api import init_app as init_api

    init_api(app)  # /api/v1: the token replaces the session's person and incubator (after the hooks above)
    from incubator.api.framework import API_PREFIX
    from incubator.auth.views import answer_without_the_session

    answer_without_the_session(API_PREFIX)  # an unconfirmed session is no business of the API's

    from incubator import cli, errors, forms, i18n
    from incubator.audit.labels import action_label, dates_in_words, name_in_words, object_text, state_label
    from incubator.auth import permissions
    from incubator.auth.enums import Role
    from incubator.cohorts import permissions as cohort_permissions
    from incubator.companies import permissions as company_permissions
    from incubator.dialogue import permissions as dialogue_permissions
    from incubator.funding import permissions as funding_permissions
    from incubator.mentoring import permissions as mentoring_permissions
    from incubator.partners import services as partner_services
    from incubator.requests import permissions as request_permissions
    from incubator.reviews import permissions as review_permissions
    from incubator.surveys import permissions as survey_permissions

    app.add_template_filter(action_label, "action_label")
    app.add_template_filter(state_label, "state_label")
    app.add_template_filter(object_text, "audit_object")
    app.add_template_filter(dates_in_words, "audit_dates")
    app.add_template_filter(name_in_words, "audit_name")
    _register_audit_labels()
    from incubator.mail.services import redacted

    app.add_template_filter(lambda value: Role(value).label, "role_label")
    app.add_template_filter(redacted, "redacted")
    errors.register(app)
    i18n.register(app)
    forms.register(app)
    permissions.register(app)
    company_permissions.register(app)
    from incubator.certificates import permissions as certificate_permissions

    certificate_permissions.register(app)
    partner_services.register()  # the partner a role asks for is the partners' rule, which auth calls
    review_permissions.register(app)
    cohort_permissions.register(app)
    mentoring_permissions.register(app)
    funding_permissions.register(app)
    request_permissions.register(app)
    dialogue_permissions.register(app)
    survey_permissions.register(app)
    from incubator.catalogue import permissions as catalogue_permissions

    catalogue_permissions.register(app)
    from incubator.api import permissions as api_permissions

    api_permissions.register(app)
    # Signals a lower package sends and a higher one hears (see "How the code is laid out" in the README).
    from incubator.applications.application_views import connect_round_invitation
    from incubator.applications.services import connect_to_the_register
    from incubator.dialogue.services import connect_to_requests as redraw_minutes_on_consent
    from incubator.mentoring.services import connect_to_cohorts
    from incubator.reports.services import connect_to_organisation as give_new_incubators_report_names
    from incubator.reviews.decisions import connect_to_organisation as give_new_incubators_reasons
    from incubator.reviews.queries import connect_to_applications
    from incubator.targets.services import connect_to_organisation

    connect_to_the_register()
    connect_round_invitation()
    connect_to_cohorts()
    connect_to_applications()
    connect_to_organisation()
    give_new_incubators_reasons()
    give_new_incubators_report_names()
    redraw_minutes_on_consent()
    # Every ORM query inside organisation.scoping.scoped_to sees its incubators' rows only; the audit log's entries
    # and the outbox's messages are placed in an incubator (or the installation) and read so too.
    from incubator.mail.services import connect_to_organisation as place_the_outbox
    from incubator.organisation import scoping
    from incubator.organisation.placing import connect_to_the_audit_log

    scoping.install()
    connect_to_the_audit_log()
    place_the_outbox()
    cli.register(app)
    if app.testing or _will_serve_requests():
        from incubator.security import dummy_hash

        dummy_hash()  # before the first login, so an unknown address costs no more than a wrong password
    return app


# Each of these domains tells the audit log what its objects and states read as (incubator/audit/labels.py).
AUDITED_DOMAINS = ("organisation", "auth", "mail", "companies", "partners", "outcomes", "certificates", "targets",
                   "imports", "applications", "reviews", "cohorts", "mentoring", "funding", "requests", "dialogue",
                   "surveys", "catalogue", "reports", "api")


def _register_audit_labels() -> None:
    from importlib import import_module

    for domain in AUDITED_DOMAINS:
        import_module(f"incubator.{domain}.audit_labels").register()
    import_module("incubator.surveys.results").register_audit_labels()  # a survey's proposal filed as a request


def _configure_database(app: Flask) -> None:
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL")
    if not url:
        url = "sqlite:///" + str(Path(app.instance_path) / "incubator.sqlite")
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.startswith("postgresql"):
        options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _configure_secret_key(app: Flask) -> None:
    # A key set in the settings (instance/config.py, INCUBATOR_SECRET_KEY) marks an installation meant to
    # serve; `flask demo` refuses to load invented data there (see incubator/cli.py).
    app.config["SECRET_KEY_CONFIGURED"] = bool(app.config.get("SECRET_KEY"))
    if app.config.get("SECRET_KEY"):
        return
    if app.debug or app.testing:
        # Development only: a random key kept in the instance folder, so sessions survive restarts.
        key_file = Path(app.instance_path) / "dev-secret-key"
        if not key_file.exists():
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        app.config["SECRET_KEY"] = key_file.read_text().strip()
        return
    if not _will_serve_requests():
        # A command such as "flask db upgrade" or "flask demo" signs nothing that outlives it.
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        return
    raise ConfigurationError(
        "No secret key is configured. Set the environment variable INCUBATOR_SECRET_KEY (for example to the "
        'output of: python -c "import secrets; print(secrets.token_hex(32))"), or SECRET_KEY in '
        f"{Path(app.instance_path) / 'config.py'}. Without one, sessions and forms cannot be protected, "
        "so the application does not start. (In development, run with --debug.)"
    )


def _configure_public_url(app: Flask) -> None:
    """Every absolute link comes from PUBLIC_URL, never from the request; outside debug and tests it must be
    set, and requests for any other host are refused (400)."""
    from urllib.parse import urlsplit

    from incubator.config import LOCAL_PUBLIC_URL

    url = (app.config.get("PUBLIC_URL") or "").strip()
    if not url:
        if app.debug or app.testing:
            url = LOCAL_PUBLIC_URL
        elif _will_serve_requests():
            raise ConfigurationError(
                "No public address is configured. Set the environment variable INCUBATOR_PUBLIC_URL to the address "
                "people use to reach the application (for example https://vuonuom.hanoi.gov.vn), or PUBLIC_URL in "
                f"{Path(app.instance_path) / 'config.py'}. Links in e-mails, calendar feeds and reports are built "
                "from it, never from the request, so the application does not start without it. (In development, "
                "run with --debug.)")
        else:
            # A command that writes no link (flask db upgrade …) needs none; one that does says so.
            app.config["PUBLIC_URL"] = None
            return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigurationError(
            f"PUBLIC_URL must be an address such as https://vuonuom.hanoi.gov.vn (got {url!r}).")
    app.config["PUBLIC_URL"] = url.rstrip("/")
    if app.config.get("TRUSTED_HOSTS") is None and not (app.debug or app.testing):
        app.config["TRUSTED_HOSTS"] = [parts.hostname]
    elif app.config.get("TRUSTED_HOSTS") is not None and parts.hostname not in app.config["TRUSTED_HOSTS"]:
        app.config["TRUSTED_HOSTS"] = [parts.hostname, *app.config["TRUSTED_HOSTS"]]


def _will_serve_requests() -> bool:
    """True under a WSGI server (no command line context) and for "flask run"."""
    import click

    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return True
    return ctx.info_name == "run" or (ctx.command is not None and ctx.command.name == "run")


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        from flask import has_request_context

        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def _configure_logging(app: Flask) -> None:
    """One line per event on stderr, with the request's reference."""
    logger = logging.getLogger("incubator")
    if not any(getattr(h, "_incubator", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler._incubator = True
        handler.addFilter(_RequestIdFilter())
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s ref=%(request_id)s %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if app.debug else logging.INFO)
    logger.propagate = False


def _init_extensions(app: Flask) -> None:
    # Import every domain's models so the metadata is complete (migrations, create_all).
    from incubator import models  # noqa: F401
    from incubator.auth.models import WebSession
    from incubator.db import configure_sqlite, optimize_sqlite_when_command_ends
    from incubator.extensions import babel, bootstrap, csrf, db, login_manager, migrate
    from incubator.i18n import select_locale, select_timezone
    from incubator.security import DatabaseSessionInterface

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = None  # sessions are server-side and regenerated at login
    # The people layer hands its session table to the plumbing, which knows no domain.
    app.session_interface = DatabaseSessionInterface(WebSession.__table__)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"],
                             app.config["SQLITE_OPTIMIZE_INTERVAL_SECONDS"])
            optimize_sqlite_when_command_ends(db.engine)  # a short-lived process: statistics before it exits

    @login_manager.user_loader
    def _load_user(user_id: str):
        from incubator.auth.models import User

        try:
            user = db.session.get(User, int(user_id))
        except (TypeError, ValueError):
            return None
        return user if user is not None and user.active else None


def _register_blueprints(app: Flask) -> None:
    from incubator.admin.audit_views import bp as audit_bp
    from incubator.admin.mail_views import bp as mail_bp
    from incubator.admin.views import bp as admin_bp
    from incubator.api.views import bp as api_tokens_bp
    from incubator.applications.application_views import bp as applications_bp
    from incubator.applications.application_views import staff_bp as round_applications_bp
    from incubator.applications.views import bp as rounds_bp
    from incubator.auth.views import bp as auth_bp
    from incubator.catalogue.views import bp as catalogue_bp
    from incubator.catalogue.views import site_bp
    from incubator.certificates.views import bp as certificates_bp
    from incubator.cohorts.views import bp as cohorts_bp
    from incubator.cohorts.views import services_bp
    from incubator.companies.views import bp as companies_bp
    from incubator.companies.views import my_bp as my_companies_bp
    from incubator.dialogue.views import bp as dialogue_bp
    from incubator.funding.views import bp as funding_bp
    from incubator.home.views import bp as home_bp
    from incubator.imports.views import bp as imports_bp
    from incubator.mentoring.views import bp as mentoring_bp
    from incubator.mentoring.views import partners_bp
    from incubator.reports.views import bp as reports_bp
    from incubator.requests.figures_views import bp as request_figures_bp
    from incubator.requests.views import bp as requests_bp
    from incubator.reviews.views import bp as reviews_bp
    from incubator.startups.views import bp as startups_bp
    from incubator.surveys.results_views import bp as survey_results_bp
    from incubator.surveys.views import bp as surveys_bp
    from incubator.targets.views import bp as targets_bp

    for bp in (auth_bp, home_bp, admin_bp, api_tokens_bp, mail_bp, audit_bp, companies_bp, my_companies_bp,
               certificates_bp,
               targets_bp, imports_bp, rounds_bp, applications_bp, round_applications_bp, reviews_bp,
               cohorts_bp, startups_bp, services_bp, mentoring_bp, partners_bp, funding_bp,
               requests_bp, request_figures_bp, dialogue_bp, surveys_bp, survey_results_bp, reports_bp,
               catalogue_bp, site_bp):
        app.register_blueprint(bp)


def _has_control_characters(value: str) -> bool:
    from incubator.text import has_control_characters

    return has_control_characters(value)


def _register_request_hooks(app: Flask) -> None:
    from incubator.extensions import db
    from incubator.mail.services import deliver_queued_in_request
    from incubator.security import set_security_headers

    @app.before_request
    def _start():
        g.request_id = uuid.uuid4().hex[:12]
        # A NUL or other control character in the address is never meant: answer 400 before any query
        # sees it (PostgreSQL refuses NUL bytes), in any key and in every value of a key (?q=a&q=%00).
        # Forms refuse them field by field, keeping the input.
        if any(_has_control_characters(k) or _has_control_characters(v) for k, v in request.args.items(multi=True)):
            from flask import abort

            abort(400)

    @app.after_request
    def _finish(response):
        """One commit per request: commit when it succeeded, roll back whole when it did not."""
        if response.status_code < 400 or g.get("commit_on_error"):
            db.session.commit()
            deliver_queued_in_request()
        else:
            db.session.rollback()
        response.headers["X-Request-Id"] = g.get("request_id", "")
        return set_security_headers(response)

    @app.context_processor
    def _template_globals():
        from flask import has_request_context
        from flask_babel import get_locale

        from incubator.auth.enums import Role
        from incubator.auth.forms import ConfirmForm, LanguageForm

        # formdata=None: these forms only render their CSRF token, and must not read the request's body
        # (on a 413 that would raise again while the error page is drawn).
        return {"Role": Role, "current_locale": str(get_locale() or "vi"),
                "language_form": lambda: LanguageForm(formdata=None),
                "url_for_exists": lambda endpoint: endpoint in app.view_functions,
                "confirm_form": lambda: ConfirmForm(formdata=None),
                "request_path": request.full_path.rstrip("?") if has_request_context() else ""}
