"""``flask --app incubator surveys remind [--incubator CODE] [--today YYYY-MM-DD]``: run daily (cron or a
systemd timer), once per incubator."""

from __future__ import annotations

import click

from incubator import bounds
from incubator.db import write_lock
from incubator.extensions import db
from incubator.organisation.options import incubator_option


def register(app) -> None:
    @app.cli.group("surveys")
    def surveys_group() -> None:
        """The yearly survey of the incubator's businesses: reminders, closing after the deadline."""

    @surveys_group.command("remind")
    @click.option("--today", "today_text", help="The day to act as (YYYY-MM-DD); default: today in Hà Nội.")
    @incubator_option
    def remind(today_text: str | None) -> None:
        """E-mail the founders of each invited business that has not submitted its answers, 7 days and 1 day
        before the survey's deadline (each once, however often the command runs), and close the surveys whose
        deadline has passed. A business with no founder to write to is counted apart, not as reminded. The
        mail goes out with `flask mail deliver`."""
        from incubator.surveys.services import send_reminders
        from incubator.urls import require_public_url

        require_public_url()  # the reminders link to the answer form: refuse before anything is queued
        today = bounds.command_day(today_text)
        with write_lock():
            done = send_reminders(today)
            db.session.commit()
        for survey in done.closed:
            click.echo(f"Survey {survey.year} closed: its deadline {survey.deadline.strftime('%d/%m/%Y')} has passed.")
        businesses = "business" if done.reminded == 1 else "businesses"
        click.echo(f"{done.reminded} {businesses} reminded, {done.queued} e-mails queued.")
        if done.no_founder:
            click.echo(f"{done.no_founder} {'business' if done.no_founder == 1 else 'businesses'} due a reminder: "
                       "no founder to write to (none holds the file with a confirmed address).")
