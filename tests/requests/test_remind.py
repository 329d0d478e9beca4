"""``flask --app incubator requests remind``: staff of the request's incubator are told three working days
before a request is due and once when it is overdue, each reminder once however often the command runs."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from incubator.auth.enums import Role
from incubator.mail.models import OutboxMessage
from incubator.requests import services
from incubator.requests.enums import PublicationConsent, RequestKind
from incubator.requests.models import RequestCategory


@pytest.fixture
def filed(make, db):
    services.ensure_default_categories()
    company = make.company()
    founder = make.user(Role.FOUNDER)
    make.member(company=company, user=founder)
    staff = make.user(Role.STAFF, email="canbo@example.vn")
    category = db.session.scalar(sa.select(RequestCategory).where(RequestCategory.code == "other"))
    # Acknowledged on Monday 02/03/2026: due on Monday 23/03.
    request = services.file(company, actor=founder, kind=RequestKind.REQUEST, category=category, title="Đề nghị",
                            text="Nội dung", consent=PublicationConsent.NAMED, today=date(2026, 3, 2))
    db.session.commit()
    return {"request": request, "staff": staff, "founder": founder}


def _reminders(db) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == "request_reminder")
                                   .order_by(OutboxMessage.id)))


def test_staff_are_reminded_three_working_days_before_and_once_when_overdue(filed, db):
    assert services.send_reminders(date(2026, 3, 17)) == 0  # four working days before
    assert services.send_reminders(date(2026, 3, 18)) == 1  # 19, 20, 23: three working days left
    assert services.send_reminders(date(2026, 3, 19)) == 0  # once
    assert services.send_reminders(date(2026, 3, 23)) == 0  # the due day itself: not overdue yet
    assert services.send_reminders(date(2026, 3, 24)) == 1
    assert services.send_reminders(date(2026, 3, 25)) == 0  # overdue once only
    db.session.commit()
    before, overdue = _reminders(db)
    assert before.to_address == overdue.to_address == "canbo@example.vn"
    assert "KN-2026-0001" in before.body_text and "23/03/2026" in before.body_text


def test_a_paused_or_answered_request_is_not_reminded(filed, db, make):
    request = filed["request"]
    services.ask_information(request, actor=filed["staff"], question="?", today=date(2026, 3, 4))
    db.session.commit()
    assert services.send_reminders(date(2026, 3, 24)) == 0


def test_the_remind_command(runner, filed, db):
    result = runner.invoke(args=["requests", "remind", "--today", "2026-03-24"])
    assert result.exit_code == 0 and "1 reminder queued" in result.output, result.output
    assert runner.invoke(args=["requests", "remind", "--today", "2026-03-24"]).output.startswith("0 reminders")
    assert runner.invoke(args=["requests", "remind", "--today", "24/03/2026"]).exit_code == 2


def test_with_several_incubators_the_command_asks_which(runner, filed, db):
    from incubator.organisation import services as organisation

    organisation.create("HN2", "Vườn ươm Hà Nội 2", "Hà Nội incubator 2")
    db.session.commit()
    with force_locale("en"):
        result = runner.invoke(args=["requests", "remind", "--today", "2026-03-24"])
    assert result.exit_code == 1 and "--incubator CODE" in result.output, result.output
    assert _reminders(db) == []
    result = runner.invoke(args=["requests", "remind", "--today", "2026-03-24", "--incubator", "VUHN"])
    assert result.exit_code == 0 and "1 reminder queued" in result.output, result.output
    result = runner.invoke(args=["requests", "remind", "--today", "2026-03-24", "--incubator", "HN2"])
    assert result.exit_code == 0 and "0 reminders queued" in result.output, result.output
