"""The one door to the audit log: every change of state calls ``record``."""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user

from incubator.audit.models import AuditEntry
from incubator.extensions import db


def _state(value: Any) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))[:200]


def record(action: str, obj: Any = None, *, object_type: str | None = None, object_id: Any = None,
           label: str | None = None, from_state: Any = None, to_state: Any = None,
           reason: str | None = None, details: dict | None = None, actor=None) -> AuditEntry:
    """Append an entry. ``obj`` (a model instance) gives object type, id and label unless given, and the entry's
    incubator when it belongs to one (its ``incubator_id``); else the entry takes the incubator of the work that
    writes it, or none (placed when flushed: organisation/placing.py)."""
    incubator_id = None
    if obj is not None:
        if obj in db.session.new:
            db.session.flush()
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
        label = label or _label_of(obj)
        incubator_id = getattr(obj, "incubator_id", None)
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(
        action=action,
        object_type=object_type or "system",
        object_id=None if object_id is None else str(object_id),
        object_label=(label or "")[:300] or None,
        from_state=_state(from_state),
        to_state=_state(to_state),
        reason=reason or None,
        details=details or {},
        actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", None),
        incubator_id=incubator_id if isinstance(incubator_id, int) else None,
    )
    if has_request_context():
        entry.ip_address = request.remote_addr
        entry.request_id = g.get("request_id")
    db.session.add(entry)
    db.session.flush()
    return entry


def apply_changes(obj, fields: dict, allowed=None) -> dict[str, list]:
    """Set on `obj` each of `fields` (only those in `allowed`, when given) whose value differs, and return what
    changed as an update's audit details keep it: {field: [before, after]} in plain values."""
    changed = {}
    for key, value in fields.items():
        if (allowed is None or key in allowed) and getattr(obj, key) != value:
            changed[key] = [plain(getattr(obj, key)), plain(value)]
            setattr(obj, key, value)
    return changed


def plain(value: Any) -> Any:
    """A value as the audit log's JSON details keep it: dates, times and decimals as text, enums as values."""
    from datetime import date
    from decimal import Decimal

    if isinstance(value, date | Decimal):  # datetime is a date too
        return value.isoformat() if isinstance(value, date) else str(value)
    return getattr(value, "value", value)


def _label_of(obj: Any) -> str | None:
    for attr in ("email", "name", "code", "tax_code"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)
    return None
