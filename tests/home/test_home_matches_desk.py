"""Each home page is tested against the same person's desk: the home shows the desk's total and its first items
(up to ten) in the desk's order, with a link to see them all; and it costs the same number of queries at any size.
The desk's list is read from the desk page as it renders (its template's context), the home's from its HTML."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import template_rendered

from incubator.auth.enums import Role
from incubator.companies.enums import MembershipStatus
from incubator.db import utcnow
from incubator.mentoring.enums import SessionStatus
from incubator.reviews.enums import AssignmentStatus
from tests.helpers import count_queries, login, post_form


@contextmanager
def rendered(app, template: str, read):
    """What ``read`` takes from the context of ``template`` as it renders inside the block (while its objects
    are still bound to the request's session)."""
    seen = []

    def record(sender, template, context, **extra):
        if template.name == wanted:
            seen.append(read(context))

    wanted = template
    template_rendered.connect(record, app)
    try:
        yield seen
    finally:
        template_rendered.disconnect(record, app)


def desk(app, client, url, template, read):
    """The desk's list as its page renders it, read by ``read`` from the template's context."""
    with rendered(app, template, read) as seen:
        assert client.get(url).status_code == 200, url
    assert len(seen) == 1, template
    return seen[0]


def ids(html: str, attribute: str, section: str) -> list[int]:
    """The ids a home section lists, in its order (``data-<attribute>`` of the items of ``id=<section>``)."""
    start = html.index(f'id="{section}"')
    end = html.find("</section>", start)
    return [int(i) for i in re.findall(rf'data-{attribute}="(\d+)"', html[start:end if end != -1 else None])]


def total(html: str, element_id: str) -> int:
    """The count an element shows: its ``data-count`` if it has one, else the number it holds."""
    found = re.search(rf'id="{element_id}"(?:[^>]*data-count="(\d+)"|[^>]*>(\d+)<)', html)
    return int(found.group(1) or found.group(2))


# ---- The reviewer -------------------------------------------------------------------------------------------

def seed_reviews(make, reviewer, n, stages=None):
    """``n`` assignments spread over two stages (the later one made first), every third one submitted."""
    stages = stages or [make.review_stage(closes_at=utcnow() + timedelta(days=20)),
                        make.review_stage(closes_at=utcnow() + timedelta(days=5))]
    for i in range(n):
        a = make.assignment(entry=make.stage_entry(stage=stages[i % 2]), reviewer=reviewer)
        if i % 3 == 0:
            make.review(assignment=a)
    return stages


def test_the_reviewers_home_shows_the_desks_total_and_first_ten_in_its_order(app, login_as, make):
    client, reviewer = login_as(Role.REVIEWER)
    seed_reviews(make, reviewer, 13)
    make.assignment(reviewer=reviewer, status=AssignmentStatus.RECUSED)  # not on the desk: not on the home
    on_desk = desk(app, client, "/reviews/", "reviews/desk.html",
                   lambda c: [a.id for g in c["groups"] for a in g.assignments])
    assert len(on_desk) == 13
    html = client.get("/home/reviewer").get_data(as_text=True)
    assert total(html, "reviews-total") == 13
    assert total(html, "reviews-to-review") == 8  # the badge: what still waits (five are submitted)
    assert ids(html, "assignment", "home-reviews") == on_desk[:10]
    assert re.search(r'href="/reviews/"[^>]*id="reviews-see-all">[^<]*13', html)
    # Each stage with its deadline and progress, the one closing first first.
    assert html.count("<progress") == 2
    assert html.index("Đã xong 2/6") < html.index("Đã xong 3/7")


def test_a_reviewer_with_nothing_assigned_is_told_so(login_as):
    client, _ = login_as(Role.REVIEWER)
    html = client.get("/home/reviewer").get_data(as_text=True)
    assert total(html, "reviews-total") == 0 and "reviews-see-all" not in html


# ---- The mentor ---------------------------------------------------------------------------------------------

def seed_mentoring(make, mentor, n):
    cohort = make.cohort(mentoring_allowance_hours=20)
    assignments = [make.mentor_assignment(member=make.cohort_member(cohort=cohort), mentor=mentor) for _ in range(n)]
    for i, a in enumerate(assignments):  # a past session still only scheduled for each: to log
        make.mentoring_session(assignment=a, status=SessionStatus.SCHEDULED,
                               starts_at=datetime(2025, 3, 1 + i, 2, 0, tzinfo=UTC))
        if i % 3:  # and for two in three, one logged as held that the founders confirm or dispute
            make.mentoring_session(assignment=a, status=SessionStatus.HELD if i % 3 == 1 else SessionStatus.DISPUTED,
                                   starts_at=datetime(2025, 2, 1 + i, 2, 0, tzinfo=UTC))
    return assignments


def test_the_mentors_home_shows_the_desks_startups_and_sessions_to_log_in_its_order(app, login_as, make):
    client, mentor = login_as(Role.MENTOR)
    assignments = seed_mentoring(make, mentor, 12)
    # Another mentor's confirmed hours with the same startup use the startup's allowance too.
    other = make.mentor_assignment(member=assignments[0].member)
    make.mentoring_session(assignment=other, status=SessionStatus.CONFIRMED, minutes=150)
    startups, to_log, waiting = desk(app, client, "/mentoring/", "mentoring/desk.html",
                                     lambda c: ([a.id for a in c["assignments"]], [s.id for s in c["to_mark"]],
                                                [s.id for s in c["waiting"]]))
    html = client.get("/home/mentor").get_data(as_text=True)
    assert total(html, "startups-total") == len(startups) == 12
    assert ids(html, "assignment", "home-startups") == startups[:10]
    assert total(html, "to-log-total") == len(to_log) == 12
    assert ids(html, "session", "home-to-log") == to_log[:10]
    # Sessions to confirm: held ones and disputed ones, as the desk lists them.
    assert total(html, "waiting-founders-total") == len(waiting) == 8
    assert ids(html, "session", "home-waiting-founders") == waiting
    assert re.search(r'href="/mentoring/"[^>]*id="startups-see-all">[^<]*12', html)
    assert "Còn 17,5 / 20 giờ hỗ trợ" in html  # 20 hours less the other mentor's two and a half
    assert "Còn 17,5 / 20 giờ hỗ trợ" in client.get("/mentoring/").get_data(as_text=True)  # the desk says the same


def test_a_mentor_with_nothing_to_log_sees_no_such_list(login_as):
    client, _ = login_as(Role.MENTOR)
    html = client.get("/home/mentor").get_data(as_text=True)
    assert "home-to-log" not in html and "home-waiting-founders" not in html
    assert total(html, "startups-total") == 0


# ---- The fund manager ---------------------------------------------------------------------------------------

def share(db, company, fund, *, stage=None, withdrawn=False):
    """The startup lets the fund see it (and, with ``stage``, the fund follows it in its pipeline)."""
    from incubator.funding.enums import PipelineStage
    from incubator.funding.models import Consent, PipelineEntry

    db.session.add(Consent(company=company, partner=fund, withdrawn_at=utcnow() if withdrawn else None))
    if stage is not None:
        db.session.add(PipelineEntry(partner_id=fund.id, company_id=company.id, stage=PipelineStage(stage),
                                     stage_on=date(2026, 1, 1)))
    db.session.commit()


def test_the_fund_managers_home_shows_the_pipelines_total_first_ten_and_stages(app, login_as, make, db):
    client, manager = login_as(Role.FUND_MANAGER)
    stages = ["screening", "first_meeting", "due_diligence"]
    for i in range(12):
        share(db, make.company(), manager.partner, stage=stages[i % 3])
    share(db, make.company(name="Công ty Đã Rút Lại"), manager.partner, stage="term_sheet", withdrawn=True)
    share(db, make.company(), make.partner(), stage="screening")  # another fund's
    entries, consents = desk(app, client, "/funding/", "funding/pipeline.html",
                             lambda c: ([e.id for e in c["entries"]], [k.id for k in c["consents"]]))
    html = client.get("/home/fund_manager").get_data(as_text=True)
    assert total(html, "pipeline-total") == len(entries) == 12
    assert ids(html, "entry", "home-pipeline") == entries[:10]
    assert [total(html, f"stage-{s}") for s in (*stages, "term_sheet")] == [4, 4, 4, 0]
    assert total(html, "open-total") == len(consents) == 12
    assert ids(html, "consent", "home-open-startups") == consents[:10]
    assert "Công ty Đã Rút Lại" not in html


def test_a_fund_manager_without_a_fund_is_told_to_ask_for_one(login_as, make, db):
    client, manager = login_as(Role.FUND_MANAGER)
    manager.partner_id = None
    db.session.commit()
    response = client.get("/home/fund_manager")
    assert response.status_code == 200 and "pipeline-total" not in response.get_data(as_text=True)


# ---- Staff --------------------------------------------------------------------------------------------------

def seed_staff_work(make, n):
    for _ in range(n):
        make.member(company=make.company(), user=make.user(Role.FOUNDER), status=MembershipStatus.PENDING)
        make.mentoring_session(status=SessionStatus.DISPUTED, dispute_reason="Buổi này không diễn ra")
        make.cohort_member(cohort=make.cohort(starts_on=date(2025, 1, 1), ends_on=date(2099, 12, 31)))


def test_staffs_home_shows_each_desks_total_and_first_ten_in_its_order(app, login_as, make):
    client, _ = login_as(Role.STAFF)
    seed_staff_work(make, 11)
    def paged(context):
        return context["items"].total, [item.id for item in context["items"].items]

    claims_total, claims = desk(app, client, "/register/claims", "companies/claims.html", paged)
    disputes_total, disputes = desk(app, client, "/mentoring/sessions?status=disputed", "mentoring/sessions.html",
                                    paged)
    late = desk(app, client, "/cohorts/late", "cohorts/late.html", lambda c: [r.member.id for r in c["rows"]])
    html = client.get("/home/staff").get_data(as_text=True)
    assert total(html, "claims-count") == claims_total == 11
    assert ids(html, "claim", "home-claims") == claims[:10]
    assert disputes_total == 11 and "Buổi này không diễn ra" in html
    assert ids(html, "session", "home-disputes") == disputes[:10]
    assert len(late) == 22  # the members seeded, and those of the disputed sessions' startups: none reported
    assert ids(html, "member", "home-late") == late[:10]
    for link, n in (("/register/claims", 11), ("/mentoring/sessions?status=disputed", 11), ("/cohorts/late", 22)):
        assert re.search(rf'href="{re.escape(link)}"[^>]*>[^<]*{n}', html), link


# ---- The official -------------------------------------------------------------------------------------------

def test_the_officials_home_links_the_latest_finalised_report(login_as, db):
    from incubator.reports.enums import ReportStatus
    from incubator.reports.models import PeriodicReport

    client, _ = login_as(Role.OFFICIAL)
    assert "latest-report-link" not in client.get("/home/official").get_data(as_text=True)
    for label, start, end, status in [("2025-Q4", date(2025, 10, 1), date(2025, 12, 31), ReportStatus.FINAL),
                                      ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), ReportStatus.FINAL),
                                      ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30), ReportStatus.DRAFT)]:
        db.session.add(PeriodicReport(period_label=label, period_start=start, period_end=end, status=status,
                                      number=f"Số {label}",
                                      finalised_at=utcnow() if status is ReportStatus.FINAL else None))
    db.session.commit()
    latest = db.session.query(PeriodicReport).filter_by(period_label="2026-Q1").one()
    html = client.get("/home/official").get_data(as_text=True)
    assert re.search(rf'href="/reports/{latest.id}" id="latest-report-link"', html)
    assert "2026-Q2" not in html and "Số 2025-Q4" not in html
    assert "Quý I năm 2026 (01/01/2026 – 31/03/2026)" in html  # the period in words


