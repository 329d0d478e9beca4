"""The arithmetic of a stage's ranking, apart from the database so a hand-worked example can test it.

- A review's **weighted total** is on a 0-100 scale: each criterion's score is placed on its own scale
  (minimum → 0, maximum → 1), weighted, and the weighted mean is multiplied by 100. Criteria with
  different scales (1-5, 0-10) thus weigh what their weights say.
- The **normalised score** corrects for reviewers who are harsh or generous: each reviewer's weighted
  totals in the stage become z-scores, (total − the reviewer's mean) / the reviewer's standard deviation
  (population; 0 when all their totals are equal); an application's normalised score is the mean of its
  reviews' z-scores. A reviewer with fewer than three reviews in the stage makes it unreliable, and the
  ranking says so.
- The **spread** is the highest total minus the lowest for the application; it is flagged when wider than
  the stage's threshold.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

RELIABLE_MIN_REVIEWS = 3


@dataclass(frozen=True)
class CriterionScale:
    id: int
    weight: int
    scale_min: int
    scale_max: int


def weighted_total(scores: dict[int, int | None], criteria: list[CriterionScale]) -> float | None:
    """0-100; None when a criterion has no score (a draft)."""
    total_weight = sum(c.weight for c in criteria)
    if not criteria or total_weight <= 0:
        return None
    acc = 0.0
    for c in criteria:
        value = scores.get(c.id)
        if value is None:
            return None
        acc += c.weight * (value - c.scale_min) / (c.scale_max - c.scale_min)
    return 100.0 * acc / total_weight


def pstdev(values: list[float]) -> float:
    """The population standard deviation, in floats (statistics.pstdev works in exact fractions, forty times
    slower, and a stage needs one per reviewer); exactly 0 when every value is the same."""
    if len(values) < 2 or max(values) == min(values):
        return 0.0
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


@dataclass
class Row:
    """An application's figures in the ranking."""

    assigned: int = 0
    done: int = 0
    unreliable_reviewers: int = 0
    mean: float | None = None
    median: float | None = None
    normalised: float | None = None
    spread: float | None = None
    wide: bool = False


def rank(application_ids: list[int], assigned: dict[int, int], reviews: list[tuple[int, int, float]],
         spread_threshold: float) -> dict[int, Row]:
    """``reviews``: submitted reviews as (application, reviewer, weighted total). Each review's z-score is
    (total − its reviewer's mean) / the reviewer's population standard deviation, 0 when that is 0."""
    by_reviewer: dict[int, list[float]] = {}
    for _application, reviewer, total in reviews:
        by_reviewer.setdefault(reviewer, []).append(total)
    reviewer_stats = {}
    for reviewer, values in by_reviewer.items():
        reviewer_stats[reviewer] = (math.fsum(values) / len(values), pstdev(values),
                                    len(values) < RELIABLE_MIN_REVIEWS)
    per_application: dict[int, list[tuple[float, float, bool]]] = {}
    for application, reviewer, total in reviews:
        mean, sd, unreliable = reviewer_stats[reviewer]
        per_application.setdefault(application, []).append((total, (total - mean) / sd if sd > 0 else 0.0,
                                                             unreliable))
    rows = {}
    for application in application_ids:
        row = rows[application] = Row(assigned=assigned.get(application, 0))
        items = per_application.get(application)
        if not items:
            continue
        totals = [total for total, _z, _u in items]
        row.done = len(items)
        row.mean = math.fsum(totals) / len(totals)
        row.median = statistics.median(totals)
        row.normalised = math.fsum(z for _t, z, _u in items) / len(items)
        row.spread = max(totals) - min(totals)
        row.wide = row.spread > spread_threshold
        row.unreliable_reviewers = sum(1 for _t, _z, unreliable in items if unreliable)
    return rows


def reviewer_counts(reviews: list[tuple[int, int, float]]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for _, reviewer, _ in reviews:
        counts[reviewer] = counts.get(reviewer, 0) + 1
    return counts
