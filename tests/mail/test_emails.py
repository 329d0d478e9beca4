"""The e-mails that close each loop: each written once for its event, in the recipient's language, with the link
that leads to the work (a reviewer's assignments and reminders, a session to confirm or a dispute to resolve,
a finalised report, a decision with the staff's message)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy.exc import IntegrityError

from incubator.applications.enums import ApplicationStatus
from incubator.auth.enums import Role
from incubator.mail import services as mail
from incubator.mail.models import OutboxMessage
from incubator.mentoring import services as mentoring
from incubator.mentoring.enums import SessionStatus
from incubator.reviews import assigning, decisions, scoring
from incubator.reviews.enums import AssignmentStatus, Decision
from incubator.reviews.models import Assignment, StageEntry

GREETING = {"vi": "Kính gửi", "en": "Hello"}
SIGNATURE = {"vi": "Vườn ươm doanh nghiệp CNTT đổi mới sáng tạo thành phố Hà Nội",
             "en": "Hà Nội innovation ICT business incubator"}


def _mails(db, purpose: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == purpose)
                                   .order_by(OutboxMessage.id)))


def _by_address(mails) -> dict[str, OutboxMessage]:
    addresses = [m.to_address for m in mails]
    assert len(addresses) == len(set(addresses)), f"more than one e-mail to the same person: {addresses}"
    return {m.to_address: m for m in mails}


def _in(locale: str, message: OutboxMessage, name: str) -> None:
    """The message is written in ``locale``: greeting, signature, and the person's name in the To header."""
    assert message.body_text.startswith(f"{GREETING[locale]} {name},"), message.body_text[:80]
    assert SIGNATURE[locale] in message.body_text
    assert message.to_name == name


def _translated(locale: str, text: str, **values) -> str:
    with force_locale(locale):
        return gettext(text, **values)


# ---- The outbox's memory of events --------------------------------------------------------------------------

def test_the_same_event_is_queued_once_per_address(db):
    first = mail.queue("ha@vuonuom.example", "Tiêu đề", "Nội dung", "test", event="thu.su-kien:1")
    again = mail.queue("ha@vuonuom.example", "Tiêu đề", "Nội dung", "test", event="thu.su-kien:1")
    other_person = mail.queue("lan@vuonuom.example", "Tiêu đề", "Nội dung", "test", event="thu.su-kien:1")
    other_event = mail.queue("ha@vuonuom.example", "Tiêu đề", "Nội dung", "test", event="thu.su-kien:2")
    no_event = [mail.queue("ha@vuonuom.example", "Tiêu đề", "Nội dung", "test") for _ in range(2)]
    db.session.commit()
    assert first is not None and again is None
    assert other_person is not None and other_event is not None and all(no_event)
    assert db.session.query(OutboxMessage).count() == 5


