"""The incubator record, and the mixin of every first-level row that belongs to one incubator."""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, relationship

from incubator.db import UTCDateTime, utcnow
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
    # The stored upload name of the logo its reports will print (not used yet).
    logo: Mapped[str | None] = mapped_column(sa.String(100))
    # What its reports' numbers end with (not used yet).
    report_number_suffix: Mapped[str | None] = mapped_column(sa.String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def name(self) -> str:
        return _localised(self.name_vi, self.name_en)

    def __repr__(self) -> str:
        return f"<Incubator {self.code}>"


def _incubator_of_new_row(context) -> int:
    """The column default of ``incubator_id``, for rows inserted without the ORM's unit of work (new objects
    get theirs before the flush, below): the incubator of this request or command, asked on the connection
    that inserts."""
    from incubator.organisation.current import current_incubator_id

    return current_incubator_id(context.connection)


class IncubatorScoped:
    """A row that belongs to one incubator. A new row takes the incubator chosen for this request or command
    (``current.use_incubator``), or the only one when there is a single incubator, unless it is given one."""

    @declared_attr
    def incubator_id(cls) -> Mapped[int]:
        return mapped_column(sa.ForeignKey("incubators.id"), index=True, default=_incubator_of_new_row)

    @declared_attr
    def incubator(cls) -> Mapped[Incubator]:
        return relationship(Incubator)


@event.listens_for(Session, "before_flush")
def _give_new_rows_their_incubator(session, _context, _instances) -> None:
    """A new row given no incubator takes the current one before anything is written, so that "Choose the
    incubator" reaches the caller as the DomainError it is (a column default's error would come wrapped in the
    INSERT's)."""
    from incubator.organisation.current import current_incubator_id

    for obj in session.new:
        if isinstance(obj, IncubatorScoped) and obj.incubator_id is None and obj.incubator is None:
            obj.incubator_id = current_incubator_id(session.connection())
