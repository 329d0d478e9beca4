"""Defects found by using the app as each role (issue 17's review): each has the test that would have caught it."""

from incubator.applications.enums import ApplicationStatus
from incubator.auth.enums import Role
from incubator.companies.enums import MembershipStatus


def test_a_founder_who_has_applied_still_reaches_the_rounds_open_now(login_as, make):
    client, founder = login_as(Role.FOUNDER)
    company = make.company(name="Công ty TNHH Đã Nộp")
    make.member(company=company, user=founder)
    applied_to = make.intake_round(name_vi="Đợt tuyển chọn đã nộp")
    application = make.application(intake_round=applied_to, company=company, created_by=founder,
                     status=ApplicationStatus.SUBMITTED)
    other = make.intake_round(name_vi="Đợt tuyển chọn mới mở")
    html = client.get("/home/founder").get_data(as_text=True)
    assert 'id="nav-rounds"' in html and 'href="/rounds/"' in html  # the menu leads to the rounds
    rounds = html.split('id="open-rounds"')[1].split("</section>")[0]
    assert "Đợt tuyển chọn mới mở" in rounds and f"/applications/start/{other.id}" in rounds
    assert "Đợt tuyển chọn đã nộp" in rounds and f'href="/applications/{application.id}"' in rounds
    assert f"/applications/start/{applied_to.id}" not in rounds  # one business, one application per round


def test_an_empty_founder_home_says_a_round_is_open_when_one_is(login_as, make):
    client, _ = login_as(Role.FOUNDER)
    html = client.get("/home/founder").get_data(as_text=True)
    assert "to be ready when an intake round opens" in html or "sẵn sàng khi đợt tuyển chọn mở" in html
    make.intake_round(name_vi="Đợt tuyển chọn đang mở")
    html = client.get("/home/founder").get_data(as_text=True)
    assert "Đợt tuyển chọn đang mở" in html
    assert "sẵn sàng khi đợt tuyển chọn mở" not in html and "to be ready when an intake round opens" not in html


def test_the_reviewers_badge_counts_only_what_still_waits_and_the_desk_puts_it_first(login_as, make):
    from datetime import timedelta

    from incubator.db import utcnow

    client, reviewer = login_as(Role.REVIEWER)
    stage = make.review_stage(closes_at=utcnow() + timedelta(days=5))
    done = make.assignment(entry=make.stage_entry(stage=stage), reviewer=reviewer)
    make.review(assignment=done)
    html = client.get("/home/reviewer").get_data(as_text=True)
    assert 'id="reviews-to-review" data-count="0"' in html and 'data-count="1"' in html  # nothing waits
    waiting = make.assignment(entry=make.stage_entry(stage=stage), reviewer=reviewer)
    html = client.get("/home/reviewer").get_data(as_text=True)
    assert 'id="reviews-to-review" data-count="1"' in html and 'id="reviews-total" data-count="2"' in html
    # Most urgent first: the one still to review comes before the one submitted (though assigned after it).
    assert html.index(f'data-assignment="{waiting.id}"') < html.index(f'data-assignment="{done.id}"')
    desk = client.get("/reviews/").get_data(as_text=True)
    assert desk.index(f"/reviews/assignments/{waiting.id}") < desk.index(f"/reviews/assignments/{done.id}")


def test_a_person_with_several_roles_lands_where_work_waits(client_factory, make):
    from datetime import timedelta

    from incubator.db import utcnow
    from tests.helpers import login

    person = make.user(Role.STAFF, Role.REVIEWER)
    client = client_factory()
    login(client, person)
    assert client.get("/").headers["Location"] == "/home/staff"  # nothing waits: the primary role
    make.assignment(entry=make.stage_entry(stage=make.review_stage(closes_at=utcnow() + timedelta(days=3))),
                    reviewer=person)
    assert client.get("/").headers["Location"] == "/home/reviewer"  # a review waits
    make.member(company=make.company(), user=make.user(Role.FOUNDER), status=MembershipStatus.PENDING)
    assert client.get("/").headers["Location"] == "/home/staff"  # staff's work waits too: the first tab wins


def _language_next(html: str) -> str:
    import re

    return re.search(r'action="/language">.*?name="next" value="([^"]*)"', html, re.S).group(1)


def test_the_language_buttons_after_a_refused_form_lead_back_to_the_page_it_came_from(login_as, make):
    from tests.helpers import post_form

    client, _ = login_as(Role.STAFF)
    application = make.application(status=ApplicationStatus.SUBMITTED)
    page = f"/applications/{application.id}/file"
    refused = post_form(client, f"/applications/{application.id}/novelty", {"met": "", "note": "x" * 5000},
                        token_from=page, headers={"Referer": f"http://localhost{page}?tab=1"})
    assert 400 <= refused.status_code < 500
    back = _language_next(refused.get_data(as_text=True))
    assert back == f"{page}?tab=1"  # not the POST-only address, which would answer 405
    assert client.get(back).status_code == 200
    switched = post_form(client, "/language", {"locale": "en", "next": back}, token_from=page)
    assert switched.headers["Location"] == back
    # A referrer from another site is not followed: the home instead.
    refused = post_form(client, f"/applications/{application.id}/novelty", {"met": ""}, token_from=page,
                        headers={"Referer": "https://elsewhere.example/applications"})
    assert _language_next(refused.get_data(as_text=True)) == "/"
    # A page asked for with GET comes back to itself.
    assert _language_next(client.get(f"{page}?tab=2").get_data(as_text=True)) == f"{page}?tab=2"


