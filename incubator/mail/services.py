"""Outgoing e-mail. Every message is written to the outbox table first; delivery happens after the
request's commit. With no SMTP server configured the message is written to the log instead."""

from __future__ import annotations

import logging
import re
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from flask import current_app, g, has_request_context

from incubator.db import utcnow
from incubator.extensions import db
from incubator.mail.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)


_SECRET_LINK = re.compile(r"(/(?:invitation|verify|password/reset)/)[A-Za-z0-9_-]{16,}")


def redacted(body: str) -> str:
    """The body as staff may read it: links that would log someone in (invitation, e-mail verification,
    password reset) lose their secret part, so reading the outbox gives nobody another person's account."""
    return _SECRET_LINK.sub(r"\1••••••", body or "")


def queue(to: str, subject: str, body: str, purpose: str, attachment: tuple[str, str, str] | None = None
          ) -> OutboxMessage:
    """``attachment``: (file name, MIME type, text), e.g. a calendar invitation."""
    message = OutboxMessage(to_address=to, subject=str(subject)[:300], body_text=str(body), purpose=purpose)
    if attachment is not None:
        message.attachment_name, message.attachment_type, message.attachment_text = attachment
    db.session.add(message)
    db.session.flush()
    if has_request_context():
        g.setdefault("outbox_ids", []).append(message.id)
    return message


def send(to: str, locale: str | None, template: str, subject, *, attachment=None, **context) -> OutboxMessage:
    """Render templates/mail/<template>.txt and the subject in the recipient's language, and queue it."""
    from flask import render_template
    from flask_babel import force_locale

    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return queue(to, str(subject), render_template(f"mail/{template}.txt", **context), template,
                     attachment=attachment)


def deliver(message: OutboxMessage) -> OutboxMessage:
    """Try to send one message; record the result on it (flush only)."""
    config = current_app.config
    message.attempts += 1
    if not config.get("MAIL_SERVER"):
        log.info("mail (no SMTP server configured) to=%s subject=%r\n%s", message.to_address,
                 message.subject, message.body_text)
        message.status = OutboxStatus.LOGGED
        message.sent_at = utcnow()
        db.session.flush()
        return message
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="vuonuom.example")
    email.set_content(message.body_text)
    if message.attachment_text:
        _maintype, _, subtype = (message.attachment_type or "text/plain").partition("/")
        method = "CANCEL" if "METHOD:CANCEL" in message.attachment_text else "REQUEST"
        params = {"method": method} if subtype.startswith("calendar") else {}
        email.add_attachment(message.attachment_text, subtype=subtype.split(";")[0] or "plain",
                             filename=message.attachment_name or "attachment", params=params)
    try:
        smtp_cls = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
        with smtp_cls(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
            if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail to %s failed: %s", message.to_address, exc)
        message.status = OutboxStatus.FAILED
        message.last_error = str(exc)[:500]
    else:
        message.status = OutboxStatus.SENT
        message.sent_at = utcnow()
        message.last_error = None
    db.session.flush()
    return message


def deliver_queued_in_request() -> None:
    """Called after the request's commit: send what this request queued, then commit the results."""
    ids = g.pop("outbox_ids", None)
    if not ids:
        return
    for message in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id.in_(ids))):
        deliver(message)
    db.session.commit()


def retry(message: OutboxMessage) -> OutboxMessage:
    return deliver(message)


def deliver_pending(limit: int = 100) -> int:
    """Send queued and failed messages (the CLI runs this on a schedule)."""
    stmt = (sa.select(OutboxMessage)
            .where(OutboxMessage.status.in_([OutboxStatus.QUEUED, OutboxStatus.FAILED]))
            .order_by(OutboxMessage.id).limit(limit))
    count = 0
    for message in db.session.scalars(stmt):
        deliver(message)
        count += 1
    return count
