"""A session's details are its mentor's, its startup's founders' and the staff's (issue 16): not the partner's
other people's. Another mentor of the same partner, its fund managers and reviewers see the partner's page with
its agreements and totals, and no session: not its page (404, as for a stranger), its answer and edit forms, its
place in lists, exports and calendar feeds. Through HTTP, as people use it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from tests.helpers import login, nothing_written, post_form

LINK = "https://meet.example.com/misa-phong-rieng-8841"
ACTION_ITEMS = "Gửi lại bảng giá cho khách hàng Sở Y tế"
NOTES = "Riêng: dòng tiền chỉ đủ hai tháng"


@pytest.fixture
def misa(make, db, client_factory):
    """MISA's mentor Anh works with startup S (a session held online, and a confirmed one); MISA's second
    mentor Dũng works with startup U; MISA also has a fund manager and a reviewer; VINASA has a mentor."""
    from incubator.mentoring.enums import SessionMode, SessionStatus
    from incubator.mentoring.models import Agreement

    misa = make.partner(name="Công ty Cổ phần MISA (thử)")
    vinasa = make.partner(name="Hiệp hội VINASA (thử)")
    mentor = make.user(Role.MENTOR, partner=misa, full_name="Phạm Đức Anh")
    second = make.user(Role.MENTOR, partner=misa, full_name="Lê Minh Dũng")
    fund_manager = make.user(Role.FUND_MANAGER, partner=misa, full_name="Đỗ Thu Hà")
    reviewer = make.user(Role.REVIEWER, partner=misa, full_name="Ngô Văn Hùng")
    other_partner = make.user(Role.MENTOR, partner=vinasa, full_name="Trịnh Văn Bảo")
    founder = make.user(full_name="Bùi Văn Khánh")
    pending = make.user(full_name="Vũ Thị Lan")
    stranger = make.user(full_name="Hoàng Văn Nam")
    staff = make.user(Role.STAFF)
    s, u = make.company(name="Công ty Khởi nghiệp S"), make.company(name="Công ty Khởi nghiệp U")
    make.member(company=s, user=founder)
    from incubator.companies.enums import MembershipStatus

    make.member(company=s, user=pending, status=MembershipStatus.PENDING)
    make.member(company=u, user=stranger)
    cohort = make.cohort()
    member_s = make.cohort_member(cohort, s)
    assignment = make.mentor_assignment(member_s, mentor)
    second_assignment = make.mentor_assignment(make.cohort_member(cohort, u), second)
    held = make.mentoring_session(assignment, mode=SessionMode.ONLINE, place=None, link=LINK,
                                  action_items=ACTION_ITEMS, notes=NOTES)
    confirmed = make.mentoring_session(assignment, starts_at=datetime(2025, 2, 3, 2, 0, tzinfo=UTC), minutes=90,
                                       status=SessionStatus.CONFIRMED, action_items="Hoàn thiện hồ sơ năng lực")
    seconds_own = make.mentoring_session(second_assignment, starts_at=datetime(2025, 2, 5, 2, 0, tzinfo=UTC),
                                         minutes=30, status=SessionStatus.CONFIRMED, notes="Ghi chú của Dũng")
    db.session.add(Agreement(partner=misa, programme="Chương trình cố vấn MISA 2025", starts_on=date(2025, 1, 1),
                             mentoring_hours=120))
    db.session.commit()
    people = {"mentor": mentor, "second": second, "fund_manager": fund_manager, "reviewer": reviewer,
              "other_partner": other_partner, "founder": founder, "pending": pending, "stranger": stranger,
              "staff": staff}
    clients = {}
    for name, user in people.items():
        clients[name] = client_factory()
        login(clients[name], user)
    return {"partner": misa, "vinasa": vinasa, "s": s, "u": u, "member_s": member_s,
            "held": held, "confirmed": confirmed, "seconds_own": seconds_own, "clients": clients, **people}


def _secrets_of(text: str, *sessions) -> list[str]:
    """What of the first mentor's sessions a page or file shows: their addresses, link, action items, notes."""
    found = [marker for marker in (LINK, ACTION_ITEMS, NOTES, "Hoàn thiện hồ sơ năng lực") if marker in text]
    found += [f"session {s.id}" for s in sessions
              if f"/mentoring/sessions/{s.id}\"" in text or f"mentoring-{s.id}@" in text]
    return found


def _feed(client, data: dict | None = None, back: str = "/mentoring/") -> str:
    """Make one's private calendar address as a person does (the button), and read the feed at it."""
    response = post_form(client, "/mentoring/calendar", data or {}, token_from=back, follow_redirects=True)
    match = re.search(r"/mentoring/calendar/([A-Za-z0-9_-]+)\.ics", response.get_data(as_text=True))
    assert match, "no calendar address shown"
    feed = client.get(f"/mentoring/calendar/{match.group(1)}.ics")
    assert feed.status_code == 200
    return feed.get_data(as_text=True).replace("\r\n ", "")  # unfolded


