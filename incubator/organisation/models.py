"""The incubator record, and the mixin of every row of an incubator's work (first-level rows and the rows
below them), with the listener that places a new row in its incubator."""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, relationship

from incubator import uploads
from incubator.db import UTCDateTime, utcnow
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.i18n import localised as _localised

# A short code of upper-case letters and digits, starting with a letter: HN1, VUHN.
CODE_PATTERN = re.compile(r"[A-Z][A-Z0-9]{1,9}")


class Incubator(db.Model):
    """One incubator of the network: its code, its names in both languages, its address. A fresh or upgraded
    installation starts with one, VUHN (see services.ensure_default)."""

    __tablename__ = "incubators"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(10), unique=True)
    name_vi: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str | None] = mapped_column(sa.String(300))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    # The stored upload name (uploads kind "logos") of the logo its reports print in their heading.
    logo: Mapped[str | None] = mapped_column(sa.String(100))
    # What its reports' numbers end with: "BC-VƯTT" in "03/BC-VƯTT" (empty: "BC-" and its code).
    report_number_suffix: Mapped[str | None] = mapped_column(sa.String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)  # its record is edited on a page: version-checked

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def name(self) -> str:
        return _localised(self.name_vi, self.name_en)

    @property
    def number_suffix(self) -> str:
        """What its reports' numbers end with: its own suffix, else "BC-" (a report, báo cáo) and its code."""
        return self.report_number_suffix or f"BC-{self.code}"

    def __repr__(self) -> str:
        return f"<Incubator {self.code}>"


class StraddlingIncubators(DomainError):
    """A row was given one incubator and its parent (``__incubator_from__``) belongs to another: a row never
    straddles two incubators."""


class RowsStayInTheirIncubator(StraddlingIncubators):
    """A row already written was given another incubator: rows never move between incubators (the rows below
    it would straddle two, and what the first incubator's figures and reports counted would change under it)."""


def _parent_names(cls) -> tuple[str, ...]:
    names = getattr(cls, "__incubator_from__", ())
    return (names,) if isinstance(names, str) else tuple(names)


def _incubator_column_default(cls):
    """The column default of ``cls.incubator_id``, for rows inserted without the ORM's unit of work (new objects
    get theirs before the flush, below): the incubator of the row's parent, asked on the connection that
    inserts, else the incubator of this request or command."""

    def default(context) -> int:
        from incubator.organisation.current import current_incubator_id

        for name in _parent_names(cls):
            relationship_ = sa.inspect(cls).relationships[name]
            ((local, remote),) = relationship_.local_remote_pairs
            value = context.get_current_parameters().get(local.key)
            if value is not None:
                parent_table = relationship_.mapper.local_table
                found = context.connection.scalar(sa.select(parent_table.c.incubator_id).where(remote == value))
                if found is not None:
                    return found
        return current_incubator_id(context.connection)

    return default


class IncubatorScoped:
    """A row that belongs to one incubator.

    A first-level row (an intake round, a cohort, a residency …) takes the incubator chosen for this request or
    command (``current.use_incubator``), or the only one when there is a single incubator, unless it is given
    one. A row of an incubator's work below one of those (an application below its round, a review below its
    assignment …) names the relationship its incubator comes from in ``__incubator_from__``: a new row given no
    incubator takes its parent's, whatever incubator the request works in (a founder applies to any incubator's
    round). Further names are parents that must be in the same incubator too (a stage entry's stage and its
    application); the first one present gives the incubator, and with none present the current incubator is
    taken. A row given an incubator other than one of its parents' is refused (``StraddlingIncubators``), when
    it is added and when a parent is changed."""

    __incubator_from__: str | tuple[str, ...] = ()

    @declared_attr
    def incubator_id(cls) -> Mapped[int]:
        return mapped_column(sa.ForeignKey("incubators.id"), index=True, default=_incubator_column_default(cls))

    @declared_attr
    def incubator(cls) -> Mapped[Incubator]:
        return relationship(Incubator)


