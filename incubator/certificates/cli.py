"""``flask --app incubator certificates remind [--today YYYY-MM-DD]``: run daily (cron or a systemd timer), once
for the whole network: certificates are city-wide, and each incubator's staff are told of the businesses with a
residency there today."""

from __future__ import annotations

import click

from incubator import bounds
from incubator.db import write_lock
from incubator.extensions import db


def register(app) -> None:
    @app.cli.group("certificates")
    def certificates_group() -> None:
        """Businesses' certificates: reminders of their expiry."""

    @certificates_group.command("remind")
    @click.option("--today", "today_text", help="The day to act as (YYYY-MM-DD); default: today in Hà Nội.")
    def remind(today_text: str | None) -> None:
        """E-mail each incubator's staff a digest of the certificates that count and expire within 60 days (of
        the businesses in residence there today). Each certificate is told once at 60, 30 and 7 days, however
        often the command runs; the mail goes out with `flask mail deliver`."""
        from incubator.certificates.services import send_expiry_reminders
        from incubator.urls import require_public_url

        require_public_url()  # the digest links to the list: refuse before anything is queued
        today = bounds.command_day(today_text)
        with write_lock():
            count = send_expiry_reminders(today)
            db.session.commit()
        click.echo(f"{count} reminder{'' if count == 1 else 's'} queued.")
