from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from incubator.db import UTCDateTime, utcnow
from incubator.enums import LabelledEnum, enum_column
from incubator.extensions import db


class OutboxStatus(LabelledEnum):
    QUEUED = "queued"
    SENT = "sent"
    LOGGED = "logged"  # development: no SMTP server configured, written to the log
    FAILED = "failed"

    @classmethod
    def labels(cls):
        return {
            cls.QUEUED: _l("Queued"),
            cls.SENT: _l("Sent"),
            cls.LOGGED: _l("Not sent: no mail server is configured"),
            cls.FAILED: _l("Failed"),
        }


# Waiting to be sent: the scheduled delivery (services.deliver_pending) sends these, and staff may send again.
PENDING = frozenset({OutboxStatus.QUEUED, OutboxStatus.FAILED})


class OutboxMessage(db.Model):
    """Every e-mail the application sends, kept so that none is lost when the SMTP server is down."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(sa.String(254), index=True)
    # The recipient's name, shown in the To header ("Nguyễn Thị Hà <ha@…>").
    to_name: Mapped[str | None] = mapped_column(sa.String(200))
    # Where an answer goes when it is not to the sender (a reader's question to a business, from the catalogue).
    reply_to: Mapped[str | None] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    purpose: Mapped[str] = mapped_column(sa.String(40))
    # One optional attachment, e.g. a calendar invitation (text/calendar).
    attachment_name: Mapped[str | None] = mapped_column(sa.String(100))
    attachment_type: Mapped[str | None] = mapped_column(sa.String(100))
    attachment_text: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[OutboxStatus] = mapped_column(enum_column(OutboxStatus), default=OutboxStatus.QUEUED,
                                                 index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the message tells of ("review.assigned:12:2026-12-02T08:00", "report.final:4"): the same event is
    # mailed to the same address once, however often the code that announces it runs.
    event_key: Mapped[str | None] = mapped_column(sa.String(200))
    # The incubator the message was queued for (the request's or command's, or the incubator of the object the
    # event is about); None: the installation's. Filled when flushed, by the organisation package's hook.
    incubator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("incubators.id"), index=True)

    __table_args__ = (sa.UniqueConstraint("event_key", "to_address", name="uq_mail_outbox_event_key_to_address"),)

    @property
    def is_pending(self) -> bool:
        """Queued or failed: not delivered yet (see PENDING)."""
        return self.status in PENDING
