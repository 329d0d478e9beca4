"""Issue 20: the demo holds two incubators, VUHN and a second, smaller one (HL), with a business in both, MISA's
mentor working with both, HL's own staff, and the Department's official reading both."""

import json
from datetime import date

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.auth.models import User
from incubator.companies.models import Company, Residency
from incubator.organisation.models import Incubator


@pytest.fixture
def demo(runner, db):
    result = runner.invoke(args=["demo", "--no-upgrade"])
    assert result.exit_code == 0, result.output
    return result.output


def _incubator(db, code):
    return db.session.scalar(sa.select(Incubator).where(Incubator.code == code))


def test_the_demo_has_two_incubators_and_prints_hl_staff_login(demo, runner, db):
    assert sorted(db.session.scalars(sa.select(Incubator.code))) == ["HL", "VUHN"]
    assert "2 incubators" in demo and "canbo.hl@vuonuom.example" in demo
    listing = runner.invoke(args=["incubators", "list"])
    assert listing.exit_code == 0
    assert "VUHN" in listing.output and "HL " in listing.output and "Vườn ươm CNTT Hòa Lạc" in listing.output
    rows = json.loads(runner.invoke(args=["incubators", "list", "--json"]).output)
    assert [r["code"] for r in rows] == ["HL", "VUHN"] or [r["code"] for r in rows] == ["VUHN", "HL"]


def test_hl_holds_its_round_cohort_staff_and_the_mentor_of_both(demo, db):
    from incubator.applications.enums import ApplicationStatus
    from incubator.applications.models import Application, IntakeRound
    from incubator.cohorts.models import Cohort, CohortMember
    from incubator.demo import second
    from incubator.mentoring.models import Agreement, MentoringSession
    from incubator.outcomes.models import GraduationOutcome

    hl, vuhn = _incubator(db, "HL"), _incubator(db, "VUHN")
    rounds = db.session.scalars(sa.select(IntakeRound).where(IntakeRound.incubator_id == hl.id)).all()
    assert len(rounds) == 1 and rounds[0].closes_at.year == 2025
    statuses = {a.status for a in db.session.scalars(sa.select(Application).where(
        Application.round_id == rounds[0].id))}
    assert statuses == {ApplicationStatus.ACCEPTED, ApplicationStatus.REJECTED}
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.incubator_id == hl.id))
    assert cohort.name == second.COHORT and cohort.round_id == rounds[0].id
    members = db.session.scalars(sa.select(CohortMember).where(CohortMember.cohort_id == cohort.id)).all()
    assert len(members) == 3 and all(m.incubator_id == hl.id for m in members)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GraduationOutcome)
                             .where(GraduationOutcome.incubator_id == hl.id)) == 1
    staff = db.session.scalar(sa.select(User).where(User.email == "canbo.hl@vuonuom.example"))
    assert staff.roles_in(hl.id) == {Role.STAFF} and staff.roles_in(vuhn.id) == set()
    mentor = db.session.scalar(sa.select(User).where(User.email == "covan@vuonuom.example"))
    assert Role.MENTOR in mentor.roles_in(hl.id) and Role.MENTOR in mentor.roles_in(vuhn.id)
    misa = mentor.partner
    assert {a.incubator_id for a in db.session.scalars(sa.select(Agreement).where(
        Agreement.partner_id == misa.id))} == {hl.id, vuhn.id}
    sessions = db.session.scalars(sa.select(MentoringSession).where(MentoringSession.incubator_id == hl.id)).all()
    assert sessions and all(s.mentor_id == mentor.id for s in sessions)
    hl_companies = {m.company_id for m in members}
    assert all(c.is_it for c in db.session.scalars(sa.select(Company).where(Company.id.in_(hl_companies))))


def test_the_shared_business_has_a_residency_in_each(demo, db):
    from incubator.demo import data, second

    shared = db.session.scalar(sa.select(Company).where(
        Company.tax_code == data.demo_tax_code(second.SHARED_INDEX + 1)))
    residencies = db.session.scalars(sa.select(Residency).where(Residency.company_id == shared.id)).all()
    codes = {r.incubator.code for r in residencies}
    assert codes == {"VUHN", "HL"}
    assert {r.incubator.code for r in residencies if r.ends_on is None} == {"VUHN", "HL"}  # in both now


def test_the_city_counts_the_shared_business_once(demo, db):
    from incubator.targets.queries import figures_as_json

    as_of = date(2025, 12, 31)
    city = figures_as_json(as_of)["startup_ratio"]
    vuhn = figures_as_json(as_of, _incubator(db, "VUHN"))["startup_ratio"]
    hl = figures_as_json(as_of, _incubator(db, "HL"))["startup_ratio"]
    # The shared business (an alumnus of VUHN, a service tenant of HL) is in both incubators' denominators.
    assert city["denominator"] == vuhn["denominator"] + hl["denominator"] - 1
    assert city["numerator"] == vuhn["numerator"] + hl["numerator"]
    assert hl["numerator"] == 3 and hl["denominator"] == 5
    graduates = {key: figures_as_json(as_of, inc)["graduates"]["count"]
                 for key, inc in (("city", None), ("VUHN", _incubator(db, "VUHN")), ("HL", _incubator(db, "HL")))}
    assert graduates["city"] == graduates["VUHN"] + graduates["HL"] and graduates["HL"] == 1


def _login(client, email):
    from incubator.demo.data import DEMO_PASSWORD
    from tests.helpers import post_form

    response = post_form(client, "/login", {"email": email, "password": DEMO_PASSWORD}, token_from="/login")
    assert response.status_code == 302


def test_hl_staff_see_hl_cohort_and_not_vuhn(demo, client, db):
    from incubator.cohorts.models import Cohort
    from incubator.demo import cohorts as vuhn_cohorts
    from incubator.demo import second

    _login(client, "canbo.hl@vuonuom.example")
    assert client.get("/home/staff").status_code == 200
    page = client.get("/cohorts/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert second.COHORT in text and vuhn_cohorts.RUNNING not in text
    vuhn_cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == vuhn_cohorts.RUNNING))
    assert client.get(f"/cohorts/{vuhn_cohort.id}").status_code == 404


def test_vuhn_staff_do_not_see_hl_cohort_and_the_official_reads_both(demo, app, db):
    from incubator.demo import cohorts as vuhn_cohorts
    from incubator.demo import second

    staff = app.test_client()
    _login(staff, "canbo@vuonuom.example")
    text = staff.get("/cohorts/").get_data(as_text=True)
    assert vuhn_cohorts.RUNNING in text and second.COHORT not in text
    official = app.test_client()
    _login(official, "sotttt@vuonuom.example")
    page = official.get("/targets/IT70/?as_of=2025-12-31&show=denominator")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    # The city's denominator lists businesses of both incubators, among them the shared one.
    for name in (second.COMPANIES[0][0], "Công ty TNHH Dữ liệu Đô thị Thăng Long",
                 "Công ty TNHH Công nghệ Sao Khuê Số"):
        assert name in text, name
