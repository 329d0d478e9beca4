"""``flask --app incubator targets [--as-of YYYY-MM-DD] [--json] [--incubator CODE]``."""

from __future__ import annotations

import json
from datetime import date

import click

from incubator.i18n import local_today
from incubator.targets.queries import figures_as_json


def register(app) -> None:
    @app.cli.command("targets")
    @click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"]),
                  help="The date of the figures (default: today in Hà Nội).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
    @click.option("--incubator", "incubator_code", default=None, metavar="CODE",
                  help="That incubator's figures with its own targets (default: the city's, with the city's "
                       "targets, each business counted once across the network).")
    def targets_command(as_of, as_json: bool, incubator_code: str | None) -> None:
        """Print the targets: the incubated-startup ratio, the graduate count and the certified share."""
        from incubator.organisation.options import chosen_incubator

        # Unknown code: a clear message, exit code 1.
        incubator = chosen_incubator(incubator_code) if incubator_code is not None else None
        day = as_of.date() if as_of else local_today()
        data = figures_as_json(day, incubator)
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False))
            return
        click.echo(f"Targets of {incubator.code} on {day:%d/%m/%Y}" if incubator else f"Targets on {day:%d/%m/%Y}")
        ratio = data["startup_ratio"]
        if ratio:
            percent = "—" if ratio["percent"] is None else f"{ratio['percent']:.1f} %"
            click.echo(f"  Incubated IT startups: {ratio['numerator']} / {ratio['denominator']} = {percent} "
                       f"(threshold {ratio['threshold']:.0f} %): {'met' if ratio['met'] else 'not met'}")
        grads = data["graduates"]
        if grads:
            window = [date.fromisoformat(d).strftime("%d/%m/%Y") if d else "…"
                      for d in (grads["window_start"], grads["window_end"])]  # as the heading's date
            click.echo(f"  Graduates {window[0]} – {window[1]}: "
                       f"{grads['count']} (threshold {grads['threshold']}): {'met' if grads['met'] else 'not met'}")
        certified = data["certified_share"]
        if certified:
            percent = "—" if certified["percent"] is None else f"{certified['percent']:.1f} %"
            click.echo(f"  Certified IT businesses: {certified['numerator']} / {certified['denominator']} = {percent} "
                       f"(threshold {certified['threshold']:g} %): {'met' if certified['met'] else 'not met'}")
