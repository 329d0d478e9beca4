"""Roles are held per incubator, each request works in its person's incubator, and the commands name theirs
(issue 20): staff of HN1 are not staff of HN2, meet none of HN2's rows in their lists and counts, and HN2's
ids answer 404; a person acting in both switches between them; administrators, officials, founders and
visitors are not limited; with a single incubator nothing shows and nothing changes."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from incubator.applications.models import IntakeRound
from incubator.auth import services as auth_services
from incubator.auth.enums import Role
from incubator.auth.models import User, UserRole
from incubator.auth.permissions import has_role, is_staff
from incubator.auth.queries import active_with_role, incubators_of
from incubator.cohorts.models import Cohort
from incubator.companies.models import Residency
from incubator.errors import DomainError
from incubator.organisation import services as organisation
from incubator.organisation.current import chosen_incubator_id, use_incubator
from incubator.organisation.models import Incubator
from incubator.organisation.scoping import current_scope
from incubator.reports.models import PeriodicReport
from tests.helpers import login, post_form


@pytest.fixture
def network(make, db):
    """VUHN (every installation's first incubator) and HN2, each with a round, a cohort, a residency and a
    periodic report of its own."""
    vuhn = db.session.scalar(sa.select(Incubator).where(Incubator.code == "VUHN"))
    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", "Hà Nội incubator 2")
    db.session.commit()
    objects = {}
    for incubator in (vuhn, hn2):
        with use_incubator(incubator):
            code = incubator.code
            objects[code] = {
                "round": make.intake_round(name_vi=f"Đợt tuyển chọn của {code}", name_en=f"Round of {code}").id,
                "cohort": make.cohort(name=f"Khóa của {code}").id,
                "residency": make.residency(company=make.company(name=f"Công ty ở {code}")).id,
                "report": make._save(PeriodicReport(period_label="2025", period_start=date(2025, 1, 1),
                                                    period_end=date(2025, 12, 31))).id,
            }
    return vuhn.id, hn2.id, objects


# ---- Roles per incubator -----------------------------------------------------------------------------------

def test_a_role_held_in_one_incubator_counts_there_only(network, make):
    vuhn, hn2, _objects = network
    person = make.user(Role.STAFF, incubator=hn2)
    with use_incubator(hn2):
        assert is_staff(person) and person.roles == {Role.STAFF}
    with use_incubator(vuhn):
        assert not is_staff(person) and person.roles == set()
    assert person.roles_everywhere == {Role.STAFF}
    assert incubators_of(person) == {hn2}


def test_administrators_and_officials_act_across_the_network_and_founders_in_none(network, make):
    vuhn, hn2, _objects = network
    admin, official, founder = make.user(Role.ADMIN), make.user(Role.OFFICIAL), make.user(Role.FOUNDER)
    assert incubators_of(admin) is None and incubators_of(official) is None
    assert incubators_of(founder) == set()
    for here in (vuhn, hn2):
        with use_incubator(here):
            assert is_staff(admin) and has_role(official, Role.OFFICIAL) and has_role(founder, Role.FOUNDER)


def test_with_several_incubators_and_none_chosen_only_the_roles_across_the_network_count(network, make):
    _vuhn, hn2, _objects = network
    person = make.user(Role.FOUNDER, Role.STAFF, incubator=hn2)
    assert person.roles == {Role.FOUNDER}


def test_a_role_in_an_incubator_granted_without_one_takes_the_current_one(network, make, db):
    _vuhn, hn2, _objects = network
    with use_incubator(hn2):
        person = make.user(Role.ADMIN)
        auth_services.set_roles(person, person, [Role.ADMIN, Role.REVIEWER], None)
        db.session.commit()
    assert {(r.role, r.incubator_id) for r in person.role_rows} == {(Role.ADMIN, None), (Role.REVIEWER, hn2)}


def test_setting_the_roles_in_one_incubator_keeps_those_held_in_another(network, make, db):
    vuhn, hn2, _objects = network
    admin = make.user(Role.ADMIN)
    person = make.user(Role.STAFF, incubator=vuhn)
    auth_services.set_roles(admin, person, [Role.REVIEWER], None, incubator_id=hn2)
    db.session.commit()
    assert {(r.role, r.incubator_id) for r in person.role_rows} == {(Role.STAFF, vuhn), (Role.REVIEWER, hn2)}
    assert incubators_of(person) == {vuhn, hn2}
    from incubator.audit.models import AuditEntry

    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "user.roles")).one()
    assert (entry.from_state, entry.to_state) == ("staff (VUHN)", "reviewer (HN2),staff (VUHN)")


def test_roles_set_by_incubator_are_checked_as_one_set(network, make, db):
    vuhn, hn2, _objects = network
    admin = make.user(Role.ADMIN)
    person = make.user(Role.STAFF, incubator=vuhn)
    with pytest.raises(DomainError):  # nothing anywhere
        auth_services.set_roles_by_incubator(admin, person, {None: [], vuhn: [], hn2: []}, None)
    with pytest.raises(DomainError):  # staff across the network
        auth_services.set_roles_by_incubator(admin, person, {None: [Role.STAFF]}, None)
    with pytest.raises(DomainError):  # an administrator of one incubator
        auth_services.set_roles_by_incubator(admin, person, {hn2: [Role.ADMIN]}, None)
    db.session.rollback()
    auth_services.set_roles_by_incubator(admin, person, {None: [Role.OFFICIAL], vuhn: [], hn2: [Role.REVIEWER]},
                                         None)
    db.session.commit()
    assert {(r.role, r.incubator_id) for r in person.role_rows} == {(Role.OFFICIAL, None), (Role.REVIEWER, hn2)}


def test_an_invitation_remembers_its_incubator(network, make, db):
    _vuhn, hn2, _objects = network
    admin = make.user(Role.ADMIN)
    row = auth_services.invite(admin, "moi@vuonuom.example", "Trần Thị Mời", [Role.REVIEWER, Role.OFFICIAL], None,
                               "vi", incubator_id=hn2)
    assert row.payload["incubator_id"] == hn2
    from incubator import security

    token = security.new_token()
    row.token_hash = security.token_hash(token)
    db.session.commit()
    user = auth_services.accept_invitation(token, "Trần Thị Mời", "một mật khẩu đủ dài 2025")
    db.session.commit()
    assert {(r.role, r.incubator_id) for r in user.role_rows} == {(Role.REVIEWER, hn2), (Role.OFFICIAL, None)}


def test_mail_to_an_incubators_staff_goes_to_that_incubators_staff(network, make):
    vuhn, hn2, _objects = network
    ours, theirs = make.user(Role.STAFF, incubator=vuhn), make.user(Role.STAFF, incubator=hn2)
    assert active_with_role(Role.STAFF, incubator_id=vuhn) == [ours]
    with use_incubator(hn2):
        assert active_with_role(Role.STAFF) == [theirs]


# ---- Each request works in its person's incubator ----------------------------------------------------------

def _client(client_factory, user):
    client = client_factory()
    login(client, user)
    return client


def test_staff_of_one_incubator_get_404_on_the_others_objects(network, make, client_factory):
    vuhn, _hn2, objects = network
    staff = _client(client_factory, make.user(Role.STAFF, incubator=vuhn))
    theirs, ours = objects["HN2"], objects["VUHN"]
    for url in ("/rounds/{round}/edit", "/rounds/{round}/setup", "/rounds/{round}/preview",
                "/rounds/{round}/applications", "/rounds/{round}", "/cohorts/{cohort}",
                "/register/residencies/{residency}/edit", "/reports/{report}"):
        assert staff.get(url.format(**ours)).status_code == 200, url
        assert staff.get(url.format(**theirs)).status_code == 404, url


def test_staff_and_reviewers_of_one_incubator_get_404_on_the_others_applications_and_assignments(
        network, make, client_factory, db):
    vuhn, hn2, objects = network
    theirs = db.session.get(IntakeRound, objects["HN2"]["round"])
    with use_incubator(hn2):
        application = make.application(intake_round=theirs)
        reviewer = make.user(Role.REVIEWER, incubator=vuhn)
        reviewer.role_rows.append(UserRole(role=Role.REVIEWER, incubator_id=hn2))
        make._save(reviewer)
        stage = make.review_stage(intake_round=theirs)
        assignment = make.assignment(make.stage_entry(stage), reviewer)
    staff = _client(client_factory, make.user(Role.STAFF, incubator=vuhn))
    their_staff = _client(client_factory, make.user(Role.STAFF, incubator=hn2))
    for url in (f"/applications/{application.id}", f"/applications/{application.id}/file",
                f"/reviews/stages/{stage.id}"):
        assert their_staff.get(url).status_code == 200, url
        assert staff.get(url).status_code == 404, url
    assert staff.get(f"/reviews/assignments/{assignment.id}").status_code == 404
    client = _client(client_factory, reviewer)  # a reviewer in both, working in VUHN
    assert client.get(f"/reviews/assignments/{assignment.id}").status_code == 404
    post_form(client, "/incubator", {"incubator_id": hn2}, token_from="/reviews/")
    assert client.get(f"/reviews/assignments/{assignment.id}").status_code == 200


def test_staff_lists_show_none_of_the_other_incubators_rows(network, make, client_factory):
    vuhn, _hn2, _objects = network
    staff = _client(client_factory, make.user(Role.STAFF, incubator=vuhn))
    for url, ours, theirs in (("/rounds/manage", "Đợt tuyển chọn của VUHN", "Đợt tuyển chọn của HN2"),
                              ("/cohorts/", "Khóa của VUHN", "Khóa của HN2"),
                              ("/register/residencies", "Công ty ở VUHN", "Công ty ở HN2")):
        html = staff.get(url).get_data(as_text=True)
        assert ours in html and theirs not in html, url


def test_a_person_in_two_incubators_switches_between_them(network, make, client_factory):
    vuhn, hn2, _objects = network
    person = make.user(Role.STAFF, incubator=vuhn)
    person.role_rows.append(UserRole(role=Role.STAFF, incubator_id=hn2))
    make._save(person)
    client = _client(client_factory, person)
    html = client.get("/rounds/manage").get_data(as_text=True)
    assert 'id="incubator-switcher"' in html and '<span id="current-incubator">VUHN</span>' in html
    assert "Đợt tuyển chọn của VUHN" in html and "Đợt tuyển chọn của HN2" not in html

    response = post_form(client, "/incubator", {"incubator_id": hn2}, token_from="/rounds/manage")
    assert response.status_code == 302
    html = client.get("/rounds/manage").get_data(as_text=True)
    assert '<span id="current-incubator">HN2</span>' in html
    assert "Đợt tuyển chọn của HN2" in html and "Đợt tuyển chọn của VUHN" not in html
    assert post_form(client, "/incubator", {"incubator_id": 999}, token_from="/rounds/manage").status_code == 404


def test_a_role_held_in_one_incubator_is_not_held_in_another_one_switches_to(network, make, client_factory):
    vuhn, hn2, _objects = network
    person = make.user(Role.STAFF, incubator=vuhn)
    person.role_rows.append(UserRole(role=Role.REVIEWER, incubator_id=hn2))
    make._save(person)
    client = _client(client_factory, person)
    post_form(client, "/incubator", {"incubator_id": hn2}, token_from="/rounds/manage")
    assert '<span id="current-incubator">HN2</span>' in client.get("/reviews/").get_data(as_text=True)
    assert client.get("/rounds/manage").status_code == 403  # a reviewer in HN2, not staff there


def test_the_same_role_is_held_once_in_each_incubator(network, make, db):
    vuhn, hn2, _objects = network
    admin = make.user(Role.ADMIN)
    person = make.user(Role.STAFF, incubator=vuhn)
    auth_services.set_roles(admin, person, [Role.STAFF], None, incubator_id=hn2)
    db.session.commit()
    assert sorted(r.incubator_id for r in person.role_rows) == [vuhn, hn2]
    person.role_rows.append(UserRole(role=Role.STAFF, incubator_id=hn2))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    admin.role_rows.append(UserRole(role=Role.ADMIN))
    with pytest.raises(sa.exc.IntegrityError):  # across the network, once too
        db.session.commit()
    db.session.rollback()


def test_an_administrator_sees_every_incubator_and_works_in_the_one_chosen(network, make, client_factory):
    _vuhn, hn2, objects = network
    admin = _client(client_factory, make.user(Role.ADMIN))
    html = admin.get("/rounds/manage").get_data(as_text=True)
    assert "Đợt tuyển chọn của VUHN" in html and "Đợt tuyển chọn của HN2" in html
    for key in ("VUHN", "HN2"):
        assert admin.get(f"/cohorts/{objects[key]['cohort']}").status_code == 200
    assert '<span id="current-incubator">VUHN</span>' in html
    post_form(admin, "/incubator", {"incubator_id": hn2}, token_from="/rounds/manage")
    assert '<span id="current-incubator">HN2</span>' in admin.get("/rounds/manage").get_data(as_text=True)


def test_an_official_reads_every_incubator(network, make, client_factory, db):
    from incubator.reports.enums import ReportStatus

    _vuhn, _hn2, objects = network
    for n, key in enumerate(("VUHN", "HN2"), start=1):
        report = db.session.get(PeriodicReport, objects[key]["report"])
        report.status, report.number, report.snapshot = ReportStatus.FINAL, f"{n}/BC-{key}", {}
    db.session.commit()
    official = _client(client_factory, make.user(Role.OFFICIAL))
    for key in ("VUHN", "HN2"):
        assert official.get(f"/reports/{objects[key]['report']}").status_code == 200


def test_visitors_and_founders_see_every_incubators_open_rounds_with_its_name(network, make, client_factory):
    _vuhn, _hn2, _objects = network
    founder = _client(client_factory, make.user(Role.FOUNDER))
    for client in (client_factory(), founder):
        html = client.get("/rounds/").get_data(as_text=True)
        assert "Đợt tuyển chọn của VUHN" in html and "Đợt tuyển chọn của HN2" in html
        assert "Vườn ươm Hà Nội 2" in html and 'class="small round-incubator"' in html
        assert 'id="incubator-switcher"' not in html
    html = client_factory().get("/").get_data(as_text=True)
    assert "Đợt tuyển chọn của HN2" in html and "Vườn ươm Hà Nội 2" in html


def test_a_founder_who_is_staff_of_one_incubator_follows_their_business_elsewhere_as_a_founder(
        network, make, client_factory, db):
    vuhn, hn2, objects = network
    person = make.user(Role.FOUNDER, Role.STAFF, incubator=vuhn)
    company = make.company()
    make.member(company=company, user=person)
    theirs = db.session.get(IntakeRound, objects["HN2"]["round"])
    application = make.application(intake_round=theirs, company=company, created_by=person)
    client = _client(client_factory, person)
    assert client.get(f"/applications/{application.id}").status_code == 404  # working as staff of VUHN
    post_form(client, "/incubator", {"incubator_id": 0}, token_from="/rounds/")
    html = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert '<span id="current-incubator">' in html
    assert client.get(f"/applications/{application.id}").status_code == 200  # a founder of the business
    assert client.get("/rounds/manage").status_code == 403  # and nothing more
    assert hn2 not in (incubators_of(person) or set())


def test_two_requests_in_a_row_on_one_thread_never_share_a_scope(network, make, client_factory):
    vuhn, _hn2, _objects = network
    staff = _client(client_factory, make.user(Role.STAFF, incubator=vuhn))
    assert "Đợt tuyển chọn của HN2" not in staff.get("/rounds/manage").get_data(as_text=True)
    assert current_scope() is None and chosen_incubator_id() is None  # reset when the request ended
    html = client_factory().get("/rounds/").get_data(as_text=True)  # the next request, anonymous
    assert "Đợt tuyển chọn của HN2" in html and "Đợt tuyển chọn của VUHN" in html
    assert current_scope() is None and chosen_incubator_id() is None


def test_with_a_single_incubator_no_switcher_and_no_incubator_names_show(make, client_factory):
    make.intake_round(name_vi="Đợt duy nhất")
    staff = _client(client_factory, make.user(Role.STAFF, Role.FOUNDER))
    html = staff.get("/rounds/manage").get_data(as_text=True)
    assert "Đợt duy nhất" in html and 'id="incubator-switcher"' not in html
    html = client_factory().get("/rounds/").get_data(as_text=True)
    assert "round-incubator" not in html


def test_the_admins_user_page_chooses_roles_per_incubator_when_there_are_several(network, make, client_factory,
                                                                                 db):
    vuhn, hn2, _objects = network
    admin = _client(client_factory, make.user(Role.ADMIN))
    person = make.user(Role.STAFF, incubator=vuhn)
    html = admin.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert f'name="roles-in_{vuhn}"' in html and f'name="roles-in_{hn2}"' in html
    response = post_form(admin, f"/admin/users/{person.id}", {
        "roles-version": person.version_id, "roles-roles": ["official"], f"roles-in_{vuhn}": ["staff"],
        f"roles-in_{hn2}": ["reviewer"], "roles-partner_id": 0}, token_from=f"/admin/users/{person.id}")
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert {(r.role, r.incubator_id) for r in person.role_rows} == {
        (Role.OFFICIAL, None), (Role.STAFF, vuhn), (Role.REVIEWER, hn2)}
    html = admin.get("/admin/users").get_data(as_text=True)
    assert "(VUHN)" in html and "(HN2)" in html


# ---- The command line names its incubator ------------------------------------------------------------------

def _import(runner, folder, *options):
    with force_locale("en"):
        return runner.invoke(args=["import-register", str(folder), *options])


def test_a_command_may_leave_the_incubator_out_when_there_is_one(runner, tmp_path, db):
    from tests.imports.test_import import write_folder

    result = _import(runner, write_folder(tmp_path / "csv"))
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Residency)) > 0


def test_with_several_incubators_a_command_must_name_one(network, runner, tmp_path, db):
    from tests.imports.test_import import write_folder

    _vuhn, hn2, _objects = network
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Residency))
    folder = write_folder(tmp_path / "csv")
    result = _import(runner, folder)
    assert result.exit_code == 1
    assert "several incubators" in result.output and "--incubator CODE" in result.output
    result = _import(runner, folder, "--incubator", "HN9")
    assert result.exit_code == 1 and "No incubator has the code HN9" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Residency)) == before

    result = _import(runner, folder, "--incubator", "hn2")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    added = db.session.scalars(sa.select(Residency.incubator_id).where(Residency.note.is_not(None))).all()
    assert added and set(added) == {hn2}


@pytest.mark.parametrize("command", [["cohorts", "remind"], ["reviews", "remind"],
                                     ["cohorts", "remind", "--today", "2025-06-01"], ["requests", "remind"],
                                     ["surveys", "remind"],
                                     ["report", "--period", "2025", "--output", "{tmp}/report.pdf"],
                                     ["report", "--from", "2025-01-01", "--to", "2025-03-31", "--lang", "en",
                                      "--output", "{tmp}/report.pdf"],
                                     ["import-register", "{tmp}"], ["import-register", "{tmp}", "--dry-run"]])
def test_every_command_acting_in_one_incubator_asks_which(network, runner, command, tmp_path, db):
    """With several incubators and none named, each command acting in one (tests/test_commands.py lists them)
    refuses with the same message before doing anything: no file written, no row, no e-mail queued."""
    from tests.helpers import nothing_written

    with nothing_written(" ".join(command)), force_locale("en"):
        result = runner.invoke(args=[part.format(tmp=tmp_path) for part in command])
    assert result.exit_code == 1, result.output
    assert ("This installation serves several incubators: name the one to act in with --incubator CODE"
            in result.output), result.output
    assert not (tmp_path / "report.pdf").exists()


def test_staff_counted_here_are_this_incubators(network, make, db):
    vuhn, hn2, _objects = network
    make.user(Role.STAFF, incubator=vuhn)
    make.user(Role.STAFF, incubator=hn2)
    with use_incubator(hn2):
        people = db.session.scalars(sa.select(User).where(User.active.is_(True))).all()
        assert sum(1 for p in people if is_staff(p)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Cohort)) == 2  # outside a request: all
