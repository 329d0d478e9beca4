"""Password hashing and policy, server-side sessions, login limits, security headers."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
import threading
from datetime import datetime, timedelta

import argon2
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context, request
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SessionInterface, SessionMixin
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import CallbackDict

from incubator.db import utcnow, write_lock
from incubator.errors import ServerBusy

log = logging.getLogger("incubator.security")

# --------------------------------------------------------------------------------------------------------
# Passwords

# argon2id with the parameters OWASP's Password Storage Cheat Sheet gives for interactive logins: 19 MiB of
# memory, 2 passes, 1 lane (its first row; the others trade memory for passes at the same cost). The one place
# they are set: a hash made with other parameters (argon2-cffi's defaults before, 64 MiB, 3 passes, 4 lanes) is
# made again at the owner's next successful login (auth.services.authenticate).
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MAX_PASSWORD_LENGTH = 128


class HashingBusy(ServerBusy):
    """Every slot for argon2 in this process stayed taken for PASSWORD_HASHING_WAIT_SECONDS."""


_slots_guard = threading.Lock()


def _hashing_slot():
    """The per-process bound on argon2 runs at once: at most PASSWORD_HASHING_CONCURRENCY (per application,
    so per worker process), a caller waiting at most PASSWORD_HASHING_WAIT_SECONDS for its turn before
    HashingBusy (answered 503 with Retry-After). Outside an application (a script) there is no bound."""
    if not has_app_context():
        return contextlib.nullcontext()
    app = current_app._get_current_object()
    slots = app.extensions.get("incubator.hashing_slots")
    if slots is None:
        with _slots_guard:
            slots = app.extensions.setdefault(
                "incubator.hashing_slots",
                threading.BoundedSemaphore(max(1, int(app.config["PASSWORD_HASHING_CONCURRENCY"]))))
    return _held(slots, float(app.config["PASSWORD_HASHING_WAIT_SECONDS"]))


@contextlib.contextmanager
def _held(slots: threading.BoundedSemaphore, wait: float):
    if not slots.acquire(timeout=wait):
        log.warning("password hashing busy: no slot within %.0f s", wait)
        raise HashingBusy(retry_after=max(1, round(wait / 2)))
    try:
        yield
    finally:
        slots.release()


def hash_password(password: str) -> str:
    """An argon2id hash (slow by design: call it with no database transaction open, see db.outside_transaction)."""
    with _hashing_slot():
        return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches (slow by design, like hash_password)."""
    if not password_hash:
        return False
    with _hashing_slot():
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def hash_parameters(password_hash: str | None) -> str:
    """The parameters a hash was made with, as the audit log keeps them ("m=19456,t=2,p=1")."""
    try:
        p = argon2.extract_parameters(password_hash or "")
    except InvalidHashError:
        return "?"
    return f"m={p.memory_cost},t={p.time_cost},p={p.parallelism}"


_dummy_hashes: list[str] = []


def dummy_hash() -> str:
    """A hash of a random password, made with the same parameters as every account's: a login with an unknown
    address is verified against it, so that it costs what a wrong password costs. Made once per process, at
    start-up when the application serves (``create_app``), so the first such login pays no extra hashing."""
    if not _dummy_hashes:
        _dummy_hashes.append(hash_password(new_token()))
    return _dummy_hashes[0]


def password_needs_rehash(password_hash: str | None) -> bool:
    """Whether the hash was made with other parameters than today's (or is not one of ours)."""
    if not password_hash:
        return False
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return False


def password_problems(password: str, *, email: str = "", name: str = "") -> list:
    """Reasons (translatable) why a password is refused; empty when it is acceptable."""
    from zxcvbn import zxcvbn

    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    problems = []
    if len(password) < min_length:
        problems.append(_l("Use at least %(n)d characters.", n=min_length))
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(_l("Use at most %(n)d characters.", n=MAX_PASSWORD_LENGTH))
    if problems:
        return problems
    user_inputs = [w for w in [email, email.split("@")[0], name, *name.split(), "vuonuom", "incubator",
                               "hanoi", "matkhau"] if w]
    if zxcvbn(password[:64], user_inputs=user_inputs)["score"] < 3:
        problems.append(_l("This password is too common or too easy to guess: "
                           "add unusual words, or make it longer."))
    return problems


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --------------------------------------------------------------------------------------------------------
# Server-side sessions


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, initial=None, sid: str | None = None, user_id: int | None = None,
                 updated_at: datetime | None = None):
        def on_update(_self):
            _self.modified = True

        super().__init__(initial, on_update)
        self.sid = sid
        self.stored_user_id = user_id
        self.updated_at = updated_at
        self.previous_sid: str | None = None
        self.modified = False
        self.accessed = False

    def regenerate(self) -> None:
        """Give the session a new id (at login and logout) so an id known before is worth nothing."""
        if self.sid:
            self.previous_sid = self.sid
        self.sid = None
        self.modified = True


