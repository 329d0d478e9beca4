"""Who sees what, through HTTP: mentors and their startups, partners' people, fund managers and consent."""

from __future__ import annotations

import pytest

from incubator.auth.enums import Role
from tests.helpers import login, nothing_written, post_form


@pytest.fixture
def two_partners(make, client_factory):
    """Partner A's mentor is assigned to startup S; partner B's mentor to startup T; each logged a session."""
    a, b = make.partner(name="Công ty Cổ phần MISA (thử)"), make.partner(name="Hiệp hội VINASA (thử)")
    mentor_a = make.user(Role.MENTOR, partner=a, full_name="Phạm Đức Anh")
    mentor_b = make.user(Role.MENTOR, partner=b, full_name="Trịnh Văn Bảo")
    colleague_a = make.user(Role.REVIEWER, partner=a)
    founder_s = make.user(full_name="Bùi Văn Khánh")
    s, t = make.company(name="Công ty Khởi nghiệp S"), make.company(name="Công ty Khởi nghiệp T")
    make.member(company=s, user=founder_s)
    cohort = make.cohort()
    assign_a = make.mentor_assignment(make.cohort_member(cohort, s), mentor_a)
    assign_b = make.mentor_assignment(make.cohort_member(cohort, t), mentor_b)
    session_a = make.mentoring_session(assign_a, notes="Bí mật: doanh thu thật thấp hơn báo cáo",
                                       action_items="Chuẩn bị bảng giá mới")
    session_b = make.mentoring_session(assign_b, notes="Ghi chú của B")
    clients = {}
    for name, user in {"mentor_a": mentor_a, "mentor_b": mentor_b, "colleague_a": colleague_a,
                       "founder_s": founder_s}.items():
        clients[name] = client_factory()
        login(clients[name], user)
    return locals()


def test_a_mentor_cannot_log_or_read_for_a_startup_not_assigned(two_partners):
    c, ab = two_partners["clients"], two_partners
    url = f"/mentoring/assignments/{ab['assign_b'].id}/sessions/new"
    assert c["mentor_a"].get(url).status_code == 404
    form = {"starts_on": "2025-03-10", "starts_time": "09:00", "minutes": "60", "mode": "in_person"}
    with nothing_written():
        assert post_form(c["mentor_a"], url, form).status_code == 404
    assert c["mentor_a"].get(f"/mentoring/sessions/{ab['session_b'].id}").status_code == 404
    own = c["mentor_a"].get(f"/mentoring/sessions/{ab['session_a'].id}").get_data(as_text=True)
    assert "Bí mật: doanh thu thật" in own
    assert c["mentor_a"].get(f"/startups/{ab['s'].id}").status_code == 200  # the assigned startup's file
    assert c["mentor_a"].get(f"/startups/{ab['t'].id}").status_code == 404


