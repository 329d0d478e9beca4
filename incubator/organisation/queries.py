"""Reading the incubators of the network."""

from __future__ import annotations

import sqlalchemy as sa

from incubator.extensions import db
from incubator.organisation.models import CODE_PATTERN, Incubator


def all_incubators() -> list[Incubator]:
    """Every incubator, by code."""
    return list(db.session.scalars(sa.select(Incubator).order_by(Incubator.code)))


def by_code(code: str | None) -> Incubator | None:
    """The incubator with this code (in any case, spaces around ignored); None for a code no incubator can have
    (a NUL byte or other text never reaches the database: PostgreSQL refuses NUL in text)."""
    code = (code or "").strip().upper()
    if not CODE_PATTERN.fullmatch(code):
        return None
    return db.session.scalar(sa.select(Incubator).where(Incubator.code == code))
