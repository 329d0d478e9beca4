"""The demo has a past dialogue conference with its agenda answered, its minutes made and published, and a
planned one with its invitations (issue 21, acceptance 4); loading it again adds none."""

from __future__ import annotations

from io import BytesIO

import sqlalchemy as sa
from pypdf import PdfReader

from incubator.dialogue.enums import ConferenceStatus
from incubator.dialogue.models import DialogueConference
from incubator.requests.enums import AnswerSource, RequestStatus
from incubator.requests.models import BusinessRequest


def test_the_demo_has_a_past_conference_with_its_minutes_and_a_planned_one(runner, db, client):
    assert runner.invoke(args=["demo", "--no-upgrade"]).exit_code == 0
    conferences = db.session.scalars(sa.select(DialogueConference).order_by(DialogueConference.starts_at)).all()
    past, planned = conferences
    assert past.status is ConferenceStatus.HELD and past.is_published and past.minutes_pdf.startswith(b"%PDF")
    answered = past.items[0].request
    assert answered.status is RequestStatus.ANSWERED and answered.answer.source is AnswerSource.CONFERENCE
    assert answered.is_published
    text = " ".join("".join(p.extract_text() for p in PdfReader(BytesIO(past.minutes_pdf)).pages).split())
    assert "BIÊN BẢN" in text and answered.number in text
    assert planned.status is ConferenceStatus.PLANNED and planned.items and planned.registrations
    assert client.get(f"/dialogue/published/{past.id}").status_code == 200
    assert client.get(f"/dialogue/published/{planned.id}").status_code == 404
    # The demo's requests keep every state (the one answered at the conference was one of two being answered).
    assert {r.status for r in db.session.scalars(sa.select(BusinessRequest))} == set(RequestStatus)
    assert runner.invoke(args=["demo", "--no-upgrade"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count(DialogueConference.id))) == 2