def _edit(session) -> dict:
    return {"starts_on": "2025-03-10", "starts_time": "09:00", "minutes": "720", "mode": "in_person",
            "place": "Quán cà phê", "version": str(session.version_id)}


def test_a_second_mentor_of_the_same_partner_gets_404_on_another_mentors_session(misa, db):
    from incubator.mentoring.enums import SessionStatus

    client, held, confirmed = misa["clients"]["second"], misa["held"], misa["confirmed"]
    for session in (held, confirmed):
        page = client.get(f"/mentoring/sessions/{session.id}")
        assert page.status_code == 404 and not _secrets_of(page.get_data(as_text=True))  # (its own address is)
        assert post_form(client, f"/mentoring/sessions/{session.id}", _edit(session)).status_code == 404
        for action in ("held", "cancel", "confirm", "dispute"):
            answer = post_form(client, f"/mentoring/sessions/{session.id}/status",
                               {"action": action, "version": str(session.version_id), "reason": "Không có buổi này"})
            assert answer.status_code == 404, action
    db.session.expire_all()
    assert (held.status, held.minutes, held.link) == (SessionStatus.HELD, 60, LINK)
    assert (confirmed.status, confirmed.minutes) == (SessionStatus.CONFIRMED, 90)


def test_a_mentor_assigned_to_the_same_startup_gets_404_on_the_other_mentors_session(misa, make):
    """Being assigned to the startup too does not open another mentor's sessions with it."""
    make.mentor_assignment(misa["member_s"], misa["second"])
    client = misa["clients"]["second"]
    assert client.get(f"/startups/{misa['s'].id}").status_code == 200  # the startup's file: yes
    assert client.get(f"/mentoring/sessions/{misa['held'].id}").status_code == 404  # Anh's session: no


@pytest.mark.parametrize("who", ["fund_manager", "reviewer", "other_partner", "pending", "stranger"])
def test_the_partners_other_people_and_strangers_get_404_on_its_sessions(misa, who):
    client, held = misa["clients"][who], misa["held"]
    assert client.get(f"/mentoring/sessions/{held.id}").status_code == 404
    with nothing_written():
        assert post_form(client, f"/mentoring/sessions/{held.id}", _edit(held)).status_code == 404
    with nothing_written():
        assert post_form(client, f"/mentoring/sessions/{held.id}/status",
                         {"action": "confirm", "version": str(held.version_id)}).status_code == 404


