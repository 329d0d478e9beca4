"""``flask --app incubator import-register PATH [--incubator CODE] [--dry-run]``."""

from __future__ import annotations

from pathlib import Path

import click

from incubator.cli_paths import FilePath
from incubator.db import write_lock
from incubator.extensions import db
from incubator.imports import reading, services
from incubator.organisation.options import incubator_option

ACTIONS = {"create": "+ create", "update": "~ update"}


def echo_result(result: services.ImportResult) -> None:
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=bool(result.problems))
    if result.problems:
        for problem in result.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(result.problems)} problem(s): nothing was imported from {result.name}.", err=True)
        return
    for table in reading.TABLES:
        counts = result.counts.get(table)
        if counts is None:
            continue
        click.echo(f"{table} ({result.sources[table]}): {counts['created']} created, {counts['updated']} updated, "
                   f"{counts['unchanged']} unchanged")
    for change in result.changes:
        changed = f" ({', '.join(change.changed)})" if change.changed else ""
        click.echo(f"  {ACTIONS[change.action]} {change.source}:{change.line} {change.description}{changed}")
    if result.dry_run:
        click.echo(f"Dry run: nothing was written. {result.created} row(s) would be created and "
                   f"{result.updated} updated.")
    else:
        click.echo(f"Imported {result.name}: {result.created} row(s) created, {result.updated} updated.")


def register(app) -> None:
    @app.cli.command("import-register")
    @click.argument("path", type=FilePath(exists=True))
    @click.option("--dry-run", is_flag=True, help="Check and report what would change; write nothing.")
    @click.pass_context
    @incubator_option
    def import_register_command(ctx: click.Context, path: Path, dry_run: bool) -> None:
        """Import the register from PATH: a folder holding companies.csv, residencies.csv, outcomes.csv and
        certificates.csv (any may be missing), or an .xlsx workbook with sheets of those names. All rows or
        none: when a row is refused, nothing is written and every problem is printed as file:line: reason (exit
        code 1). A certificate's standard not in the list is added to it as not recognised, with a warning."""
        upload = reading.read_path(path)
        with write_lock():
            result = services.import_register(upload, dry_run=dry_run)
            if result.applied:
                db.session.commit()
            else:
                db.session.rollback()
        echo_result(result)
        if result.problems:
            ctx.exit(1)
