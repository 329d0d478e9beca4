"""Outgoing e-mail. Every message is written to the outbox table first; delivery happens after the
request's commit. With no SMTP server configured the message is written to the log instead.

A message about an event (an assignment, a session to confirm, a report finalised …) carries the event's key:
the same event is mailed to the same address once, however often the code announcing it runs.

A message belongs to the incubator of the object it tells of (``send``'s context: an assignment, a session, a
report …), else to the incubator of the request or command that queues it, else to none: the installation's
(organisation/placing.py). Staff limited to an incubator read its messages only (``connect_to_organisation``)."""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from sqlalchemy.exc import IntegrityError

from incubator.db import utcnow
from incubator.extensions import db
from incubator.mail.models import PENDING, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)


_SECRET_LINK = re.compile(r"(/(?:invitation|verify|password/reset)/)[A-Za-z0-9_-]{16,}")


def redacted(body: str) -> str:
    """The body as staff may read it: links that would log someone in (invitation, e-mail verification,
    password reset) lose their secret part, so reading the outbox gives nobody another person's account."""
    return _SECRET_LINK.sub(r"\1••••••", body or "")


def already_sent(event: str, to: str) -> bool:
    """Whether the event has been mailed to this address (whatever became of the message since, and whichever
    incubator it was for: the key is unique across the outbox)."""
    return db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.event_key == event[:200],
                                                               OutboxMessage.to_address == to)
                             .execution_options(all_incubators=True)) is not None


def queue(to: str, subject: str, body: str, purpose: str, attachment: tuple[str, str, str] | None = None, *,
          to_name: str | None = None, event: str | None = None, incubator_id: int | None = None,
          reply_to: str | None = None) -> OutboxMessage | None:
    """``attachment``: (file name, MIME type, text), e.g. a calendar invitation. ``event``: the key of what the
    message tells; when that event was already mailed to ``to``, nothing is queued and None is returned.
    ``incubator_id``: the incubator the message is for (left out: the one of the work that queues it).
    ``reply_to``: the address an answer goes to, when not the sender's."""
    message = OutboxMessage(to_address=to, to_name=(to_name or "").strip()[:200] or None,
                            subject=str(subject)[:300], body_text=str(body), purpose=purpose,
                            event_key=event[:200] if event else None, incubator_id=incubator_id,
                            reply_to=reply_to or None)
    if attachment is not None:
        message.attachment_name, message.attachment_type, message.attachment_text = attachment
    if event is not None:
        if already_sent(event, to):
            return None
        # Two requests announcing the same event at once: the unique (event, address) lets one row through;
        # the savepoint keeps the loser's transaction usable.
        try:
            with db.session.begin_nested():
                db.session.add(message)
        except IntegrityError:
            return None
    else:
        db.session.add(message)
        db.session.flush()
    if has_request_context():
        g.setdefault("outbox_ids", []).append(message.id)
    return message


def send(to: str, locale: str | None, template: str, subject, *, attachment=None, to_name: str | None = None,
         event: str | None = None, reply_to: str | None = None, **context) -> OutboxMessage | None:
    """Render templates/mail/<template>.txt and the subject in the recipient's language, and queue it (once per
    ``event`` and address, when an event is given). The message is for the incubator of the objects it tells of
    (the context's, when they name one and the same)."""
    from flask import render_template
    from flask_babel import force_locale

    if event is not None and already_sent(event, to):
        return None
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return queue(to, str(subject), render_template(f"mail/{template}.txt", **context), template,
                     attachment=attachment, to_name=to_name, event=event, incubator_id=_incubator_told_of(context),
                     reply_to=reply_to)


