"""API tokens and the log of the calls made with them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.db import UTCDateTime, utcnow
from incubator.extensions import db


class ApiToken(db.Model):
    """A named token of an administrator or an official: the secret is never stored, only its SHA-256 (a
    high-entropy secret needs no slow hash) and its first characters, to tell tokens apart."""

    __tablename__ = "api_tokens"
    __table_args__ = (sa.UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    prefix: Mapped[str] = mapped_column(sa.String(16))
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    resources: Mapped[list] = mapped_column(sa.JSON, default=list)
    incubator_ids: Mapped[list] = mapped_column(sa.JSON, default=list)  # empty: every incubator the owner sees
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    owner = relationship("User", foreign_keys=[owner_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}… {self.name}>"


class ApiCall(db.Model):
    """One call of the API: which token (none when it was refused before one was known), what, the answer's
    status, when. Counted for the per-token limit; trimmed after API_CALLS_KEPT_DAYS (``api-tokens trim``)."""

    __tablename__ = "api_calls"
    __table_args__ = (sa.Index("ix_api_calls_token_id_at", "token_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int | None] = mapped_column(sa.ForeignKey("api_tokens.id", ondelete="CASCADE"))
    method: Mapped[str] = mapped_column(sa.String(10))
    path: Mapped[str] = mapped_column(sa.String(500))
    status: Mapped[int] = mapped_column(sa.SmallInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