class DatabaseSessionInterface(SessionInterface):
    """Session data in a table; the cookie holds only a random id (its hash is stored).

    The table is handed in at start-up by the people layer (the factory passes ``auth``'s ``web_sessions``), so
    this module knows no domain. It needs the columns ``sid_hash``, ``user_id``, ``data``, ``created_at``,
    ``updated_at``, ``expires_at``, ``ip_address`` and ``user_agent``."""

    serializer = TaggedJSONSerializer()
    touch_interval = timedelta(minutes=10)

    def __init__(self, table: sa.Table):
        self.table = table

    def _table(self) -> sa.Table:
        return self.table

    def _engine(self):
        from incubator.extensions import db

        return db.engine

    def open_session(self, app, request):
        sid = request.cookies.get(self.get_cookie_name(app))
        if sid and len(sid) < 100:
            table = self._table()
            with self._engine().connect() as conn:
                row = conn.execute(
                    sa.select(table.c.data, table.c.user_id, table.c.updated_at, table.c.expires_at)
                    .where(table.c.sid_hash == token_hash(sid))
                ).first()
            if row is not None:
                expires_at = _aware(row.expires_at)
                if expires_at > utcnow():
                    try:
                        data = self.serializer.loads(row.data)
                    except ValueError:
                        data = {}
                    return ServerSession(data, sid=sid, user_id=row.user_id, updated_at=_aware(row.updated_at))
        return ServerSession()

    def save_session(self, app, session: ServerSession, response):
        table = self._table()
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        now = utcnow()
        unchanged = session.sid is not None and not session.previous_sid and not session.modified \
            and session.updated_at is not None and now - session.updated_at <= self.touch_interval
        if (session and unchanged) or (not session and not session.sid and not session.previous_sid
                                       and not request.cookies.get(name)):
            # Nothing to store (most requests): no transaction, so no wait for SQLite's write lock, which a
            # login holding it while argon2 checks a password would otherwise impose on every page.
            return
        with write_lock(), self._engine().begin() as conn:
            if session.previous_sid:
                conn.execute(table.delete().where(table.c.sid_hash == token_hash(session.previous_sid)))
            if not session:
                if session.sid:
                    conn.execute(table.delete().where(table.c.sid_hash == token_hash(session.sid)))
                if session.sid or session.previous_sid or request.cookies.get(name):
                    response.delete_cookie(name, domain=domain, path=path,
                                           secure=self._secure(app), httponly=True,
                                           samesite=self.get_cookie_samesite(app))
                return
            expires = now + app.permanent_session_lifetime
            user_id = _int_or_none(session.get("_user_id"))
            if session.sid is None:
                session.sid = secrets.token_urlsafe(32)
                conn.execute(table.insert().values(
                    sid_hash=token_hash(session.sid), user_id=user_id, data=self.serializer.dumps(dict(session)),
                    created_at=now, updated_at=now, expires_at=expires,
                    ip_address=(request.remote_addr or "")[:45] or None,
                    user_agent=(request.user_agent.string or "")[:300] or None,
                ))
            elif session.modified or session.updated_at is None or now - session.updated_at > self.touch_interval:
                # A revoked session (row deleted meanwhile) is not brought back: the UPDATE finds nothing.
                result = conn.execute(table.update().where(table.c.sid_hash == token_hash(session.sid)).values(
                    data=self.serializer.dumps(dict(session)), user_id=user_id, updated_at=now, expires_at=expires,
                ))
                if result.rowcount == 0:
                    response.delete_cookie(name, domain=domain, path=path, secure=self._secure(app), httponly=True,
                                           samesite=self.get_cookie_samesite(app))
                    return
            else:
                return
        response.set_cookie(
            name, session.sid, expires=expires, httponly=True, domain=domain, path=path,
            secure=self._secure(app), samesite=self.get_cookie_samesite(app),
        )
        response.vary.add("Cookie")

    def _secure(self, app) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE") or request.is_secure)


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------------------------------------
# Response headers

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if "Cache-Control" not in headers and response.mimetype == "text/html":
        headers["Cache-Control"] = "no-store"
    return response
