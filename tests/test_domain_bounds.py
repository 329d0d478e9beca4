"""Every value in bounds (issue 16): a percentage between 0 and 100; a business founded neither in the future nor
before 1900; residencies, outcomes, sessions, pipeline stages, rounds, stages, cohorts, services and reports dated
within plausible bounds (not before 1990, not more than ten years ahead, or closer where a rule says so); money
and counts not negative. Through the doors people use: the forms (re-shown with 400 and the message, nothing
stored), the services themselves (so the command line and imports get the same rules), and the import command.

Today a founding date 9999-12-31, a residency from 0001-01-01, a pipeline stage on 0001-01-01 and a 1000 %
threshold were stored."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from incubator import bounds
from incubator.auth.enums import Role
from incubator.errors import DomainError
from incubator.i18n import fmt_date
from tests.helpers import login, post_form, tax_code

FUTURE = "Không được nhập một ngày trong tương lai."
BEFORE_1990 = "Ngày không được trước ngày 01/01/1990."
PERCENT = "Tỷ lệ phần trăm phải từ 0 đến 100."


def after(day: date) -> str:
    return f"Ngày không được sau ngày {fmt_date(day)}."


def iso(day: date) -> str:
    return day.isoformat()


def count(model) -> int:
    from incubator.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def staff(login_as):
    client, _ = login_as(Role.STAFF)
    return client


# ---- The rules themselves -----------------------------------------------------------------------------------

def test_the_bounds_are_hanoi_days_with_both_ends_included(app):
    today = bounds.today()
    assert bounds.FOUNDING.check(today, "founded_on") == today
    assert bounds.FOUNDING.check(date(1900, 1, 1), "founded_on") == date(1900, 1, 1)
    assert bounds.PROGRAMME.check(date(1990, 1, 1), "starts_on") == date(1990, 1, 1)
    assert bounds.PROGRAMME.check(bounds.ten_years_ahead(), "ends_on") == bounds.ten_years_ahead()
    assert bounds.DECISION.check(today + timedelta(days=31), "on")
    for rule, day, message in ((bounds.FOUNDING, today + timedelta(days=1), FUTURE),
                               (bounds.FOUNDING, date(1899, 12, 31), "Ngày không được trước ngày 01/01/1900."),
                               (bounds.PROGRAMME, date(1989, 12, 31), BEFORE_1990),
                               (bounds.PROGRAMME, bounds.ten_years_ahead() + timedelta(days=1),
                                after(bounds.ten_years_ahead())),
                               (bounds.DECISION, today + timedelta(days=32), after(today + timedelta(days=31))),
                               (bounds.PROGRAMME, date(1, 1, 1), BEFORE_1990),
                               (bounds.PROGRAMME, date(9999, 12, 31), after(bounds.ten_years_ahead()))):
        with pytest.raises(DomainError) as refused:
            rule.check(day, "the_field")
        assert refused.value.field == "the_field" and str(refused.value.message) == message
    # An instant is judged by its day in Hà Nội: 31/12/1989 20:00 UTC is already 1990 there.
    assert bounds.PROGRAMME.check(datetime(1989, 12, 31, 20, 0, tzinfo=UTC), "closes_at")
    with pytest.raises(DomainError):  # and the calendar's ends are refused, not overflowed
        bounds.PROGRAMME.check(datetime(1, 1, 1, tzinfo=UTC), "closes_at")
    with pytest.raises(DomainError):
        bounds.PROGRAMME.check(datetime(9999, 12, 31, 23, 59, tzinfo=UTC), "closes_at")
    with force_locale("en"):
        with pytest.raises(DomainError) as refused:
            bounds.FOUNDING.check(date(9999, 12, 31), "founded_on")
        assert str(refused.value.message) == "The date cannot be in the future."


def test_percentages_are_from_0_to_100_and_money_and_counts_not_negative(app):
    assert bounds.check_percent(Decimal(100), "threshold") == 100 and bounds.check_percent(0, "threshold") == 0
    for value in (Decimal("100.01"), Decimal(1000), Decimal(-1), Decimal("NaN"), Decimal("sNaN")):
        with pytest.raises(DomainError):
            bounds.check_percent(value, "threshold")
    assert bounds.check_not_negative(0, "employees") == 0
    for value in (-1, Decimal("-0.5"), Decimal("NaN"), float("nan")):
        with pytest.raises(DomainError):
            bounds.check_not_negative(value, "amount")


# ---- The forms: 400, the message on the field, nothing stored ---------------------------------------------

def test_a_business_founded_in_the_future_or_before_1900_is_refused_with_the_form(staff, db):
    from incubator.companies.models import Company

    form = {"tax_code": tax_code(161601), "name": "Công ty TNHH Thử Giới Hạn", "is_it": "y"}
    for typed, message in (("9999-12-31", FUTURE), (iso(bounds.today() + timedelta(days=1)), FUTURE),
                           ("1899-12-31", "Ngày không được trước ngày 01/01/1900.")):
        response = post_form(staff, "/register/new", {**form, "founded_on": typed}, token_from="/register/new")
        assert response.status_code == 400, typed
        page = response.get_data(as_text=True)
        assert message in page and "Công ty TNHH Thử Giới Hạn" in page  # what was typed is kept
    assert count(Company) == 0
    response = post_form(staff, "/register/new", {**form, "founded_on": iso(bounds.today())},
                         token_from="/register/new")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Company.founded_on)) == bounds.today()


def test_a_founder_cannot_register_a_business_founded_in_the_future(login_as, db):
    from incubator.companies.models import Company

    founder, _ = login_as(Role.FOUNDER)
    response = post_form(founder, "/my/companies/new", {
        "tax_code": tax_code(161602), "name": "Công ty TNHH Tương Lai", "is_it": "y", "founded_on": "9999-12-31"},
        token_from="/my/companies/new")
    assert response.status_code == 400
    assert FUTURE in response.get_data(as_text=True)
    assert count(Company) == 0


def test_a_residency_before_1990_or_more_than_ten_years_ahead_is_refused_with_the_form(staff, make, db):
    from incubator.companies.models import Residency

    company = make.company()
    url = f"/register/{company.id}/residencies/new"
    latest = bounds.ten_years_ahead()
    for starts, ends, message in (("0001-01-01", "", BEFORE_1990), ("1989-12-31", "", BEFORE_1990),
                                  ("2024-01-01", "9999-12-31", after(latest)),
                                  ("2024-01-01", iso(latest + timedelta(days=1)), after(latest))):
        response = post_form(staff, url, {"kind": "incubated", "starts_on": starts, "ends_on": ends},
                             token_from=url)
        assert response.status_code == 400, (starts, ends)
        assert message in response.get_data(as_text=True)
    assert count(Residency) == 0
    response = post_form(staff, url, {"kind": "incubated", "starts_on": "1990-01-01", "ends_on": iso(latest)},
                         token_from=url)
    assert response.status_code == 302
    assert count(Residency) == 1


def test_a_residency_cannot_be_ended_at_the_end_of_the_calendar(staff, make, db):
    residency = make.residency(starts_on=date(2024, 1, 1))
    response = post_form(staff, f"/register/residencies/{residency.id}/end",
                         {"ends_on": "9999-12-31", "version": str(residency.version_id)},
                         token_from=f"/register/{residency.company_id}")
    assert response.status_code == 400
    assert after(bounds.ten_years_ahead()) in response.get_data(as_text=True)
    db.session.refresh(residency)
    assert residency.ends_on is None


def test_an_outcome_is_not_dated_more_than_a_month_ahead_nor_before_1990(staff, make, db):
    from incubator.outcomes.models import GraduationOutcome

    company = make.company()
    url = f"/register/{company.id}/outcomes/new"
    latest = bounds.today() + timedelta(days=31)
    for typed, message in (("9999-12-31", after(latest)), (iso(latest + timedelta(days=1)), after(latest)),
                           ("0001-01-01", BEFORE_1990)):
        response = post_form(staff, url, {"decision": "graduated", "decided_on": typed}, token_from=url)
        assert response.status_code == 400, typed
        assert message in response.get_data(as_text=True)
    assert count(GraduationOutcome) == 0
    assert post_form(staff, url, {"decision": "graduated", "decided_on": iso(latest)},
                     token_from=url).status_code == 302


def test_a_percentage_target_above_100_is_refused_but_a_count_may_exceed_it(staff, make, db):
    from incubator.targets.models import Target

    form = {"code": "IT70", "name_vi": "Tỷ lệ doanh nghiệp", "name_en": "Share of businesses",
            "kind": "incubated_it_ratio", "source_document": ""}
    for threshold in ("1000", "100.5", "-1"):
        response = post_form(staff, "/targets/new", {**form, "threshold": threshold}, token_from="/targets/new")
        assert response.status_code == 400, threshold
    assert PERCENT in post_form(staff, "/targets/new", {**form, "threshold": "1000"},
                                token_from="/targets/new").get_data(as_text=True)
    assert count(Target) == 0
    fraction = post_form(staff, "/targets/new", {**form, "code": "GRAD", "kind": "graduate_count",
                                                  "threshold": "100.01"}, token_from="/targets/new")
    assert fraction.status_code == 400 and "số nguyên" in fraction.get_data(as_text=True)  # a count is whole
    assert post_form(staff, "/targets/new", {**form, "code": "GRAD", "kind": "graduate_count", "threshold": "1000"},
                     token_from="/targets/new").status_code == 302
    ratio = make.target(code="R70", threshold=Decimal(70))
    url = f"/targets/{ratio.code}/edit"
    response = post_form(staff, url, {**form, "code": "R70", "threshold": "1000", "version": str(ratio.version_id)},
                         token_from=url)
    assert response.status_code == 400
    db.session.refresh(ratio)
    assert ratio.threshold == 70


def test_a_target_window_is_a_plan_within_thirty_years(staff, db):
    from incubator.targets.models import Target

    form = {"code": "GRAD", "name_vi": "Tốt nghiệp", "name_en": "Graduates", "kind": "graduate_count",
            "threshold": "10", "window_start": "2024-01-01"}
    response = post_form(staff, "/targets/new", {**form, "window_end": "9999-12-31"}, token_from="/targets/new")
    assert response.status_code == 400
    assert after(bounds.years_after(bounds.today(), 30)) in response.get_data(as_text=True)
    assert count(Target) == 0
    assert post_form(staff, "/targets/new", {**form, "window_end": iso(date(bounds.today().year + 19, 12, 31))},
                     token_from="/targets/new").status_code == 302


def test_a_pipeline_stage_on_0001_01_01_is_refused_with_the_form(make, db, client_factory):
    from incubator.funding import services as funding
    from incubator.funding.models import PipelineEntry
    from incubator.partners.enums import PartnerKind

    fund = make.partner(kind=PartnerKind.FUND_MANAGER)
    manager = make.user(Role.FUND_MANAGER, partner=fund)
    company = make.company()
    funding.grant(company, fund, actor=manager)
    db.session.commit()
    client = client_factory()
    login(client, manager)
    url = f"/funding/startups/{company.id}"
    for typed, message in (("0001-01-01", BEFORE_1990), ("9999-12-31", after(bounds.today() + timedelta(days=31)))):
        response = post_form(client, url, {"stage": "first_meeting", "on": typed, "notes": "Hẹn gặp"}, token_from=url)
        assert response.status_code == 400, typed
        assert message in response.get_data(as_text=True)
    response = post_form(client, url, {"stage": "invested", "on": "2025-05-02", "amount": "-5"}, token_from=url)
    assert response.status_code == 400
    assert count(PipelineEntry) == 0
    assert post_form(client, url, {"stage": "first_meeting", "on": iso(bounds.today())},
                     token_from=url).status_code == 302


def test_a_cohort_and_a_service_are_dated_within_the_programmes_years(staff, make, db):
    from incubator.cohorts.models import Cohort, ServiceDelivery

    response = post_form(staff, "/cohorts/new", {"name": "Khóa cũ", "starts_on": "1989-12-01",
                                                 "ends_on": "1990-06-30", "rhythm": "monthly"})
    assert response.status_code == 400 and BEFORE_1990 in response.get_data(as_text=True)
    latest = bounds.ten_years_ahead()
    response = post_form(staff, "/cohorts/new", {"name": "Khóa xa", "starts_on": iso(latest),
                                                 "ends_on": iso(latest + timedelta(days=60)), "rhythm": "monthly"})
    assert response.status_code == 400 and after(latest) in response.get_data(as_text=True)
    assert count(Cohort) == 0
    member = make.cohort_member()
    for typed in ("0001-01-01", "9999-12-31"):
        response = post_form(staff, "/services/new", {"kind": "consulting", "title": "Tư vấn", "delivered_on": typed,
                                                      "recipients": [str(member.company_id)]})
        assert response.status_code == 400, typed
    assert count(ServiceDelivery) == 0


def test_a_mentoring_session_and_an_agreement_are_dated_within_bounds(staff, make, db, client_factory):
    from incubator.mentoring.models import Agreement, MentoringSession

    partner = make.partner()
    mentor = make.user(Role.MENTOR, partner=partner)
    assignment = make.mentor_assignment(make.cohort_member(), mentor)
    client = client_factory()
    login(client, mentor)
    url = f"/mentoring/assignments/{assignment.id}/sessions/new"
    for typed, message in (("1989-12-31", BEFORE_1990),
                           ("9999-12-31", after(date(bounds.today().year + 2, 12, 31)))):
        response = post_form(client, url, {"starts_on": typed, "starts_time": "09:00", "minutes": "60",
                                           "mode": "in_person", "place": "Phòng họp tầng 3"}, token_from=url)
        assert response.status_code == 400, typed
        assert message in response.get_data(as_text=True)
    assert count(MentoringSession) == 0

    response = post_form(staff, f"/partners/{partner.id}/agreements",
                         {"programme": "Chương trình cố vấn", "starts_on": "0001-01-01", "mentoring_hours": "40"},
                         token_from=f"/partners/{partner.id}")
    assert response.status_code == 302  # back to the partner's page, with the reason
    assert BEFORE_1990 in staff.get(f"/partners/{partner.id}").get_data(as_text=True)
    assert count(Agreement) == 0


def test_a_round_and_a_review_stage_close_within_ten_years(staff, make, db):
    from incubator.applications.models import IntakeRound
    from tests.applications.test_rounds import ROUND

    far = bounds.ten_years_ahead() + timedelta(days=1)
    response = post_form(staff, "/rounds/new", {**ROUND, "closes_at": f"{iso(far)}T17:00"}, token_from="/rounds/new")
    assert response.status_code == 400
    assert after(bounds.ten_years_ahead()) in response.get_data(as_text=True)
    assert count(IntakeRound) == 0

    stage = make.review_stage()
    closes_at = stage.closes_at
    url = f"/reviews/stages/{stage.id}/edit"
    response = post_form(staff, url, {"name_vi": "Vòng một", "name_en": "Round one", "closes_at": f"{iso(far)}T17:00",
                                      "reviewers_per_application": "3", "spread_threshold": "25",
                                      "version": str(stage.version_id)}, token_from=url)
    assert response.status_code == 400
    assert after(bounds.ten_years_ahead()) in response.get_data(as_text=True)
    db.session.refresh(stage)
    assert stage.closes_at == closes_at


def test_date_inputs_offer_only_the_days_their_rule_accepts(staff, make):
    """The calendar of a day field (data-min/data-max, ISO days) offers only the days its rule accepts."""
    today, latest = bounds.today(), bounds.ten_years_ahead()
    page = staff.get("/register/new").get_data(as_text=True)
    assert f'data-max="{iso(today)}"' in page and 'data-min="1900-01-01"' in page
    company = make.company()
    page = staff.get(f"/register/{company.id}/residencies/new").get_data(as_text=True)
    assert f'data-max="{iso(latest)}"' in page and 'data-min="1990-01-01"' in page
    page = staff.get("/rounds/new").get_data(as_text=True)
    assert f'data-max="{iso(latest)}"' in page and 'data-min="1990-01-01"' in page


# ---- The services: the same rules for the command line, imports and anything else ----------------------------

def _company_born(make, staff_user):
    from incubator.companies import services

    return services.create_company(tax_code=tax_code(161603), name="Công ty Thử", is_it=True,
                                   founded_on=date(9999, 12, 31), actor=staff_user)


def _cases():
    """(name, the call refused, the field named)."""
    from incubator.applications import services as applications
    from incubator.cohorts import services as cohorts
    from incubator.companies import services as companies
    from incubator.companies.enums import ResidencyKind
    from incubator.funding import services as funding
    from incubator.mentoring import services as mentoring
    from incubator.outcomes import services as outcomes
    from incubator.reports import services as reports
    from incubator.reviews import stages as reviews
    from incubator.targets import services as targets

    far, ancient = date(9999, 12, 31), date(1, 1, 1)
    far_at, ancient_at = datetime(9999, 12, 31, 16, 0, tzinfo=UTC), datetime(1, 1, 1, tzinfo=UTC)
    target = {"code": "T", "name_vi": "Chỉ tiêu", "name_en": "Target", "source_document": None}
    return [
        ("founded in the future", "founded_on", lambda m, u: _company_born(m, u)),
        ("founded before 1900", "founded_on", lambda m, u: companies.update_company(
            m.company(), founded_on=date(1899, 12, 31), actor=u)),
        ("negative employees", "employees", lambda m, u: companies.update_company(m.company(), employees=-1, actor=u)),
        ("residency from year 1", "starts_on", lambda m, u: companies.add_residency(
            m.company(), ResidencyKind.INCUBATED, ancient, actor=u)),
        ("residency to year 9999", "ends_on", lambda m, u: companies.add_residency(
            m.company(), ResidencyKind.INCUBATED, date(2024, 1, 1), far, actor=u)),
        ("residency ended in year 9999", "ends_on", lambda m, u: companies.end_residency(
            m.residency(), far, actor=u)),
        ("outcome in year 9999", "decided_on", lambda m, u: outcomes.record_outcome(
            m.company(), decision="graduated", decided_on=far, actor=u)),
        ("1000 % threshold", "threshold", lambda m, u: targets.create_target(
            actor=u, kind="incubated_it_ratio", threshold=Decimal(1000), window_start=None, window_end=None,
            **target)),
        ("a ratio edited to 1000 %", "threshold", lambda m, u: targets.update_target(
            m.target(), threshold=Decimal(1000), actor=u)),
        ("negative count threshold", "threshold", lambda m, u: targets.create_target(
            actor=u, kind="graduate_count", threshold=Decimal(-1), window_start=None, window_end=None, **target)),
        ("target window to year 9999", "window_end", lambda m, u: targets.create_target(
            actor=u, kind="graduate_count", threshold=Decimal(10), window_start=date(2024, 1, 1), window_end=far,
            **target)),
        ("pipeline stage in year 1", "on", lambda m, u: funding.move(
            m.partner().id, m.company(), actor=u, stage="screening", on=ancient)),
        ("negative investment", "amount", lambda m, u: funding.move(
            m.partner().id, m.company(), actor=u, stage="invested", on=date(2025, 5, 2), amount=-5)),
        ("cohort from year 1", "starts_on", lambda m, u: cohorts.create_cohort(
            actor=u, name="Khóa", starts_on=ancient, ends_on=date(2025, 12, 31), rhythm="monthly")),
        ("service in year 9999", "delivered_on", lambda m, u: cohorts.save_service(
            None, actor=u, recipients=[m.company().id], attended=[], kind="consulting", title="Tư vấn",
            delivered_on=far)),
        ("negative hours of a service", "hours", lambda m, u: cohorts.save_service(
            None, actor=u, recipients=[m.company().id], attended=[], kind="consulting", title="Tư vấn",
            delivered_on=date(2025, 4, 12), hours=Decimal(-1))),
        ("agreement from year 1", "starts_on", lambda m, u: mentoring.save_agreement(
            None, m.partner(), actor=u, programme="Chương trình", starts_on=ancient)),
        ("negative mentoring hours", "mentoring_hours", lambda m, u: mentoring.save_agreement(
            None, m.partner(), actor=u, programme="Chương trình", starts_on=date(2025, 1, 1), mentoring_hours=-1)),
        ("session in year 1", "starts_on", lambda m, u: mentoring.log_session(
            m.mentor_assignment(), actor=u, now=datetime.now(UTC), starts_at=ancient_at, minutes=60,
            mode="in_person", place="Phòng họp")),
        ("round opening in year 1", "opens_at", lambda m, u: applications.create_round(
            actor=u, name_vi="Đợt", name_en="Round", opens_at=ancient_at, closes_at=datetime(2025, 3, 1, tzinfo=UTC))),
        ("deadline extended to year 9999", "closes_at", lambda m, u: applications.extend_deadline(
            m.intake_round(), far_at, actor=u, reason="Gia hạn")),
        ("negative limit of eligibility", None, lambda m, u: applications.create_round(
            actor=u, name_vi="Đợt", name_en="Round", opens_at=datetime(2025, 3, 1, tzinfo=UTC),
            closes_at=datetime(2025, 3, 31, tzinfo=UTC), eligibility={"company_age": {"max_years": -5}})),
        ("negative employees of an application", "employees", lambda m, u: applications.save_draft(
            m.application(), answers={}, facts={"employees": -1}, actor=u)),
        ("review stage closing in year 9999", "closes_at", lambda m, u: reviews.create_stage(
            m.intake_round(), actor=u, name_vi="Vòng", name_en="Stage", closes_at=far_at)),
        ("negative bottom of a scale", "scale_min", lambda m, u: reviews.add_criterion(
            m.review_stage(), actor=u, name_vi="Tiêu chí", name_en="Criterion", weight=1, scale_min=-5, scale_max=5)),
        ("report on the year 2099", "period_start", lambda m, u: reports.create(
            actor=u, period_label="2099", start=date(2099, 1, 1), end=date(2099, 12, 31))),
        ("report dated in year 9999", "issued_on", lambda m, u: reports.create(
            actor=u, period_label="2025", start=date(2025, 1, 1), end=date(2025, 12, 31), issued_on=far)),
    ]


@pytest.mark.parametrize("name, field, call", _cases(), ids=[c[0] for c in _cases()])
def test_services_refuse_values_out_of_bounds_whoever_calls_them(make, db, name, field, call):
    from incubator.audit.models import AuditEntry

    user = make.user(Role.STAFF)
    with pytest.raises(DomainError) as refused:
        call(make, user)
    assert refused.value.field == field
    assert count(AuditEntry) == 0  # refused before anything was changed


def test_a_session_scheduled_beyond_the_year_after_next_is_refused(make, db):
    from incubator.mentoring import services as mentoring

    now = datetime.now(UTC)
    assignment = make.mentor_assignment()
    fields = {"minutes": 60, "mode": "in_person", "place": "Phòng họp"}
    with pytest.raises(DomainError):
        mentoring.log_session(assignment, actor=assignment.mentor, now=now,
                              starts_at=datetime(now.year + 3, 1, 1, 2, 0, tzinfo=UTC), **fields)
    session = mentoring.log_session(assignment, actor=assignment.mentor, now=now,
                                    starts_at=datetime(now.year + 2, 6, 1, 2, 0, tzinfo=UTC), **fields)
    assert session.id is not None


# ---- The spreadsheet import: the row, its file and line, the reason ----------------------------------------

def test_an_import_refuses_rows_out_of_bounds_with_file_line_and_reason(runner, tmp_path, db):
    from incubator.companies.models import Company, Residency
    from incubator.outcomes.models import GraduationOutcome
    from tests.imports.test_import import write_folder

    code = tax_code(161604)
    folder = write_folder(tmp_path / "so", {
        "companies": [["tax_code", "name", "is_it", "founded_on"], [code, "Công ty TNHH Số Hóa", "yes", "31/12/9999"],
                      [tax_code(161605), "Công ty TNHH Cổ Xưa", "yes", "1899-12-31"]],
        "residencies": [["tax_code", "kind", "start_date", "end_date"], [code, "incubated", "0001-01-01", ""],
                        [code, "alumnus", "2024-01-01", "9999-12-31"]],
        "outcomes": [["tax_code", "decision", "decided_on"], [code, "graduated", "31/12/9999"]],
    })
    with force_locale("en"):
        result = runner.invoke(args=["import-register", str(folder)])
    assert result.exit_code == 1, result.output
    latest = bounds.ten_years_ahead()
    for line in ("companies.csv:2: founded_on: The date cannot be in the future.",
                 "companies.csv:3: founded_on: The date cannot be before 01/01/1900.",
                 "residencies.csv:2: start_date: The date cannot be before 01/01/1990.",
                 f"residencies.csv:3: end_date: The date cannot be after {fmt_date(latest)}.",
                 f"outcomes.csv:2: decided_on: The date cannot be after "
                 f"{fmt_date(bounds.today() + timedelta(days=31))}."):
        assert line in result.output
    assert "nothing was imported" in result.output
    db.session.expire_all()
    assert (count(Company), count(Residency), count(GraduationOutcome)) == (0, 0, 0)



def test_the_reminders_cannot_act_as_a_day_at_the_ends_of_the_calendar(runner, make, db):
    """Acting as 9999-12-31 would call every report late and mark its reminder sent, once and for all."""
    from incubator.cohorts.models import ReportReminder

    make.member(company=make.cohort_member().company)
    for day in ("9999-12-31", "0001-01-01", "1989-12-31"):
        result = runner.invoke(args=["cohorts", "remind", "--today", day])
        assert result.exit_code == 2, result.output
        assert "--today" in result.output and "1990-01-01" in result.output
    assert count(ReportReminder) == 0
    assert runner.invoke(args=["cohorts", "remind", "--today", "2025-03-01"]).exit_code == 0
