"""Delivery through a real SMTP server started by the test (aiosmtpd on 127.0.0.1, STARTTLS with its own
certificate, a login required), not a stand-in class: Vietnamese subjects and names arrive intact in the headers,
the calendar invitation parses, an unknown certificate is refused, and a recipient the server refuses leaves the
message failed in the outbox until `flask mail deliver` sends it."""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from icalendar import Calendar

from incubator.auth.enums import Role
from incubator.mail import services as mail
from incubator.mail.models import OutboxMessage, OutboxStatus
from tests.helpers import free_port

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
LOGIN, SECRET = "vuonuom-smtp", "Mat-khau-thu-2026"


def _certificate(folder) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 (and localhost): (certificate file, key file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


@dataclass
class Received:
    sender: str
    recipients: list[str]
    raw: bytes
    over_tls: bool
    login: str | None

    @property
    def message(self):
        return message_from_bytes(self.raw, policy=policy.default)


@dataclass
class Handler:
    """The server's side: refuses the addresses in ``refused`` at RCPT, keeps what it accepts."""

    refused: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        login = (session.auth_data.login.decode()
                 if session.authenticated and isinstance(session.auth_data, LoginPassword) else None)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content,
                                      over_tls=session.ssl is not None, login=login))
        return "250 Message accepted for delivery"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        LOGIN.encode(), SECRET.encode())
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


@dataclass
class Server:
    handler: Handler
    port: int
    cert_file: str


@pytest.fixture
def smtp_server(tmp_path):
    cert_file, key_file = _certificate(tmp_path)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert_file, key_file)
    handler = Handler()
    port = free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, tls_context=tls, require_starttls=True,
        authenticator=_authenticator, auth_required=True, auth_require_tls=True)
    controller.start()
    try:
        yield Server(handler, port, cert_file)
    finally:
        controller.stop()


@pytest.fixture
def smtp_config(app, monkeypatch, smtp_server):
    """The application configured for the test server, trusting its certificate through MAIL_CA_FILE."""
    for key, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port, "MAIL_USE_TLS": True,
                       "MAIL_USE_SSL": False, "MAIL_USERNAME": LOGIN, "MAIL_PASSWORD": SECRET,
                       "MAIL_CA_FILE": smtp_server.cert_file, "MAIL_TIMEOUT": 10,
                       "MAIL_SENDER": "Vườn ươm CNTT Hà Nội <no-reply@vuonuom.example>"}.items():
        monkeypatch.setitem(app.config, key, value)
    return smtp_server


def _session_invitation_for(make, db, founder_name: str) -> OutboxMessage:
    """A mentor schedules a session: the founder's invitation, with its .ics, waits in the outbox."""
    from incubator.mentoring import services as mentoring

    mentor = make.user(Role.MENTOR, full_name="Phạm Cố Vấn", locale="vi")
    member = make.cohort_member(make.cohort(starts_on=date(2025, 1, 1), ends_on=date(2026, 12, 31)),
                                company=make.company(name="Công ty TNHH Nông Sản Số"))
    founder = make.member(company=member.company, user=make.user(full_name=founder_name, locale="vi")).user
    now = datetime(2025, 3, 1, 3, 0, tzinfo=UTC)
    mentoring.log_session(make.mentor_assignment(member, mentor), actor=mentor, now=now,
                          starts_at=datetime(2025, 3, 10, 7, 0, tzinfo=UTC), minutes=90, mode="in_person",
                          place="Phòng họp tầng 3, Tòa nhà Vườn ươm")
    db.session.commit()
    return db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_address == founder.email))


