"""``flask --app incubator targets [--as-of YYYY-MM-DD] [--json]``."""

from __future__ import annotations

import json
from datetime import date

import click

from incubator.i18n import local_today
from incubator.targets import queries
from incubator.targets.enums import TargetKind


def figures_as_json(as_of: date) -> dict:
    """The shape promised to the Department's tools; more keys may follow those documented."""
    result: dict = {"as_of": as_of.isoformat(), "startup_ratio": None, "graduates": None}
    ratio_target = queries.first_of_kind(TargetKind.INCUBATED_IT_RATIO)
    if ratio_target is not None:
        r = queries.ratio(ratio_target, as_of)
        result["startup_ratio"] = {
            "numerator": r.numerator, "denominator": r.denominator,
            "percent": float(r.percent) if r.percent is not None else None,
            "threshold": float(r.threshold), "met": r.met, "target": ratio_target.code,
        }
    graduate_target = queries.first_of_kind(TargetKind.GRADUATE_COUNT)
    if graduate_target is not None:
        g = queries.graduates(graduate_target, as_of)
        threshold = g.threshold
        result["graduates"] = {
            "count": g.count, "threshold": int(threshold) if threshold == threshold.to_integral() else float(threshold),
            "window_start": graduate_target.window_start.isoformat() if graduate_target.window_start else None,
            "window_end": graduate_target.window_end.isoformat() if graduate_target.window_end else None,
            "met": g.met, "target": graduate_target.code,
        }
    return result


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
