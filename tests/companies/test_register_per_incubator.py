"""What the register shows to one incubator's staff (issue 20): a business is one record city-wide, and the
staff of an incubator see the businesses that are in it (a residency, an outcome, an application submitted to
one of its rounds) and the businesses that are in none yet (which any incubator may take in); another
incubator's businesses are not listed, counted, searched, exported, and their pages answer 404. Founders'
claims wait for the staff who see the business. Administrators see every business; an installation with a
single incubator is unchanged. Staff take in a business another incubator has by its tax code (the new
business form, the import)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa

from incubator.applications.enums import ApplicationStatus
from incubator.auth.enums import Role
from incubator.companies import queries
from incubator.companies.enums import MembershipStatus
from incubator.companies.models import Company, CompanyMember, Residency
from incubator.organisation import services as organisation
from incubator.organisation.current import use_incubator
from incubator.organisation.models import Incubator
from incubator.organisation.scoping import scoped_to
from tests.helpers import login, nothing_written, post_form

NAMES = {
    "hn1": "Công ty Chỉ Ở Một",
    "hn2": "Công ty Chỉ Ở Hai",
    "both": "Công ty Ở Cả Hai",
    "none": "Công ty Mới Chưa Ở Đâu",
    "outcome_hn1": "Công ty Có Kết Quả Ở Một",
    "applied_hn2": "Công ty Ở Một Nộp Hồ Sơ Ở Hai",
    "draft_hn2": "Công ty Ở Một Nháp Ở Hai",
}
SEEN_BY = {
    "hn1": {"hn1", "both", "none", "outcome_hn1", "applied_hn2", "draft_hn2"},
    "hn2": {"hn2", "both", "none", "applied_hn2"},
}


@pytest.fixture
def two(make, db):
    """HN1 (the first incubator) and HN2, their staff, and businesses in one, the other, both or neither."""
    hn1 = db.session.scalar(sa.select(Incubator).order_by(Incubator.id))
    hn2 = organisation.create("HN2", "Vườn ươm thứ hai", "Second incubator")
    db.session.commit()
    companies = {key: make.company(name=name) for key, name in NAMES.items()}
    with use_incubator(hn1):
        for key in ("hn1", "both", "applied_hn2", "draft_hn2"):
            make.residency(company=companies[key])
        make.outcome(company=companies["outcome_hn1"])
    with use_incubator(hn2):
        make.residency(company=companies["hn2"])
        make.residency(company=companies["both"], starts_on=date(2025, 3, 1))
        hn2_round = make.intake_round()
        make.application(intake_round=hn2_round, company=companies["applied_hn2"],
                         status=ApplicationStatus.SUBMITTED)
        make.application(intake_round=hn2_round, company=companies["draft_hn2"])  # a draft
    people = {"hn1": make.user(Role.STAFF, incubator=hn1), "hn2": make.user(Role.STAFF, incubator=hn2),
              "admin": make.user(Role.ADMIN)}
    db.session.commit()
    return hn1.id, hn2.id, {k: c.id for k, c in companies.items()}, people


def _names(html: str) -> set[str]:
    return {key for key, name in NAMES.items() if name in html}


@pytest.mark.parametrize("who", ["hn1", "hn2"])
def test_staff_list_the_businesses_of_their_incubator_and_those_in_none(two, who, client):
    _hn1, _hn2, _ids, people = two
    login(client, people[who])
    html = client.get("/register/?per_page=50").get_data(as_text=True)
    assert _names(html) == SEEN_BY[who]


def test_an_administrator_and_a_single_incubator_list_every_business(two, client, client_factory, make, db):
    _hn1, _hn2, _ids, people = two
    login(client, people["admin"])
    assert _names(client.get("/register/").get_data(as_text=True)) == set(NAMES)


def test_with_a_single_incubator_staff_see_every_business(make, client, db):
    for name in ("Công ty Một", "Công ty Hai"):
        make.residency(company=make.company(name=name))
    make.company(name="Công ty Ba")
    staff = make.user(Role.STAFF)
    db.session.commit()
    login(client, staff)
    html = client.get("/register/").get_data(as_text=True)
    assert all(name in html for name in ("Công ty Một", "Công ty Hai", "Công ty Ba"))
    with scoped_to([db.session.scalar(sa.select(Incubator.id))]):
        assert queries.company_count() == 3


def test_the_search_the_export_and_the_counts_follow_the_same_rule(two, client, db):
    hn1, hn2, ids, people = two
    login(client, people["hn2"])
    found = client.get("/register/", query_string={"q": "Chỉ Ở"}).get_data(as_text=True)
    assert _names(found) == {"hn2"}
    searched = client.get("/register/", query_string={"q": NAMES["hn1"]}).get_data(as_text=True)
    assert f'href="/register/{ids["hn1"]}"' not in searched and f">{NAMES['hn1']}</a>" not in searched
    exported = client.get("/register/export.csv")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.get_data().decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == {NAMES[k] for k in SEEN_BY["hn2"]}
    for incubator, who in ((hn1, "hn1"), (hn2, "hn2")):
        with scoped_to([incubator]):
            assert queries.company_count() == len(SEEN_BY[who])
    assert queries.company_count() == len(NAMES)  # not limited: every business


def test_another_incubators_business_answers_404_at_every_door_of_its_own(two, client):
    _hn1, _hn2, ids, people = two
    login(client, people["hn2"])
    theirs = ids["hn1"]
    for url in (f"/register/{theirs}", f"/register/{theirs}/edit", f"/register/{theirs}/residencies/new",
                f"/register/{theirs}/outcomes/new"):
        assert client.get(url).status_code == 404, url
    with nothing_written("posts to another incubator's business"):
        for url in (f"/register/{theirs}/verify", f"/register/{theirs}/edit", f"/register/{theirs}/residencies/new"):
            assert post_form(client, url, {"kind": "incubated", "starts_on": "01/01/2025", "version": "1",
                                           "name": "Đổi tên", "tax_code": "0100109106"},
                             token_from="/register/").status_code == 404, url
    assert client.get(f"/startups/{theirs}").status_code == 404  # the startup's file follows the same rule
    for key in SEEN_BY["hn2"]:
        assert client.get(f"/register/{ids[key]}").status_code == 200, key
        assert client.get(f"/startups/{ids[key]}").status_code == 200, key


def test_a_founders_business_applying_to_another_incubators_round_is_seen_there_once_submitted(two, client, db):
    _hn1, _hn2, ids, people = two
    login(client, people["hn2"])
    assert client.get(f"/register/{ids['draft_hn2']}").status_code == 404  # a draft is the founder's own
    from incubator.applications.models import Application

    draft = db.session.scalar(sa.select(Application).where(Application.company_id == ids["draft_hn2"]))
    draft.status = ApplicationStatus.SUBMITTED
    db.session.commit()
    assert client.get(f"/register/{ids['draft_hn2']}").status_code == 200


def _claim(make, db, company_id):
    founder = make.user(Role.FOUNDER, full_name="Người Xin Vào Hồ Sơ")
    membership = make.member(company=db.session.get(Company, company_id), user=founder,
                             status=MembershipStatus.PENDING)
    db.session.commit()
    return membership.id


def test_a_claim_waits_for_the_staff_who_see_the_business(two, make, db, client_factory):
    _hn1, _hn2, ids, people = two
    in_hn1 = _claim(make, db, ids["hn1"])
    in_none = _claim(make, db, ids["none"])
    staff1, staff2 = client_factory(), client_factory()
    login(staff1, people["hn1"])
    login(staff2, people["hn2"])
    listed = {who: client.get("/register/claims").get_data(as_text=True)
              for who, client in (("hn1", staff1), ("hn2", staff2))}
    assert NAMES["hn1"] in listed["hn1"] and NAMES["hn1"] not in listed["hn2"]
    assert NAMES["none"] in listed["hn1"] and NAMES["none"] in listed["hn2"]
    with scoped_to([_hn2]):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(queries.pending_claims().subquery())) == 1
    with nothing_written("a claim decided by staff who do not see the business"):
        assert post_form(staff2, f"/register/memberships/{in_hn1}/approve", token_from="/register/claims"
                         ).status_code == 404
    assert staff2.get(f"/register/memberships/{in_hn1}/certificate").status_code == 404
    assert post_form(staff1, f"/register/memberships/{in_hn1}/approve", token_from="/register/claims"
                     ).status_code == 302
    assert post_form(staff2, f"/register/memberships/{in_none}/approve", token_from="/register/claims"
                     ).status_code == 302
    db.session.expire_all()
    assert {db.session.get(CompanyMember, i).status for i in (in_hn1, in_none)} == {MembershipStatus.APPROVED}


def test_staff_take_in_a_business_another_incubator_has_by_its_tax_code(two, client, db):
    hn1, hn2, ids, people = two
    company = db.session.get(Company, ids["hn1"])
    tax_code, name = company.tax_code, company.name
    login(client, people["hn2"])
    response = post_form(client, "/register/new", {"tax_code": tax_code, "name": "Tên khác", "is_it": "y"},
                         token_from="/register/new")
    assert response.status_code == 302 and f"/register/take-in/{tax_code}" in response.headers["Location"]
    page = client.get(f"/register/take-in/{tax_code}")
    assert page.status_code == 200 and name in page.get_data(as_text=True)
    response = post_form(client, f"/register/take-in/{tax_code}", {"kind": "incubated", "starts_on": "01/06/2025"},
                         token_from=f"/register/take-in/{tax_code}")
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    placed = db.session.execute(sa.select(Residency.incubator_id, Residency.starts_on)
                                .where(Residency.company_id == ids["hn1"]).order_by(Residency.starts_on)).all()
    assert placed == [(hn1, date(2024, 1, 1)), (hn2, date(2025, 6, 1))]
    assert db.session.get(Company, ids["hn1"]).name == name  # the business itself is untouched
    assert client.get(f"/register/{ids['hn1']}").status_code == 200  # HN2's now
    # A business this incubator sees already goes on to its residency form; an unknown code is not found.
    assert client.get(f"/register/take-in/{tax_code}").status_code == 302
    assert client.get("/register/take-in/0100109106").status_code == 404
    for impossible in ("%00", "1" * 300, "abc"):  # answered without asking the database
        assert client.get(f"/register/take-in/{impossible}").status_code == 404


def test_the_import_into_one_incubator_finds_a_business_of_another_by_its_tax_code(two, runner, tmp_path, db):
    from flask_babel import force_locale

    from tests.imports.test_import import write_folder

    hn1, hn2, ids, _people = two
    tax_code = db.session.get(Company, ids["hn1"]).tax_code
    sheets = {"companies": [["tax_code", "name", "is_it"], [tax_code, NAMES["hn1"], "yes"]],
              "residencies": [["tax_code", "kind", "start_date", "end_date"],
                              [tax_code, "incubated", "01/01/2024", ""]]}
    with force_locale("en"):
        result = runner.invoke(args=["import-register", str(write_folder(tmp_path / "csv", sheets)),
                                     "--incubator", "HN2"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Company).where(Company.tax_code == tax_code)) == 1
    assert sorted(db.session.scalars(sa.select(Residency.incubator_id).where(Residency.company_id == ids["hn1"]))) \
        == sorted([hn1, hn2])
