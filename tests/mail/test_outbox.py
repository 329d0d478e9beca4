"""E-mail goes through SMTP when configured; otherwise to the log. Every message is kept in the outbox."""

import socket

from incubator.auth.enums import Role
from incubator.extensions import db as _db
from incubator.mail import services
from incubator.mail.models import OutboxMessage, OutboxStatus
from tests.helpers import post_form


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_without_smtp_mail_is_logged_and_kept(db, app, caplog):
    import logging

    logging.getLogger("incubator").propagate = True
    try:
        with caplog.at_level(logging.INFO, logger="incubator.mail.services"):
            message = services.queue("a@vuonuom.example", "Chào", "Nội dung", "test")
            services.deliver(message)
    finally:
        logging.getLogger("incubator").propagate = False
    assert message.status is OutboxStatus.LOGGED
    assert "Nội dung" in caplog.text


def test_when_the_smtp_server_is_down_the_message_is_kept_as_failed(db, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", _closed_port())
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 2)
    message = services.queue("b@vuonuom.example", "Chào", "Nội dung", "test")
    services.deliver(message)
    assert message.status is OutboxStatus.FAILED
    assert message.attempts == 1 and message.last_error


def test_a_failed_message_survives_the_request_and_staff_can_send_it_again(login_as, app, monkeypatch, make):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", _closed_port())
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 2)
    founder = make.user(Role.FOUNDER)
    anonymous = app.test_client()
    assert post_form(anonymous, "/password/forgot", {"email": founder.email}).status_code == 302
    message = _db.session.query(OutboxMessage).filter_by(to_address=founder.email).one()
    assert message.status is OutboxStatus.FAILED

    staff_client, _ = login_as(Role.STAFF)
    html = staff_client.get("/outbox/?status=failed").get_data(as_text=True)
    assert founder.email in html
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    response = post_form(staff_client, f"/outbox/{message.id}/send")
    assert response.status_code == 302
    _db.session.refresh(message)
    assert message.status is OutboxStatus.LOGGED and message.attempts == 2


def test_cli_delivers_pending_messages(runner, make, db):
    make.outbox_message(status=OutboxStatus.QUEUED)
    make.outbox_message(status=OutboxStatus.SENT)
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    assert "1 message(s)" in result.output
    assert db.session.query(OutboxMessage).filter_by(status=OutboxStatus.QUEUED).count() == 0
