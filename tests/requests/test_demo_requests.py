"""The demo has businesses' requests in every state, made through the services (issue 21, acceptance 4), and
loading it again adds none."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from incubator.requests import queries
from incubator.requests.enums import PublicationConsent, RequestStatus
from incubator.requests.models import BusinessRequest


@pytest.fixture
def demo(runner, db):
    result = runner.invoke(args=["demo", "--no-upgrade"])
    assert result.exit_code == 0, result.output


def test_the_demo_has_requests_in_every_state(demo, runner, db):
    requests = db.session.scalars(sa.select(BusinessRequest).order_by(BusinessRequest.id)).all()
    assert {r.status for r in requests} == set(RequestStatus)
    assert [r.number.split("-")[2] for r in requests] == [f"{n:04d}" for n in range(1, len(requests) + 1)]
    assert [r.acknowledged_on for r in requests] == sorted(r.acknowledged_on for r in requests)
    published = db.session.scalars(queries.published_answers()).unique().all()
    assert {r.consent for r in published} == {PublicationConsent.NAMED, PublicationConsent.ANONYMISED}
    anonymised = next(r for r in published if r.is_anonymised)
    assert "Bùi Văn Khánh" not in queries.public_view(anonymised).question
    from incubator.i18n import local_today

    assert queries.overdue(local_today())  # one is overdue
    assert runner.invoke(args=["demo", "--no-upgrade"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BusinessRequest)) == len(requests)


def test_the_demos_timelines_audit_and_feed_read_the_days_of_the_story(demo, client, db):
    """Each step of a demo request is dated on the day of the story, not on the day the demo was loaded: the
    timeline's receipt on the acknowledgement's day, its answer on the answer's day, the audit log and the
    feed alike."""
    import re

    from incubator.audit.models import AuditEntry
    from incubator.auth.models import User
    from incubator.i18n import local_today
    from incubator.requests.enums import EventKind
    from tests.helpers import login

    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    requests = db.session.scalars(sa.select(BusinessRequest).order_by(BusinessRequest.id)).all()
    today = local_today()
    assert any(r.acknowledged_on < today for r in requests)
    login(client, db.session.scalar(sa.select(User).where(User.email == "canbo@vuonuom.example")),
          password="Vuon-uom-2025-demo")
    for req in requests:
        events = {e.kind: e.at.astimezone(zone).date() for e in req.events}
        assert events[EventKind.FILED] == req.acknowledged_on, req.title
        if req.answered_on:
            assert events[EventKind.ANSWERED] == req.answered_on, req.title
        if req.acknowledged_on == today:  # filed today (a question from the floor recorded after the conference)
            continue
        assert all(day < today for day in events.values()), req.title
        page = client.get(f"/requests/{req.id}").get_data(as_text=True)
        timeline = page[page.index('class="list-unstyled timeline'):]
        shown = re.findall(r"\d\d/\d\d/\d{4}", timeline[:timeline.index("</ol>")])
        assert req.acknowledged_on.strftime("%d/%m/%Y") in shown, req.title
        if req.answered_on:
            assert req.answered_on.strftime("%d/%m/%Y") in shown, req.title
        assert today.strftime("%d/%m/%Y") not in shown, req.title
        entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.object_type == "business_requests",
                                                                 AuditEntry.object_id == str(req.id))
                                     .execution_options(all_incubators=True)).all()
        assert entries and all(e.at.astimezone(zone).date() < today for e in entries), req.title
    feed = client.get("/requests/answers.atom").get_data(as_text=True)
    published = [r for r in requests if r.published_at is not None]
    assert published
    for req in published:
        assert req.published_at.astimezone(zone).date() >= req.answered_on
        assert req.published_at.astimezone(zone).date() < today
        assert f"<published>{req.published_at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}</published>" in feed
