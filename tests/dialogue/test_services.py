"""Each change of a dialogue conference through its one door (issue 21), with the refusals that write nothing;
the answers and questions going through the requests' own doors."""

from __future__ import annotations

from email import message_from_string

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.dialogue import services
from incubator.dialogue.enums import ConferenceStatus, QuestionKind, QuestionOutcome
from incubator.errors import DomainError, NotAllowed
from incubator.mail.models import OutboxMessage
from incubator.requests import services as requests
from incubator.requests.enums import AnswerSource, PublicationConsent, RequestStatus
from tests.dialogue.conftest import PAST, future
from tests.helpers import nothing_written


def _plan(world, starts_at=None, **kw):
    kw.setdefault("title", "Đối thoại với doanh nghiệp CNTT quý I/2026")
    kw.setdefault("chair", "Phó Giám đốc Sở Khoa học và Công nghệ")
    kw.setdefault("place", "Hội trường tầng 6, số 185 Giảng Võ")
    return services.plan(actor=world["staff"], starts_at=starts_at or future(), bodies=[world["body"]], **kw)


def _actions(db, action):
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def test_plan_and_edit_are_audited_and_a_new_time_raises_the_sequence(world, db):
    conference = _plan(world)
    db.session.commit()
    assert conference.status is ConferenceStatus.PLANNED and conference.bodies == [world["body"]]
    assert _actions(db, "dialogue.plan")
    services.edit(conference, actor=world["staff"], title=conference.title, starts_at=future(20),
                  minutes_long=120, place=conference.place, link=None, chair=conference.chair, bodies=[])
    db.session.commit()
    assert conference.sequence == 1 and conference.bodies == [] and _actions(db, "dialogue.edit")


def test_plan_refuses_without_place_or_link_and_a_non_staff(world, db):
    with nothing_written(), pytest.raises(DomainError):
        _plan(world, place=None)
    with nothing_written(), pytest.raises(NotAllowed):
        services.plan(actor=world["founder"], title="X", starts_at=future(), chair="Y", place="Z")


def test_agenda_takes_open_requests_of_the_incubator_once(world, db):
    conference = _plan(world)
    request = world["file"]()
    item = services.add_item(conference, request, actor=world["staff"])
    db.session.commit()
    assert [i.request for i in conference.items] == [request] and item.position == 1
    with nothing_written(), pytest.raises(DomainError):
        services.add_item(conference, request, actor=world["staff"])
    services.remove_item(item, actor=world["staff"])
    db.session.commit()
    assert conference.items == [] and _actions(db, "dialogue.remove_item")


def test_invitations_go_to_the_businesses_concerned_and_others_with_a_calendar_event(world, db):
    conference = _plan(world)
    services.add_item(conference, world["file"](), actor=world["staff"])
    invited = services.invite(conference, actor=world["staff"], emails=["hiephoi@example.vn"])
    db.session.commit()
    assert invited == 2
    assert {(r.email, r.company_id) for r in conference.registrations} == {
        ("an@songhong.example", world["company"].id), ("hiephoi@example.vn", None)}
    mails = list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == "dialogue_invitation")))
    assert {m.to_address for m in mails} == {"an@songhong.example", "hiephoi@example.vn"}
    mail = next(m for m in mails if m.to_address == "an@songhong.example")
    assert "Đối thoại với doanh nghiệp CNTT quý I/2026" in mail.subject
    assert mail.attachment_name.endswith(".ics") and mail.attachment_type.startswith("text/calendar")
    calendar = Calendar.from_ical(mail.attachment_text)
    assert calendar["method"] == "REQUEST"
    event = next(c for c in calendar.walk("VEVENT"))
    assert str(event["uid"]).startswith(f"dialogue-{conference.id}@")
    assert event.decoded("dtstart") == conference.starts_at
    assert "185 Giảng Võ" in str(event["location"])
    # Inviting again sends nothing twice.
    assert services.invite(conference, actor=world["staff"]) == 0
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))
                             .where(OutboxMessage.purpose == "dialogue_invitation")) == 2