def test_founders_see_the_action_items_never_the_notes(two_partners):
    page = two_partners["clients"]["founder_s"].get(f"/mentoring/sessions/{two_partners['session_a'].id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Chuẩn bị bảng giá mới" in text and "Bí mật" not in text
    assert two_partners["clients"]["founder_s"].get(
        f"/mentoring/sessions/{two_partners['session_b'].id}").status_code == 404


def test_partner_as_people_see_none_of_partner_bs_sessions(two_partners, make, db):
    from incubator.mentoring.enums import SessionStatus

    for session in (two_partners["session_a"], two_partners["session_b"]):
        session.status = SessionStatus.CONFIRMED
    db.session.commit()
    colleague = two_partners["clients"]["colleague_a"]
    a, b = two_partners["a"], two_partners["b"]
    page = colleague.get(f"/partners/{a.id}")
    assert page.status_code == 200 and "Công ty Khởi nghiệp S" in page.get_data(as_text=True)
    assert "Công ty Khởi nghiệp T" not in page.get_data(as_text=True)
    assert colleague.get(f"/partners/{b.id}").status_code == 404
    assert colleague.get(f"/mentoring/sessions/{two_partners['session_b'].id}").status_code == 404
    # Nor partner A's own: a colleague of the mentor is not the mentor (issue 16).
    assert colleague.get(f"/mentoring/sessions/{two_partners['session_a'].id}").status_code == 404


def test_a_fund_manager_sees_a_startup_only_with_consent_and_loses_it_on_withdrawal(two_partners, make,
                                                                                     client_factory):
    from incubator.partners.enums import PartnerKind

    fund = make.partner(name="Công ty Quản lý quỹ Weangles (thử)", kind=PartnerKind.FUND_MANAGER)
    manager = make.user(Role.FUND_MANAGER, partner=fund)
    fm = client_factory()
    login(fm, manager)
    s = two_partners["s"]
    founder = two_partners["clients"]["founder_s"]
    assert fm.get(f"/funding/startups/{s.id}").status_code == 404
    assert s.name not in fm.get("/funding/").get_data(as_text=True)

    assert post_form(founder, f"/funding/consent/{s.id}", {"partner_id": str(fund.id), "action": "grant"},
                     token_from=f"/funding/consent/{s.id}").status_code == 302
    assert fm.get(f"/funding/startups/{s.id}").status_code == 200
    assert post_form(fm, f"/funding/startups/{s.id}", {"stage": "first_meeting", "on": "2025-05-02",
                                                       "notes": "Hẹn gặp lại sau demo"}).status_code == 302
    assert s.name in fm.get("/funding/").get_data(as_text=True)
    # Another founder cannot give or take the permission.
    other, _ = make.user(), None
    other_client = client_factory()
    login(other_client, other)
    assert other_client.get(f"/funding/consent/{s.id}").status_code == 404

    assert post_form(founder, f"/funding/consent/{s.id}", {"partner_id": str(fund.id), "action": "withdraw"},
                     token_from=f"/funding/consent/{s.id}").status_code == 302
    assert fm.get(f"/funding/startups/{s.id}").status_code == 404
    assert s.name not in fm.get("/funding/").get_data(as_text=True)


def test_a_mentor_sees_only_their_own_sessions_on_a_shared_startup(two_partners, make, db):
    from incubator.mentoring.enums import SessionStatus

    # Partner B's mentor is assigned to startup S too, and logs a confirmed session there.
    shared = make.mentor_assignment(two_partners["assign_a"].member, two_partners["mentor_b"])
    make.mentoring_session(shared, minutes=45, status=SessionStatus.CONFIRMED, notes="Ghi chú của VINASA")
    page = two_partners["clients"]["mentor_a"].get(f"/startups/{two_partners['s'].id}").get_data(as_text=True)
    assert "Trịnh Văn Bảo" not in page and "VINASA" not in page


def test_after_the_assignment_ends_the_mentor_edits_nothing_and_old_feeds_die(two_partners, make, db,
                                                                             client_factory):
    from incubator.mentoring import services
    from incubator.mentoring.enums import SessionStatus

    session = two_partners["session_a"]
    token = services.new_calendar_token(actor=two_partners["mentor_a"], mentor=two_partners["mentor_a"])
    db.session.commit()
    assert client_factory().get(f"/mentoring/calendar/{token}.ics").status_code == 200
    staff = make.user(Role.STAFF)
    services.end_assignment(two_partners["assign_a"], actor=staff)
    db.session.commit()
    client = two_partners["clients"]["mentor_a"]
    edit = {"starts_on": "2025-03-10", "starts_time": "09:00", "minutes": "720", "mode": "in_person",
            "version": str(session.version_id)}
    assert post_form(client, f"/mentoring/sessions/{session.id}", edit).status_code == 403
    assert post_form(client, f"/mentoring/sessions/{session.id}/status",
                     {"action": "cancel", "version": str(session.version_id)}).status_code == 403
    db.session.expire_all()
    assert session.minutes == 60 and session.status is SessionStatus.HELD
    two_partners["mentor_a"].active = False
    db.session.commit()
    assert client_factory().get(f"/mentoring/calendar/{token}.ics").status_code == 404


def test_impossible_dates_and_a_double_click_write_one_sensible_session(two_partners, db):
    import sqlalchemy as sa

    from incubator.mentoring.models import MentoringSession

    client = two_partners["clients"]["mentor_a"]
    url = f"/mentoring/assignments/{two_partners['assign_a'].id}/sessions/new"
    before = db.session.scalar(sa.select(sa.func.count()).select_from(MentoringSession))
    for day, at in (("0001-01-01", "03:00"), ("9999-12-31", "23:59"), ("2150-01-01", "09:00")):
        form = {"starts_on": day, "starts_time": at, "minutes": "60", "mode": "in_person"}
        assert post_form(client, url, form).status_code == 400
    form = {"starts_on": "2025-04-02", "starts_time": "10:00", "minutes": "60", "mode": "in_person"}
    assert post_form(client, url, form).status_code == 302
    assert post_form(client, url, form).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MentoringSession)) == before + 1
