"""Declarative base, column types and database engine behaviour shared by every domain."""

from __future__ import annotations

import hashlib
import logging
import time
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session

log = logging.getLogger("incubator.db")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


# The integers the databases hold. An ``Integer`` column (every id, every count of the models) is PostgreSQL's
# INTEGER, 32 bits: a larger number compared with one fails there ("integer out of range"), so a number read
# from a request is refused before any query sees it (ids in paths and query strings, form fields). The widest
# integer either database holds is 64 bits (SQLite's INTEGER, PostgreSQL's BIGINT); amounts of money are
# NUMERIC(18, 0).
INTEGER_RANGE = (-(2**31), 2**31 - 1)
BIGINT_RANGE = (-(2**63), 2**63 - 1)
NUMERIC_18_RANGE = (-(10**18 - 1), 10**18 - 1)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _writing_context() -> bool:
    """A transaction opened while serving a writing request, or inside ``write_lock()`` (CLI commands that
    write), takes SQLite's write lock at once (BEGIN IMMEDIATE): concurrent writers queue instead of
    failing or overwriting each other. Reads elsewhere begin deferred and never block writers (WAL), and so
    do transactions begun inside ``reading_only()``."""
    if has_app_context() and g.get("read_only"):
        return False
    if has_app_context() and g.get("force_write_lock"):
        return True
    return has_request_context() and request.method not in SAFE_METHODS


@contextmanager
def reading_only():
    """Transactions begun inside the block do not take the write lock, even in a writing request: for reads
    that must not hold it during a slow step (a password check), on a connection of their own that writes
    nothing."""
    previous = g.get("read_only")
    g.read_only = True
    try:
        yield
    finally:
        g.read_only = previous


@contextmanager
def write_lock():
    """Transactions begun inside the block take the write lock at BEGIN (SQLite; no effect elsewhere)."""
    previous = g.get("force_write_lock")
    g.force_write_lock = True
    try:
        yield
    finally:
        g.force_write_lock = previous


