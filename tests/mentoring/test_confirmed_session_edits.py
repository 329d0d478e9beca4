"""Staff changing a session the founders already confirmed say why: the reason is kept in the audit entry
with the changes and shown in the session's history."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.errors import DomainError
from incubator.mentoring import services
from incubator.mentoring.enums import SessionStatus
from tests.helpers import login, post_form

NOW = datetime(2025, 6, 1, 3, 0, tzinfo=UTC)


@pytest.fixture
def confirmed(make, db):
    session = make.mentoring_session(status=SessionStatus.CONFIRMED, minutes=60)
    return session


def _fields(session, **changes):
    fields = {k: getattr(session, k) for k in services.SESSION_FIELDS}
    return {**fields, **changes}


def test_a_confirmed_session_is_changed_only_with_a_reason(confirmed, make, db):
    from incubator.audit.models import AuditEntry

    staff = make.user(Role.STAFF)
    with pytest.raises(DomainError) as refused:
        services.update_session(confirmed, actor=staff, now=NOW, **_fields(confirmed, minutes=90))
    assert refused.value.field == "reason"
    db.session.rollback()
    assert confirmed.minutes == 60  # nothing changed on the way
    services.update_session(confirmed, actor=staff, now=NOW, reason="  Buổi kéo dài thêm 30 phút (biên bản)  ",
                            **_fields(confirmed, minutes=90))
    db.session.commit()
    assert confirmed.minutes == 90
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "session.update"))
    assert entry.reason == "Buổi kéo dài thêm 30 phút (biên bản)"
    assert entry.details["changed"] == {"minutes": [60, 90]}
    # Saving the same values again is no change, and asks nothing.
    services.update_session(confirmed, actor=staff, now=NOW, **_fields(confirmed))


def test_a_session_not_yet_confirmed_is_changed_without_a_reason(make, db):
    session = make.mentoring_session(status=SessionStatus.HELD)
    services.update_session(session, actor=session.mentor, now=NOW, **_fields(session, place="Phòng 5"))
    assert session.place == "Phòng 5"


def test_staff_give_the_reason_on_the_session_page_and_everyone_near_it_reads_it(confirmed, make, login_as,
                                                                                 client_factory, db):
    staff_client, staff = login_as(Role.STAFF, locale="en")
    url = f"/mentoring/sessions/{confirmed.id}"
    page = staff_client.get(url).get_data(as_text=True)
    assert 'name="reason"' in page
    data = {"starts_on": "2025-03-10", "starts_time": "09:00", "minutes": "75", "mode": "in_person",
            "place": "Phòng họp tầng 3", "version": str(confirmed.version_id)}
    refused = post_form(staff_client, url, data, token_from=url)
    assert refused.status_code == 400 and "Say why a confirmed session is changed." in refused.get_data(as_text=True)
    done = post_form(staff_client, url, {**data, "reason": "Cố vấn báo nhầm thời lượng"}, token_from=url)
    assert done.status_code == 302
    db.session.expire_all()
    assert confirmed.minutes == 75
    history = staff_client.get(url).get_data(as_text=True).split('id="session-history"')[1]
    assert "Cố vấn báo nhầm thời lượng" in history and staff.full_name in history
    # The startup's founder reads the same history (not the notes).
    founder = make.user(Role.FOUNDER, locale="en")
    make.member(company=confirmed.company, user=founder)
    client = client_factory()
    login(client, founder)
    seen = client.get(url).get_data(as_text=True)
    assert "Cố vấn báo nhầm thời lượng" in seen and "Ghi chú riêng của cố vấn" not in seen
    # The mentor cannot change it any more, reason or not.
    mentor = client_factory()
    login(mentor, confirmed.mentor)
    assert post_form(mentor, url, {**data, "reason": "x"}).status_code == 403
