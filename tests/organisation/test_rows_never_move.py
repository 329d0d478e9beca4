"""Rows never move between incubators (issue 20): a row already written that is given another incubator (its
``incubator_id``, or its ``incubator``) is refused before anything is written, whether or not it has rows
below it, whether or not they are moved with it. Otherwise HN1's round would take its applications' incubator
with it, or leave them straddling two, and what HN1's figures and reports counted would change under them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from incubator.applications.enums import ApplicationStatus
from incubator.applications.models import Application, IntakeRound
from incubator.companies.models import Residency
from incubator.organisation import services as organisation
from incubator.organisation.current import use_incubator
from incubator.organisation.models import Incubator, RowsStayInTheirIncubator, StraddlingIncubators
from tests.helpers import nothing_written


@pytest.fixture
def two(make, db):
    """HN1 with a round and two applications to it, a residency; and HN2."""
    hn1 = db.session.scalar(sa.select(Incubator).order_by(Incubator.id))
    hn2 = organisation.create("HN2", "Vườn ươm thứ hai", "Second incubator")
    with use_incubator(hn1):
        intake_round = make.intake_round()
        for status in (ApplicationStatus.SUBMITTED, ApplicationStatus.DRAFT):
            make.application(intake_round=intake_round, status=status)
        residency = make.residency()
    db.session.commit()
    return hn1.id, hn2.id, intake_round.id, residency.id


def _where(db, hn1):
    """Every round, application and residency, with its incubator."""
    return {name: sorted(db.session.execute(sa.select(model.id, model.incubator_id)).all())
            for name, model in (("rounds", IntakeRound), ("applications", Application), ("residencies", Residency))}


def _refused(db, change):
    with nothing_written("a row moved to another incubator"):
        change()
        with pytest.raises(RowsStayInTheirIncubator) as refused:
            db.session.flush()
        db.session.rollback()
    return refused.value


def test_a_round_moved_to_another_incubator_with_its_applications_is_refused(two, db):
    hn1, hn2, round_id, _residency = two
    before = _where(db, hn1)

    def move_the_round():
        db.session.get(IntakeRound, round_id).incubator_id = hn2

    def move_it_with_its_applications():
        applications = db.session.scalars(sa.select(Application).where(Application.round_id == round_id)).all()
        db.session.get(IntakeRound, round_id).incubator_id = hn2
        for application in applications:
            application.incubator_id = hn2

    def move_it_by_the_relationship():
        db.session.get(IntakeRound, round_id).incubator = db.session.get(Incubator, hn2)

    for change in (move_the_round, move_it_with_its_applications, move_it_by_the_relationship):
        refused = _refused(db, change)
        assert isinstance(refused, StraddlingIncubators)  # what callers already catch
        assert _where(db, hn1) == before, change.__name__


def test_a_row_with_nothing_below_it_does_not_move_either(two, db):
    hn1, hn2, _round, residency_id = two
    before = _where(db, hn1)

    def move_a_residency():
        db.session.get(Residency, residency_id).incubator_id = hn2

    def move_it_to_a_new_incubator():
        db.session.get(Residency, residency_id).incubator = Incubator(code="HN3", name_vi="Vườn ươm thứ ba")

    def move_it_without_reading_it_first():
        residency = db.session.get(Residency, residency_id)
        db.session.expire(residency)  # what it was written with is not in memory: the database is asked
        residency.incubator_id = hn2

    for change in (move_a_residency, move_it_to_a_new_incubator, move_it_without_reading_it_first):
        _refused(db, change)
        assert _where(db, hn1) == before, change.__name__
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Incubator)) == 2


def test_a_row_given_its_own_incubator_again_or_changed_otherwise_is_saved(two, db):
    hn1, _hn2, round_id, residency_id = two
    intake_round = db.session.get(IntakeRound, round_id)
    intake_round.incubator_id = hn1
    intake_round.incubator = db.session.get(Incubator, hn1)
    intake_round.name_vi = "Đợt đổi tên"
    residency = db.session.get(Residency, residency_id)
    residency.note = "Ghi chú mới"
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(IntakeRound, round_id).name_vi == "Đợt đổi tên"
    assert db.session.get(Residency, residency_id).note == "Ghi chú mới"
    assert db.session.get(IntakeRound, round_id).incubator_id == hn1
