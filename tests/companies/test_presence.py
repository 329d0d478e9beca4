"""Where each business is (``company_presence``, issue 23): the table the register's rule of which businesses an
incubator's staff see reads, kept in the same transaction as each residency, outcome and application that moves
a business, whatever door the write came through. After every kind of write, the table holds exactly what the
rows say (computed here from the rows, independently of the keeper); a rollback takes it back with the write;
and the register's total, counted from the table, is the number of businesses the list shows."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from incubator.applications.enums import ApplicationStatus
from incubator.auth.enums import Role
from incubator.companies import presence, queries
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Company, CompanyPresence, Residency
from incubator.organisation import services as organisation
from incubator.organisation.current import use_incubator
from incubator.organisation.models import Incubator
from incubator.organisation.scoping import scoped_to
from incubator.outcomes.models import GraduationOutcome
from tests.helpers import count_queries, login

PRESENCE = CompanyPresence.__table__


def _kept(db) -> set[tuple[int, int | None]]:
    return set(db.session.execute(sa.select(PRESENCE.c.company_id, PRESENCE.c.incubator_id)))


def _from_rows(db) -> set[tuple[int, int | None]]:
    """What the rows say, written out here: each residency's, outcome's and submitted application's (business,
    incubator), and (business, None) for a business with none of them."""
    from incubator.applications.models import Application

    placed = set()
    for model, where in ((Residency, sa.true()), (GraduationOutcome, sa.true()),
                         (Application, Application.status != ApplicationStatus.DRAFT)):
        table = model.__table__
        placed |= set(db.session.execute(sa.select(table.c.company_id, table.c.incubator_id).where(where)))
    every = set(db.session.scalars(sa.select(Company.__table__.c.id)))
    return placed | {(company, None) for company in every - {company for company, _ in placed}}


@pytest.fixture
def two(db):
    hn1 = db.session.scalar(sa.select(Incubator).order_by(Incubator.id))
    hn2 = organisation.create("HN2", "Vườn ươm thứ hai", "Second incubator")
    db.session.commit()
    return hn1, hn2


def test_the_table_follows_every_write_that_moves_a_business(two, make, db):
    hn1, hn2 = two
    first, second = make.company(name="Công ty Một"), make.company(name="Công ty Hai")
    db.session.commit()
    assert _kept(db) == {(first.id, None), (second.id, None)} == _from_rows(db)  # new: in none

    with use_incubator(hn1):
        stay = make.residency(company=first)
        make.outcome(company=second)
    db.session.commit()
    assert _kept(db) == {(first.id, hn1.id), (second.id, hn1.id)} == _from_rows(db)

    with use_incubator(hn2):
        hn2_round = make.intake_round()
        draft = make.application(intake_round=hn2_round, company=first)
    db.session.commit()
    assert _kept(db) == _from_rows(db) and (first.id, hn2.id) not in _kept(db)  # a draft is the founder's own

    draft.status = ApplicationStatus.SUBMITTED
    db.session.commit()
    assert (first.id, hn2.id) in _kept(db) and _kept(db) == _from_rows(db)

    stay.company = second  # a residency recorded against the wrong business, corrected: both are rewritten
    db.session.commit()
    assert _kept(db) == {(first.id, hn2.id), (second.id, hn1.id)} == _from_rows(db)

    db.session.delete(draft)
    db.session.commit()
    assert _kept(db) == {(first.id, None), (second.id, hn1.id)} == _from_rows(db)  # back in none

    db.session.delete(second)  # its residency and outcome go with it, and so do its rows here
    db.session.commit()
    assert _kept(db) == {(first.id, None)} == _from_rows(db)


def test_an_autosave_rewrites_nothing(two, make, db):
    hn1, _hn2 = two
    with use_incubator(hn1):
        application = make.application(status=ApplicationStatus.DRAFT)
    db.session.commit()
    application.answers = {"summary": "Nền tảng số cho phường xã"}
    with count_queries() as counter:
        db.session.flush()
    assert counter.statements  # the answers were written ...
    assert not [s for s in counter.statements if "company_presence" in s]  # ... and where the business is, not


def test_a_rollback_takes_the_rows_back_with_the_write(two, make, db):
    hn1, _hn2 = two
    company = make.company()
    db.session.commit()
    with use_incubator(hn1):  # not the factory, which commits
        db.session.add(Residency(company=company, kind=ResidencyKind.INCUBATED, starts_on=date(2025, 1, 1)))
        db.session.flush()
    assert _kept(db) == {(company.id, hn1.id)} == _from_rows(db)
    db.session.rollback()
    assert _kept(db) == {(company.id, None)} == _from_rows(db)


def test_refresh_all_rebuilds_what_the_writes_kept(two, make, db):
    hn1, hn2 = two
    companies = [make.company() for _ in range(4)]
    with use_incubator(hn1):
        make.residency(company=companies[0])
        make.residency(company=companies[1])
    with use_incubator(hn2):
        make.residency(company=companies[1], starts_on=date(2025, 3, 1))
        make.outcome(company=companies[2])
    db.session.commit()
    kept = _kept(db)
    presence.refresh_all(db.session.connection())
    assert _kept(db) == kept == _from_rows(db)
    assert len(kept) == 5


def test_the_registers_total_is_the_number_of_businesses_it_lists(two, make, db, client_factory):
    """The register's total, counted from the table when nothing narrows the list, against the businesses the
    page lists, for the staff of each incubator and for an administrator; a search counts its own list."""
    hn1, hn2 = two
    names = {}
    for k in range(7):
        company = make.company(name=f"Công ty Số {k}")
        names[company.name] = {1: {"hn1"}, 2: {"hn2"}}.get(k % 3, {"hn1", "hn2"})  # 0, 3, 6: in none
        if k % 3:
            with use_incubator(hn1 if k % 3 == 1 else hn2):
                make.residency(company=company)
    both = make.company(name="Công ty Ở Cả Hai")
    names[both.name] = {"hn1", "hn2"}
    for place in (hn1, hn2):
        with use_incubator(place):
            make.residency(company=both)
    people = {"hn1": make.user(Role.STAFF, incubator=hn1), "hn2": make.user(Role.STAFF, incubator=hn2),
              "admin": make.user(Role.ADMIN)}
    db.session.commit()
    for who, user in people.items():
        client = client_factory()
        login(client, user)
        for query, shown in (("", lambda name: True), ("?q=so", lambda name: "Số" in name)):
            html = client.get(f"/register/{query}").get_data(as_text=True)
            listed = [name for name in names if name in html]
            assert listed == [name for name in names if shown(name) and (who == "admin" or who in names[name])]
            assert re.search(r'<p class="small text-muted">(\d+) ', html).group(1) == str(len(listed)), (who, query)


def test_the_count_and_the_rule_agree_for_every_scope(two, make, db, app):
    hn1, hn2 = two
    for k in range(6):
        company = make.company()
        if k % 3:
            with use_incubator(hn1 if k % 3 == 1 else hn2):
                make.residency(company=company)
    db.session.commit()
    for ids in ([hn1.id], [hn2.id], [hn1.id, hn2.id]):
        with app.test_request_context(), scoped_to(ids):
            listed = db.session.scalars(queries.register_list(date.today())).all()
            assert queries.count_visible_companies() == len(listed) == 2 + 2 * len(ids)
