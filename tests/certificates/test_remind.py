"""`flask certificates remind`: a digest to each incubator's staff of the certificates that count and expire
within 60 days, each told once per threshold; not those that do not count or have expired; nothing the second
time the same day."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.certificates import services
from incubator.certificates.enums import CertificateStatus
from incubator.certificates.models import Certificate
from incubator.extensions import db
from incubator.mail.models import OutboxMessage

TODAY = date(2026, 6, 1)


def _certificate(company, code="ISO 9001", **kw):
    kw.setdefault("issued_on", date(2024, 1, 10))
    certificate = Certificate(company_id=company.id, standard=services.standard_by_code(code), **kw)
    db.session.add(certificate)
    db.session.commit()
    return certificate


def _mail(to=None):
    stmt = sa.select(OutboxMessage).where(OutboxMessage.purpose == "certificates_expiring")
    if to is not None:
        stmt = stmt.where(OutboxMessage.to_address == to)
    return db.session.scalars(stmt.order_by(OutboxMessage.id).execution_options(all_incubators=True)).all()


def _remind(runner, day=TODAY):
    result = runner.invoke(args=["certificates", "remind", "--today", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def world(make):
    staff = make.user(Role.STAFF)
    company = make.residency(starts_on=date(2024, 1, 1)).company
    soon = _certificate(company, number="SOON-1", expires_on=TODAY + timedelta(days=40))
    _certificate(company, number="LATE-1", expires_on=TODAY + timedelta(days=70))
    _certificate(company, number="GONE-1", expires_on=TODAY - timedelta(days=1))
    _certificate(company, number="WAIT-1", expires_on=TODAY + timedelta(days=10), status=CertificateStatus.SUBMITTED)
    _certificate(company, code="CMMI", level=1, number="LVL-1", expires_on=TODAY + timedelta(days=10))
    _certificate(company, number="REVOKED-1", expires_on=TODAY + timedelta(days=10), revoked_on=date(2025, 1, 1))
    outside = make.company()  # no residency: no incubator's staff to tell
    _certificate(outside, number="OUT-1", expires_on=TODAY + timedelta(days=10))
    return staff, soon


def test_the_digest_tells_only_those_that_count_and_expire_within_60_days_once(world, runner):
    staff, _soon = world
    assert "1 reminder queued" in _remind(runner)
    [message] = _mail(staff.email)
    assert "SOON-1" in message.body_text
    for number in ("LATE-1", "GONE-1", "WAIT-1", "LVL-1", "REVOKED-1", "OUT-1"):
        assert number not in message.body_text
    assert "0 reminders queued" in _remind(runner)  # the same day again: nothing
    assert "0 reminders queued" in _remind(runner, TODAY + timedelta(days=1))  # still the 60-day threshold
    assert len(_mail()) == 1


def test_each_threshold_is_told_once_and_a_new_certificate_alone(world, runner, make):
    staff, soon = world
    _remind(runner)
    later = _certificate(soon.company, code="ISO/IEC 27001", number="NEW-1", expires_on=TODAY + timedelta(days=50))
    _remind(runner, TODAY + timedelta(days=2))
    second = _mail(staff.email)[-1]
    assert "NEW-1" in second.body_text and "SOON-1" not in second.body_text
    _remind(runner, soon.expires_on - timedelta(days=30))  # SOON-1 within 30 days now
    third = _mail(staff.email)[-1]
    assert "SOON-1" in third.body_text and "NEW-1" not in third.body_text
    assert later.id and len(_mail(staff.email)) == 3


def test_a_renewed_expiry_is_told_again(world, runner):
    staff, soon = world
    _remind(runner)
    soon.expires_on = TODAY + timedelta(days=45)
    db.session.commit()
    _remind(runner)
    assert len(_mail(staff.email)) == 2


def test_staff_of_another_incubator_are_not_told(world, runner, make, db):
    from incubator.organisation import services as organisation

    other = organisation.create("HL2", "Vườn ươm Hòa Lạc", "Hoa Lac incubator")
    db.session.commit()
    theirs = make.user(Role.STAFF, incubator=other)
    _remind(runner)
    assert _mail(theirs.email) == []
