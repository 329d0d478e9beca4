"""What every resource of the API shares: the blueprint of a resource with its token scope, errors as
``application/problem+json``, keyset pagination with opaque cursors, ETags and conditional answers, and the
bearer-token check, rate limit and call log that run before and after every call under /api/v1.

A resource module (``incubator/api/resources/<name>.py``) creates ``blp = resource_blueprint("<name>",
scope="<scope>", ...)`` and declares its routes with flask-smorest (``@blp.route``, ``@blp.arguments`` for the
query, ``@blp.response`` for the answer's schema): the OpenAPI description is generated from them."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta

import marshmallow as ma
import sqlalchemy as sa
from flask import Flask, current_app, g, request
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from incubator.api.enums import SCOPES
from incubator.errors import DomainError
from incubator.text import has_control_characters

API_PREFIX = "/api/v1"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
PROBLEM_MIMETYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://vuonuom.hanoi.gov.vn/api/problems/"  # a name for each kind of problem, not fetched

# Blueprint name → the token scope it needs, filled by resource_blueprint.
_SCOPE_OF: dict[str, str] = {}


class StrictParser(FlaskParser):
    """Query parameters the operation does not declare are refused (400), not ignored: a misspelt ``as_of``
    must not silently give today's figures."""

    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": ma.RAISE,
                                   "querystring": ma.RAISE}


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = StrictParser()


def resource_blueprint(name: str, *, scope: str, description: str, import_name: str) -> ApiBlueprint:
    """The blueprint of one resource, answering under /api/v1 to tokens granted ``scope``."""
    if scope not in SCOPES:
        raise ValueError(f"unknown API scope {scope!r}: add it to incubator/api/enums.py SCOPES")
    _SCOPE_OF[f"api_{name}"] = scope
    blueprint = ApiBlueprint(f"api_{name}", import_name, url_prefix=API_PREFIX, description=description)
    blueprint.register_error_handler(DomainError, _domain_problem)
    return blueprint


def _domain_problem(exc: DomainError):
    """A rule of a domain refused what the call asked (a service or query raised it): its status and words."""
    return problem_response(exc.status_code if exc.status_code in TITLES else 400, str(exc.message))


def scope_of(blueprint_name: str | None) -> str | None:
    return _SCOPE_OF.get(blueprint_name or "")


# --- problems --------------------------------------------------------------------------------------------

TITLES = {
    400: "Bad request", 401: "Authentication required", 403: "Forbidden", 404: "Not found",
    405: "Method not allowed", 406: "Not acceptable", 409: "Conflict", 413: "Request too large",
    429: "Too many requests", 500: "Internal server error", 503: "Service unavailable",
}
TYPES = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
         429: "too-many-requests", 500: "server-error", 503: "unavailable"}


class ApiError(Exception):
    """Answer this call with a problem (RFC 9457)."""

    def __init__(self, status: int, detail: str, headers: dict | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


def problem_response(status: int, detail: str | None = None, headers: dict | None = None):
    body = {"type": PROBLEM_TYPE_BASE + TYPES.get(status, str(status)), "title": TITLES.get(status, "Error"),
            "status": status, "detail": detail or TITLES.get(status, "Error")}
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                          mimetype=PROBLEM_MIMETYPE)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    response.headers["Cache-Control"] = "no-store"
    return response


def _detail_of(exc: HTTPException) -> str:
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    if messages:
        parts = []
        for location, fields in (messages.items() if isinstance(messages, dict) else []):
            for field, errors in (fields.items() if isinstance(fields, dict) else [(location, fields)]):
                text = "; ".join(str(e) for e in errors) if isinstance(errors, list) else str(errors)
                parts.append(f"{field}: {text}")
        if parts:
            return " ".join(parts)
    if exc.code == 404:
        return "No such resource, or not one this token may read."
    if exc.code == 405:
        return "The API is read-only: only GET, HEAD and OPTIONS are answered."
    return exc.description or TITLES.get(exc.code or 500, "Error")


def http_problem(exc: HTTPException):
    """An HTTP error under /api/v1 (the errors package hands it here, the rest of the site keeps its pages)."""
    headers = {}
    if exc.code == 405:
        allowed = [m for m in ("GET", "HEAD", "OPTIONS") if m in (exc.valid_methods or [])] or ["GET", "HEAD",
                                                                                                  "OPTIONS"]
        headers["Allow"] = ", ".join(allowed)
    data = getattr(exc, "data", None) or {}
    headers.update(data.get("headers") or {})
    return problem_response(exc.code or 500, _detail_of(exc), headers)


def server_problem(reference: str):
    return problem_response(500, f"The error was recorded; reference {reference}.")


# --- pagination ------------------------------------------------------------------------------------------

