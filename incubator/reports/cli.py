"""``flask --app incubator report [--incubator CODE | --city] --period 2025-Q2 [--lang vi|en] --output report.pdf``
(or --from/--to): an incubator's periodic report (``--incubator``, which may be left out when there is a single
incubator), or the city's consolidated report of the network (``--city``)."""

from __future__ import annotations

from datetime import date

import click

from incubator.cli_paths import OutputPath, write_failure
from incubator.i18n import local_today
from incubator.organisation.options import INCUBATOR_HELP, chosen_incubator


def register(app) -> None:
    @app.cli.group("renders")
    def renders_group() -> None:
        """Reports' PDFs asked for on their pages and drawn in the background."""

    @renders_group.command("run")
    @click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
    def renders_run(limit) -> None:
        """Draw the PDFs waiting (and those whose server stopped while drawing them), oldest first: for an
        installation with REPORT_RENDERS = "worker" (a timer or a separate process draws them), or to catch up
        after a restart."""
        from incubator.reports import renders

        drawn = renders.run_waiting(limit)
        click.echo(f"{drawn} PDF(s) drawn")

    @app.cli.command("report")
    @click.option("--period", help="2025, 2025-H1 or 2025-Q2.")
    @click.option("--from", "start_text", help="First day (YYYY-MM-DD), with --to, instead of --period.")
    @click.option("--to", "end_text", help="Last day (YYYY-MM-DD).")
    @click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True)
    @click.option("--output", required=True, type=OutputPath())
    @click.option("--incubator", "incubator_code", metavar="CODE", default=None, help=INCUBATOR_HELP)
    @click.option("--city", is_flag=True, help="The city's consolidated report instead: each incubator's figures "
                  "and the city's (each business once); not with --incubator.")
    def report_command(period, start_text, end_text, lang, output, incubator_code, city) -> None:
        """Write the periodic report for the Department as a PDF, with the figures of the period: an incubator's,
        or with --city the city's consolidated report of the network."""
        from incubator.organisation.current import use_incubator
        from incubator.organisation.scoping import scoped_to
        from incubator.reports import city as city_report
        from incubator.reports.figures import compute
        from incubator.reports.models import PeriodicReport
        from incubator.reports.periods import FIRST_YEAR, LAST_YEAR, check_dates, parse_period
        from incubator.reports.render import render_pdf

        if city and incubator_code:
            raise click.UsageError("--city is the whole network's report: leave out --incubator")
        incubator = None if city else chosen_incubator(incubator_code)  # refused before anything is done
        try:
            if period and not (start_text or end_text):
                start, end, _kind = parse_period(period)
                label = period.upper()
            elif start_text and end_text and not period:
                start, end, label = date.fromisoformat(start_text), date.fromisoformat(end_text), "custom"
                check_dates(start, end)
            else:
                raise click.UsageError("give --period, or --from and --to")
        except ValueError:
            raise click.BadParameter(f"periods look like 2025, 2025-H1, 2025-Q2; dates like 2025-04-01, the first "
                                     f"before the last, from {FIRST_YEAR} to {LAST_YEAR}") from None
        if city:
            pdf = city_report.render_pdf(start, end, label, lang, today=local_today())
        else:
            with use_incubator(incubator.id), scoped_to({incubator.id}):
                report = PeriodicReport(period_label=label, period_start=start, period_end=end, version=1,
                                        issued_on=local_today(), incubator_id=incubator.id)
                pdf = render_pdf(report, compute(start, end, incubator.id), lang)
        try:
            with open(output, "wb") as handle:
                handle.write(pdf)
        except OSError as exc:
            raise write_failure(output, exc) from None
        click.echo(f"{click.format_filename(output)}: {len(pdf)} bytes")
