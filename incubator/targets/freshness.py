"""Whether the figures a process remembers are still those of today's rows (issue 23): the counter
``targets`` of ``change_counters`` is raised when a transaction commits that added, changed or deleted
a business, a residency, an outcome, a certificate or a standard (what the targets count), whatever door the
write came through; the dashboard reads that one row instead of aggregating every row of those tables, which
grows with the city. A write made past the ORM (the benchmark's bulk seed, the demo's dating of its rows, a
restore) is not counted: the remembered figures last a minute at most (``queries.REMEMBER_SECONDS``).

The counter is raised at the commit (its row locked for the commit alone), by one statement that both
databases read alike (``INSERT … ON CONFLICT DO UPDATE``), so that the first write after the table was
emptied creates its row, and two transactions raising it at once take turns on the row. A new row starts at a
random number, not at 1: a table emptied (a restore, the tests) does not bring back a count that a process
remembers figures of."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from incubator.certificates.models import Certificate, CertificateStandard
from incubator.companies.models import Company, Residency
from incubator.outcomes.models import GraduationOutcome
from incubator.targets.models import ChangeCounter

COUNTED = (Company, Residency, GraduationOutcome, Certificate, CertificateStandard)
TARGETS = "targets"
_RAISE = sa.text("INSERT INTO change_counters (name, value) VALUES (:name, :start) "
                 "ON CONFLICT (name) DO UPDATE SET value = change_counters.value + 1")
_CHANGED = "targets_rows_changed"


def raise_counter(connection, name: str = TARGETS) -> None:
    connection.execute(_RAISE, {"name": name, "start": secrets.randbits(48)})


def counter(name: str = TARGETS) -> int:
    """The counter's value as this request's transaction sees it (0 before any write)."""
    from incubator.extensions import db

    table = ChangeCounter.__table__
    return db.session.scalar(sa.select(table.c.value).where(table.c.name == name)) or 0


@event.listens_for(Session, "after_flush")
def _note_counted_rows(session, _context) -> None:
    if session.info.get(_CHANGED):
        return
    if any(isinstance(obj, COUNTED) for obj in (*session.new, *session.deleted)) or any(
            isinstance(obj, COUNTED) and session.is_modified(obj) for obj in session.dirty):
        session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _raise_counter(session) -> None:
    """Raised at the end of the transaction, after its last flush: the counter's row is locked only for the
    commit itself, never while the transaction goes on locking businesses (an import that wrote businesses
    would otherwise hold it while waiting for a business another request holds, which waits for it)."""
    if not session.info.get(_CHANGED):
        return
    session.flush()
    if session.info.pop(_CHANGED, False):
        raise_counter(session.connection())


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_changes(session) -> None:
    session.info.pop(_CHANGED, None)
