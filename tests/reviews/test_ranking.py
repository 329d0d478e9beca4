"""The ranking's arithmetic, checked against an example worked by hand."""

from __future__ import annotations

import math

import pytest

from incubator.auth.enums import Role
from incubator.reviews import ranking
from incubator.reviews.queries import ranking as stage_ranking


def test_weighted_total_places_each_score_on_its_own_scale():
    criteria = [ranking.CriterionScale(1, weight=2, scale_min=1, scale_max=5),
                ranking.CriterionScale(2, weight=1, scale_min=0, scale_max=10)]
    # 3 on 1-5 is half-way, 5 on 0-10 is half-way: (2 × 0.5 + 1 × 0.5) / 3 = 0.5 → 50.
    assert ranking.weighted_total({1: 3, 2: 5}, criteria) == pytest.approx(50)
    # 5 is the top of 1-5, 0 the bottom of 0-10: (2 × 1 + 1 × 0) / 3 → 66.67.
    assert ranking.weighted_total({1: 5, 2: 0}, criteria) == pytest.approx(200 / 3)
    assert ranking.weighted_total({1: 5}, criteria) is None  # a criterion without a score


def test_the_standard_deviation_is_the_population_one_and_zero_for_equal_totals():
    import random
    import statistics

    rng = random.Random(10)
    for n in range(2, 30):
        values = [100 * rng.random() for _ in range(n)]
        assert ranking.pstdev(values) == pytest.approx(statistics.pstdev(values), rel=1e-12)
    # A reviewer who gave every application the same total: z = 0 for each, however the total is written.
    for total in (0.1, 72.5, 200 / 3, 100.0):
        assert ranking.pstdev([total] * 7) == 0.0
    assert ranking.pstdev([42.0]) == 0.0


def test_the_stage_ranking_normalises_as_statistics_does_and_gives_0_for_equal_totals(make, db):
    """The normalised score of the stage's ranking against Python's statistics module as the oracle:
    population standard deviations of random totals, and exactly 0 for a reviewer whose totals are all equal,
    however the total is written (200/3 has no exact binary form)."""
    import random
    import statistics

    rng = random.Random(10)
    stage = make.review_stage(criteria=[(1, 0, 1000)])
    entries = [make.stage_entry(stage) for _ in range(6)]
    reviewers = [make.user(Role.REVIEWER) for _ in range(4)]
    given = {}
    for r, reviewer in enumerate(reviewers):
        for e, entry in enumerate(entries):
            if (r + e) % 4 == 3:
                continue  # not every reviewer reads every application
            value = rng.randint(0, 1000)
            given[(r, e)] = value / 10  # a score of v on 0-1000 is a total of v / 10
            make.review(make.assignment(entry, reviewer), values=[value])
    flat = make.user(Role.REVIEWER)
    for entry in entries[:3]:
        review = make.review(make.assignment(entry, flat), values=[0])
        review.weighted_total = 200 / 3  # the same total three times
    db.session.commit()

    z = {}
    for r in range(len(reviewers)):
        mine = {e: t for (rr, e), t in given.items() if rr == r}
        mean, sd = statistics.fmean(mine.values()), statistics.pstdev(mine.values())
        z.update({(r, e): (t - mean) / sd for e, t in mine.items()})
    rows, _ = stage_ranking(stage)
    by_entry = {row.entry.id: row.row for row in rows}
    for e, entry in enumerate(entries):
        mine = [z[(r, e)] for r in range(len(reviewers)) if (r, e) in z] + ([0.0] if e < 3 else [])
        assert by_entry[entry.id].normalised == pytest.approx(statistics.fmean(mine), abs=1e-9)
        assert by_entry[entry.id].done == len(mine)


def test_normalised_score_worked_by_hand(make, db):
    """One criterion scored 0-10, so a review's total is ten times its score.

    Reviewer A is harsh, B generous; both read X, Y, Z. C read only W and X.
      A: X 60, Y 40, Z 20. Mean 40, deviations +20, 0, -20, population sd = 20·√(2/3) = 16.33,
         z = +√(3/2) = +1.2247, 0, -1.2247.
      B: X 100, Y 90, Z 80. Mean 90, sd = 10·√(2/3) = 8.165, z = +1.2247, 0, -1.2247 (same as A).
      C: W 50, X 70. Mean 60, sd 10, z = -1, +1 (only two reviews: unreliable).
    Per application:
      X: totals 60, 100, 70 → mean 76.67, median 70, normalised (1.2247 + 1.2247 + 1) / 3 = 1.1498,
         spread 40 (wide, over 25).
      Y: 40, 90 → mean 65, median 65, normalised 0, spread 50.
      Z: 20, 80 → mean 50, median 50, normalised -1.2247, spread 60.
      W: 50 → mean 50, median 50, normalised -1, spread 0.
    By mean, Z and W tie at 50; normalised, W (-1) is above Z (-1.2247): Z's 80 came from the generous B.
    """
    stage = make.review_stage(criteria=[(1, 0, 10)], spread_threshold=25)
    apps = {name: make.stage_entry(stage) for name in "XYZW"}
    reviewers = {name: make.user(Role.REVIEWER) for name in "ABC"}
    given = {"A": {"X": 6, "Y": 4, "Z": 2}, "B": {"X": 10, "Y": 9, "Z": 8}, "C": {"W": 5, "X": 7}}
    for reviewer, scores in given.items():
        for app, value in scores.items():
            make.review(make.assignment(apps[app], reviewers[reviewer]), values=[value])
    # An unfinished draft does not count.
    make.review(make.assignment(apps["W"], make.user(Role.REVIEWER)), values=[0], submitted=False)

    rows, unreliable = stage_ranking(stage, sort="normalised")
    by_ref = {r.entry.id: r.row for r in rows}
    x, y, z, w = (by_ref[apps[n].id] for n in "XYZW")
    root = math.sqrt(3 / 2)
    assert (x.done, x.assigned) == (3, 3) and (w.done, w.assigned) == (1, 2)
    assert x.mean == pytest.approx(230 / 3) and x.median == pytest.approx(70)
    assert x.normalised == pytest.approx((root + root + 1) / 3) and x.spread == pytest.approx(40) and x.wide
    assert (y.mean, y.median, y.normalised, y.spread) == (pytest.approx(65), pytest.approx(65), pytest.approx(0),
                                                          pytest.approx(50))
    assert z.mean == pytest.approx(50) and z.normalised == pytest.approx(-root)
    assert w.mean == pytest.approx(50) and w.normalised == pytest.approx(-1) and not w.wide
    assert [r.entry.id for r in rows] == [apps[n].id for n in "XYWZ"]
    assert unreliable == {reviewers["C"].id: 2}
    assert x.unreliable_reviewers == 1 and y.unreliable_reviewers == 0

    by_mean, _ = stage_ranking(stage, sort="mean", descending=False)
    assert [r.entry.id for r in by_mean][:2] in ([apps["Z"].id, apps["W"].id], [apps["W"].id, apps["Z"].id])
