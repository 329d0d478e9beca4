"""``flask --app incubator backup PATH`` and ``restore PATH``: safe on a live database.

SQLite: the online backup API (never a file copy), page by page, consistent while the application writes.
PostgreSQL: pg_dump in its custom format, and pg_restore (both from the PostgreSQL client tools)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # pg_dump and pg_restore, with argument lists, never a shell
from pathlib import Path
from urllib.parse import quote

import click
from sqlalchemy.engine import make_url

from incubator.cli_paths import FilePath, OutputPath, make_folders, write_failure
from incubator.extensions import db

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"  # pg_dump's custom format


def _sqlite_path(url) -> str:
    return make_url(url).database


def _pg_env_and_args(url) -> tuple[dict, list[str]]:
    u = make_url(url)
    env = {**os.environ}
    if u.password:
        env["PGPASSWORD"] = u.password
    # The host and port may be in the URL's query, as libpq takes them (a socket folder: ?host=/tmp&port=54329).
    host = u.host or u.query.get("host") or "localhost"
    port = u.port or u.query.get("port") or 5432
    args = ["-h", str(host), "-p", str(port), "-U", u.username or "postgres", "-d", u.database]
    return env, args


def _tool(name: str) -> str:
    found = shutil.which(name) or next((str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))),
                                       None)
    if not found:
        raise click.ClickException(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _run(command: list[str], env: dict) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603
    except subprocess.CalledProcessError as exc:
        said = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise click.ClickException(f"{Path(command[0]).name} failed: {said[-1] if said else exc}") from None


def backup(url: str, target: Path) -> None:
    try:
        make_folders(target.parent)
        if url.startswith("sqlite"):
            source = sqlite3.connect(_sqlite_path(url))
            try:
                dest = sqlite3.connect(target)
                try:
                    with dest:
                        source.backup(dest)  # one step: a consistent snapshot; WAL writers are not blocked
                finally:
                    dest.close()
            finally:
                source.close()
            return
    except (OSError, sqlite3.Error) as exc:
        raise write_failure(target, exc) from None
    env, args = _pg_env_and_args(url)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", os.fsdecode(target), *args], env)


def _check_is_a_backup(url: str, source_path: Path) -> None:
    """Refuse, before anything is replaced, a file that is not a backup of this application's database (an
    empty file would otherwise restore as an empty database)."""
    if not os.path.isfile(source_path):
        raise click.ClickException(f"{click.format_filename(source_path)} does not exist.")
    expected = SQLITE_HEADER if url.startswith("sqlite") else PG_DUMP_HEADER
    try:
        with source_path.open("rb") as handle:
            header = handle.read(len(expected))
        if header == expected and url.startswith("sqlite"):
            copy = sqlite3.connect(f"file:{quote(os.fsencode(source_path.resolve()))}?mode=ro", uri=True)
            try:
                copy.execute("SELECT version_num FROM alembic_version").fetchall()
            finally:
                copy.close()
    except (OSError, sqlite3.Error):
        header = None
    if header != expected:
        raise click.ClickException(f"{click.format_filename(source_path)} is not a backup of this application's "
                                   "database (made by `flask backup`): nothing was restored.")


def restore(url: str, source_path: Path) -> None:
    _check_is_a_backup(url, source_path)
    db.session.remove()
    db.engine.dispose()
    if url.startswith("sqlite"):
        try:
            source = sqlite3.connect(source_path)
            try:
                dest = sqlite3.connect(_sqlite_path(url))
                try:
                    source.backup(dest)
                finally:
                    dest.close()
            finally:
                source.close()
        except (OSError, sqlite3.Error) as exc:
            raise write_failure(source_path, exc) from None
        return
    env, args = _pg_env_and_args(url)
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", *args,
          os.fsdecode(source_path)], env)


def register(app) -> None:
    @app.cli.command("backup")
    @click.argument("path", type=OutputPath(folder_must_exist=False))
    def backup_command(path: Path) -> None:
        """Write a consistent copy of the database to PATH, safe while the application runs."""
        backup(app.config["SQLALCHEMY_DATABASE_URI"], path)
        click.echo(f"Backup written to {click.format_filename(path)}.")

    @app.cli.command("restore")
    @click.argument("path", type=FilePath(dir_okay=False))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore_command(path: Path, yes: bool) -> None:
        """Replace the database's content with the backup at PATH."""
        if not yes:
            click.confirm(f"Replace everything in the database with {click.format_filename(path)}?", abort=True)
        restore(app.config["SQLALCHEMY_DATABASE_URI"], path)
        click.echo(f"Database restored from {click.format_filename(path)}.")
