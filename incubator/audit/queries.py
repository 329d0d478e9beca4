from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.i18n import local_tz


def filtered(action: str | None = None, actor: str | None = None, object_type: str | None = None,
             object_id: str | None = None, date_from: date | None = None, date_to: date | None = None):
    stmt = sa.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        stmt = stmt.where(AuditEntry.action.startswith(action, autoescape=True))
    if actor:
        stmt = stmt.where(AuditEntry.actor_email.contains(actor.lower(), autoescape=True))
    if object_type:
        stmt = stmt.where(AuditEntry.object_type == object_type)
    if object_id:
        stmt = stmt.where(AuditEntry.object_id == object_id)
    if date_from and date_from > date.min:  # 0001-01-01 is the beginning: its Hà Nội midnight is in year 0 UTC
        stmt = stmt.where(AuditEntry.at >= datetime.combine(date_from, time(), tzinfo=local_tz()))
    if date_to and date_to < date.max:
        stmt = stmt.where(AuditEntry.at < datetime.combine(date_to + timedelta(days=1), time(),
                                                           tzinfo=local_tz()))
    return stmt


def actions() -> list[str]:
    from incubator.extensions import db

    return list(db.session.scalars(sa.select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def object_types() -> list[str]:
    from incubator.extensions import db

    return list(db.session.scalars(sa.select(AuditEntry.object_type).distinct().order_by(AuditEntry.object_type)))
