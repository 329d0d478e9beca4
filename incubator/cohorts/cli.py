"""``flask --app incubator cohorts remind [--incubator CODE] [--today YYYY-MM-DD]``: run daily (cron or a systemd
timer), once per incubator."""

from __future__ import annotations

import click

from incubator import bounds
from incubator.db import write_lock
from incubator.extensions import db
from incubator.organisation.options import incubator_option


def register(app) -> None:
    @app.cli.group("cohorts")
    def cohorts_group() -> None:
        """Cohorts: reminders for progress reports."""

    @cohorts_group.command("remind")
    @click.option("--today", "today_text", help="The day to act as (YYYY-MM-DD); default: today in Hà Nội.")
    @incubator_option
    def remind(today_text: str | None) -> None:
        """E-mail founders whose report is due within three days, and once more when it is late. Each
        reminder is sent once, however often the command runs; the mail goes out with `flask mail deliver`."""
        from incubator.cohorts.services import send_report_reminders
        from incubator.urls import require_public_url

        require_public_url()  # the reminders link to the report: refuse before anything is queued
        today = bounds.command_day(today_text)
        with write_lock():
            count = send_report_reminders(today)
            db.session.commit()
        click.echo(f"{count} reminder{'' if count == 1 else 's'} queued.")
