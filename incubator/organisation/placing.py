"""Which incubator a row that may belong to none is written for: an entry of the audit log, an e-mail of the
outbox (their ``incubator_id`` may stay empty: the installation's).

Its object's incubator when it has one (audit.services.record takes it from the object; an entry about an
incubator is that incubator's), else the incubator of the work that writes it (``incubator_of_the_work``):

- in a request, the one its person is limited to (staff, reviewers, mentors, fund managers: ``scoped_to``); a
  person who works across the network (an administrator, an official, a founder) acts for the installation;
- in a command or a job, the one chosen for it (``use_incubator``);
- else, with a single incubator, that one (nothing changes there); else none.

The audit log sits below this package and the outbox's package above it: ``connect_to_the_audit_log`` (called by
the factory) places new audit entries before they are written and limits the log's queries
(``scoping.limit_to_incubators``); the mail package does the same for its messages with
``incubator_of_the_work``."""

from __future__ import annotations

from flask import has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from incubator.audit.models import AuditEntry
from incubator.organisation import scoping
from incubator.organisation.current import chosen_incubator_id, only_incubator_id
from incubator.organisation.models import Incubator


def incubator_of_the_work(connection=None) -> int | None:
    """The incubator this request or command works for (see the module's docstring), or None: the
    installation's. ``connection``: ask on it rather than through the session (inside a flush)."""
    scope = scoping.current_scope()
    chosen = chosen_incubator_id()
    if scope is not None:
        if chosen in scope:
            return chosen
        return scope[0] if len(scope) == 1 else None
    if chosen is not None and not has_request_context():
        return chosen
    return only_incubator_id(connection)


def _place_audit_entries(session, _context, _instances) -> None:
    """A new audit entry given no incubator by its object takes the incubator of the work that writes it."""
    for obj in session.new:
        if isinstance(obj, AuditEntry) and obj.incubator_id is None:
            if obj.object_type == Incubator.__tablename__ and (obj.object_id or "").isdigit():
                obj.incubator_id = int(obj.object_id)
            else:
                obj.incubator_id = incubator_of_the_work(session.connection())


def connect_to_the_audit_log() -> None:
    """Called by the factory (twice connects once): new audit entries are placed, and a person limited to some
    incubators reads their entries only (the installation's too while there is a single incubator)."""
    if not event.contains(Session, "before_flush", _place_audit_entries):
        event.listen(Session, "before_flush", _place_audit_entries)
    scoping.limit_to_incubators(AuditEntry)
