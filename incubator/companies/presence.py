"""The table ``company_presence`` (where each business is: a row per incubator it is in, or one with no
incubator while it is in none), kept in the same transaction as each write that changes it (issue 23), so that
the register's rule of which businesses an incubator's staff see (``queries.visible_companies``) and its count
read a few rows of one indexed table, whatever the size of the city, instead of the union of every residency,
outcome and submitted application of every incubator.

What changes it: a row of a registered model (``queries.register_presence``: residencies, outcomes,
applications) added, deleted, or changed in ``company_id`` or an attribute it names (an application's status);
a business added. ``after_flush`` notes the businesses such a flush touched, whatever door the write came
through (a service, a command, an import, a test); ``after_flush_postexec`` rewrites their rows from the
registered rows, on the flush's own connection: in its transaction, so a rollback takes them back with the
write, and any read after the flush sees them. On PostgreSQL the businesses' rows are locked first (in id
order), so that two transactions placing one business in two incubators at once write one after the other and
the second sees the first's rows. Rows written without the ORM (the benchmark's bulk seed) call ``refresh``
themselves; ``refresh_all`` rebuilds the whole table."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from incubator.companies import queries
from incubator.companies.models import Company, CompanyPresence

PRESENCE = CompanyPresence.__table__
_STALE = "company_presence_stale"
_CHUNK = 500  # ids per statement: well under SQLite's limit of bound parameters


def _write(connection, only: sa.ColumnElement | None) -> None:
    """Insert the rows of the businesses ``only`` selects (every business when None), their rows gone."""
    rows = queries.presence_from_rows()
    placed = sa.select(rows.c.company_id, rows.c.incubator_id).distinct()
    companies = Company.__table__
    nowhere = sa.select(companies.c.id, sa.null()).where(
        ~sa.exists().where(PRESENCE.c.company_id == companies.c.id))
    if only is not None:
        placed = placed.where(only(rows.c.company_id))
        nowhere = nowhere.where(only(companies.c.id))
    connection.execute(sa.insert(PRESENCE).from_select(["company_id", "incubator_id"], placed))
    connection.execute(sa.insert(PRESENCE).from_select(["company_id", "incubator_id"], nowhere))


def refresh(connection, company_ids: Iterable[int]) -> None:
    """Rewrite the rows of these businesses from the registered rows."""
    ids = sorted(set(company_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        if connection.dialect.name == "postgresql":
            companies = Company.__table__
            connection.execute(sa.select(companies.c.id).where(companies.c.id.in_(chunk))
                               .order_by(companies.c.id).with_for_update())
        connection.execute(sa.delete(PRESENCE).where(PRESENCE.c.company_id.in_(chunk)))
        _write(connection, lambda column, chunk=chunk: column.in_(chunk))


def refresh_all(connection) -> None:
    """Rebuild the whole table from the registered rows (after a bulk write past the ORM)."""
    connection.execute(sa.delete(PRESENCE))
    _write(connection, None)


def _touched(obj, names: tuple[str, ...], gone_or_new: bool) -> set[int]:
    """The businesses a row was and is of, when it was added or deleted or one of ``names`` changed."""
    state = sa.inspect(obj)
    if not gone_or_new and not any(state.attrs[name].history.has_changes() for name in names):
        return set()
    ids = {obj.id} if isinstance(obj, Company) else {obj.company_id}
    if not isinstance(obj, Company):
        ids.update(state.attrs["company_id"].history.deleted)
    return {i for i in ids if i is not None}


def _moved_to_another_business(obj) -> bool:
    """Whether a row is given another business in this flush (its company_id, or the relationship on it)."""
    state = sa.inspect(obj)
    for prop in state.mapper.relationships:
        if "company_id" in {column.key for column in prop.local_columns} and \
                state.attrs[prop.key].history.has_changes():
            return True
    return state.attrs["company_id"].history.has_changes()


@event.listens_for(Session, "before_flush")
def _note_businesses_left(session, _context, _instances) -> None:
    """A row given another business leaves its old one, which may then be in one incubator fewer: its old
    business is read now, before the flush writes the new one (the old value is not in the row's history when
    the row was expired before it was changed)."""
    for obj in session.dirty:
        if type(obj) in queries.WATCHED and not isinstance(obj, Company) and _moved_to_another_business(obj):
            table = type(obj).__table__
            old = session.connection().scalar(sa.select(table.c.company_id).where(table.c.id == obj.id))
            if old is not None:
                session.info.setdefault(_STALE, set()).add(old)


@event.listens_for(Session, "after_flush")
def _note_stale_presence(session, _context) -> None:
    stale: set[int] = session.info.setdefault(_STALE, set())
    for objects, gone_or_new in ((session.new, True), (session.deleted, True), (session.dirty, False)):
        for obj in objects:
            names = queries.WATCHED.get(type(obj))
            if names is None or (isinstance(obj, Company) and not gone_or_new):
                continue
            if isinstance(obj, Company) and obj in session.deleted:
                continue  # its rows go with it (ON DELETE CASCADE)
            stale |= _touched(obj, names, gone_or_new)


@event.listens_for(Session, "after_flush_postexec")
def _refresh_stale_presence(session, _context) -> None:
    stale = session.info.pop(_STALE, set())
    if stale:
        refresh(session.connection(), stale)
