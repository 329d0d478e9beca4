"""A stage's standings (issue 23): the ranking's page reads each entry's figures from ``review_stage_standings``,
kept in the same transaction as every write that changes them. Whatever happens to a stage, through the
services a reviewer or staff member uses, the rows equal the figures computed afresh, and the ranking's order
is the one the figures give."""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.db import utcnow
from incubator.reviews import assigning, scoring, stages, standings
from incubator.reviews.enums import ReviewStatus
from incubator.reviews.models import StageStanding
from incubator.reviews.queries import ranking, ranking_page

FIGURES = ("assigned", "done", "unreliable_reviewers", "mean", "median", "normalised", "spread", "wide")


def _stored(db, stage_id) -> dict:
    table = StageStanding.__table__
    return {row.entry_id: tuple(getattr(row, name) for name in FIGURES)
            for row in db.session.execute(sa.select(table).where(table.c.stage_id == stage_id))}


def _fresh(db, stage_id) -> dict:
    computed = standings.figures(db.session.connection(), stage_id)
    rows = computed[1] if computed else {}
    return {entry: tuple(getattr(row, name) for name in FIGURES) for entry, row in rows.items()}


def _same(stored: dict, fresh: dict) -> None:
    assert stored.keys() == fresh.keys()
    for entry, values in fresh.items():
        assert stored[entry] == pytest.approx(values), entry


def _reviewers_kept(db, stage_id) -> dict[int, int]:
    """Each reviewer's counted reviews as kept (StageReviewer), against a count written out here over the
    stage's reviews (submitted, with a weighted total, of an assignment still active)."""
    from incubator.reviews.enums import ACTIVE_ASSIGNMENT
    from incubator.reviews.models import Assignment, Review, StageReviewer

    table = StageReviewer.__table__
    kept = dict(db.session.execute(sa.select(table.c.reviewer_id, table.c.reviews)
                                   .where(table.c.stage_id == stage_id)).all())
    counted = dict(db.session.execute(
        sa.select(Assignment.reviewer_id, sa.func.count(Review.id)).join(Review, Review.assignment_id == Assignment.id)
        .where(Assignment.stage_id == stage_id, Assignment.status.in_(ACTIVE_ASSIGNMENT),
               Review.status == ReviewStatus.SUBMITTED, Review.weighted_total.is_not(None))
        .group_by(Assignment.reviewer_id)).all())
    assert kept == counted
    return kept


def _expected_order(db, stage, key: str) -> list[int]:
    """Sorted in Python from the fresh figures, as the ranking was before it kept them: a missing value last,
    equal values in the order of entry."""
    index = FIGURES.index(key)
    fresh = _fresh(db, stage.id)
    present = sorted((e for e in fresh if fresh[e][index] is not None), key=lambda e: (-fresh[e][index], e))
    return present + sorted(e for e in fresh if fresh[e][index] is None)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_standings_follow_every_change_and_give_the_ranking_its_order(seed, make, db):
    chance = random.Random(seed)
    staff = make.user(Role.STAFF)
    stage = make.review_stage(criteria=[(2, 1, 5), (1, 0, 10)])
    reviewers = [make.user(Role.REVIEWER) for _ in range(4)]
    entries = [make.stage_entry(stage) for _ in range(6)]
    db.session.flush()
    _same(_stored(db, stage.id), _fresh(db, stage.id))

    reviews = []
    for _step in range(80):
        action = chance.choice(["assign", "review", "submit", "submit", "withdraw", "threshold", "weight", "entry"])
        if action == "assign":
            entry, reviewer = chance.choice(entries), chance.choice(reviewers)
            if not any(a.reviewer_id == reviewer.id and a.application_id == entry.application_id
                       for a in stage_assignments(db, stage)):
                make.assignment(entry, reviewer)
        elif action == "review":
            free = [a for a in stage_assignments(db, stage) if a.review is None and a.is_active]
            if free:
                values = [chance.randint(1, 5), chance.randint(0, 10)]
                reviews.append(make.review(chance.choice(free), values=values, submitted=False))
        elif action == "submit":
            drafts = [r for r in reviews if r.status is ReviewStatus.DRAFT]
            if drafts:
                review = chance.choice(drafts)
                scoring.change_review_status(review, ReviewStatus.SUBMITTED, actor=staff, now=utcnow(),
                                             criteria=list(stage.criteria))
        elif action == "withdraw":
            open_ones = [a for a in stage_assignments(db, stage) if a.may_be_taken_back]
            if open_ones:
                assigning.withdraw_assignment(chance.choice(open_ones), actor=staff)
        elif action == "threshold":
            stages.update_stage(stage, actor=staff, spread_threshold=chance.choice([5, 10, 25, 40]))
        elif action == "weight":
            criterion = stage.criteria[0]
            stages.update_criterion(criterion, actor=staff, name_vi=criterion.name_vi, name_en=criterion.name_en,
                                    weight=chance.randint(1, 4), scale_min=criterion.scale_min,
                                    scale_max=criterion.scale_max)
        else:
            entries.append(make.stage_entry(stage))
        db.session.flush()
        _same(_stored(db, stage.id), _fresh(db, stage.id))
        _reviewers_kept(db, stage.id)

    assert any(values[1] for values in _fresh(db, stage.id).values()), "the walk submitted no review"
    assert _reviewers_kept(db, stage.id), "no reviewer has a counted review"
    for key in ("normalised", "mean", "spread"):
        assert [r.entry.id for r in ranking(stage, sort=key)[0]] == _expected_order(db, stage, key)
        pager, _unreliable = ranking_page(stage, sort=key, page=2, per_page=4)
        assert [r.entry_id for r in pager.items] == _expected_order(db, stage, key)[4:8]
        assert pager.total == len(entries)
    db.session.commit()
    _same(_stored(db, stage.id), _fresh(db, stage.id))


def stage_assignments(db, stage):
    from incubator.reviews.models import Assignment

    return list(db.session.scalars(sa.select(Assignment).where(Assignment.stage_id == stage.id)))


def test_a_rolled_back_write_takes_its_figures_back(make, db):
    stage = make.review_stage()
    entry = make.stage_entry(stage)
    draft = make.review(make.assignment(entry), values=[5, 5], submitted=False)  # the factory commits
    assert _stored(db, stage.id)[entry.id][:2] == (1, 0)
    scoring.change_review_status(draft, ReviewStatus.SUBMITTED, actor=make.user(Role.STAFF), now=utcnow(),
                                 criteria=list(stage.criteria))
    assert _stored(db, stage.id)[entry.id][1] == 1
    db.session.rollback()
    assert _stored(db, stage.id)[entry.id][:2] == (1, 0)
