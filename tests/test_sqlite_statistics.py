"""SQLite gets statistics where its documentation of PRAGMA optimize says: ``PRAGMA optimize=0x10002`` when a
connection opens, ``PRAGMA optimize`` periodically on a long-lived one and just before one closes (the end of
every command, a short-lived process); PostgreSQL is sent no PRAGMA."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask.cli import FlaskGroup
from sqlalchemy import event
from sqlalchemy.pool import Pool

from incubator import create_app
from incubator.db import configure_sqlite, utcnow
from tests.conftest import PG_URL

on_sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="SQLite's statistics")


@pytest.fixture
def sqlite_statements():
    """Every statement any SQLite connection opened from now on runs, as SQLite traces it (the PRAGMAs are sent
    on the driver's connection, below SQLAlchemy's statement events)."""
    seen: list[str] = []

    def trace(dbapi_connection, _record):
        if hasattr(dbapi_connection, "set_trace_callback"):
            dbapi_connection.set_trace_callback(seen.append)

    event.listen(Pool, "connect", trace, insert=True)
    yield seen
    event.remove(Pool, "connect", trace)


def _stat1(engine, table: str) -> list:
    with engine.connect() as conn:
        if not conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
            return []
        return conn.exec_driver_sql("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = ?", (table,)).all()


@on_sqlite_only
def test_optimize_when_a_connection_opens_periodically_and_before_it_closes(tmp_path, sqlite_statements):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'statistics.sqlite'}")
    configure_sqlite(engine, 1000, optimize_interval_s=0.5)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, kind INTEGER, name TEXT)")
        conn.exec_driver_sql("CREATE INDEX ix_t_kind ON t (kind)")
        conn.exec_driver_sql("WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 4000)"
                             " INSERT INTO t (kind, name) SELECT v % 40, 'x' || v FROM n")
    assert "PRAGMA optimize=0x10002" in sqlite_statements, "when the connection opened"
    assert "PRAGMA optimize" not in sqlite_statements, "not before the interval has passed"
    assert _stat1(engine, "t") == []

    time.sleep(0.6)
    with engine.connect() as conn:  # a query that an index on kind serves: its statistics would help
        conn.exec_driver_sql("SELECT name FROM t WHERE kind = 7").all()
    assert sqlite_statements.count("PRAGMA optimize") == 1, "periodically, when it went back to the pool"
    assert _stat1(engine, "t") == [("ix_t_kind", "4000 100")]

    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT name FROM t WHERE kind = 8").all()
    before = sqlite_statements.count("PRAGMA optimize")
    engine.dispose()
    assert sqlite_statements.count("PRAGMA optimize") == before + 1, "just before the connection closed"


def _command_line(config: dict) -> FlaskGroup:
    """``flask --app incubator`` as the command line builds it: the application created inside the command."""
    return FlaskGroup(create_app=lambda: create_app(config), add_default_commands=False)


def _config(url: str, tmp_path) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret-key-not-for-production",
            "PUBLIC_URL": "http://localhost", "TESTING": True}


@on_sqlite_only
def test_a_command_leaves_the_statistics_of_what_it_read(tmp_path, sqlite_statements):
    """``sessions purge`` (daily) reads the login attempts by date: when it ends, the table is analysed."""
    from incubator.auth.models import LoginAttempt
    from incubator.extensions import db

    url = f"sqlite:///{tmp_path / 'command.sqlite'}"
    setup = create_app(_config(url, tmp_path))
    with setup.app_context():
        db.create_all()
        old = utcnow() - timedelta(days=3)
        db.session.execute(sa.insert(LoginAttempt), [
            {"email": f"a{i}@vuonuom.example", "ip_address": f"10.0.{i % 200}.1", "succeeded": i % 3 == 0,
             "attempted_at": old if i % 2 else utcnow()} for i in range(3000)])
        db.session.commit()
        db.engine.dispose()
        assert _stat1(db.engine, "login_attempts") == []
        db.engine.dispose()

    sqlite_statements.clear()
    result = CliRunner().invoke(_command_line(_config(url, tmp_path)), ["sessions", "purge"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "1500 old login attempt(s) deleted" in result.output
    assert "PRAGMA optimize" in sqlite_statements, "before the command's connections closed"
    with setup.app_context():
        assert any(idx == "ix_login_attempts_attempted_at" for idx, _ in _stat1(db.engine, "login_attempts"))


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL")
def test_postgresql_is_sent_no_pragma(app, tmp_path, client):
    statements: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(sa.engine.Engine, "before_cursor_execute", before)
    try:
        result = CliRunner().invoke(_command_line(_config(PG_URL, tmp_path)), ["sessions", "purge"],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert client.get("/login").status_code == 200
    finally:
        event.remove(sa.engine.Engine, "before_cursor_execute", before)
    assert any("login_attempts" in s for s in statements), "the listener saw the command's statements"
    assert not [s for s in statements if "PRAGMA" in s.upper()]


@on_sqlite_only
def test_a_process_first_connection_analyses_the_tables_with_rows_and_no_statistics(tmp_path, sqlite_statements):
    """SQLite before 3.46 analyses at a connection's opening only the tables it has used (none): a process's
    first connection analyses, with a limit on the rows read, every table with rows and an index and no
    statistics (after a bulk load), so that the planner never has some tables' statistics and not others'.
    An empty table, a table already analysed and later connections are left alone."""
    import sqlite3

    path = tmp_path / "loaded.sqlite"
    with sqlite3.connect(path) as raw:  # a bulk load: rows, indexes, and the statistics of one table only
        for table in ("loaded", "analysed", "empty"):
            raw.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, kind INTEGER)")
            raw.execute(f"CREATE INDEX ix_{table}_kind ON {table} (kind)")
        for table in ("loaded", "analysed"):
            raw.execute(f"WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 3000)"
                        f" INSERT INTO {table} (kind) SELECT v % 30 FROM n")
        raw.execute("ANALYZE analysed")
    engine = sa.create_engine(f"sqlite:///{path}")
    configure_sqlite(engine, 1000)
    analysed_before = _stat1(engine, "analysed")  # the first connection opens here
    if sqlite3.sqlite_version_info >= (3, 46):
        pytest.skip("PRAGMA optimize=0x10002 does it itself from SQLite 3.46 on")
    assert [idx for idx, _stat in _stat1(engine, "loaded")] == ["ix_loaded_kind"]
    assert _stat1(engine, "empty") == []
    assert _stat1(engine, "analysed") == analysed_before
    assert 'ANALYZE "loaded"' in sqlite_statements and 'ANALYZE "analysed"' not in sqlite_statements
    sqlite_statements.clear()
    with engine.connect() as first, engine.connect():  # a second connection of the same process
        first.exec_driver_sql("SELECT 1")
    assert not [s for s in sqlite_statements if s.startswith("ANALYZE")]
