"""Migrations are the schema: an empty database upgraded by them matches the models exactly."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from incubator.db import render_migration_item
from incubator.extensions import db


def test_models_and_migrations_agree(app_ctx):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True,
                                                         "render_item": render_migration_item})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"the models and the migrations differ: {diff}"


def test_upgrade_creates_every_table(app_ctx):
    tables = set(sa.inspect(db.engine).get_table_names())
    assert {t.name for t in db.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_flask_db_upgrade_builds_an_empty_database_from_nothing(tmp_path):
    """`flask --app incubator db upgrade` on a new SQLite file, as a newcomer runs it."""
    import os
    import subprocess
    import sys

    if os.environ.get("INCUBATOR_TEST_DATABASE_URL"):
        # make_url, not string slicing: the server may be given in the query (?host=/tmp&port=54329)
        url = sa.engine.make_url(os.environ["INCUBATOR_TEST_DATABASE_URL"]).set(
            database="incubator_upgrade_check").render_as_string(hide_password=False)
        _recreate_pg_database(url)
    else:
        url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    env = {**os.environ, "INCUBATOR_DATABASE_URL": url, "INCUBATOR_INSTANCE_PATH": str(tmp_path)}
    env.pop("INCUBATOR_SECRET_KEY", None)
    env.pop("FLASK_DEBUG", None)
    flask = [sys.executable, "-m", "flask", "--app", "incubator"]
    result = subprocess.run([*flask, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    engine = sa.create_engine(url)
    try:
        names = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"users", "companies", "residencies", "targets", "audit_log", "partners"} <= names


def _recreate_pg_database(url: str) -> None:
    parsed = sa.engine.make_url(url)
    name = parsed.database
    engine = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