def test_the_sent_invitation_carries_the_ics_as_a_calendar_part(world, db, app):
    from incubator.mail.services import _email

    conference = _plan(world)
    services.invite(conference, actor=world["staff"], concerned=False, emails=["hiephoi@example.vn"])
    db.session.commit()
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.purpose == "dialogue_invitation"))
    parsed = message_from_string(_email(message).as_string())
    part = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
    assert Calendar.from_ical(part.get_payload(decode=True))["method"] == "REQUEST"


def test_cancelling_sends_the_cancellation(world, db):
    conference = _plan(world)
    services.invite(conference, actor=world["staff"], concerned=False, emails=["hiephoi@example.vn"])
    with nothing_written(), pytest.raises(DomainError):
        services.cancel(conference, actor=world["staff"], reason="")
    services.cancel(conference, actor=world["staff"], reason="Trùng lịch họp của Thành phố")
    db.session.commit()
    assert conference.status is ConferenceStatus.CANCELLED
    last = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == "dialogue_invitation")
                              .order_by(OutboxMessage.id.desc())).first()
    assert Calendar.from_ical(last.attachment_text)["method"] == "CANCEL"
    with pytest.raises(DomainError):
        services.hold(conference, actor=world["staff"])


def test_a_founder_invited_registers_and_a_question_becomes_the_business_request(world, db):
    conference = _plan(world)
    services.add_item(conference, world["file"](), actor=world["staff"])
    services.invite(conference, actor=world["staff"])
    db.session.commit()
    registration = services.register(
        conference, actor=world["founder"], question_title="Thuê mặt bằng tại khu công nghệ cao",
        question_text="Doanh nghiệp đề nghị được thuê mặt bằng với giá ưu đãi.", category=world["category"],
        consent=PublicationConsent.ANONYMISED)
    db.session.commit()
    assert registration.is_registered and registration.company_id == world["company"].id
    question = conference.questions[0]
    assert question.kind is QuestionKind.BEFOREHAND and question.outcome is QuestionOutcome.FILED
    filed = question.request
    assert filed.company_id == world["company"].id and filed.filed_by_id == world["founder"].id
    assert filed.status is RequestStatus.SUBMITTED and filed.number.startswith("KN-")
    assert filed.consent is PublicationConsent.ANONYMISED and filed.incubator_id == conference.incubator_id
    assert filed in [i.request for i in conference.items]


def test_someone_not_invited_cannot_register(world, db, make):
    conference = _plan(world)
    db.session.commit()
    with nothing_written(), pytest.raises(NotAllowed):
        services.register(conference, actor=world["founder"])
    with pytest.raises(NotAllowed):
        services.register(conference, actor=make.user(Role.STAFF))


def test_a_recorded_answer_becomes_the_request_answer_with_the_conference_as_its_source(world, db):
    conference = _plan(world, starts_at=future(-1))
    request = world["file"]()
    requests.route(request, world["body"], actor=world["staff"])
    item = services.add_item(conference, request, actor=world["staff"])
    services.record_answer(item, actor=world["staff"], text="Cục Thuế hướng dẫn hoàn thuế trong 6 ngày làm việc.")
    db.session.commit()
    assert request.answer.source is AnswerSource.CONFERENCE
    assert request.answer.text == "Cục Thuế hướng dẫn hoàn thuế trong 6 ngày làm việc."
    assert request.answer.body_id == world["body"].id and item.answered_by_body_id == world["body"].id
    # A second member of staff approves it, as every answer: the request is answered.
    requests.approve_answer(request, actor=world["second"])
    db.session.commit()
    assert request.status is RequestStatus.ANSWERED


def test_answers_wait_for_the_conference_to_begin(world, db):
    conference = _plan(world)
    item = services.add_item(conference, world["file"](), actor=world["staff"])
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError):
        services.record_answer(item, actor=world["staff"], text="Trả lời")
    with nothing_written(), pytest.raises(DomainError):
        services.hold(conference, actor=world["staff"])


