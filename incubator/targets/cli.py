"""``flask --app incubator targets [--as-of YYYY-MM-DD] [--json]``."""

from __future__ import annotations

import json

import click

from incubator.i18n import local_today
from incubator.targets.queries import figures_as_json


def register(app) -> None:
    @app.cli.command("targets")
    @click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"]),
                  help="The date of the figures (default: today in Hà Nội).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
    def targets_command(as_of, as_json: bool) -> None:
        """Print the city's targets: the incubated-startup ratio and the graduate count."""
        day = as_of.date() if as_of else local_today()
        data = figures_as_json(day)
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False))
            return
        click.echo(f"Targets on {day:%d/%m/%Y}")
        ratio = data["startup_ratio"]
        if ratio:
            percent = "—" if ratio["percent"] is None else f"{ratio['percent']:.1f} %"
            click.echo(f"  Incubated IT startups: {ratio['numerator']} / {ratio['denominator']} = {percent} "
                       f"(threshold {ratio['threshold']:.0f} %): {'met' if ratio['met'] else 'not met'}")
        grads = data["graduates"]
        if grads:
            click.echo(f"  Graduates {grads['window_start'] or '…'} – {grads['window_end'] or '…'}: "
                       f"{grads['count']} (threshold {grads['threshold']}): {'met' if grads['met'] else 'not met'}")
