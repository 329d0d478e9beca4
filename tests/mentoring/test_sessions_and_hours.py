"""Sessions through their states; only confirmed ones count; totals add up; .ics invitations and feeds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from incubator.auth.enums import Role
from incubator.mail.models import OutboxMessage
from incubator.mentoring import queries
from incubator.mentoring.enums import SessionStatus
from incubator.mentoring.models import MentoringSession
from tests.helpers import count_queries, login, post_form

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def test_hours_by_mentor_partner_and_startup_worked_by_hand(make, db):
    """M1 and M2 work for partner A, M3 for partner B; startups S1 and S2.
      M1–S1 60 min confirmed · M1–S1 90 min held (not yet confirmed: does not count)
      M2–S2 30 min confirmed · M3–S1 120 min confirmed · M3–S2 45 min disputed · M3–S2 60 min cancelled
    Counted: M1 1 h, M2 0.5 h, M3 2 h; partner A 1.5 h, B 2 h; S1 3 h, S2 0.5 h; in all 3.5 h, 3 sessions."""
    a, b = make.partner(), make.partner()
    m1, m2, m3 = (make.user(Role.MENTOR, partner=p) for p in (a, a, b))
    cohort = make.cohort()
    s1, s2 = make.cohort_member(cohort), make.cohort_member(cohort)
    pairs = {(m, s): make.mentor_assignment(s, m) for m in (m1, m2, m3) for s in (s1, s2)}
    for mentor, member, minutes, status in [(m1, s1, 60, "confirmed"), (m1, s1, 90, "held"), (m2, s2, 30, "confirmed"),
                                            (m3, s1, 120, "confirmed"), (m3, s2, 45, "disputed"),
                                            (m3, s2, 60, "cancelled")]:
        make.mentoring_session(pairs[(mentor, member)], minutes=minutes, status=SessionStatus(status))
    h = queries.hours()
    assert dict(h.by_mentor) == {m1.id: 1.0, m2.id: 0.5, m3.id: 2.0}
    assert dict(h.by_partner) == {a.id: 1.5, b.id: 2.0}
    assert dict(h.by_company) == {s1.company_id: 3.0, s2.company_id: 0.5}
    assert (h.total, h.sessions) == (3.5, 3)
    by_partner = queries.hours_by_partner()  # what the report to the Department reads: the same sums
    assert dict(by_partner.by_partner) == {a.id: 1.5, b.id: 2.0} and (by_partner.total, by_partner.sessions) == (3.5, 3)
    for dimension in (h.by_mentor, h.by_partner, h.by_company, h.by_cohort, h.by_month):
        assert sum(dimension.values()) == pytest.approx(h.total)
    assert queries.hours(partner_id=a.id).total == 1.5


def test_a_mentor_logs_the_founder_confirms_and_the_partners_hours_change(make, db, client_factory, login_as):
    partner = make.partner(name="Công ty Cổ phần MISA (thử)")
    mentor = make.user(Role.MENTOR, partner=partner)
    founder = make.user()
    member = make.cohort_member(make.cohort(mentoring_allowance_hours=1))
    make.member(company=member.company, user=founder)
    assignment = make.mentor_assignment(member, mentor)
    mentor_client, founder_client = client_factory(), client_factory()
    login(mentor_client, mentor)
    login(founder_client, founder)
    response = post_form(mentor_client, f"/mentoring/assignments/{assignment.id}/sessions/new", {
        "starts_on": "2025-03-10", "starts_time": "14:00", "minutes": "90", "mode": "in_person",
        "place": "Phòng họp tầng 3", "topics": ["sales", "fundraising"], "action_items": "Gửi bản chào giá mới",
        "notes": "Đội ngũ còn thiếu người bán hàng"})
    assert response.status_code == 302
    session = db.session.scalar(sa.select(MentoringSession))
    assert session.status is SessionStatus.HELD  # a past time: logged, waiting for the founders
    assert queries.hours(partner_id=partner.id).total == 0

    url = f"/mentoring/sessions/{session.id}/status"
    assert post_form(mentor_client, url, {"action": "confirm", "version": str(session.version_id)}).status_code == 403
    assert post_form(founder_client, url, {"action": "confirm", "version": str(session.version_id)}).status_code == 302
    db.session.expire_all()
    assert session.status is SessionStatus.CONFIRMED
    assert queries.hours(partner_id=partner.id).total == 1.5
    # Confirmed: the mentor may no longer change it; staff may (audited).
    edit = {"starts_on": "2025-03-10", "starts_time": "14:00", "minutes": "120", "mode": "in_person",
            "version": str(session.version_id)}
    assert post_form(mentor_client, f"/mentoring/sessions/{session.id}", edit).status_code == 403
    staff, _ = login_as(Role.STAFF)
    assert post_form(staff, f"/mentoring/sessions/{session.id}", edit).status_code == 400  # says why, first
    assert post_form(staff, f"/mentoring/sessions/{session.id}", {**edit, "reason": "Biên bản ghi 2 giờ"}) \
        .status_code == 302
    assert queries.hours(partner_id=partner.id).total == 2.0
    page = staff.get("/mentoring/hours").get_data(as_text=True)
    assert member.company.name in page and "vượt mức" in page.lower()


def test_a_dispute_needs_a_reason_and_staff_resolve_it(make, db, client_factory, login_as):
    founder = make.user()
    member = make.cohort_member()
    make.member(company=member.company, user=founder)
    session = make.mentoring_session(make.mentor_assignment(member))
    client = client_factory()
    login(client, founder)
    url = f"/mentoring/sessions/{session.id}/status"
    post_form(client, url, {"action": "dispute", "reason": "", "version": str(session.version_id)})
    db.session.expire_all()
    assert session.status is SessionStatus.HELD
    post_form(client, url, {"action": "dispute", "reason": "Buổi này chỉ kéo dài 20 phút",
                            "version": str(session.version_id)})
    db.session.expire_all()
    assert session.status is SessionStatus.DISPUTED and queries.hours().total == 0
    staff, _ = login_as(Role.STAFF)
    post_form(staff, url, {"action": "confirm", "version": str(session.version_id)})
    db.session.expire_all()
    assert session.status is SessionStatus.CONFIRMED


def test_a_scheduled_session_sends_an_ics_in_hanoi_time_and_the_feeds_parse(make, db, client_factory):
    mentor = make.user(Role.MENTOR, full_name="Phạm Đức Anh")
    founder = make.user(full_name="Bùi Văn Khánh", locale="en")
    member = make.cohort_member(make.cohort(ends_on=date(2031, 12, 31)))
    make.member(company=member.company, user=founder)
    assignment = make.mentor_assignment(member, mentor)
    client = client_factory()
    login(client, mentor)
    response = post_form(client, f"/mentoring/assignments/{assignment.id}/sessions/new", {
        "starts_on": "2027-05-06", "starts_time": "09:30", "minutes": "60", "mode": "online",
        "link": "https://meet.example/vuon-uom"})
    assert response.status_code == 302
    mails = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == "session_invitation")).all()
    assert sorted(m.to_address for m in mails) == sorted([mentor.email, founder.email])
    for mail in mails:
        cal = Calendar.from_ical(mail.attachment_text)
        event = next(iter(cal.walk("VEVENT")))
        start = event.decoded("dtstart")
        assert start.tzinfo is not None and str(start.tzinfo) in ("Asia/Ho_Chi_Minh", "ICT")
        assert (start.hour, start.minute) == (9, 30)
        assert start.astimezone(UTC) == datetime(2027, 5, 6, 2, 30, tzinfo=UTC)
        assert event.decoded("dtend") - start == timedelta(minutes=60)
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
        assert "meet.example" in str(event["location"])
    assert mail.attachment_type.startswith("text/calendar")

    from incubator.mentoring import services

    token = services.new_calendar_token(actor=mentor, mentor=mentor)
    company_token = services.new_calendar_token(actor=founder, company=member.company)
    db.session.commit()
    for t in (token, company_token):
        feed = client_factory().get(f"/mentoring/calendar/{t}.ics")
        assert feed.status_code == 200 and feed.mimetype == "text/calendar"
        events = list(Calendar.from_ical(feed.data).walk("VEVENT"))
        assert len(events) == 1 and events[0].decoded("dtstart").astimezone(HANOI).hour == 9
    services.new_calendar_token(actor=mentor, mentor=mentor)  # a new address: the old one stops working
    db.session.commit()
    assert client_factory().get(f"/mentoring/calendar/{token}.ics").status_code == 404


def test_the_partner_page_with_three_years_of_sessions_costs_the_queries_of_one_week(make, db, login_as):
    client, _ = login_as(Role.STAFF)
    partner = make.partner()
    mentors = [make.user(Role.MENTOR, partner=partner) for _ in range(3)]
    cohort = make.cohort(starts_on=date(2023, 1, 1), ends_on=date(2025, 12, 31))
    assignments = [make.mentor_assignment(make.cohort_member(cohort), m) for m in mentors]

    def add_sessions(days):
        for i, day in enumerate(days):
            a = assignments[i % 3]
            db.session.add(MentoringSession(
                assignment_id=a.id, mentor_id=a.mentor_id, partner_id=partner.id, company_id=a.member.company_id,
                cohort_id=cohort.id, starts_at=datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=2),
                minutes=60, mode="in_person", status=SessionStatus.CONFIRMED))
        db.session.commit()

    def measure():
        with count_queries() as counter:
            assert client.get(f"/partners/{partner.id}").status_code == 200
        return counter.count

    add_sessions([date(2023, 1, 2) + timedelta(days=i) for i in range(7)])
    week = measure()
    add_sessions([date(2023, 1, 9) + timedelta(days=i) for i in range(3 * 365)])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MentoringSession)) == 7 + 3 * 365
    assert measure() == week


def test_a_large_partner_page_lists_people_startups_and_services_ten_to_a_page(make, db, login_as):
    """12 mentors, each with a startup of their own; mentor i gave i + 1 confirmed hours (and one held hour,
    which does not count); 12 services provided by the partner."""
    from incubator.cohorts.models import ServiceDelivery, ServiceRecipient

    client, _ = login_as(Role.STAFF)
    partner = make.partner()
    cohort = make.cohort(starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    mentors = [make.user(Role.MENTOR, partner=partner, full_name=f"Trần Văn Cố Vấn {i:02d}") for i in range(12)]
    members = [make.cohort_member(cohort, make.company(name=f"Công ty Được Hỗ Trợ {i:02d}")) for i in range(12)]
    for i, (mentor, member) in enumerate(zip(mentors, members, strict=True)):
        assignment = make.mentor_assignment(member, mentor)
        make.mentoring_session(assignment, minutes=60 * (i + 1), status=SessionStatus.CONFIRMED)
        make.mentoring_session(assignment, minutes=60, status=SessionStatus.HELD)
    for i in range(12):
        service = ServiceDelivery(kind="training", title=f"Khóa học số {i:02d}", delivered_on=date(2025, 1, 1 + i),
                                  provider_id=partner.id)
        service.recipients.append(ServiceRecipient(company_id=members[i].company_id))
        db.session.add(service)
    db.session.commit()
    url = f"/partners/{partner.id}"
    first = client.get(url).get_data(as_text=True)
    assert 'id="partner-hours">78,0 giờ cố vấn đã xác nhận, 12 buổi, hỗ trợ 12 doanh nghiệp.' in first
    assert first.count("Trần Văn Cố Vấn") == 10 and first.count("Công ty Được Hỗ Trợ") == 10
    # Each person's confirmed hours beside their name (the held hour not counted).
    assert "Trần Văn Cố Vấn 00 · Chuyên gia cố vấn · 1,0 giờ" in first
    assert "Trần Văn Cố Vấn 09 · Chuyên gia cố vấn · 10,0 giờ" in first
    assert first.count("Khóa học số") == 10 and "Khóa học số 11" in first  # the latest first
    # The startups by hours, most first: 12 h, 11 h … on the first page; 2 h and 1 h on the second.
    assert first.index("Công ty Được Hỗ Trợ 11") < first.index("Công ty Được Hỗ Trợ 02")
    second = client.get(f"{url}?startups=2").get_data(as_text=True)
    assert second.count("Công ty Được Hỗ Trợ") == 2 and "Công ty Được Hỗ Trợ 00 · 1" in second
    assert second.count("Trần Văn Cố Vấn") == 10  # the other lists stay on their own first page
    people = client.get(f"{url}?people=2").get_data(as_text=True)
    assert people.count("Trần Văn Cố Vấn") == 2 and "Trần Văn Cố Vấn 11 · Chuyên gia cố vấn · 12,0 giờ" in people
    assert client.get(f"{url}?services=2").get_data(as_text=True).count("Khóa học số") == 2
    assert f"{url}?startups=2" in first and f"{url}?people=2" in first and f"{url}?services=2" in first


def test_hours_between_two_days_are_those_of_hanoi_days(make):
    """A session at 23:30 on 31 March in Hà Nội (16:30 UTC) is March's; one at 00:30 on 1 April (17:30 UTC on
    31 March) is April's."""
    partner = make.partner()
    assignment = make.mentor_assignment(mentor=make.user(Role.MENTOR, partner=partner))
    for local, minutes in ((datetime(2025, 3, 31, 23, 30), 60), (datetime(2025, 4, 1, 0, 30), 90)):
        make.mentoring_session(assignment, starts_at=local.replace(tzinfo=HANOI).astimezone(UTC), minutes=minutes,
                               status=SessionStatus.CONFIRMED)
    april = queries.hours_by_partner(start=date(2025, 4, 1), end=date(2025, 4, 30))
    assert (april.total, april.sessions, dict(april.by_partner)) == (1.5, 1, {partner.id: 1.5})
    march = queries.hours_by_partner(start=date(2025, 3, 1), end=date(2025, 3, 31))
    assert (march.total, march.sessions) == (1.0, 1)
    every = queries.hours(start=date(2025, 3, 1), end=date(2025, 4, 30))
    assert (every.total, every.sessions) == (2.5, 2)
