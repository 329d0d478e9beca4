"""API tokens: created (the secret returned once, its hash kept), revoked, checked at each call; the calls
logged, counted for the per-token limit, and trimmed. Services flush and never commit."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from incubator.api.enums import DEFAULT_DAYS, MAX_DAYS, SCOPES, TOKEN_PREFIX
from incubator.api.models import ApiCall, ApiToken
from incubator.api.permissions import can_revoke, may_own_tokens
from incubator.audit.services import record
from incubator.auth.models import User
from incubator.db import utcnow
from incubator.errors import DomainError, NotAllowed
from incubator.extensions import db
from incubator.organisation.models import Incubator

NAME_MAX = 100
PREFIX_LENGTH = 12  # "ivn_" and 8 characters of the secret: enough to tell tokens apart, useless to guess it


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def create_token(owner: User, name: str, *, days: int = DEFAULT_DAYS, resources: list[str] | None = None,
                 incubator_ids: list[int] | None = None, actor=None, now: datetime | None = None) -> NewToken:
    """A token for ``owner`` (an administrator or an official): ``resources`` None or empty is every resource,
    ``incubator_ids`` None or empty every incubator the owner sees (administrators and officials see all)."""
    if not may_own_tokens(owner):
        raise NotAllowed(_l("Only administrators and officials of the Department may own API tokens."))
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Give the token a name."), field="name")
    if len(name) > NAME_MAX:
        raise DomainError(_l("The name is too long (at most %(n)d characters).", n=NAME_MAX), field="name")
    if db.session.scalar(sa.select(ApiToken.id).where(ApiToken.owner_id == owner.id, ApiToken.name == name)):
        raise DomainError(_l("You already have a token with this name."), field="name")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
        raise DomainError(_l("A token lasts from 1 to %(n)d days.", n=MAX_DAYS), field="days")
    resources = list(dict.fromkeys(resources or SCOPES))
    unknown = [r for r in resources if r not in SCOPES]
    if unknown:
        raise DomainError(_l("Unknown resource: %(names)s.", names=", ".join(unknown)), field="resources")
    ids = sorted(set(incubator_ids or []))
    if ids:
        known = set(db.session.scalars(sa.select(Incubator.id).where(Incubator.id.in_(ids))
                                       .execution_options(all_incubators=True)))
        if set(ids) - known:
            raise DomainError(_l("Unknown incubator."), field="incubators")
    now = now or utcnow()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(owner_id=owner.id, name=name, prefix=secret[:PREFIX_LENGTH], secret_hash=hash_secret(secret),
                     resources=resources, incubator_ids=ids, created_at=now, expires_at=now + timedelta(days=days))
    try:
        with db.session.begin_nested():  # two forms sent at once (PostgreSQL): the second is told, not a 500
            db.session.add(token)
    except IntegrityError:
        raise DomainError(_l("You already have a token with this name."), field="name") from None
    record("api_token.create", token, label=f"{name} ({token.prefix}…)", to_state="active", actor=actor or owner,
           details={"owner": owner.email, "resources": resources, "incubators": ids,
                    "expires": token.expires_at.date().isoformat()})
    return NewToken(token, secret)


def revoke_token(token: ApiToken, by: User | None, now: datetime | None = None) -> None:
    """Revoke the token: its owner or an administrator in the interface; ``by`` None is the command line (run by
    whoever runs the installation), which records the owner as the one it acted for."""
    if token.revoked_at is not None:
        raise DomainError(_l("This token was already revoked."))
    if by is not None and not can_revoke(by, token):
        raise NotAllowed(_l("You may not revoke this token."))
    token.revoked_at = now or utcnow()
    token.revoked_by_id = by.id if by is not None else None
    db.session.flush()
    record("api_token.revoke", token, label=f"{token.name} ({token.prefix}…)", from_state="active",
           to_state="revoked", actor=by, details={"owner": token.owner.email,
                                                  "from": "interface" if by is not None else "command line"})


def token_for(secret: str | None, now: datetime | None = None) -> ApiToken | None:
    """The usable token this secret is, or None: unknown, expired, revoked, or its owner no longer an active
    administrator or official. Looked up by the secret's hash (an index), compared again in constant time."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    digest = hash_secret(secret)
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.secret_hash == digest))
    if token is None or not hmac.compare_digest(token.secret_hash, digest):
        return None
    if not token.is_usable(now or utcnow()) or not may_own_tokens(token.owner):
        return None
    return token


def calls_in_the_last_minute(token: ApiToken, now: datetime | None = None) -> tuple[int, datetime | None]:
    """How many calls the token made in the minute before ``now`` (those refused for the limit not counted),
    and the oldest of them: one query on the shared log, so the limit holds across servers and workers."""
    since = (now or utcnow()) - timedelta(minutes=1)
    count, oldest = db.session.execute(
        sa.select(sa.func.count(ApiCall.id), sa.func.min(ApiCall.at))
        .where(ApiCall.token_id == token.id, ApiCall.at > since, ApiCall.status != 429)).one()
    return count, oldest


def log_call(token: ApiToken | None, method: str, path: str, status: int, now: datetime | None = None) -> None:
    now = now or utcnow()
    db.session.add(ApiCall(token_id=token.id if token else None, method=method[:10], path=path[:500],
                           status=status, at=now))
    if token is not None:
        token.last_used_at = now
    db.session.flush()


def trim_calls(days: int, now: datetime | None = None) -> int:
    """Forget the calls older than ``days`` days; how many were removed."""
    before = (now or utcnow()) - timedelta(days=days)
    result = db.session.execute(sa.delete(ApiCall).where(ApiCall.at < before))
    return result.rowcount or 0
