"""The demo's story in its own days: a step made through the services is stamped "now" (its timeline events,
answers, publication, audit entries, e-mails…); ``on(day, at)`` moves every timestamp the step wrote to the
moment of the story, so that a request acknowledged on 24/10 shows its events of 24/10, not of the day the demo
was loaded. Used by the demo only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from incubator.db import UTCDateTime, utcnow
from incubator.extensions import db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _stamped_tables() -> list[tuple[sa.Table, list[sa.Column]]]:
    tables = []
    for table in db.metadata.sorted_tables:
        columns = [column for column in table.columns if isinstance(column.type, UTCDateTime)]
        if columns:
            tables.append((table, columns))
    return tables


def moment(day: date, at: time = time(9, 0)) -> datetime:
    """``day`` at ``at`` in Hà Nội, in UTC as the timestamps are kept."""
    return datetime.combine(day, at, tzinfo=TZ).astimezone(UTC)


@contextmanager
def on(day: date, at: time = time(9, 0)) -> Iterator[None]:
    """Run the body, then date at ``day`` ``at`` (Hà Nội) every timestamp it wrote: those between its start
    and its end, so that a date of the future it sets (a conference's start) is left as it is."""
    when = moment(day, at)
    db.session.flush()
    start = utcnow()
    yield
    db.session.flush()
    end = utcnow()
    for table, columns in _stamped_tables():
        written = [column.between(start, end) for column in columns]
        # Every stamped column in one statement, so that an ``onupdate`` stamp is not set anew by it.
        values = {column.name: sa.case((test, sa.literal(when, column.type)), else_=column)
                  for column, test in zip(columns, written, strict=True)}
        statement = sa.update(table).where(sa.or_(*written)).values(values)
        db.session.execute(statement.execution_options(all_incubators=True))
    db.session.expire_all()