def test_questions_from_the_floor(world, db):
    conference = _plan(world, starts_at=future(-1))
    request = world["file"]()
    answered = services.record_floor_question(conference, actor=world["staff"], text="Khi nào có gói hỗ trợ?",
                                              outcome="answered", answer_text="Trong quý II.")
    routed = services.record_floor_question(conference, actor=world["staff"], text="Về thuế?", outcome="routed",
                                            body=world["body"], asked_by="Công ty Sông Hồng",
                                            company=world["company"], category=world["category"])
    attached = services.record_floor_question(conference, actor=world["staff"], text="Như kiến nghị đã gửi",
                                              outcome="attached", request=request)
    db.session.commit()
    assert [q.outcome for q in conference.questions] == [QuestionOutcome.ANSWERED, QuestionOutcome.ROUTED,
                                                         QuestionOutcome.ATTACHED]
    assert answered.kind is QuestionKind.FLOOR and routed.body == world["body"] and attached.request == request
    with nothing_written(), pytest.raises(DomainError):
        services.record_floor_question(conference, actor=world["staff"], text="Câu hỏi", outcome="answered")


def test_a_question_from_the_floor_becomes_the_business_s_request(world, db, make):
    conference = _plan(world, starts_at=PAST)
    db.session.commit()
    # Filed as a new request of the business: staff file it on its behalf, with its number, due date and the
    # founders' acknowledgement; not published unless a founder consents.
    question = services.record_floor_question(conference, actor=world["staff"], text="Ưu đãi thuê mặt bằng?",
                                              outcome="filed", company=world["company"],
                                              category=world["category"], title="Ưu đãi thuê mặt bằng")
    db.session.commit()
    filed = question.request
    assert question.outcome is QuestionOutcome.FILED and question.kind is QuestionKind.FLOOR
    assert filed.number.startswith("KN-") and filed.status is RequestStatus.SUBMITTED and filed.due_on
    assert filed.company == world["company"] and filed.filed_by == world["staff"]
    assert filed.title == "Ưu đãi thuê mặt bằng" and filed.consent is PublicationConsent.NOT_PUBLISHED
    assert filed.incubator_id == conference.incubator_id
    assert filed.events[0].raised_at == "Đối thoại với doanh nghiệp CNTT quý I/2026 (05/03/2026)"
    assert question.asked_by == world["company"].name
    (mail,) = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == "request_acknowledged"))
    assert mail.to_address == world["founder"].email and filed.number in mail.body_text
    # Routed: filed the same way and sent to the body at once, the clock running.
    routed = services.record_floor_question(conference, actor=world["staff"], text="Hoàn thuế phần mềm?",
                                            outcome="routed", body=world["body"], company=world["company"],
                                            category=world["category"])
    db.session.commit()
    assert routed.request.status is RequestStatus.ROUTED and routed.request.body == world["body"]
    assert routed.request.title == "Hoàn thuế phần mềm?"
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "dialogue.floor_question")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.details["request"] == routed.request.number
    # Nothing routed or filed without a business, a category, or for a business not verified.
    unverified = make.company(name="Công ty chưa xác minh", verified_at=None)
    for kw in ({"outcome": "routed", "body": world["body"], "category": world["category"]},
               {"outcome": "filed", "company": world["company"]},
               {"outcome": "filed", "company": unverified, "category": world["category"]}):
        with nothing_written(), pytest.raises(DomainError):
            services.record_floor_question(conference, actor=world["staff"], text="Câu hỏi", **kw)