def test_the_database_refuses_a_second_row_for_the_same_event_and_address(db, make):
    make.outbox_message(to_address="ha@vuonuom.example", event_key="thu.su-kien:1")
    db.session.add(OutboxMessage(to_address="ha@vuonuom.example", subject="x", body_text="x", purpose="test",
                                 event_key="thu.su-kien:1"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_an_event_already_in_the_outbox_is_not_queued_again_whatever_became_of_the_first(db, make):
    """Two requests raced: the other one's row is there (even failed): this one queues nothing."""
    from incubator.mail.models import OutboxStatus

    make.outbox_message(to_address="ha@vuonuom.example", event_key="thu.su-kien:1", status=OutboxStatus.FAILED)
    assert mail.send("ha@vuonuom.example", "vi", "review_reminder", "x", event="thu.su-kien:1") is None
    assert db.session.query(OutboxMessage).count() == 1


# ---- Reviewers: assignments ---------------------------------------------------------------------------------

def _stage_with_applications(make, n: int, first: int = 1, **stage_kw):
    stage = make.review_stage(name_vi="Vòng hồ sơ", name_en="Paper round", **stage_kw)
    applications = [make.application(intake_round=stage.round, status=ApplicationStatus.UNDER_REVIEW,
                                     reference=f"VU-2026-{first + i:04d}",
                                     company=make.company(name=f"Công ty Cổ phần Sáng Tạo Số {first + i}"))
                    for i in range(n)]
    for application in applications:
        make.stage_entry(stage, application)
    return stage, applications


def test_a_batch_of_assignments_is_one_email_per_reviewer_listing_them_all(make, db):
    staff = make.user(Role.STAFF)
    ha = make.user(Role.REVIEWER, full_name="Nguyễn Thị Hà", locale="vi")
    john = make.user(Role.REVIEWER, full_name="John Smith", locale="en")
    stage, applications = _stage_with_applications(make, 3)

    made, skipped = assigning.assign_many(stage, applications, [ha, john], actor=staff)
    db.session.commit()
    assert (made, skipped) == (6, [])
    mails = _by_address(_mails(db, "review_assigned"))
    assert set(mails) == {ha.email, john.email}
    _in("vi", mails[ha.email], "Nguyễn Thị Hà")
    _in("en", mails[john.email], "John Smith")
    assert "Vòng hồ sơ" in mails[ha.email].subject and "Paper round" in mails[john.email].subject
    with force_locale("en"):
        assert mails[john.email].subject == ngettext("%(num)s application to review in %(stage)s",
                                                     "%(num)s applications to review in %(stage)s", 3,
                                                     stage="Paper round")
    for message in mails.values():
        for application in applications:
            assert f"- {application.reference}: {application.company.name}" in message.body_text
        assert "http://localhost/reviews/" in message.body_text

    # The same batch again (a second click): nothing new is given, nothing is sent.
    assert assigning.assign_many(stage, applications, [ha, john], actor=staff) == (0, [])
    db.session.commit()
    assert len(_mails(db, "review_assigned")) == 2


def test_a_single_assignment_sends_one_email_and_a_second_click_none(make, db):
    staff = make.user(Role.STAFF)
    reviewer = make.user(Role.REVIEWER, locale="en")
    stage, (application,) = _stage_with_applications(make, 1)
    a = assigning.assign(stage, application, reviewer, actor=staff)
    assigning.assign(stage, application, reviewer, actor=staff)
    db.session.commit()
    (message,) = _mails(db, "review_assigned")
    assert message.to_address == reviewer.email and "VU-2026-0001" in message.body_text
    assert message.subject.startswith("1 application to review")

    # Taken back, then given again: that is a new assignment, and it is told.
    assigning.withdraw_assignment(a, actor=staff)
    assigning.assign(stage, application, reviewer, actor=staff)
    db.session.commit()
    assert len(_mails(db, "review_assigned")) == 2


def test_the_automatic_assignment_sends_one_email_per_reviewer_and_a_second_run_none(make, db):
    staff = make.user(Role.STAFF)
    reviewers = [make.user(Role.REVIEWER, locale=locale) for locale in ("vi", "en", "vi")]
    stage, applications = _stage_with_applications(make, 4, reviewers_per_application=2)
    assigning.add_to_panel(stage, reviewers, actor=staff)
    db.session.commit()

    result = assigning.auto_assign(stage, actor=staff)
    db.session.commit()
    assert result == {"created": 8, "gaps_left": 0}
    mails = _by_address(_mails(db, "review_assigned"))
    assert set(mails) == {r.email for r in reviewers}
    from incubator.reviews.models import Assignment

    for reviewer in reviewers:
        theirs = db.session.scalars(sa.select(Assignment).where(Assignment.reviewer_id == reviewer.id)).all()
        body = mails[reviewer.email].body_text
        assert sum(a.application.reference in body for a in theirs) == len(theirs)
        assert sum(application.reference in body for application in applications) == len(theirs)
        _in(reviewer.locale, mails[reviewer.email], reviewer.full_name)

    assert assigning.auto_assign(stage, actor=staff) == {"created": 0, "gaps_left": 0}
    db.session.commit()
    assert len(_mails(db, "review_assigned")) == 3


def test_a_gap_left_by_a_recusal_is_filled_and_only_the_new_reviewer_is_told(make, db):
    staff = make.user(Role.STAFF)
    first, second, third = (make.user(Role.REVIEWER) for _ in range(3))
    stage, (application,) = _stage_with_applications(make, 1, reviewers_per_application=2)
    assigning.add_to_panel(stage, [first, second], actor=staff)
    assigning.auto_assign(stage, actor=staff)
    assigning.add_to_panel(stage, [third], actor=staff)
    db.session.commit()
    assert len(_mails(db, "review_assigned")) == 2
    assigning.record_conflict(first, application.company, kind="employer", reason="Tôi làm việc ở đây", actor=first)
    db.session.commit()
    mails = _mails(db, "review_assigned")
    assert [m.to_address for m in mails[2:]] == [third.email]


# ---- Reviewers: the reminder before the stage closes --------------------------------------------------------

def test_the_daily_reminder_reaches_reviewers_with_reviews_due_once_before_the_stage_closes(make, db, runner):
    staff = make.user(Role.STAFF)
    behind = make.user(Role.REVIEWER, full_name="Trần Văn Chậm", locale="vi")
    done = make.user(Role.REVIEWER, locale="en")
    english = make.user(Role.REVIEWER, full_name="Mary Late", locale="en")
    # Closes on 20/03/2026 at 17:00 in Hà Nội (10:00 UTC).
    stage, applications = _stage_with_applications(make, 2, closes_at=datetime(2026, 3, 20, 10, 0, tzinfo=UTC))
    assigning.assign_many(stage, applications, [behind, done, english], actor=staff)
    db.session.commit()
    for a in db.session.scalars(sa.select(Assignment).where(Assignment.reviewer_id == done.id)):
        make.review(a)
    later, later_applications = _stage_with_applications(make, 1, first=9,
                                                         closes_at=datetime(2026, 4, 30, 10, 0, tzinfo=UTC))
    assigning.assign_many(later, later_applications, [behind], actor=staff)
    db.session.commit()

    def run(today: str):
        result = runner.invoke(args=["reviews", "remind", "--today", today])
        assert result.exit_code == 0, result.output
        db.session.expire_all()
        return result.output

    assert run("2026-03-16").startswith("0 reminders")  # four days before: not yet
    assert run("2026-03-17").startswith("2 reminders")  # three days before
    assert run("2026-03-18").startswith("0 reminders")  # the next day: already reminded
    mails = _by_address(_mails(db, "review_reminder"))
    assert set(mails) == {behind.email, english.email}
    _in("vi", mails[behind.email], "Trần Văn Chậm")
    _in("en", mails[english.email], "Mary Late")
    assert "17:00 20/03/2026" in mails[behind.email].body_text
    assert "Vòng hồ sơ" in mails[behind.email].body_text and "Paper round" in mails[english.email].body_text
    assert mails[english.email].subject == "Reminder: 2 applications to review"
    assert all("http://localhost/reviews/" in m.body_text for m in mails.values())


def test_the_reminder_leaves_a_closed_stage_and_a_finished_reviewer_alone(make, db):
    staff = make.user(Role.STAFF)
    reviewer = make.user(Role.REVIEWER)
    now = datetime.now(UTC)
    stage, applications = _stage_with_applications(make, 1, closes_at=now - timedelta(hours=1))
    assigning.assign_many(stage, applications, [reviewer], actor=staff)
    db.session.commit()
    today = now.date()
    assert scoring.send_closing_reminders(today, days_before=3, now=now) == 0
    assert scoring.send_closing_reminders(today - timedelta(days=1), days_before=3, now=now) == 0


def test_the_reminder_command_needs_the_public_address_and_a_real_day(runner, app, monkeypatch):
    assert runner.invoke(args=["reviews", "remind", "--today", "31/12/2026"]).exit_code != 0
    assert runner.invoke(args=["reviews", "remind", "--today", "9999-12-31"]).exit_code != 0
    monkeypatch.setitem(app.config, "PUBLIC_URL", None)
    result = runner.invoke(args=["reviews", "remind"])
    assert result.exit_code != 0 and "INCUBATOR_PUBLIC_URL" in result.output


def test_staff_s_reminder_clicked_twice_in_a_minute_sends_once(make, db):
    staff = make.user(Role.STAFF)
    reviewer = make.user(Role.REVIEWER)
    stage, applications = _stage_with_applications(make, 1)
    assigning.assign_many(stage, applications, [reviewer], actor=staff)
    now = datetime(2026, 3, 1, 3, 0, 10, tzinfo=UTC)
    assert scoring.remind_reviewers(stage, actor=staff, now=now) == 1
    assert scoring.remind_reviewers(stage, actor=staff, now=now + timedelta(seconds=20)) == 0
    assert scoring.remind_reviewers(stage, actor=staff, now=now + timedelta(days=1)) == 1
    db.session.commit()
    assert len(_mails(db, "review_reminder")) == 2


# ---- Decisions: the staff's message to the applicant --------------------------------------------------------

@pytest.mark.parametrize("decision", [Decision.ACCEPT, Decision.WAITLIST, Decision.REJECT, Decision.ADVANCE])
def test_the_staff_s_message_to_the_applicant_is_in_the_decision_email_whatever_the_decision(make, db, decision):
    staff = make.user(Role.STAFF)
    founder = make.user(full_name="Lê Thị Sáng Lập", locale="vi")
    stage, (application,) = _stage_with_applications(make, 1)
    make.review_stage(intake_round=stage.round, position=2)
    make.member(company=application.company, user=founder)
    entry = db.session.scalar(sa.select(StageEntry).where(StageEntry.stage_id == stage.id))
    message = "Mời công ty dự buổi định hướng ngày 05/01/2027 lúc 9 giờ tại tầng 3."
    decisions.decide(entry, decision, actor=staff, reason_text=message)
    db.session.commit()
    (sent,) = _mails(db, "review_decision")
    _in("vi", sent, "Lê Thị Sáng Lập")
    assert message in sent.body_text
    assert f"http://localhost/applications/{application.id}" in sent.body_text


def test_each_decision_on_an_application_is_told_once(make, db):
    staff = make.user(Role.STAFF)
    founder = make.user(locale="en")
    stage, (application,) = _stage_with_applications(make, 1)
    make.member(company=application.company, user=founder)
    entry = db.session.scalar(sa.select(StageEntry).where(StageEntry.stage_id == stage.id))
    decisions.decide(entry, Decision.WAITLIST, actor=staff)
    decisions._send_decision(entry, None)  # announced again by mistake: nothing more
    decisions.decide(entry, Decision.ACCEPT, actor=staff)  # a place opened: this is news
    db.session.commit()
    mails = _mails(db, "review_decision")
    assert [m.subject for m in mails] == [f"Your application {application.reference} is on the waiting list",
                                          f"Your application {application.reference} has been accepted"]


# ---- Mentoring: a session to confirm, a dispute -------------------------------------------------------------

def _startup_with_mentor(make):
    mentor = make.user(Role.MENTOR, full_name="Phạm Cố Vấn", locale="vi")
    member = make.cohort_member(make.cohort(starts_on=date(2025, 1, 1), ends_on=date(2026, 12, 31)),
                                company=make.company(name="Công ty TNHH Nông Sản Số"))
    founders = [make.member(company=member.company, user=make.user(full_name=name, locale=locale)).user
                for name, locale in (("Đỗ Thị Nhà Sáng Lập", "vi"), ("Anna Founder", "en"))]
    return make.mentor_assignment(member, mentor), mentor, founders


def test_a_past_session_logged_asks_each_founder_once_to_confirm_it(make, db):
    assignment, mentor, (vi_founder, en_founder) = _startup_with_mentor(make)
    now = datetime(2025, 3, 12, 3, 0, tzinfo=UTC)
    fields = {"starts_at": datetime(2025, 3, 10, 7, 0, tzinfo=UTC), "minutes": 90, "mode": "in_person",
              "place": "Phòng họp tầng 3", "action_items": "Gửi bản chào giá mới"}
    session = mentoring.log_session(assignment, actor=mentor, now=now, **fields)
    mentoring.log_session(assignment, actor=mentor, now=now, **fields)  # a double click: the same session
    db.session.commit()
    assert session.status is SessionStatus.HELD
    mails = _by_address(_mails(db, "session_to_confirm"))
    assert set(mails) == {vi_founder.email, en_founder.email}  # the founders, not the mentor
    _in("vi", mails[vi_founder.email], "Đỗ Thị Nhà Sáng Lập")
    _in("en", mails[en_founder.email], "Anna Founder")
    assert mails[en_founder.email].subject == "Please confirm the mentoring session with Phạm Cố Vấn"
    for message in mails.values():
        assert f"http://localhost/mentoring/sessions/{session.id}" in message.body_text
        assert "14:00 10/03/2025" in message.body_text and "Gửi bản chào giá mới" in message.body_text
        assert "Ghi chú" not in message.body_text
        assert message.attachment_text is None
    assert _mails(db, "session_invitation") == []


def test_a_scheduled_session_marked_held_asks_the_founders_and_a_future_one_does_not(make, db):
    assignment, mentor, founders = _startup_with_mentor(make)
    now = datetime(2025, 3, 1, 3, 0, tzinfo=UTC)
    session = mentoring.log_session(assignment, actor=mentor, now=now, starts_at=now + timedelta(days=2),
                                    minutes=60, mode="in_person", place="Phòng họp tầng 3")
    db.session.commit()
    assert _mails(db, "session_to_confirm") == [] and len(_mails(db, "session_invitation")) == 3
    mentoring.change_status(session, SessionStatus.HELD, actor=mentor)
    db.session.commit()
    assert {m.to_address for m in _mails(db, "session_to_confirm")} == {f.email for f in founders}


def test_a_scheduled_session_moved_into_the_past_asks_the_founders_once(make, db):
    assignment, mentor, founders = _startup_with_mentor(make)
    now = datetime(2025, 3, 1, 3, 0, tzinfo=UTC)
    session = mentoring.log_session(assignment, actor=mentor, now=now, starts_at=now + timedelta(days=2),
                                    minutes=60, mode="in_person", place="Phòng họp tầng 3")
    db.session.commit()
    # The mentor corrects the time: it took place yesterday, so it now waits for the founders.
    mentoring.update_session(session, actor=mentor, now=now, version=session.version_id,
                             starts_at=now - timedelta(days=1))
    db.session.commit()
    assert session.status is SessionStatus.HELD
    assert sorted(m.to_address for m in _mails(db, "session_to_confirm")) == sorted(f.email for f in founders)
    mentoring.update_session(session, actor=mentor, now=now, version=session.version_id, minutes=90)
    db.session.commit()
    assert len(_mails(db, "session_to_confirm")) == len(founders)  # told once


def test_a_disputed_session_is_told_to_active_staff_once_with_the_reason(make, db):
    assignment, _mentor, (founder, _) = _startup_with_mentor(make)
    staff_vi = make.user(Role.STAFF, full_name="Cán Bộ Vườn Ươm", locale="vi")
    staff_en = make.user(Role.STAFF, Role.ADMIN, full_name="Staff Member", locale="en")
    make.user(Role.STAFF, active=False, email="da-nghi@vuonuom.example")
    make.user(Role.ADMIN, email="chi-quan-tri@vuonuom.example")
    session = make.mentoring_session(assignment, status=SessionStatus.HELD)
    mentoring.change_status(session, SessionStatus.DISPUTED, actor=founder,
                            reason="Buổi này chỉ kéo dài 30 phút, không phải 60.")
    db.session.commit()
    mails = _by_address(_mails(db, "session_disputed"))
    assert set(mails) == {staff_vi.email, staff_en.email}
    _in("vi", mails[staff_vi.email], "Cán Bộ Vườn Ươm")
    _in("en", mails[staff_en.email], "Staff Member")
    assert mails[staff_en.email].subject == "Disputed mentoring session: Công ty TNHH Nông Sản Số"
    for message in mails.values():
        assert "Buổi này chỉ kéo dài 30 phút, không phải 60." in message.body_text
        assert founder.full_name in message.body_text and "Phạm Cố Vấn" in message.body_text
        assert f"http://localhost/mentoring/sessions/{session.id}" in message.body_text
    assert not any(m.to_address == founder.email for m in _mails(db, "session_disputed"))
    mentoring._tell_staff_of_dispute(session, disputed_by=founder)  # told again by mistake: nothing more
    db.session.commit()
    assert len(_mails(db, "session_disputed")) == 2


# ---- The Department: a report finalised ---------------------------------------------------------------------

def test_a_finalised_report_is_announced_to_the_officials_with_a_link_and_no_pdf(make, db):
    from incubator.reports import services as reports

    staff = make.user(Role.STAFF)
    official_vi = make.user(Role.OFFICIAL, full_name="Vũ Thị Sở", locale="vi")
    official_en = make.user(Role.OFFICIAL, full_name="Official Reader", locale="en")
    make.user(Role.OFFICIAL, active=False, email="cu@vuonuom.example")
    report = reports.create(actor=staff, period_label="2025-Q4", start=date(2025, 10, 1), end=date(2025, 12, 31),
                            number="15/BC-VƯTT")
    reports.finalise(report, actor=staff)
    db.session.commit()
    mails = _by_address(_mails(db, "report_finalised"))
    assert set(mails) == {official_vi.email, official_en.email}  # not staff, not a former official
    _in("vi", mails[official_vi.email], "Vũ Thị Sở")
    _in("en", mails[official_en.email], "Official Reader")
    assert mails[official_en.email].subject == "Report 15/BC-VƯTT of the incubator is finalised"
    assert mails[official_vi.email].subject == _translated("vi", "Report %(number)s of the incubator is finalised",
                                                           number="15/BC-VƯTT")
    for message in mails.values():
        assert f"http://localhost/reports/{report.id}\n" in message.body_text
        assert "01/10/2025" in message.body_text and "31/12/2025" in message.body_text
        assert message.attachment_text is None and ".pdf" not in message.body_text
    reports._tell_officials(report)
    db.session.commit()
    assert len(_mails(db, "report_finalised")) == 2


def test_telling_the_same_batch_again_sends_nothing(make, db):
    """The event is the assignments as given (their versions): given again after a withdrawal is news (see
    above), told again is not."""
    staff = make.user(Role.STAFF)
    reviewer = make.user(Role.REVIEWER)
    stage, (application,) = _stage_with_applications(make, 1)
    a = assigning.assign(stage, application, reviewer, actor=staff)
    db.session.commit()
    assigning._tell_assigned(stage, reviewer, [a])
    db.session.commit()
    assert a.status is AssignmentStatus.ASSIGNED
    assert len(_mails(db, "review_assigned")) == 1


def test_staff_assigning_in_bulk_through_the_page_sends_each_reviewer_one_email_even_if_the_form_is_sent_twice(
        make, db, login_as):
    from incubator.mail.models import OutboxStatus
    from tests.helpers import post_form

    staff_client, staff = login_as(Role.STAFF)
    reviewers = [make.user(Role.REVIEWER, locale=locale) for locale in ("vi", "en")]
    stage, applications = _stage_with_applications(make, 3)
    assigning.add_to_panel(stage, reviewers, actor=staff)
    db.session.commit()
    form = {"applications": [str(a.id) for a in applications], "reviewers": [str(r.id) for r in reviewers]}
    for _ in range(2):
        response = post_form(staff_client, f"/reviews/stages/{stage.id}/assignments", form)
        assert response.status_code == 302
    db.session.expire_all()
    mails = _by_address(_mails(db, "review_assigned"))
    assert set(mails) == {r.email for r in reviewers}
    # Sent at the end of the request (no SMTP server here: written to the log).
    assert all(m.status is OutboxStatus.LOGGED for m in mails.values())
    assert all(sum(a.reference in m.body_text for a in applications) == 3 for m in mails.values())
