"""A round's review stages: their settings and rubric, the applications they take in, and their order.
Each function validates, changes, flushes and audits; the request commits."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from incubator import bounds
from incubator.applications.enums import ApplicationStatus
from incubator.applications.models import Application
from incubator.audit import services as audit
from incubator.errors import DomainError, expect_version
from incubator.extensions import db
from incubator.reviews import standings
from incubator.reviews.enums import ReviewStatus
from incubator.reviews.models import Assignment, Criterion, Review, ReviewStage, StageEntry
from incubator.reviews.rubric import DEFAULT_RUBRIC

# ---- Stages and rubric ------------------------------------------------------------------------------------

STAGE_FIELDS = ("name_vi", "name_en", "reviewers_per_application", "share_scores", "blind_panel_staff", "closes_at",
                "spread_threshold")
CRITERION_FIELDS = ("name_vi", "name_en", "guidance_vi", "guidance_en", "weight", "scale_min", "scale_max")


def _check_stage(fields: dict) -> None:
    """A stage closes on one of the programme's days (bounds.PROGRAMME: not before 1990, at most ten years
    ahead); its spread threshold is a number of points out of 100."""
    per = fields.get("reviewers_per_application")
    if per is not None and not 1 <= per <= 20:
        raise DomainError(_l("Between 1 and 20 reviewers per application."), field="reviewers_per_application")
    spread = fields.get("spread_threshold")
    if spread is not None and not 0 <= spread <= 100:
        raise DomainError(_l("The threshold is a number of points between 0 and 100."), field="spread_threshold")
    if "closes_at" in fields and fields["closes_at"] is None:
        raise DomainError(_l("Enter when the stage closes."), field="closes_at")
    bounds.PROGRAMME.check(fields.get("closes_at"), "closes_at")


def create_stage(intake_round, *, actor, default_rubric: bool = True, **fields) -> ReviewStage:
    _check_stage(fields)
    position = 1 + (db.session.scalar(sa.select(sa.func.max(ReviewStage.position))
                                      .where(ReviewStage.round_id == intake_round.id)) or 0)
    stage = ReviewStage(round_id=intake_round.id, position=position,
                        **{k: v for k, v in fields.items() if k in STAGE_FIELDS})
    if default_rubric:
        for i, criterion in enumerate(DEFAULT_RUBRIC, start=1):
            stage.criteria.append(Criterion(position=i, scale_min=1, scale_max=5, **criterion))
    db.session.add(stage)
    db.session.flush()
    audit.record("review.stage.create", stage, label=stage.name_vi, actor=actor,
                 details={"round": intake_round.id, "default_rubric": default_rubric})
    return stage


def update_stage(stage: ReviewStage, *, actor, version=None, **fields) -> ReviewStage:
    expect_version(stage, version)
    _check_stage(fields)
    changed = audit.apply_changes(stage, fields, STAGE_FIELDS)
    if changed:
        db.session.flush()
        audit.record("review.stage.update", stage, label=stage.name_vi, actor=actor, details={"changed": changed})
    return stage


def stage_has_reviews(stage: ReviewStage) -> bool:
    return db.session.scalar(sa.select(sa.func.count(Review.id)).join(Assignment)
                             .where(Assignment.stage_id == stage.id)) > 0


def _check_criterion(fields: dict) -> None:
    """A positive weight; a scale from a bottom that is not negative to a top above it."""
    if fields.get("weight") is not None and fields["weight"] <= 0:
        raise DomainError(_l("The weight must be a positive number."), field="weight")
    low, high = fields.get("scale_min"), fields.get("scale_max")
    bounds.check_not_negative(low, "scale_min")
    if low is not None and high is not None and high <= low:
        raise DomainError(_l("The top of the scale must be above its bottom."), field="scale_max")


def add_criterion(stage: ReviewStage, *, actor, **fields) -> Criterion:
    if stage_has_reviews(stage):
        raise DomainError(_l("Reviews have begun: criteria can no longer be added or removed."))
    _check_criterion(fields)
    position = 1 + max((c.position for c in stage.criteria), default=0)
    criterion = Criterion(stage=stage, position=position, **{k: v for k, v in fields.items()
                                                             if k in CRITERION_FIELDS})
    db.session.add(criterion)
    db.session.flush()
    audit.record("review.criterion.add", criterion, label=criterion.name_vi, actor=actor,
                 details={"stage": stage.id})
    return criterion


def update_criterion(criterion: Criterion, *, actor, **fields) -> Criterion:
    _check_criterion({"scale_min": criterion.scale_min, "scale_max": criterion.scale_max, **fields})
    scale_changes = any(k in fields and fields[k] != getattr(criterion, k) for k in ("scale_min", "scale_max"))
    if scale_changes and stage_has_reviews(criterion.stage):
        raise DomainError(_l("Reviews have begun: the scale can no longer change."), field="scale_max")
    changed = {}
    for key, value in fields.items():
        if key in CRITERION_FIELDS and getattr(criterion, key) != value:
            changed[key] = [getattr(criterion, key), value]
            setattr(criterion, key, value)
    if changed:
        db.session.flush()
        if changed.keys() & {"weight", "scale_min", "scale_max"}:
            _update_totals(criterion.stage)
        audit.record("review.criterion.update", criterion, label=criterion.name_vi, actor=actor,
                     details={"changed": changed})
    return criterion


def _update_totals(stage: ReviewStage) -> None:
    """Work out again the weighted total of every submitted review of the stage (its rubric changed). Written
    without bumping the reviews' versions: their scores did not change, so a reviewer's open form stays valid."""
    criteria = list(stage.criteria)
    reviews = db.session.scalars(sa.select(Review).join(Assignment, Assignment.id == Review.assignment_id)
                                 .where(Assignment.stage_id == stage.id, Review.status == ReviewStatus.SUBMITTED)
                                 .options(selectinload(Review.scores))).all()
    totals = [{"review_id": review.id, "total": review.computed_total(criteria)} for review in reviews]
    if totals:
        table = Review.__table__
        db.session.execute(table.update().where(table.c.id == sa.bindparam("review_id"))
                           .values(weighted_total=sa.bindparam("total")), totals)
        for review, row in zip(reviews, totals, strict=True):
            set_committed_value(review, "weighted_total", row["total"])
        standings.refresh(db.session.connection(), [stage.id])  # written past the ORM: its listeners did not see it


def remove_criterion(criterion: Criterion, *, actor) -> None:
    stage = criterion.stage
    if stage_has_reviews(stage):
        raise DomainError(_l("Reviews have begun: criteria can no longer be added or removed."))
    audit.record("review.criterion.remove", criterion, label=criterion.name_vi, actor=actor,
                 details={"stage": stage.id})
    stage.criteria.remove(criterion)
    db.session.flush()


# ---- Applications in a stage ------------------------------------------------------------------------------

def take_into_review(stage: ReviewStage, applications: Iterable[Application], *, actor) -> int:
    """The first stage takes submitted applications in (they become "under review"); later stages receive
    the applications advanced from the one before."""
    from incubator.applications.services import change_status

    if stage.position != first_stage_position(stage.round_id):
        raise DomainError(_l("Applications reach a later stage by being advanced from the stage before."))
    present = set(db.session.scalars(sa.select(StageEntry.application_id).where(StageEntry.stage_id == stage.id)))
    taken = 0
    for application in applications:
        if application.id in present:
            continue
        if application.round_id != stage.round_id:
            raise DomainError(_l("This application belongs to another round."))
        if application.status is ApplicationStatus.SUBMITTED:
            change_status(application, ApplicationStatus.UNDER_REVIEW, actor=actor,
                          details={"stage": stage.id})
        elif application.status is not ApplicationStatus.UNDER_REVIEW:
            continue
        db.session.add(StageEntry(stage_id=stage.id, application_id=application.id))
        present.add(application.id)
        taken += 1
    db.session.flush()
    if taken:
        audit.record("review.stage.take", stage, label=stage.name_vi, actor=actor, details={"count": taken})
    return taken


def first_stage_position(round_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.min(ReviewStage.position))
                             .where(ReviewStage.round_id == round_id)) or 1


def reviewable_submitted(stage: ReviewStage) -> list[Application]:
    """The round's submitted applications not failed at eligibility (unless staff let them through)."""
    return list(db.session.scalars(
        sa.select(Application).where(
            Application.round_id == stage.round_id, Application.status == ApplicationStatus.SUBMITTED,
            sa.or_(Application.eligibility_summary.is_(None), Application.eligibility_summary != "failed",
                   Application.eligibility_override.is_not(None)))
        .order_by(Application.id)))


def stage_entry(stage: ReviewStage, application: Application) -> StageEntry | None:
    """The application's entry in the stage, or None."""
    return db.session.scalar(sa.select(StageEntry).where(StageEntry.stage_id == stage.id,
                                                         StageEntry.application_id == application.id))


def next_stage(stage: ReviewStage) -> ReviewStage | None:
    return db.session.scalar(sa.select(ReviewStage).where(ReviewStage.round_id == stage.round_id,
                                                          ReviewStage.position > stage.position)
                             .order_by(ReviewStage.position).limit(1))
