"""Which incubators' rows a request or command may see, applied to every ORM query in one place.

``scoped_to(ids)`` limits the block to those incubators: every SELECT, UPDATE or DELETE the ORM runs for a
model carrying ``incubator_id`` (the ``IncubatorScoped`` mixin) gets ``incubator_id IN (ids)``, through
SQLAlchemy's ``with_loader_criteria`` added in the session's ``do_orm_execute`` event: in the FROM list, in
joins (as their ON clause), in aliases, in the relationship loads of objects so loaded, and in
``Session.get`` when the row is not already in the session (a new query cannot forget it, as a ``where`` in
each view could). Outside a ``scoped_to`` block nothing is filtered: an administrator, the Department's
officials, founders (who belong to no incubator) and an installation with a single incubator see what they
see today. A query that must read across the network inside a scoped block (the city's figures for an
official) says so with ``execution_options(all_incubators=True)``.

Two kinds of model carry an ``incubator_id`` that may stay empty, each registered by the package that owns it:
``limit_city_wide`` (the city's targets: inside the block, the rows of its incubators and the city's) and
``limit_to_incubators`` (the audit log and the e-mail outbox: inside the block, the rows of its incubators only;
an empty one is the installation's, an account's or a city-wide list's, which with several incubators is the
administrators' business, and shows to staff limited to an incubator only while the installation has a single
incubator, where nothing changes)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event, or_
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from incubator.organisation.current import only_incubator_id
from incubator.organisation.models import IncubatorScoped

_scope: ContextVar[tuple[int, ...] | None] = ContextVar("incubator_scope", default=None)
# Models with an ``incubator_id`` that may be NULL for the city's rows, registered by their packages.
_city_wide: list[type] = []
# Models with an ``incubator_id`` that may be NULL for the installation's rows (the audit log, the outbox).
_installation_wide: list[type] = []


@contextmanager
def scoped_to(incubator_ids: Iterable[int] | None) -> Iterator[None]:
    """Inside the block, ORM queries see the rows of these incubators only (``None``: no limit)."""
    token = _scope.set(None if incubator_ids is None else tuple(sorted(set(incubator_ids))))
    try:
        yield
    finally:
        _scope.reset(token)


def current_scope() -> tuple[int, ...] | None:
    """The incubators this block may see, or None when it is not limited."""
    return _scope.get()


def install() -> None:
    """Called by the factory: every session's ORM queries are limited (listening twice listens once)."""
    if not event.contains(Session, "do_orm_execute", _limit_to_scope):
        event.listen(Session, "do_orm_execute", _limit_to_scope)


def limit_city_wide(model: type) -> None:
    """Limit ``model`` too: inside ``scoped_to(ids)`` its queries see the rows of those incubators and the city's
    (``incubator_id`` NULL). Called by the package that owns the model, at start-up (twice registers once)."""
    if model not in _city_wide:
        _city_wide.append(model)


def limit_to_incubators(model: type) -> None:
    """Limit ``model`` too: inside ``scoped_to(ids)`` its queries see the rows of those incubators, and the
    installation's (``incubator_id`` NULL) only while there is a single incubator. Called by the package that
    owns the model, at start-up (twice registers once)."""
    if model not in _installation_wide:
        _installation_wide.append(model)


def _limit_to_scope(state: ORMExecuteState) -> None:
    ids = _scope.get()
    if ids is None or state.is_column_load or state.is_relationship_load:
        return  # relationship and deferred-column loads carry the criteria of the query that loaded them
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.execution_options.get("all_incubators", False):
        return
    options = [with_loader_criteria(IncubatorScoped, lambda cls: cls.incubator_id.in_(ids), include_aliases=True)]
    options += [with_loader_criteria(model, lambda cls: or_(cls.incubator_id.in_(ids), cls.incubator_id.is_(None)),
                                     include_aliases=True) for model in _city_wide]
    if _installation_wide:
        # Asked on the connection (a Core query: no ORM event again), remembered for the application context.
        if only_incubator_id(state.session.connection()) is not None:
            options += [with_loader_criteria(model, lambda cls: or_(cls.incubator_id.in_(ids),
                                                                    cls.incubator_id.is_(None)),
                                             include_aliases=True) for model in _installation_wide]
        else:
            options += [with_loader_criteria(model, lambda cls: cls.incubator_id.in_(ids), include_aliases=True)
                        for model in _installation_wide]
    state.statement = state.statement.options(*options)
