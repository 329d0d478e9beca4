"""Reading the incubators of the network."""

from __future__ import annotations

import sqlalchemy as sa

from incubator.extensions import db
from incubator.organisation.models import Incubator


def all_incubators() -> list[Incubator]:
    """Every incubator, by code."""
    return list(db.session.scalars(sa.select(Incubator).order_by(Incubator.code)))


def by_code(code: str | None) -> Incubator | None:
    return db.session.scalar(sa.select(Incubator).where(Incubator.code == (code or "").strip().upper()))