def serialise_on(session, *keys: str) -> None:
    """Wait until no other transaction holds any of these keys, and hold them until this one ends: from here
    on, transactions that name the same key run one after the other (a check, then the record it allows).
    PostgreSQL: transaction-level advisory locks, taken in a fixed order so that two transactions never wait
    for each other crosswise. SQLite: nothing more to do, a writing transaction holds the whole database's
    write lock from its BEGIN IMMEDIATE (see ``_writing_context``)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        number = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(number)))


def configure_sqlite(engine: sa.Engine, busy_timeout_ms: int, optimize_interval_s: float = 3600) -> None:
    """WAL, a busy timeout, foreign keys, our own BEGIN (pysqlite's is disabled), and the planner's statistics.

    Statistics (sqlite_stat1) are what SQLite's documentation of PRAGMA optimize asks for: a long-lived
    connection runs ``PRAGMA optimize=0x10002`` when it opens (every table whose statistics are missing or stale
    is analysed; SQLite before 3.46 knows only the tables this connection has used, none yet, so it does nothing
    there), then plain ``PRAGMA optimize`` periodically: here when it goes back to the pool and
    ``optimize_interval_s`` has passed since its last one; and a connection the pool closes runs it just
    before closing (a short-lived process: see ``optimize_sqlite``). Each analyses only what queries on the
    connection would have planned better with fresh figures, with a limit on the rows it reads: cheap. With a
    SQLite older than 3.46, the process's first connection also analyses the tables that have rows and no
    statistics (``_analyse_tables_without_statistics``)."""

    first_connection_checked: list[bool] = []

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()
        _sqlite_optimize(dbapi_connection, "PRAGMA optimize=0x10002")
        record.info[_OPTIMIZED_AT] = time.monotonic()
        if not first_connection_checked:
            first_connection_checked.append(True)
            _analyse_tables_without_statistics(dbapi_connection)

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, record):
        if dbapi_connection is None or record is None:
            return
        if time.monotonic() - record.info.get(_OPTIMIZED_AT, 0.0) >= optimize_interval_s:
            _sqlite_optimize(dbapi_connection, "PRAGMA optimize")
            record.info[_OPTIMIZED_AT] = time.monotonic()

    @event.listens_for(engine, "close")
    def _on_close(dbapi_connection, _record):
        _sqlite_optimize(dbapi_connection, "PRAGMA optimize")

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _writing_context() else "BEGIN")


_OPTIMIZED_AT = "incubator.sqlite_optimized_at"


ANALYSIS_LIMIT = 1000  # rows each index's statistics are estimated from (PRAGMA analysis_limit): cheap at any size


def _analyse_tables_without_statistics(dbapi_connection) -> None:
    """What ``PRAGMA optimize=0x10002`` does from SQLite 3.46 on, for the SQLite before it, which knows only the
    tables a connection has used: at a process's first connection, every table with rows and an index but no
    statistics is analysed (estimated from ``ANALYSIS_LIMIT`` rows per index), so that the planner never works
    with the statistics of some tables and none of others (after a bulk load or an upgrade: it chose a scan of
    a round's applications over their index, 15 ms instead of 1 at 100× the data, issue 23). A failure is logged,
    never raised."""
    import sqlite3

    if sqlite3.sqlite_version_info >= (3, 46) or getattr(dbapi_connection, "in_transaction", False):
        return
    try:
        tables = [row[0] for row in dbapi_connection.execute(
            "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'index' AND tbl_name NOT LIKE 'sqlite_%'")]
        analysed = set()
        if dbapi_connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            analysed = {row[0] for row in dbapi_connection.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}
        quoted = ['"' + table.replace('"', '""') + '"' for table in tables if table not in analysed]
        missing = [name for name in quoted if dbapi_connection.execute(f"SELECT 1 FROM {name} LIMIT 1").fetchone()]  # noqa: S608 (names from sqlite_master)
        if missing:
            dbapi_connection.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
            for name in missing:
                dbapi_connection.execute(f"ANALYZE {name}")
    except sqlite3.Error as exc:
        log.warning("analysing the tables without statistics skipped: %s", exc)


def _sqlite_optimize(dbapi_connection, statement: str) -> None:
    """Run PRAGMA optimize outside any transaction (it may write sqlite_stat1, waiting for the write lock up
    to the busy timeout); a failure (busy, read-only file) is logged, never raised: statistics can wait."""
    import sqlite3

    try:
        if getattr(dbapi_connection, "in_transaction", False):
            return
        dbapi_connection.execute(statement)
    except sqlite3.Error as exc:
        log.warning("%s skipped: %s", statement, exc)


def optimize_sqlite(engine: sa.Engine) -> None:
    """``PRAGMA optimize`` on every connection the engine's pool holds, by closing them: the end of a short-lived
    process (a command: ``db upgrade``, ``demo``, the daily ones). SQLite only; nothing elsewhere."""
    if engine.dialect.name == "sqlite":
        engine.dispose()


def optimize_sqlite_when_command_ends(engine: sa.Engine) -> None:
    """Inside a ``flask`` command, run ``optimize_sqlite`` when it ends (after its last commit)."""
    import click

    ctx = click.get_current_context(silent=True)
    if ctx is not None and engine.dialect.name == "sqlite":
        ctx.find_root().call_on_close(lambda: optimize_sqlite(engine))


# ---- A slow step with no transaction open ----------------------------------------------------------------

_WROTE = "incubator.wrote"


@event.listens_for(Session, "after_flush")
def _note_flush(session, _flush_context):
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state):
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_writes(session, transaction):
    if transaction.parent is None:
        session.info.pop(_WROTE, None)


@contextmanager
def outside_transaction(session):
    """A slow step that needs no database (argon2) runs with no transaction open on ``session``: one begun
    earlier in the request that has only read ends first (no snapshot, row lock or, on SQLite, write lock held
    while the step runs; what the session loaded is read afresh after it, in a new transaction). A transaction
    that has already written cannot be set aside: that is a mistake in the caller (the step goes first)."""
    if isinstance(session, scoped_session):
        session = session()
    if session.in_transaction():
        if session.new or session.dirty or session.deleted or session.info.get(_WROTE):
            raise RuntimeError("a slow step must come before the request's first write, not inside its transaction")
        session.rollback()
    yield


def render_migration_item(type_, obj, autogen_context):
    """Alembic autogenerate: write our column types as plain SQLAlchemy types, so that migrations never
    import application code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, sa.Enum) and not obj.native_enum:
        return f"sa.String(length={obj.length})"
    return False
