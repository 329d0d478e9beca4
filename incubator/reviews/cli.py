"""``flask --app incubator reviews remind [--incubator CODE] [--today YYYY-MM-DD] [--days N]``: run daily (cron or a
systemd timer), once per incubator."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import click

from incubator import bounds
from incubator.db import utcnow, write_lock
from incubator.extensions import db
from incubator.i18n import local_day, local_tz
from incubator.organisation.options import incubator_option


def register(app) -> None:
    @app.cli.group("reviews")
    def reviews_group() -> None:
        """Reviews: reminders before a stage closes."""

    @reviews_group.command("remind")
    @click.option("--today", "today_text", help="The day to act as (YYYY-MM-DD); default: today in Hà Nội.")
    @click.option("--days", default=None, type=click.IntRange(0, 60),
                  help="Remind this many days before a stage closes (default: REVIEW_REMIND_DAYS_BEFORE, 3).")
    @incubator_option
    def remind(today_text: str | None, days: int | None) -> None:
        """E-mail reviewers who still have reviews due in a stage closing within the next days. Each reviewer
        is reminded once per stage, however often the command runs; the mail goes out with `flask mail deliver`."""
        from flask import current_app

        from incubator.reviews.scoring import send_closing_reminders
        from incubator.urls import PublicUrlMissing, public_url

        try:
            public_url()  # the reminders link to the reviewer's desk: refuse before anything is queued
        except PublicUrlMissing as exc:
            raise click.ClickException(str(exc)) from None
        now = utcnow()
        try:
            today = date.fromisoformat(today_text) if today_text else local_day(now)
        except ValueError:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--today") from None
        first, last = bounds.PROGRAMME.first(), bounds.PROGRAMME.last()
        if not first <= today <= last:
            raise click.BadParameter(f"a day from {first.isoformat()} to {last.isoformat()}", param_hint="--today")
        if today_text:  # acting as another day: as at its first moment in Hà Nội
            now = datetime.combine(today, time.min, tzinfo=local_tz()).astimezone(UTC)
        if days is None:
            days = int(current_app.config.get("REVIEW_REMIND_DAYS_BEFORE", 3))
        with write_lock():
            count = send_closing_reminders(today, days_before=days, now=now)
            db.session.commit()
        click.echo(f"{count} reminder{'' if count == 1 else 's'} queued.")