def test_vietnamese_headers_body_and_the_calendar_invitation_arrive_intact(make, db, smtp_config):
    message = _session_invitation_for(make, db, "Nguyễn Thị Hà")
    assert message.attachment_text and message.status is OutboxStatus.QUEUED
    mail.deliver(message)
    db.session.commit()
    assert (message.status, message.last_error) == (OutboxStatus.SENT, None)

    (received,) = smtp_config.handler.received
    assert received.over_tls and received.login == LOGIN  # STARTTLS, then the login
    assert (received.sender, received.recipients) == ("no-reply@vuonuom.example", [message.to_address])
    headers = received.raw.split(b"\r\n\r\n", 1)[0]
    headers.decode("ascii")  # every header travels as ASCII: names and subject as RFC 2047 encoded words
    email = received.message
    assert email["Subject"] == message.subject and "Phạm Cố Vấn" in email["Subject"]
    (to,) = email["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Nguyễn Thị Hà", message.to_address)
    (sender,) = email["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Vườn ươm CNTT Hà Nội", "no-reply@vuonuom.example")
    assert email["Message-ID"].endswith("@vuonuom.example>") and email["Date"]

    body = email.get_body(("plain",)).get_content()
    assert body == message.body_text + "\n" and "Kính gửi Nguyễn Thị Hà," in body
    (attachment,) = list(email.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST" and attachment.get_filename() == "moi-hop.ics"
    calendar = Calendar.from_ical(attachment.get_content())
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST"
    assert event.decoded("dtstart") == datetime(2025, 3, 10, 14, 0, tzinfo=HANOI)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=90)
    assert str(event["location"]) == "Phòng họp tầng 3, Tòa nhà Vườn ươm"
    assert "Phạm Cố Vấn" in str(event["summary"])
    attendees = [str(a) for a in ([event["attendee"]] if not isinstance(event["attendee"], list)
                                  else event["attendee"])]
    assert f"mailto:{message.to_address}" in attendees


def test_a_recipient_the_server_refuses_stays_failed_in_the_outbox_until_mail_deliver_sends_it(
        make, db, smtp_config, runner):
    queued = mail.send_to(make.user(full_name="Lê Văn Bị Từ Chối", email="tam-thoi@vuonuom.example"),
                          "review_reminder", "Nhắc việc: 2 hồ sơ cần đánh giá", event="thu:1",
                          stage=make.review_stage(), row=type("Row", (), {"remaining": 2, "assigned": 2}),
                          link="http://localhost/reviews/")
    db.session.commit()
    smtp_config.handler.refused.add("tam-thoi@vuonuom.example")
    mail.deliver(queued)
    db.session.commit()
    assert queued.status is OutboxStatus.FAILED and queued.attempts == 1
    assert "550" in queued.last_error and smtp_config.handler.received == []

    smtp_config.handler.refused.clear()  # the mailbox is back
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert (queued.status, queued.attempts, queued.last_error) == (OutboxStatus.SENT, 2, None)
    (received,) = smtp_config.handler.received
    assert received.message["Subject"] == "Nhắc việc: 2 hồ sơ cần đánh giá"
    assert received.message["To"].addresses[0].display_name == "Lê Văn Bị Từ Chối"
    runner.invoke(args=["mail", "deliver"])  # sent is sent: nothing goes twice
    assert len(smtp_config.handler.received) == 1


def test_a_server_whose_certificate_is_not_trusted_is_refused_and_nothing_is_sent(db, make, app, monkeypatch,
                                                                                  smtp_config):
    monkeypatch.setitem(app.config, "MAIL_CA_FILE", None)  # the system's authorities do not know this server
    message = mail.queue("ha@vuonuom.example", "Chào", "Nội dung", "test", to_name="Nguyễn Thị Hà")
    mail.deliver(message)
    assert message.status is OutboxStatus.FAILED and "certificate" in message.last_error.lower()
    assert smtp_config.handler.received == []


def test_a_wrong_password_leaves_the_message_failed(db, app, monkeypatch, smtp_config):
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "sai-mat-khau")
    message = mail.queue("ha@vuonuom.example", "Chào", "Nội dung", "test")
    mail.deliver(message)
    assert message.status is OutboxStatus.FAILED and "535" in message.last_error
    assert smtp_config.handler.received == []


def test_a_password_smtp_cannot_carry_leaves_the_message_failed_with_the_reason(db, app, monkeypatch, smtp_config):
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "mật-khẩu")
    message = mail.queue("ha@vuonuom.example", "Chào", "Nội dung", "test")
    mail.deliver(message)
    assert message.status is OutboxStatus.FAILED and "ASCII" in message.last_error