@event.listens_for(Session, "before_flush")
def _give_new_rows_their_incubator(session, _context, _instances) -> None:
    """A new row given no incubator takes its parent's, else the current one, before anything is written (so
    that "Choose the incubator" reaches the caller as the DomainError it is: a column default's error would come
    wrapped in the INSERT's); parents new in the same flush are placed first. A new row, or one whose parent
    changed, that straddles two incubators is refused; so is a row already written given another incubator
    (``RowsStayInTheirIncubator``): rows never move."""
    placed: dict[int, object] = {}
    for obj in list(session.dirty):
        if isinstance(obj, IncubatorScoped) and _given_another_incubator(session, obj):
            raise RowsStayInTheirIncubator(_l("This belongs to its incubator: it cannot be moved to another."))
    for obj in list(session.new):
        if isinstance(obj, IncubatorScoped):
            _place(session, obj, placed, ())
    for obj in list(session.dirty):
        if isinstance(obj, IncubatorScoped) and _moved(obj):
            _place(session, obj, placed, (), check=True)


def _place(session, obj, placed: dict[int, object], chain: tuple, check: bool = False):
    """The incubator of ``obj`` (an id, or an Incubator not yet written), given to it when it had none and it is
    new; its parents are placed first and must agree."""
    if id(obj) in placed:
        return placed[id(obj)]
    state = sa.inspect(obj)
    given = _given(obj)
    if not (check or state.pending or state.transient):
        return given  # a row already written: its incubator is its own
    if any(other is obj for other in chain):
        raise RuntimeError(f"{obj!r}: its __incubator_from__ parents form a cycle")
    parents = []
    for name in _parent_names(type(obj)):
        parent = _parent(session, obj, name)
        if isinstance(parent, IncubatorScoped):
            parents.append(_place(session, parent, placed, (*chain, obj)))
    if given is None:
        from incubator.organisation.current import current_incubator_id

        given = parents[0] if parents else current_incubator_id(session.connection())
        if isinstance(given, Incubator):
            obj.incubator = given
        else:
            obj.incubator_id = given
    if any(not _same(parent, given) for parent in parents):
        raise StraddlingIncubators(_l("This belongs to another incubator."))
    placed[id(obj)] = given
    return given


def _given(obj):
    """The incubator ``obj`` was given: its id, the Incubator itself when it is new, or None."""
    if obj.incubator_id is not None:
        return obj.incubator_id
    incubator = obj.incubator
    if incubator is None:
        return None
    return incubator.id if incubator.id is not None else incubator


def _same(a, b) -> bool:
    if a is b:
        return True
    a_id = a.id if isinstance(a, Incubator) else a
    b_id = b.id if isinstance(b, Incubator) else b
    return a_id is not None and a_id == b_id


def _parent(session, obj, name: str):
    """The parent named ``name``: the object set on the relationship in this unit of work, else the row its
    foreign key names (from the session's identity map when there, else read whatever incubator is in scope)."""
    state = sa.inspect(obj)
    added = state.attrs[name].history.added
    if added:
        return added[0]  # None: the parent was taken away
    relationship_ = state.mapper.relationships[name]
    ((local, _remote),) = relationship_.local_remote_pairs
    value = getattr(obj, state.mapper.get_property_by_column(local).key)
    if value is None:
        return None
    return session.get(relationship_.mapper.class_, value, execution_options={"all_incubators": True})


def _given_another_incubator(session, obj) -> bool:
    """Whether a row already written was given an incubator other than the one it was written in (its id, or
    the relationship: an Incubator, new or not, other than that one, or none)."""
    state = sa.inspect(obj)
    if not state.persistent:
        return False
    column = state.attrs.incubator_id.history
    relationship_ = state.attrs.incubator.history
    if not (column.added or relationship_.added):
        return False  # nothing given: no query
    written = (column.deleted or column.unchanged or [None])[0]
    if written is None:  # set before it was ever read: ask the database what it was written with
        table = state.mapper.local_table
        key = [table.c[col.key] == value for col, value in zip(state.mapper.primary_key, state.identity, strict=True)]
        written = session.connection().scalar(sa.select(table.c.incubator_id).where(*key))
    if column.added and column.added[0] != written:
        return True
    if relationship_.added:
        given = relationship_.added[0]
        return given is None or given.id != written
    return False


def _moved(obj) -> bool:
    """Whether a row already written was given another incubator or another parent in this unit of work."""
    state = sa.inspect(obj)
    names = ["incubator_id", "incubator"]
    for name in _parent_names(type(obj)):
        names.append(name)
        ((local, _remote),) = state.mapper.relationships[name].local_remote_pairs
        names.append(state.mapper.get_property_by_column(local).key)
    return any(state.attrs[name].history.has_changes() for name in names)


# The logo is an upload: replaced or removed, the file is deleted after the commit; `flask uploads prune` knows
# which logos are in use (incubator/uploads.py).
uploads.register_references("logos", Incubator.logo)