# ---- Several roles ------------------------------------------------------------------------------------------

def test_a_person_with_several_roles_sees_on_each_tab_what_waits_in_the_others(login_as, make):
    client, person = login_as(Role.REVIEWER, Role.MENTOR)
    seed_reviews(make, person, 3)  # two of them wait for a review
    seed_mentoring(make, person, 4)  # four sessions to log
    html = client.get("/home/mentor").get_data(as_text=True)
    assert total(html, "waiting-reviewer") == 2 and total(html, "waiting-mentor") == 4
    assert ids(html, "assignment", "home-startups")  # the mentor's own part below
    html = client.get("/home/reviewer").get_data(as_text=True)
    assert total(html, "waiting-mentor") == 4 and total(html, "reviews-total") == 3


# ---- The same cost at any size ------------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.REVIEWER, Role.MENTOR, Role.FUND_MANAGER, Role.STAFF])
def test_each_home_costs_the_same_number_of_queries_at_1x_and_10x(role, login_as, make, db):
    client, person = login_as(role)

    def seed(n):
        if role is Role.REVIEWER:
            seed_reviews(make, person, n, stages=stages)
        elif role is Role.MENTOR:
            seed_mentoring(make, person, n)
        elif role is Role.FUND_MANAGER:
            for _ in range(n):
                share(db, make.company(), person.partner, stage="screening")
        else:
            seed_staff_work(make, n)

    def measure():
        with count_queries() as counter:
            assert client.get(f"/home/{role.value}").status_code == 200
        return counter.count

    stages = [make.review_stage(), make.review_stage()]
    seed(2)
    at_1x = measure()
    seed(18)
    assert measure() == at_1x


