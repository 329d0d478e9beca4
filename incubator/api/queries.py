"""Reading API tokens for their pages and commands."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from incubator.api.models import ApiToken
from incubator.extensions import db


def tokens_of(user) -> list[ApiToken]:
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.owner_id == user.id)
        .options(selectinload(ApiToken.owner), selectinload(ApiToken.revoked_by))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def every_token() -> list[ApiToken]:
    return list(db.session.scalars(
        sa.select(ApiToken).options(selectinload(ApiToken.owner), selectinload(ApiToken.revoked_by))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def token_named(user, name: str) -> ApiToken | None:
    return db.session.scalar(sa.select(ApiToken).where(ApiToken.owner_id == user.id, ApiToken.name == name))
