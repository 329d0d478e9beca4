"""Which incubator this request or command works in.

``use_incubator(incubator)`` chooses it for a block (a ContextVar, so threads and requests do not share it).
Without a choice, an installation with a single incubator works in that one, so nothing changes for anyone
there; with several, a new row or a command that needs one and was not told is refused ("Choose the
incubator")."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import sqlalchemy as sa
from flask import g, has_app_context
from flask_babel import lazy_gettext as _l

from incubator.errors import DomainError
from incubator.extensions import db
from incubator.organisation.models import Incubator

_chosen: ContextVar[int | None] = ContextVar("incubator_chosen", default=None)


class NoIncubatorChosen(DomainError):
    """Several incubators and none chosen for this request or command."""


@contextmanager
def use_incubator(incubator: Incubator | int | None) -> Iterator[None]:
    """Work in this incubator (a record or its id) inside the block; ``None`` forgets an outer choice."""
    if isinstance(incubator, Incubator):
        if incubator.id is None:
            db.session.flush()
        incubator = incubator.id
    token = _chosen.set(incubator)
    try:
        yield
    finally:
        _chosen.reset(token)


def chosen_incubator_id() -> int | None:
    """The incubator chosen by ``use_incubator`` for this block, if any."""
    return _chosen.get()


def current_incubator_id(connection=None) -> int:
    """The id of the incubator chosen for this request or command, else of the only incubator; with several
    and none chosen, a DomainError. ``connection``: ask on it rather than through the session (a column
    default runs inside a flush)."""
    chosen = _chosen.get()
    if chosen is not None:
        return chosen
    only = only_incubator_id(connection)
    if only is None:
        raise NoIncubatorChosen(_l("Choose the incubator"))
    return only


def current_incubator() -> Incubator:
    return db.session.get(Incubator, current_incubator_id())


def only_incubator_id(connection=None) -> int | None:
    """The id of the single incubator, or None when there are none or several. Remembered for the
    application context once found, and so is "several" (services.create and ensure_default forget it)."""
    if has_app_context():
        cached = g.get("_only_incubator_id")
        if cached is not None:
            return cached or None  # 0: several
    query = sa.select(Incubator.id).order_by(Incubator.id).limit(2)
    ids = list((connection if connection is not None else db.session).scalars(query))
    only = ids[0] if len(ids) == 1 else None
    if ids and has_app_context():
        g._only_incubator_id = only or 0
    return only


def incubator_in_force() -> int | None:
    """The incubator a role held in one counts in now: the one chosen for this block, else the only one; None
    when several exist and none is chosen (then only the roles held across the network count)."""
    chosen = _chosen.get()
    return chosen if chosen is not None else only_incubator_id()


def several_incubators() -> bool:
    """Whether the installation serves more than one incubator (remembered like ``only_incubator_id``)."""
    if only_incubator_id() is not None:
        return False
    if has_app_context() and g.get("_only_incubator_id") == 0:
        return True
    return len(list(db.session.scalars(sa.select(Incubator.id).limit(2)))) > 1


def remember_incubators(ids) -> None:
    """What a caller that has just read every incubator's id (the layout's one query) tells this module, so that
    ``only_incubator_id`` and ``several_incubators`` need no query of their own in this application context."""
    ids = list(ids)
    if ids and has_app_context():
        g._only_incubator_id = ids[0] if len(ids) == 1 else 0


def remembered() -> bool:
    """Whether the incubators are remembered for this application context (``forget`` not called since)."""
    return has_app_context() and g.get("_only_incubator_id") is not None


def forget() -> None:
    """Forget the single incubator remembered for this application context (one was added or removed)."""
    if has_app_context():
        g.pop("_only_incubator_id", None)
