"""``flask --app incubator incubators create CODE --name "…" [--name-en "…"] [--address "…"]`` and
``incubators list [--json]``."""

from __future__ import annotations

import json

import click
from flask import Flask
from flask_babel import force_locale

from incubator.db import write_lock
from incubator.errors import DomainError
from incubator.extensions import db


def register(app: Flask) -> None:
    group = click.Group("incubators", help="The incubators of the network this installation serves.")
    app.cli.add_command(group)

    @group.command("create")
    @click.argument("code")
    @click.option("--name", "name_vi", required=True, help="The incubator's name in Vietnamese.")
    @click.option("--name-en", "name_en", default=None, help="Its name in English.")
    @click.option("--address", default=None, help="Its address.")
    @click.option("--operator", "operator_vi", default=None,
                  help="The organisation that runs it, in Vietnamese: the issuing body its reports print "
                       "(left out: the incubator's name).")
    @click.option("--operator-en", "operator_en", default=None, help="That organisation's name in English.")
    def create_command(code: str, name_vi: str, name_en: str | None, address: str | None,
                       operator_vi: str | None, operator_en: str | None) -> None:
        """Add an incubator: CODE is 2 to 10 capital letters or digits, starting with a letter (e.g. HN1). It
        gets copies of the city's targets, the standard reasons for rejection and the names its reports print
        (those of the first incubator in force today, its operator as the issuing body)."""
        from incubator.organisation import services

        with write_lock():
            try:
                incubator = services.create(code, name_vi, name_en, address, actor=None, operator_vi=operator_vi,
                                            operator_en=operator_en)
            except DomainError as exc:
                db.session.rollback()
                with force_locale("en"):
                    message = str(exc.message)
                raise click.ClickException(message) from None
            db.session.commit()
        click.echo(f"Incubator {incubator.code} created: {incubator.name_vi}.")

    @group.command("list")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
    def list_command(as_json: bool) -> None:
        """List the incubators by code."""
        from incubator.organisation.queries import all_incubators

        rows = [{"code": i.code, "name_vi": i.name_vi, "name_en": i.name_en, "address": i.address}
                for i in all_incubators()]
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            line = f"{row['code']:<10} {row['name_vi']}"
            if row["name_en"]:
                line += f" / {row['name_en']}"
            if row["address"]:
                line += f" — {row['address']}"
            click.echo(line)