def test_hold_minutes_publish_unpublish(world, db):
    from io import BytesIO

    from pypdf import PdfReader

    conference = _plan(world, starts_at=PAST)
    request = world["file"]()
    private = world["file"](title="Bí mật kinh doanh của Sông Hồng", consent=PublicationConsent.NOT_PUBLISHED)
    item = services.add_item(conference, request, actor=world["staff"])
    services.add_item(conference, private, actor=world["staff"])
    services.record_answer(item, actor=world["staff"], text="Hoàn thuế trong sáu ngày làm việc.")
    services.record_floor_question(conference, actor=world["staff"], text="Hỗ trợ thuê văn phòng?",
                                   outcome="routed", body=world["body"], asked_by="Nguyễn Văn An",
                                   company=world["company"], category=world["category"])
    with nothing_written(), pytest.raises(DomainError):
        services.make_minutes(conference, actor=world["staff"], conclusions="Kết luận")
    services.hold(conference, actor=world["staff"])
    with pytest.raises(DomainError):
        services.publish(conference, actor=world["staff"])
    services.make_minutes(conference, actor=world["staff"], number="12/BB-VƯ", attendance="Đại diện 30 doanh nghiệp.",
                          conclusions="Các cơ quan trả lời bằng văn bản trong 15 ngày làm việc.")
    db.session.commit()
    assert conference.minutes_pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(conference.minutes_pdf)).pages)
    flat = " ".join(text.split())
    assert "BIÊN BẢN" in flat.upper() and "Đối thoại với doanh nghiệp CNTT quý I/2026" in flat
    assert "12/BB-VƯ" in flat and "Hoàn thuế trong sáu ngày làm việc." in flat
    assert request.number in flat and private.number in flat
    assert "Bí mật kinh doanh" not in flat and "Nguyễn Văn An" not in flat  # not consented; no one named
    assert "Hỗ trợ thuê văn phòng?" in flat and "Cục Thuế thành phố Hà Nội" in flat
    services.publish(conference, actor=world["staff"])
    db.session.commit()
    assert conference.is_published and _actions(db, "dialogue.publish")
    with nothing_written(), pytest.raises(DomainError):
        services.make_minutes(conference, actor=world["staff"], conclusions="Khác")
    services.unpublish(conference, actor=world["staff"])
    db.session.commit()
    assert not conference.is_published


def test_a_new_time_is_sent_again_to_those_invited_with_a_higher_sequence(world, db):
    conference = _plan(world)
    services.invite(conference, actor=world["staff"], concerned=False, emails=["hiephoi@example.vn"])
    db.session.commit()
    services.edit(conference, actor=world["staff"], title=conference.title, starts_at=future(30), minutes_long=120,
                  place=conference.place, link=None, chair=conference.chair, bodies=conference.bodies)
    db.session.commit()
    mails = list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == "dialogue_invitation")
                                    .order_by(OutboxMessage.id)))
    assert len(mails) == 2
    first, second = (Calendar.from_ical(m.attachment_text).walk("VEVENT")[0] for m in mails)
    assert first["uid"] == second["uid"] and int(second["sequence"]) == int(first["sequence"]) + 1
    assert second.decoded("dtstart") == conference.starts_at
    # A change of title alone sends nothing again.
    services.edit(conference, actor=world["staff"], title="Tên mới", starts_at=conference.starts_at,
                  minutes_long=120, place=conference.place, link=None, chair=conference.chair, bodies=[])
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))
                             .where(OutboxMessage.purpose == "dialogue_invitation")) == 2


def test_the_same_request_put_on_the_agenda_twice_at_once_is_answered_as_a_conflict(world, db):
    from incubator.dialogue.models import AgendaItem
    from incubator.errors import Conflict

    conference = _plan(world)
    request = world["file"]()
    db.session.commit()
    assert conference.items == []  # the page read the agenda; meanwhile another post puts the request on it
    db.session.execute(sa.insert(AgendaItem).values(conference_id=conference.id, request_id=request.id, position=1,
                                                    incubator_id=conference.incubator_id))
    with pytest.raises(Conflict):
        services.add_item(conference, request, actor=world["staff"])
    assert db.session.scalar(sa.select(sa.func.count(AgendaItem.id))) == 1  # the session is still usable


def test_a_question_refused_registers_nobody(world, db):
    conference = _plan(world)
    services.add_item(conference, world["file"](), actor=world["staff"])
    services.invite(conference, actor=world["staff"])
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError):
        services.register(conference, actor=world["founder"], question_text="Câu hỏi", category=None,
                          consent=PublicationConsent.NAMED)


def test_another_incubators_request_and_staff_stay_out(world, db, make):
    from incubator.organisation import services as organisation
    from incubator.organisation.current import use_incubator

    ours, our_request = _plan(world), world["file"]()
    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", "Hà Nội incubator 2")
    make.residency(company=world["company"], incubator=hn2)
    with use_incubator(hn2):
        theirs = world["file"]()
        their_staff = make.user(Role.STAFF, incubator=hn2.id)
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError):
        services.add_item(ours, theirs, actor=world["staff"])  # a request of HN2 on HN1's agenda
    with nothing_written(), pytest.raises(NotAllowed):
        services.add_item(ours, our_request, actor=their_staff)  # HN2's staff on HN1's conference