@pytest.mark.parametrize("who", ["mentor", "founder", "staff"])
def test_the_mentor_the_founders_and_staff_still_see_the_session(misa, who):
    page = misa["clients"][who].get(f"/mentoring/sessions/{misa['held'].id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and LINK in text and ACTION_ITEMS in text
    assert (NOTES in text) is (who != "founder")  # the notes stay the mentor's and the staff's


def test_the_founders_still_confirm_a_session(misa, db):
    from incubator.mentoring.enums import SessionStatus

    held = misa["held"]
    answer = post_form(misa["clients"]["founder"], f"/mentoring/sessions/{held.id}/status",
                       {"action": "confirm", "version": str(held.version_id)})
    assert answer.status_code == 302
    db.session.expire_all()
    assert held.status is SessionStatus.CONFIRMED


def test_a_second_mentor_of_the_same_partner_finds_the_session_in_no_list_export_or_feed(misa, make):
    make.mentor_assignment(misa["member_s"], misa["second"])  # even on a startup both mentor
    client = misa["clients"]["second"]
    sessions = (misa["held"], misa["confirmed"])
    desk = client.get("/mentoring/").get_data(as_text=True)
    assert f"/mentoring/sessions/{misa['seconds_own'].id}\"" in desk  # their own is there
    pages = {"desk": desk, "home": client.get("/", follow_redirects=True).get_data(as_text=True),
             "startup file": client.get(f"/startups/{misa['s'].id}").get_data(as_text=True),
             "partner page": client.get(f"/partners/{misa['partner'].id}").get_data(as_text=True)}
    for fmt in ("csv", "xlsx"):
        export = client.get(f"/mentoring/my-sessions.{fmt}")
        assert export.status_code == 200
        pages[f"export {fmt}"] = export.get_data(as_text=True) if fmt == "csv" else _xlsx_text(export.data)
    pages["calendar feed"] = feed = _feed(client)
    assert f"mentoring-{misa['seconds_own'].id}@" in feed
    for where, text in pages.items():
        assert not _secrets_of(text, *sessions), where
    assert "Ghi chú của Dũng" in pages["export csv"]


def test_a_mentors_feed_and_export_hold_their_own_sessions(misa):
    client = misa["clients"]["mentor"]
    feed = _feed(client)
    assert f"mentoring-{misa['held'].id}@" in feed and f"mentoring-{misa['confirmed'].id}@" in feed
    assert f"mentoring-{misa['seconds_own'].id}@" not in feed and LINK in feed
    export = client.get("/mentoring/my-sessions.csv").get_data(as_text=True)
    assert ACTION_ITEMS in export and NOTES in export and "Ghi chú của Dũng" not in export


def test_a_startups_feed_and_file_hold_its_sessions_for_its_founders(misa, make):
    # VINASA's mentor works with S too: the founders see both mentors' sessions.
    theirs = make.mentoring_session(make.mentor_assignment(misa["member_s"], misa["other_partner"]),
                                    notes="Ghi chú của VINASA")
    client, s = misa["clients"]["founder"], misa["s"]
    feed = _feed(client, {"company_id": str(s.id)}, back=f"/startups/{s.id}")
    for session in (misa["held"], misa["confirmed"], theirs):
        assert f"mentoring-{session.id}@" in feed
    assert f"mentoring-{misa['seconds_own'].id}@" not in feed
    file = client.get(f"/startups/{s.id}").get_data(as_text=True)
    assert all(f"/mentoring/sessions/{x.id}\"" in file for x in (misa["held"], misa["confirmed"], theirs))
    home = client.get("/", follow_redirects=True).get_data(as_text=True)  # the held ones, to confirm
    assert f"/mentoring/sessions/{theirs.id}\"" in home and f"/mentoring/sessions/{misa['held'].id}\"" in home
    # The pending member of S sees none of it.
    assert client.get(f"/startups/{s.id}").status_code == 200
    assert misa["clients"]["pending"].get(f"/startups/{s.id}").status_code == 404


def test_staff_still_list_and_export_every_session(misa):
    client = misa["clients"]["staff"]
    listing = client.get("/mentoring/sessions").get_data(as_text=True)
    every = (misa["held"], misa["confirmed"], misa["seconds_own"])
    assert all(f"/mentoring/sessions/{x.id}\"" in listing for x in every)
    export = client.get("/mentoring/sessions.csv").get_data(as_text=True)
    assert ACTION_ITEMS in export and "Ghi chú của Dũng" in export


@pytest.mark.parametrize("who", ["mentor", "second", "fund_manager", "reviewer", "staff"])
def test_the_partners_people_still_see_its_page_with_agreements_and_totals(misa, who):
    """Confirmed: Anh's 90 minutes with S and Dũng's 30 with U: 2 hours, 2 sessions, 2 startups."""
    page = misa["clients"][who].get(f"/partners/{misa['partner'].id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="partner-hours">2,0 giờ cố vấn đã xác nhận, 2 buổi, hỗ trợ 2 doanh nghiệp.' in text
    assert "Chương trình cố vấn MISA 2025" in text and "Công ty Khởi nghiệp S" in text
    assert "02/2025" in text  # the hours by month
    assert not _secrets_of(text, misa["held"], misa["confirmed"], misa["seconds_own"])


@pytest.mark.parametrize("who", ["other_partner", "founder", "stranger"])
def test_people_outside_the_partner_do_not_see_its_page(misa, who):
    assert misa["clients"][who].get(f"/partners/{misa['partner'].id}").status_code == 404


def test_the_list_rule_is_the_page_rule(misa, make, db):
    """sessions_visible_to (lists, exports, feeds) selects exactly the sessions can_view_session opens, for
    every kind of person, a mentor who is also a founder and an admin included."""
    from incubator.mentoring.models import MentoringSession
    from incubator.mentoring.permissions import can_view_session, sessions_visible_to

    both = make.user(Role.MENTOR, Role.FOUNDER, partner=misa["partner"])
    make.member(company=misa["u"], user=both)
    make.mentoring_session(make.mentor_assignment(misa["member_s"], both))
    people = [misa[name] for name in ("mentor", "second", "fund_manager", "reviewer", "other_partner", "founder",
                                      "pending", "stranger", "staff")] + [both, make.user(Role.ADMIN)]
    db.session.commit()
    every = list(db.session.scalars(sa.select(MentoringSession)))
    for person in people:
        listed = set(db.session.scalars(sa.select(MentoringSession.id).where(sessions_visible_to(person))))
        assert listed == {s.id for s in every if can_view_session(person, s)}, person.full_name
    assert not db.session.scalars(sa.select(MentoringSession.id).where(sessions_visible_to(None))).all()


def _xlsx_text(data: bytes) -> str:
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(data)).active
    return "\n".join(" ".join(str(v) for v in row if v is not None) for row in sheet.iter_rows(values_only=True))
