"""Each stage's standings (``StageStanding``: an entry's figures in the ranking), kept up to date in the same
transaction as the writes that change them, so that the ranking's page reads a sorted page of rows, whatever
the stage's size, instead of ranking every application at every view (issue 23).

What changes a stage's figures: a review submitted, reopened or deleted, or its weighted total changed (a
criterion's weight); an assignment made, withdrawn, deleted or moved; an application taken into the stage or
taken out; the stage's spread threshold. ``after_flush`` notes the stages such a flush touched, whatever door
the write came through (a service, a command, a test); ``after_flush_postexec`` computes their figures afresh
with ``ranking.rank`` (the arithmetic a hand-worked example tests) and rewrites their rows, on the flush's own
connection: in its transaction, so a rollback takes the figures back with the write, and any read after the
flush sees them. A normalised score depends on every review of the same reviewer in the stage, hence the whole
stage is computed again; a draft's autosave changes nothing here and costs nothing.

Rows written without the ORM (the benchmark's bulk seed) call ``refresh`` themselves."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from incubator.reviews import ranking as calc
from incubator.reviews.enums import ACTIVE_ASSIGNMENT, ReviewStatus
from incubator.reviews.models import Assignment, Review, ReviewStage, StageEntry, StageReviewer, StageStanding

STANDINGS = StageStanding.__table__
REVIEWERS = StageReviewer.__table__
_STAGES = "standings_stale_stages"
_ASSIGNMENTS = "standings_stale_assignments"


def figures(connection, stage_id: int) -> tuple[int, dict[int, calc.Row], dict[int, int]] | None:
    """The stage's incubator, each entry's figures computed afresh ({entry id: Row}) and each reviewer's number of
    counted reviews ({reviewer id: reviews}, those with at least one); None when the stage is gone. Three queries
    of plain columns."""
    stage = connection.execute(sa.select(ReviewStage.incubator_id, ReviewStage.spread_threshold)
                               .where(ReviewStage.id == stage_id)).first()
    if stage is None:
        return None
    entries = connection.execute(sa.select(StageEntry.id, StageEntry.application_id)
                                 .where(StageEntry.stage_id == stage_id)).all()
    counted = sa.and_(Review.status == ReviewStatus.SUBMITTED, Review.weighted_total.is_not(None))
    assigned: dict[int, int] = {}
    reviews = []
    for application, reviewer, total in connection.execute(
            sa.select(Assignment.application_id, Assignment.reviewer_id, sa.case((counted, Review.weighted_total)))
            .outerjoin(Review, Review.assignment_id == Assignment.id)
            .where(Assignment.stage_id == stage_id, Assignment.status.in_(ACTIVE_ASSIGNMENT))):
        assigned[application] = assigned.get(application, 0) + 1
        if total is not None:
            reviews.append((application, reviewer, total))
    rows = calc.rank([application for _id, application in entries], assigned, reviews, stage.spread_threshold)
    per_reviewer: dict[int, int] = {}
    for _application, reviewer, _total in reviews:
        per_reviewer[reviewer] = per_reviewer.get(reviewer, 0) + 1
    return stage.incubator_id, {entry_id: rows[application] for entry_id, application in entries}, per_reviewer


def refresh(connection, stage_ids: Iterable[int]) -> None:
    """Rewrite the standings of these stages, and their reviewers' counts of reviews, from their entries,
    assignments and reviews."""
    for stage_id in sorted(set(stage_ids)):
        if connection.dialect.name == "postgresql":
            # Two transactions refreshing one stage take turns (FOR NO KEY UPDATE: an assignment's insert still
            # goes on), so that the second computes from the first's committed reviews and rewrites its rows.
            connection.execute(sa.select(ReviewStage.id).where(ReviewStage.id == stage_id)
                               .with_for_update(key_share=True))
        computed = figures(connection, stage_id)
        connection.execute(sa.delete(STANDINGS).where(STANDINGS.c.stage_id == stage_id))
        connection.execute(sa.delete(REVIEWERS).where(REVIEWERS.c.stage_id == stage_id))
        if not computed:
            continue
        incubator_id, rows, per_reviewer = computed
        if per_reviewer:
            connection.execute(sa.insert(REVIEWERS), [
                {"stage_id": stage_id, "reviewer_id": reviewer, "incubator_id": incubator_id, "reviews": reviews}
                for reviewer, reviews in per_reviewer.items()])
        if rows:
            connection.execute(sa.insert(STANDINGS), [
                {"entry_id": entry_id, "stage_id": stage_id, "incubator_id": incubator_id,
                 "assigned": row.assigned, "done": row.done, "unreliable_reviewers": row.unreliable_reviewers,
                 "mean": row.mean, "median": row.median, "normalised": row.normalised, "spread": row.spread,
                 "wide": row.wide} for entry_id, row in rows.items()])


def _changed(obj, *names: str) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _committed(obj, name: str):
    """The attribute's value before this flush (a deleted or moved row's old stage), else its value."""
    history = sa.inspect(obj).attrs[name].history
    return history.deleted[0] if history.deleted else getattr(obj, name)


@event.listens_for(Session, "after_flush")
def _note_stale_stages(session, _context) -> None:
    stages: set[int] = session.info.setdefault(_STAGES, set())
    assignments: set[int] = session.info.setdefault(_ASSIGNMENTS, set())
    for obj, gone_or_new in [(o, True) for o in session.new] + [(o, True) for o in session.deleted] + [
            (o, False) for o in session.dirty]:
        if isinstance(obj, Review):
            if gone_or_new or _changed(obj, "status", "weighted_total", "assignment_id"):
                assignments.update(v for v in (obj.assignment_id, _committed(obj, "assignment_id")) if v)
        elif isinstance(obj, Assignment):
            if gone_or_new or _changed(obj, "status", "stage_id", "application_id", "reviewer_id"):
                stages.update(v for v in (obj.stage_id, _committed(obj, "stage_id")) if v)
        elif isinstance(obj, StageEntry):
            if gone_or_new or _changed(obj, "stage_id", "application_id"):
                stages.update(v for v in (obj.stage_id, _committed(obj, "stage_id")) if v)
        elif isinstance(obj, ReviewStage) and not gone_or_new and _changed(obj, "spread_threshold"):
            stages.add(obj.id)


@event.listens_for(Session, "after_flush_postexec")
def _refresh_stale_stages(session, _context) -> None:
    stages = session.info.pop(_STAGES, set())
    assignments = session.info.pop(_ASSIGNMENTS, set())
    if not stages and not assignments:
        return
    connection = session.connection()
    if assignments:
        stages.update(connection.scalars(sa.select(Assignment.stage_id).where(Assignment.id.in_(assignments))))
    refresh(connection, stages)