# ---- Anonymous visitors -------------------------------------------------------------------------------------

def test_anonymous_visitors_see_what_the_incubator_offers_and_the_rounds_open_now(client, make):
    now = utcnow()
    open_round = make.intake_round(name_vi="Đợt tuyển chọn mùa xuân", name_en="Spring intake",
                                   closes_at=now + timedelta(days=20))
    soon = make.intake_round(name_vi="Đợt tuyển chọn mùa thu", name_en="Autumn intake",
                             opens_at=now + timedelta(days=30), closes_at=now + timedelta(days=60))
    make.intake_round(name_vi="Đợt đã đóng", opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1))
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Vườn ươm doanh nghiệp CNTT đổi mới sáng tạo thành phố Hà Nội" in html
    assert "Đợt tuyển chọn mùa xuân" in html and f'href="/rounds/{open_round.id}"' in html
    assert "Đợt tuyển chọn mùa thu" in html and f'href="/rounds/{soon.id}"' in html
    assert "Đợt đã đóng" not in html
    assert 'href="/register"' in html and 'href="/login"' in html
    post_form(client, "/language", {"locale": "en"})
    html = client.get("/").get_data(as_text=True)
    assert "Spring intake" in html and "What the incubator offers" in html and "Create an account" in html


def test_the_menu_does_not_offer_two_kinds_of_registering(client):
    html = client.get("/login").get_data(as_text=True)
    nav = html[html.index("<nav"):html.index("</nav>")]
    assert "Tạo tài khoản" in nav and "Đăng ký tham gia" not in nav and ">Đăng ký<" not in nav


def test_logged_in_people_still_go_to_their_home(client, make):
    login(client, make.user(Role.MENTOR))
    assert client.get("/").headers["Location"] == "/home/mentor"
