"""The reviewers' work: drafts and submitted reviews (the one door of a review's state), and the reminders of
what is still due. Each function validates, changes, flushes and audits; the request commits."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from incubator.audit import services as audit
from incubator.errors import DomainError, expect_version
from incubator.extensions import db
from incubator.reviews.enums import REVIEW_TRANSITIONS, AssignmentStatus, ReviewStatus
from incubator.reviews.models import Assignment, Criterion, Review, ReviewStage, Score, StageEntry
from incubator.reviews.permissions import can_score

# ---- Reviews ----------------------------------------------------------------------------------------------

def save_review(a: Assignment, *, actor, scores: dict[int, tuple[int | None, str | None]],
                comment_for_applicant: str | None, private_note: str | None, submit: bool, now,
                version=None) -> Review:
    """Save the reviewer's scores (a draft), or submit them. A submitted review may still be changed until
    the stage closes; each change is audited with what changed."""
    if not can_score(actor, a):
        if a.status is AssignmentStatus.ASSIGNED and a.reviewer_id == getattr(actor, "id", None):
            raise DomainError(_l("Declare first that you have no conflict with this application."))
        raise DomainError(_l("This assignment has ended."))
    if not a.stage.is_open(now):
        raise DomainError(_l("The stage closed on %(when)s; reviews can no longer change.",
                             when=_format(a.stage.closes_at)))
    entry = db.session.scalar(sa.select(StageEntry).where(StageEntry.stage_id == a.stage_id,
                                                          StageEntry.application_id == a.application_id))
    if entry is None or entry.decision is not None:
        raise DomainError(_l("This application has been decided: its reviews are closed."))
    # Two saves at once (a double click) queue here, so the second finds the review the first created.
    db.session.execute(sa.select(Assignment.id).where(Assignment.id == a.id).with_for_update())
    review = db.session.scalar(sa.select(Review).where(Review.assignment_id == a.id))
    if review is None:
        review = Review(assignment=a, status=ReviewStatus.DRAFT)
        db.session.add(review)
    else:
        expect_version(review, version)
    criteria = {c.id: c for c in a.stage.criteria}
    for criterion_id, (value, _comment) in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise DomainError(_l("Unknown criterion."))
        if value is not None and not criterion.scale_min <= value <= criterion.scale_max:
            raise DomainError(_l("Score %(name)s from %(low)s to %(high)s.", name=criterion.name,
                                 low=criterion.scale_min, high=criterion.scale_max), field=f"score_{criterion_id}")
    was_submitted = review.status is ReviewStatus.SUBMITTED
    if submit or was_submitted:
        for criterion in criteria.values():
            value = scores.get(criterion.id, (None, None))[0]
            if value is None:
                raise DomainError(_l("Give a score for every criterion before submitting."),
                                  field=f"score_{criterion.id}")
    before = _snapshot(review)
    current = {s.criterion_id: s for s in review.scores}
    for criterion_id, (value, comment) in scores.items():
        score = current.get(criterion_id)
        if score is None:
            score = Score(criterion_id=criterion_id)
            review.scores.append(score)
        score.value = value
        score.comment = (comment or "").strip()[:2000] or None
    review.comment_for_applicant = (comment_for_applicant or "").strip() or None
    review.private_note = (private_note or "").strip() or None
    if submit and not was_submitted:
        return change_review_status(review, ReviewStatus.SUBMITTED, actor=actor, now=now,
                                    criteria=list(criteria.values()))
    review.update_total(list(criteria.values()))
    db.session.flush()
    after = _snapshot(review)
    if was_submitted and before != after:
        changed = {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after))
                   if before.get(k) != after.get(k)}
        audit.record("review.update", review, label=a.application.reference, actor=actor,
                     details={"changed": changed})
    return review


def change_review_status(review: Review, to: ReviewStatus, *, actor, now, criteria: list[Criterion]) -> Review:
    """The one door for a review's state (REVIEW_TRANSITIONS): a draft is submitted, stamped with when, given its
    weighted total on the stage's ``criteria`` (a draft has none), and the submission is audited."""
    to = ReviewStatus(to)
    before = review.status
    if to not in REVIEW_TRANSITIONS[before]:
        raise DomainError(_l("A review that is %(from)s cannot become %(to)s.",
                             **{"from": before.label, "to": to.label}))
    review.status = to
    review.submitted_at = now
    review.update_total(criteria)
    db.session.flush()
    a = review.assignment
    audit.record("review.submit", review, label=a.application.reference, from_state=before, to_state=to,
                 actor=actor, details={"stage": a.stage_id})
    return review


def _snapshot(review: Review) -> dict:
    data = {f"score_{s.criterion_id}": s.value for s in review.scores}
    data.update({f"comment_{s.criterion_id}": s.comment for s in review.scores})
    data["comment_for_applicant"] = review.comment_for_applicant
    data["private_note"] = review.private_note
    return data


def _format(when) -> str:
    from incubator.i18n import fmt_datetime

    return fmt_datetime(when)


# ---- Reminders ---------------------------------------------------------------------------------------------

def remind_reviewers(stage: ReviewStage, *, actor, now) -> int:
    """E-mail every panel member who still has applications to review in the stage (staff asked; a second
    click within the same minute sends nothing more)."""
    sent = _remind(stage, now=now, event=f"review.remind:{stage.id}:{now:%Y-%m-%dT%H:%M}")
    if sent:
        audit.record("review.remind", stage, label=stage.name_vi, actor=actor, details={"sent": sent})
    return sent


def _remind(stage: ReviewStage, *, now, event: str) -> int:
    from flask_babel import ngettext

    from incubator.mail import services as mail
    from incubator.reviews.queries import reviewer_progress
    from incubator.urls import external_url

    sent = 0
    for row in reviewer_progress(stage):
        if row.remaining <= 0 or not row.user.active:
            continue
        if mail.send_to(row.user, "review_reminder",
                        lambda row=row: ngettext("Reminder: %(num)s application to review",
                                                 "Reminder: %(num)s applications to review", row.remaining),
                        event=event, stage=stage, row=row, link=external_url("reviews.desk")) is None:
            continue  # already reminded of this
        row.member.reminded_at = now
        sent += 1
    db.session.flush()
    return sent


def send_closing_reminders(today, *, days_before: int, now) -> int:
    """The daily reminder: reviewers who still have reviews due in a stage closing within ``days_before`` days
    of ``today`` (Hà Nội days; not yet closed at ``now``) are e-mailed, once per reviewer and stage however
    often it runs. Returns the number of e-mails queued."""
    from datetime import timedelta

    from incubator.i18n import local_tz

    tz = local_tz()
    stages = db.session.scalars(sa.select(ReviewStage).where(ReviewStage.closes_at > now)
                                .options(selectinload(ReviewStage.round)).order_by(ReviewStage.closes_at)).all()
    sent = 0
    for stage in stages:
        closes_on = stage.closes_at.astimezone(tz).date()
        if not today <= closes_on <= today + timedelta(days=days_before):
            continue
        count = _remind(stage, now=now, event=f"review.closing:{stage.id}")
        if count:
            audit.record("review.remind", stage, label=stage.name_vi, details={"sent": count, "automatic": True})
        sent += count
    return sent