def send_to(person, template: str, subject, *, event: str | None = None, attachment=None,
            reply_to: str | None = None, **context) -> OutboxMessage | None:
    """``send`` to an account (anything with ``email``, ``locale`` and ``full_name``): in its language, with
    its name in the To header. The subject (a lazy string, or a function of no argument that returns it) is
    made in the person's language."""
    from flask_babel import force_locale

    with force_locale(person.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = str(subject() if callable(subject) else subject)
    return send(person.email, person.locale, template, subject, attachment=attachment, to_name=person.full_name,
                event=event, reply_to=reply_to, user=person, **context)


def _incubator_told_of(context: dict) -> int | None:
    """The incubator of the objects a message tells of (an incubator itself, or a row carrying ``incubator_id``),
    when they name exactly one."""
    from incubator.organisation.models import Incubator

    found = set()
    for value in context.values():
        incubator_id = value.id if isinstance(value, Incubator) else getattr(value, "incubator_id", None)
        if isinstance(incubator_id, int):
            found.add(incubator_id)
    return found.pop() if len(found) == 1 else None


def _place_messages(session, _context, _instances) -> None:
    """A new message given no incubator takes the incubator of the work that queues it (or none)."""
    from incubator.organisation.placing import incubator_of_the_work

    for obj in session.new:
        if isinstance(obj, OutboxMessage) and obj.incubator_id is None:
            obj.incubator_id = incubator_of_the_work(session.connection())


def connect_to_organisation() -> None:
    """Called by the factory (twice connects once): new messages are placed in an incubator, and a person limited
    to some incubators reads their messages only (the installation's too while there is a single incubator)."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from incubator.organisation import scoping

    if not event.contains(Session, "before_flush", _place_messages):
        event.listen(Session, "before_flush", _place_messages)
    scoping.limit_to_incubators(OutboxMessage)


def _tls_context() -> ssl.SSLContext:
    """Certificates are checked, against the system's authorities or MAIL_CA_FILE (a private authority, or a
    test server's own certificate); smtplib's default would accept any certificate."""
    return ssl.create_default_context(cafile=current_app.config.get("MAIL_CA_FILE") or None)


def _email(message: OutboxMessage) -> EmailMessage:
    """The message as it goes out: names and subjects in UTF-8 (RFC 2047 encoded words), the attachment as is."""
    config = current_app.config
    email = EmailMessage()
    sender = config["MAIL_SENDER"]
    email["From"] = sender
    email["To"] = (Address(display_name=message.to_name, addr_spec=message.to_address) if message.to_name
                   else message.to_address)
    email["Subject"] = message.subject
    if message.reply_to:
        email["Reply-To"] = message.reply_to
    email["Date"] = formatdate(localtime=False)
    domain = parseaddr(str(sender))[1].rpartition("@")[2] or "vuonuom.example"
    email["Message-ID"] = make_msgid(domain=domain)
    email.set_content(message.body_text)
    if message.attachment_text:
        _maintype, _, subtype = (message.attachment_type or "text/plain").partition("/")
        method = "CANCEL" if "METHOD:CANCEL" in message.attachment_text else "REQUEST"
        params = {"method": method} if subtype.startswith("calendar") else {}
        email.add_attachment(message.attachment_text, subtype=subtype.split(";")[0] or "plain",
                             filename=message.attachment_name or "attachment", params=params)
    return email


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
    try:
        email = _email(message)
    except (ValueError, TypeError) as exc:  # an address or a name the headers cannot hold
        return _failed(message, exc)
    try:
        if config.get("MAIL_USE_SSL"):
            smtp = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"],
                                    context=_tls_context())
        else:
            smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
        with smtp:
            if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
                smtp.starttls(context=_tls_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as exc:  # ssl.SSLError is an OSError
        return _failed(message, exc)
    except UnicodeEncodeError as exc:  # smtplib sends the login and password as ASCII only
        return _failed(message, f"MAIL_USERNAME and MAIL_PASSWORD must be ASCII for SMTP login ({exc.reason})")
    message.status = OutboxStatus.SENT
    message.sent_at = utcnow()
    message.last_error = None
    db.session.flush()
    return message


def _failed(message: OutboxMessage, exc: Exception | str) -> OutboxMessage:
    """The message stays in the outbox as failed, with the reason, for `flask mail deliver` or staff to retry."""
    log.warning("mail to %s failed: %s", message.to_address, exc)
    message.status = OutboxStatus.FAILED
    message.last_error = str(exc)[:500]
    db.session.flush()
    return message


def deliver_queued_in_request() -> None:
    """Called after the request's commit: send what this request queued, then commit the results."""
    ids = g.pop("outbox_ids", None)
    if not ids:
        return
    # This request's own messages, whatever incubator they are for.
    for message in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id.in_(ids))
                                      .execution_options(all_incubators=True)):
        deliver(message)
    db.session.commit()


def retry(message: OutboxMessage) -> OutboxMessage:
    return deliver(message)


def deliver_pending(limit: int = 100) -> int:
    """Send queued and failed messages (the CLI runs this on a schedule)."""
    stmt = (sa.select(OutboxMessage)
            .where(OutboxMessage.status.in_(sorted(PENDING)))
            .order_by(OutboxMessage.id).limit(limit))
    count = 0
    for message in db.session.scalars(stmt):
        deliver(message)
        count += 1
    return count
