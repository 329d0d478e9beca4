"""Domain errors raised by services, and the friendly error pages."""

from __future__ import annotations

import logging
import uuid

from flask import g, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, SecurityError

log = logging.getLogger("incubator.errors")


class DomainError(Exception):
    """A rule refused the operation; ``message`` is translatable and shown to the user."""

    status_code = 400

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    status_code = 403


class Conflict(Exception):
    """The record changed since the form was read: answered with the 409 page, never a silent overwrite."""

    status_code = 409


class ServerBusy(Exception):
    """The server is too busy to do this now (e.g. too many logins at once): answered 503 with Retry-After, a
    page saying to try again in a few seconds, and nothing of the request written."""

    status_code = 503

    def __init__(self, retry_after: int = 5):
        super().__init__(f"busy, retry after {retry_after} s")
        self.retry_after = retry_after


def expect_version(obj, version) -> None:
    """Refuse an edit made on an older version of a record (its form carries the version it was read at)."""
    if version in (None, ""):
        return
    try:
        submitted = int(version)
    except (TypeError, ValueError):
        raise Conflict() from None
    if obj.version_id != submitted:
        raise Conflict()


TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You may not open this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    409: _l("Someone else changed this record"),
    413: _l("The file is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
    503: _l("The server is busy for a moment"),
}

EXPLANATIONS = {
    400: _l("The form was incomplete or expired. Go back, reload the page and try again."),
    403: _l("Your account does not have the rights for this page. If you think it should, ask the "
            "incubator staff."),
    404: _l("The address may be mistyped, or the page was moved or removed."),
    405: _l("Go back and use the buttons on the page."),
    409: _l("The record was changed by someone else while you were editing it. Reload the page to see "
            "the current version, then make your change again."),
    413: _l("Upload a smaller file."),
    429: _l("Wait a few minutes before trying again."),
    500: _l("The error was recorded. If it happens again, give the staff the reference below."),
    503: _l("Many people are logging in at the same time. Nothing was changed: wait a few seconds, then try "
            "again."),
}


# Parts of the site that answer errors in their own format (the API: application/problem+json), registered by
# the outer layer at start-up: (path prefix, render HTTP error, render server error). The rest keeps its pages.
_OWN_ERRORS: list[tuple[str, object, object]] = []


def answer_errors_under(prefix: str, http_error, server_error) -> None:
    """Errors of requests under ``prefix`` are answered by ``http_error(exc)`` and ``server_error(reference)``
    (registering a prefix again replaces it)."""
    _OWN_ERRORS[:] = [entry for entry in _OWN_ERRORS if entry[0] != prefix]
    _OWN_ERRORS.append((prefix, http_error, server_error))


def _own_errors():
    from flask import has_request_context

    if not has_request_context():
        return None
    for prefix, http_error, server_error in _OWN_ERRORS:
        if request.path == prefix or request.path.startswith(prefix + "/"):
            return http_error, server_error
    return None


def render_error(code: int, reference: str | None = None):
    code = code if code in TITLES else (500 if code >= 500 else 400)
    return render_template("errors/error.html", code=code, title=TITLES[code],
                           explanation=EXPLANATIONS[code], reference=reference), code


def register(app) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        if isinstance(exc, SecurityError) or _no_url_adapter():
            # A request for a host that is not ours (TRUSTED_HOSTS): no page of ours, whose links would be
            # built for that host, only a short plain answer.
            from flask import Response

            return Response("400 Bad Request: unknown host / tên miền không hợp lệ\n", status=400,
                            mimetype="text/plain")
        own = _own_errors()
        if own is not None:
            return own[0](exc)
        return render_error(exc.code)

    @app.errorhandler(Conflict)
    @app.errorhandler(StaleDataError)
    def _stale(exc):
        """A record carrying a version was changed by someone else since it was read: no silent overwrite."""
        log.info("stale edit refused: %s", exc)
        _end_failed_transaction()
        return render_error(409)

    @app.errorhandler(ServerBusy)
    def _busy(exc: ServerBusy):
        log.warning("busy, answered 503: %s %s", request.method, request.path)
        _end_failed_transaction()
        body, code = render_error(503)
        return body, code, {"Retry-After": str(exc.retry_after)}

    @app.errorhandler(Exception)
    def _server_error(exc: Exception):
        reference = g.get("request_id") or uuid.uuid4().hex[:12]
        log.exception("unhandled error ref=%s %s %s", reference, request.method, request.path)
        _end_failed_transaction()
        own = _own_errors()
        if own is not None:
            return own[1](reference)
        return render_error(500, reference=reference)


def _no_url_adapter() -> bool:
    from flask.globals import request_ctx

    return bool(request_ctx) and request_ctx.url_adapter is None


def _end_failed_transaction() -> None:
    """Roll the request's changes back before the error page is drawn: after a failed flush (a stale
    version on PostgreSQL, a broken constraint) the session refuses every query until then, and the page
    reads the current user."""
    from incubator.extensions import db

    db.session.rollback()