def test_messages_to_a_known_person_carry_their_name_and_the_outbox_shows_it(client, login_as, make, db):
    from incubator.mail.models import OutboxMessage
    from tests.helpers import post_form

    good = "Pho-co-Hang-Bac-2026"
    assert post_form(client, "/register", {"full_name": "Đặng Thị Mai", "email": "mai@vuonuom.example",
                                           "password": good, "confirm": good},
                     token_from="/register").status_code == 302
    known = make.user(Role.FOUNDER, full_name="Trần Văn Quên")
    post_form(client, "/password/forgot", {"email": known.email})
    names = dict(db.session.query(OutboxMessage.purpose, OutboxMessage.to_name))
    assert names == {"verify_email": "Đặng Thị Mai", "password_reset": "Trần Văn Quên"}
    staff, _ = login_as(Role.STAFF)
    html = staff.get("/outbox/").get_data(as_text=True)
    assert "Đặng Thị Mai" in html and "mai@vuonuom.example" in html and "Trần Văn Quên" in html


def test_a_decided_claim_is_written_to_the_founder_by_name(login_as, make, db):
    from incubator.companies import services
    from incubator.companies.enums import MembershipStatus
    from incubator.mail.models import OutboxMessage

    _, staff = login_as(Role.STAFF)
    founder = make.user(Role.FOUNDER, full_name="Lý Thị Chờ")
    membership = make.member(user=founder, status=MembershipStatus.PENDING)
    services.decide_membership(staff, membership, approve=True)
    db.session.commit()
    message = db.session.query(OutboxMessage).filter_by(purpose="membership_decided").one()
    assert message.to_name == "Lý Thị Chờ" and message.to_address == founder.email


def test_home_pages_in_english_count_one_in_the_singular(login_as, make, db):
    import re

    import sqlalchemy as sa

    from tests.helpers import post_form

    client, _ = login_as(Role.ADMIN, Role.STAFF)
    post_form(client, "/language", {"locale": "en"})
    make.company(verified_at=None)  # one business a founder registered, waiting for staff
    db.session.execute(sa.text("UPDATE users SET last_login_at = CURRENT_TIMESTAMP"))
    make.user(Role.MENTOR)  # one account that never logged in
    admin = client.get("/home/admin").get_data(as_text=True)
    assert "1 active account has never logged in." in admin
    staff = client.get("/home/staff").get_data(as_text=True)
    assert "1 business registered by a founder waits for staff to verify it." in staff
    assert not re.search(r"\b1 (reports|businesses|accounts)\b", admin + staff)


def test_a_decisions_message_says_who_was_told_or_that_nobody_could_be(login_as, make, db):
    from tests.helpers import post_form

    client, _ = login_as(Role.STAFF, locale="en")
    stage = make.review_stage()
    with_founder = make.application(intake_round=stage.round, status=ApplicationStatus.UNDER_REVIEW,
                                    reference="VU-2026-0901")
    make.member(company=with_founder.company, user=make.user(Role.FOUNDER))
    without = make.application(intake_round=stage.round, status=ApplicationStatus.UNDER_REVIEW,
                               reference="VU-2026-0902")  # entered by staff: no founder account
    told = make.stage_entry(stage, with_founder)
    untold = make.stage_entry(stage, without)
    form = {"decision": "waitlist", "reason": "", "reason_text": ""}
    assert post_form(client, f"/reviews/entries/{told.id}/decide", form).status_code == 302
    html = client.get(f"/reviews/stages/{stage.id}/ranking").get_data(as_text=True)
    assert "1 founder was told by e-mail" in html
    assert post_form(client, f"/reviews/entries/{untold.id}/decide", form).status_code == 302
    html = client.get(f"/reviews/stages/{stage.id}/ranking").get_data(as_text=True)
    assert "nobody was told: the business has no founder account" in html
    assert "Decision recorded and sent to the applicant" not in html


def test_a_bulk_decisions_message_says_who_was_told(login_as, make, db):
    from tests.helpers import post_form

    client, _ = login_as(Role.STAFF, locale="en")
    stage = make.review_stage()
    entries = []
    for i, has_founder in enumerate((True, False)):
        application = make.application(intake_round=stage.round, status=ApplicationStatus.UNDER_REVIEW,
                                       reference=f"VU-2026-091{i}")
        if has_founder:
            make.member(company=application.company, user=make.user(Role.FOUNDER))
        entries.append(make.stage_entry(stage, application))
    response = post_form(client, f"/reviews/stages/{stage.id}/decisions",
                         {"entries": [str(e.id) for e in entries], "decision": "waitlist", "reason": "",
                          "reason_text": ""}, token_from=f"/reviews/stages/{stage.id}/ranking")
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 decisions recorded; 1 founder was told by e-mail." in html
    assert "1 application has no founder account to write to" in html


