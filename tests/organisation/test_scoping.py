"""Scoping that cannot be forgotten (issue 20): inside ``scoped_to`` every ORM query of a model that carries
an incubator sees that incubator's rows only (lists, counts, joins, aliases, ``Session.get``, relationship
loads, bulk updates), without a ``where`` in the query; outside it, and for a query that asks for the whole
network, nothing is limited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import aliased

from incubator.applications.models import Application, IntakeRound
from incubator.organisation.current import use_incubator
from incubator.organisation.models import Incubator
from incubator.organisation.scoping import current_scope, scoped_to


@pytest.fixture
def two(make, db):
    """HN1 (the default incubator) and HN2, a round with an application in each."""
    hn1 = db.session.scalar(sa.select(Incubator))
    hn2 = Incubator(code="HN2", name_vi="Vườn ươm thứ hai", name_en="Second incubator")
    db.session.add(hn2)
    db.session.flush()
    rounds = {}
    for key, incubator in (("HN1", hn1), ("HN2", hn2)):
        with use_incubator(incubator):
            rounds[key] = make.intake_round(name_vi=f"Đợt của {key}").id
            make.application(intake_round=db.session.get(IntakeRound, rounds[key]))
    ids = hn1.id, hn2.id
    db.session.commit()
    db.session.expunge_all()  # nothing already in the session: every read below goes to the database
    return *ids, rounds


def _round_names(db, statement=None):
    return sorted(r.name_vi for r in db.session.scalars(statement if statement is not None else sa.select(IntakeRound)))


def test_a_scoped_block_lists_and_counts_its_incubators_rows_only(two, db):
    _hn1, hn2, _rounds = two
    with scoped_to([hn2]):
        assert current_scope() == (hn2,)
        assert _round_names(db) == ["Đợt của HN2"]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(IntakeRound)) == 1
        assert db.session.scalar(sa.select(sa.func.count(IntakeRound.id))) == 1
    assert current_scope() is None
    assert _round_names(db) == ["Đợt của HN1", "Đợt của HN2"]  # outside the block: everything


def test_another_incubators_row_is_not_found_by_its_id(two, db):
    hn1, _hn2, rounds = two
    theirs = rounds["HN2"]
    with scoped_to([hn1]):
        assert db.session.get(IntakeRound, theirs) is None
        assert db.session.scalar(sa.select(IntakeRound).where(IntakeRound.id == theirs)) is None
    assert db.session.get(IntakeRound, theirs) is not None


def test_joins_aliases_and_subqueries_are_limited_too(two, db):
    hn1, _hn2, rounds = two
    with scoped_to([hn1]):
        # Applications carry no incubator of their own in this test: the join to their round limits them.
        joined = db.session.scalars(sa.select(Application).join(Application.round)).all()
        assert [a.round_id for a in joined] == [rounds["HN1"]]
        other = aliased(IntakeRound)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(other)) == 1
        inside = sa.select(IntakeRound.id).where(IntakeRound.id == Application.round_id).exists()
        assert db.session.scalar(sa.select(sa.func.count(Application.id)).where(inside)) == 1


def test_a_bulk_update_in_a_scoped_block_leaves_other_incubators_rows_alone(two, db):
    hn1, _hn2, rounds = two
    cohort_before = db.session.get(IntakeRound, rounds["HN2"]).cohort_name
    with scoped_to([hn1]):
        db.session.execute(sa.update(IntakeRound).values(cohort_name="Khoá chung"))
    db.session.commit()
    names = dict(db.session.execute(sa.select(IntakeRound.id, IntakeRound.cohort_name)).all())
    assert names == {rounds["HN1"]: "Khoá chung", rounds["HN2"]: cohort_before}


def test_a_query_may_ask_for_the_whole_network_and_scopes_nest(two, db):
    hn1, hn2, _rounds = two
    with scoped_to([hn1]):
        everything = sa.select(IntakeRound).execution_options(all_incubators=True)
        assert len(_round_names(db, everything)) == 2
        with scoped_to([hn1, hn2]):
            assert len(_round_names(db)) == 2
        with scoped_to([]):
            assert _round_names(db) == []  # no incubator: nothing
        assert _round_names(db) == ["Đợt của HN1"]


def test_a_collection_loaded_later_keeps_the_scope_of_the_query_that_loaded_its_owner(make, db):
    """A business is one record city-wide; its residencies belong to incubators: read in HN2's scope, the
    business's residencies (a lazy load, later) are HN2's only."""
    from incubator.companies.models import Company

    hn1 = db.session.scalar(sa.select(Incubator))
    hn2 = Incubator(code="HN2", name_vi="Vườn ươm thứ hai")
    db.session.add(hn2)
    db.session.flush()
    company = make.company()
    for incubator in (hn1, hn2):
        with use_incubator(incubator):
            make.residency(company=company)
    company_id, hn2_id = company.id, hn2.id
    db.session.commit()
    db.session.expunge_all()
    with scoped_to([hn2_id]):
        found = db.session.get(Company, company_id)
        assert [r.incubator_id for r in found.residencies] == [hn2_id]
    db.session.expunge_all()
    assert len(db.session.get(Company, company_id).residencies) == 2