class PageArgs(ma.Schema):
    """?limit= (default 50, at most 200) and the opaque ?cursor= of the previous page's ``next``."""

    limit = ma.fields.Integer(load_default=DEFAULT_LIMIT, validate=ma.validate.Range(min=1, max=MAX_LIMIT),
                              metadata={"description": f"Rows per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})."})
    cursor = ma.fields.String(validate=ma.validate.Length(max=200),
                              metadata={"description": "Where the page starts: the cursor of the previous page's "
                                                       "`next` link."})


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        after = data["after"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise ApiError(400, "cursor: not a cursor this API gave.") from None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after < 2**63:
        raise ApiError(400, "cursor: not a cursor this API gave.")
    return after


@dataclass
class Page:
    items: list
    next: str | None


def paginate(query: sa.Select, id_column, args: dict) -> Page:
    """Keyset pagination by ``id_column`` (never an offset): the rows after the cursor's id, ``limit`` of them,
    and a link to the next page (absolute, from the public address) while more remain. The query selects one
    entity; callers turn the rows into what their schema dumps."""
    from incubator.extensions import db

    limit = args.get("limit", DEFAULT_LIMIT)
    after = decode_cursor(args.get("cursor"))
    if after is not None:
        query = query.where(id_column > after)
    rows = list(db.session.scalars(query.order_by(id_column).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    link = None
    if more:
        link = _link_with(cursor=encode_cursor(_id_of(rows[-1], id_column)), limit=limit)
        g.api_next_link = link  # also in the Link header (after the call)
    return Page(rows, link)


def _id_of(row, id_column) -> int:
    return getattr(row, id_column.key)


def _link_with(**values) -> str:
    from incubator.urls import external_url

    params = {k: v for k, v in request.args.items() if k not in values}
    params.update(values)
    return external_url(request.endpoint, **(request.view_args or {}), **params)


class PageSchema(ma.Schema):
    next = ma.fields.String(required=True, allow_none=True,
                            metadata={"description": "The next page's address, or null on the last page."})


def page_of(item_schema: type[ma.Schema], name: str | None = None) -> type[ma.Schema]:
    """The schema of a page of ``item_schema``: ``{"items": [...], "next": "…" | null}``."""
    name = name or item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return type(name, (PageSchema,), {"items": ma.fields.List(ma.fields.Nested(item_schema), required=True)})


# --- the calls: token, scope, limit, log, ETag -------------------------------------------------------------

DOC_ENDPOINTS = {"api_docs.openapi_json", "api_docs.docs", "api_docs.asset"}


def is_api_request() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _unauthorized(detail: str) -> ApiError:
    return ApiError(401, detail, {"WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'})


def _before_api_call():
    if not is_api_request():
        return None
    g.commit_on_error = True  # the call's log is written whatever the answer (the API itself writes nothing else)
    g.api_call = True
    if request.endpoint in DOC_ENDPOINTS:
        return None
    from incubator.api.services import calls_in_the_last_minute, token_for
    from incubator.db import utcnow
    from incubator.organisation.current import use_incubator
    from incubator.organisation.scoping import scoped_to

    # The API acts for the token's owner, never for a signed-in session: forget the session's incubator.
    stack = g.pop("_incubator_stack", None)
    if stack is not None:
        stack.close()
    g._incubator_stack = stack = ExitStack()
    secret = _bearer()
    if secret is None:
        if "Authorization" in request.headers:
            raise ApiError(401, "Send the token as: Authorization: Bearer <token>.",
                           {"WWW-Authenticate": 'Bearer realm="api", error="invalid_request"'})
        raise ApiError(401, "This API needs a token: Authorization: Bearer <token>.",
                       {"WWW-Authenticate": 'Bearer realm="api"'})
    now = utcnow()
    token = token_for(secret, now)
    if token is None:
        raise _unauthorized("The token is unknown, expired or revoked, or its owner may no longer use the API.")
    g.api_token = token
    g._login_user = token.owner  # Flask-Login's current_user is the owner for this call: its permissions hold
    limit = int(current_app.config.get("API_CALLS_PER_MINUTE", 120))
    count, oldest = calls_in_the_last_minute(token, now)
    if count >= limit:
        wait = 1 if oldest is None else max(1, math.ceil((oldest + timedelta(minutes=1) - now).total_seconds()))
        raise ApiError(429, f"At most {limit} calls a minute per token; try again in {wait} s.",
                       {"Retry-After": str(wait)})
    ids = list(token.incubator_ids or [])
    stack.enter_context(use_incubator(ids[0] if len(ids) == 1 else None))
    if ids:
        stack.enter_context(scoped_to(ids))
    if any(isinstance(value, str) and (has_control_characters(value) or not _is_text(value))
           for value in (request.view_args or {}).values()):
        raise ApiError(404, "No such resource.")  # no code or name holds a control character
    scope = scope_of(request.blueprint)
    if request.endpoint is not None and scope is None:
        raise ApiError(404, "No such resource.")
    if scope is not None and scope not in (token.resources or []):
        raise ApiError(403, f"This token may not read the resource {scope!r}.")
    if request.endpoint is not None and request.args and not _declares_query(request.endpoint):
        raise ApiError(400, "Unknown query parameters: " + ", ".join(sorted(set(request.args))) + ".")
    return None


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _declares_query(endpoint: str) -> bool:
    view = current_app.view_functions.get(endpoint)
    doc = getattr(view, "_apidoc", {}) or {}
    parameters = (doc.get("arguments") or {}).get("parameters") or []
    return any(p.get("in") in ("query", "querystring") for p in parameters if isinstance(p, dict))


def _after_api_call(response):
    if not is_api_request():
        return response
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response.headers["Cache-Control"] = "private, no-cache"
        if request.endpoint not in {"api_docs.docs", "api_docs.asset"}:
            response.headers.setdefault("Vary", "Authorization")
            if not response.get_etag()[0]:
                response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:40])
            response = response.make_conditional(request)
        if g.get("api_next_link"):
            response.headers["Link"] = f'<{g.api_next_link}>; rel="next"'
    if request.endpoint not in DOC_ENDPOINTS:
        from incubator.api.services import log_call
        from incubator.db import write_lock
        from incubator.extensions import db

        # The call's reads end here; its log is written in a transaction of its own that takes SQLite's write
        # lock at its start (a GET's transaction begins as a reader, and could not become a writer once
        # another call had written).
        token = g.get("api_token")
        token_id = token.id if token is not None else None
        db.session.commit()
        with write_lock():
            log_call(db.session.get(type(token), token_id) if token is not None else None, request.method,
                     _loggable_path(), response.status_code)
    return response


def _loggable_path() -> str:
    """The path and query as sent, percent-encoded wherever a database would refuse or a reader misread it
    (NUL and other control characters, text that is not UTF-8)."""
    from urllib.parse import quote

    path = quote(request.path.encode("utf-8", "surrogateescape"), safe="/:@!$&'()*+,;=-._~")
    query = quote(request.query_string, safe="/:@!$&'()*+,;=-._~%?")
    return f"{path}?{query}" if query else path


def install(app: Flask) -> None:
    """Called by the factory after the request hooks that must run before (the request's id, the session's
    incubator) and before those that must run after (the commit): Flask runs after_request hooks in reverse."""
    app.before_request(_before_api_call)
    app.after_request(_after_api_call)

    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return problem_response(exc.status, exc.detail, exc.headers)


def current_token():
    """The token of this call (set before the view runs)."""
    return g.api_token


def token_incubator_ids() -> list[int] | None:
    """The incubators the token is limited to, or None when it reads every incubator its owner sees. (Rows of
    IncubatorScoped tables are limited already, by organisation.scoping; this is for the others.)"""
    ids = list(g.api_token.incubator_ids or [])
    return ids or None


def incubator_asked(code: str | None, *, city_allowed: bool = True):
    """The incubator a call names with ``?incubator=CODE`` (its record), or None for the city's (the whole
    network). A token limited to incubators reads only theirs: another incubator's code is not found (404);
    naming none is that one incubator when the token has one, else it must name one (400) — the city's figures
    count the other incubators' businesses too."""
    import sqlalchemy as sa

    from incubator.extensions import db
    from incubator.organisation.models import Incubator

    ids = token_incubator_ids()
    if code:
        incubator = db.session.scalar(sa.select(Incubator).where(Incubator.code == code.strip().upper()))
        if incubator is None or (ids is not None and incubator.id not in ids):
            raise ApiError(404, f"No incubator {code!r} that this token may read.")
        return incubator
    if ids is None and city_allowed:
        return None
    if ids is not None and len(ids) == 1:
        return db.session.get(Incubator, ids[0])
    raise ApiError(400, "incubator: this token reads some incubators only; name one with ?incubator=CODE.")


def paginate_items(items: list, key, args: dict) -> Page:
    """Keyset pagination of a list already computed in memory (the businesses behind a figure): sorted by
    ``key(item)`` (an integer id), the items after the cursor's, ``limit`` of them, and the next page's link."""
    limit = args.get("limit", DEFAULT_LIMIT)
    after = decode_cursor(args.get("cursor"))
    ordered = sorted(items, key=key)
    if after is not None:
        ordered = [item for item in ordered if key(item) > after]
    page, more = ordered[:limit], len(ordered) > limit
    link = None
    if more:
        link = _link_with(cursor=encode_cursor(key(page[-1])), limit=limit)
        g.api_next_link = link
    return Page(page, link)