def _back(html: str) -> str:
    """The first link of the page's way back (``id="back"``)."""
    import re

    start = html.index('id="back"')
    return re.search(r'href="([^"]+)"', html[start:]).group(1)


def test_the_founders_application_pages_lead_back_to_their_applications(login_as, make):
    client, founder = login_as(Role.FOUNDER)
    company = make.company()
    make.member(company=company, user=founder)
    application = make.application(company=company, created_by=founder, status=ApplicationStatus.SUBMITTED,
                                   reference="VU-2026-0777")
    assert _back(client.get(f"/applications/{application.id}").get_data(as_text=True)) == \
        "/home/founder#my-applications"
    copy = client.get(f"/applications/{application.id}/copy").get_data(as_text=True)
    assert _back(copy) == "/home/founder#my-applications"  # the list of applications, then this one
    assert f'href="/applications/{application.id}">VU-2026-0777</a>' in copy
    assert 'id="my-applications"' in client.get("/home/founder").get_data(as_text=True)
    staff, _ = login_as(Role.STAFF)
    assert _back(staff.get(f"/applications/{application.id}").get_data(as_text=True)) == \
        f"/applications/{application.id}/file"


def test_a_session_and_a_partner_page_lead_back_to_where_each_person_met_them(login_as, make, client_factory):
    from incubator.mentoring.enums import SessionStatus
    from tests.helpers import login

    session = make.mentoring_session(status=SessionStatus.HELD)
    mentor = client_factory()
    login(mentor, session.mentor)
    assert _back(mentor.get(f"/mentoring/sessions/{session.id}").get_data(as_text=True)) == "/mentoring/"
    founder, person = login_as(Role.FOUNDER)
    make.member(company=session.company, user=person)
    assert _back(founder.get(f"/mentoring/sessions/{session.id}").get_data(as_text=True)).startswith(
        "/home/founder#")
    staff, _ = login_as(Role.STAFF)
    assert _back(staff.get(f"/mentoring/sessions/{session.id}").get_data(as_text=True)) == "/mentoring/sessions"
    partner = session.mentor.partner
    assert _back(staff.get(f"/partners/{partner.id}").get_data(as_text=True)) == "/partners/"
    assert _back(mentor.get(f"/partners/{partner.id}").get_data(as_text=True)) == "/"


def test_the_conflict_declaration_leads_back_to_the_desk_and_on_to_the_next_application(login_as, make):
    from datetime import timedelta

    from incubator.db import utcnow
    from incubator.reviews.enums import AssignmentStatus

    client, reviewer = login_as(Role.REVIEWER)
    stage = make.review_stage(closes_at=utcnow() + timedelta(days=5))
    first = make.assignment(entry=make.stage_entry(stage=stage), reviewer=reviewer, status=AssignmentStatus.ASSIGNED)
    second = make.assignment(entry=make.stage_entry(stage=stage), reviewer=reviewer)
    html = client.get(f"/reviews/assignments/{first.id}").get_data(as_text=True)
    assert 'id="no-conflict"' in html and 'href="/reviews/"' in html
    assert f'id="next-application" href="/reviews/assignments/{second.id}"' in html


def test_the_startups_file_shows_an_extended_members_new_last_day(login_as, make, db):
    from datetime import date

    from incubator.cohorts import services
    from tests.helpers import post_form

    client, staff = login_as(Role.STAFF, locale="en")
    startup = make.company(name="Công ty TNHH Gia Hạn")
    cohort = services.create_cohort(actor=staff, name="Khóa 2025", starts_on=date(2025, 1, 1),
                                    ends_on=date(2025, 6, 30))
    member = services.admit(cohort, startup, actor=staff)
    db.session.commit()
    url = f"/cohorts/members/{member.id}/leave"
    assert post_form(client, url, {"status": "extended", "on": "2025-06-30", "extended_to": "2026-12-31",
                                   "version": str(member.version_id)}, token_from=url).status_code == 302
    html = client.get(f"/startups/{startup.id}").get_data(as_text=True)
    assert "01/01/2025 – 31/12/2026" in html and f'id="extended-{member.id}"' in html
    assert "31/12/2026" in html.split(f'id="extended-{member.id}"')[1].split("</span>")[0]
    assert "01/01/2025 – 30/06/2025" not in html
    # The file's history says the membership was extended, and until when, not that the startup left.
    assert "Cohort membership extended until 31/12/2026" in html
    assert "Left a cohort (outcome recorded)" not in html and "Kết thúc khóa ươm tạo" not in html
