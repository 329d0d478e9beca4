"""Everything that changes a review: stages and rubric, panel, assignments, conflicts, scores, decisions.
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
from incubator.db import utcnow
from incubator.errors import DomainError, expect_version
from incubator.extensions import db
from incubator.reviews import assignment as assignment_plan
from incubator.reviews.enums import (
    ACTIVE_ASSIGNMENT,
    ASSIGNMENT_TRANSITIONS,
    DECISION_STATUS,
    DECISION_TRANSITIONS,
    REVIEW_TRANSITIONS,
    AssignmentStatus,
    ConflictKind,
    Decision,
    ReviewStatus,
)
from incubator.reviews.models import (
    Assignment,
    Conflict,
    Criterion,
    PanelMember,
    RejectionReason,
    Review,
    ReviewStage,
    Score,
    StageEntry,
)
from incubator.reviews.permissions import can_score
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
    changed = {}
    for key, value in fields.items():
        if key in STAGE_FIELDS and getattr(stage, key) != value:
            changed[key] = [audit.plain(getattr(stage, key)), audit.plain(value)]
            setattr(stage, key, value)
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


def remove_criterion(criterion: Criterion, *, actor) -> None:
    stage = criterion.stage
    if stage_has_reviews(stage):
        raise DomainError(_l("Reviews have begun: criteria can no longer be added or removed."))
    audit.record("review.criterion.remove", criterion, label=criterion.name_vi, actor=actor,
                 details={"stage": stage.id})
    stage.criteria.remove(criterion)
    db.session.flush()


# ---- Panel --------------------------------------------------------------------------------------------------

def can_sit_on_panel(user) -> bool:
    from incubator.auth.enums import Role

    return bool(user.active and user.has_role(Role.REVIEWER, Role.STAFF, Role.ADMIN))


def add_to_panel(stage: ReviewStage, users: Iterable, *, actor) -> int:
    present = {m.user_id for m in stage.panel}
    added = 0
    for user in users:
        if user.id in present:
            continue
        if not can_sit_on_panel(user):
            raise DomainError(_l("%(name)s is not an active reviewer or staff member.", name=user.full_name),
                              field="reviewers")
        stage.panel.append(PanelMember(user_id=user.id))
        present.add(user.id)
        added += 1
        audit.record("review.panel.add", stage, label=stage.name_vi, actor=actor,
                     details={"reviewer": user.email})
    db.session.flush()
    return added


def remove_from_panel(stage: ReviewStage, user, *, actor) -> int:
    """The reviewer leaves the panel; their assignments without a submitted review are withdrawn (the gaps
    are filled by running the assignment again). Submitted reviews stay and count."""
    member = next((m for m in stage.panel if m.user_id == user.id), None)
    if member is None:
        return 0
    withdrawn = 0
    for a in _active_assignments(stage_id=stage.id, reviewer_id=user.id):
        if a.review is None or a.review.status is not ReviewStatus.SUBMITTED:
            # recorded below, with the panel's change
            change_assignment_status(a, AssignmentStatus.WITHDRAWN, actor=actor, action=None)
            withdrawn += 1
    stage.panel.remove(member)
    db.session.flush()
    audit.record("review.panel.remove", stage, label=stage.name_vi, actor=actor,
                 details={"reviewer": user.email, "withdrawn": withdrawn})
    return withdrawn


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


# ---- Assignments and conflicts ------------------------------------------------------------------------------

def _active_assignments(**where) -> list[Assignment]:
    stmt = sa.select(Assignment).where(Assignment.status.in_(ACTIVE_ASSIGNMENT))
    for key, value in where.items():
        stmt = stmt.where(getattr(Assignment, key) == value)
    return list(db.session.scalars(stmt))


def change_assignment_status(a: Assignment, to: AssignmentStatus, *, actor, action: str | None,
                             reason: str | None = None, details: dict | None = None) -> Assignment:
    """The one door for an assignment's state (ASSIGNMENT_TRANSITIONS): confirmed when the reviewer declares no
    conflict, ended recused or withdrawn, or given again once withdrawn. It stamps the change and records it in
    the audit log as ``action``; ``None`` where the caller records it itself (a reviewer leaving a panel has its
    withdrawals counted in the panel's entry; an assignment given again is recorded as given)."""
    to = AssignmentStatus(to)
    before = a.status
    if to not in ASSIGNMENT_TRANSITIONS[before]:
        raise DomainError(_l("An assignment that is %(from)s cannot become %(to)s.",
                             **{"from": before.label, "to": to.label}))
    a.status = to
    if to is AssignmentStatus.CONFIRMED:
        a.confirmed_at = utcnow()
    elif to is AssignmentStatus.ASSIGNED:  # given again
        a.ended_at, a.assigned_by_id = None, actor.id
    else:
        a.ended_at = utcnow()
    db.session.flush()
    if action is not None:
        audit.record(action, a, label=a.application.reference, from_state=before, to_state=to, reason=reason,
                     actor=actor, details=details)
    return a


def has_conflict(reviewer_id: int, company_id: int) -> bool:
    """A declared conflict, or a tie the system knows already: the reviewer holds (or asked to hold) the
    company's file."""
    from incubator.companies.models import CompanyMember

    declared = db.session.scalar(sa.select(Conflict.id).where(Conflict.reviewer_id == reviewer_id,
                                                              Conflict.company_id == company_id))
    member = db.session.scalar(sa.select(CompanyMember.id).where(CompanyMember.user_id == reviewer_id,
                                                                 CompanyMember.company_id == company_id))
    return declared is not None or member is not None


def _known_ties(user_ids: list[int]) -> set[tuple[int, int]]:
    from incubator.companies.models import CompanyMember

    declared = db.session.execute(sa.select(Conflict.reviewer_id, Conflict.company_id)
                                  .where(Conflict.reviewer_id.in_(user_ids))).all()
    members = db.session.execute(sa.select(CompanyMember.user_id, CompanyMember.company_id)
                                 .where(CompanyMember.user_id.in_(user_ids))).all()
    return {(r, c) for r, c in declared} | {(u, c) for u, c in members}


def _entry(stage: ReviewStage, application: Application) -> StageEntry | None:
    return db.session.scalar(sa.select(StageEntry).where(StageEntry.stage_id == stage.id,
                                                         StageEntry.application_id == application.id))


def assign(stage: ReviewStage, application: Application, reviewer, *, actor) -> Assignment:
    """Give one application to one reviewer by hand (they join the panel if not yet on it); the reviewer is
    told by e-mail when it is new to them."""
    a, given = _give(stage, application, reviewer, actor=actor)
    if given:
        _tell_assigned(stage, reviewer, [a])
    return a


def _give(stage: ReviewStage, application: Application, reviewer, *, actor) -> tuple[Assignment, bool]:
    """The assignment of one application to one reviewer, and whether it was given now (False: it was
    already theirs)."""
    entry = _entry(stage, application)
    if entry is None:
        raise DomainError(_l("This application is not in the stage."))
    if entry.decision is not None:
        raise DomainError(_l("This application has already been decided in this stage."))
    if not reviewer.active:
        raise DomainError(_l("%(name)s is not an active reviewer or staff member.", name=reviewer.full_name))
    if has_conflict(reviewer.id, application.company_id):
        raise DomainError(_l("%(name)s has declared a conflict of interest with %(company)s.",
                             name=reviewer.full_name, company=application.company.name))
    existing = db.session.scalar(sa.select(Assignment).where(
        Assignment.stage_id == stage.id, Assignment.application_id == application.id,
        Assignment.reviewer_id == reviewer.id))
    if existing is not None and existing.status is AssignmentStatus.RECUSED:
        raise DomainError(_l("%(name)s was recused from this application.", name=reviewer.full_name))
    if existing is not None and existing.is_active:
        return existing, False
    add_to_panel(stage, [reviewer], actor=actor)
    if existing is not None:  # taken back earlier, given again (recorded below, as given)
        a = change_assignment_status(existing, AssignmentStatus.ASSIGNED, actor=actor, action=None)
    else:
        a = Assignment(stage_id=stage.id, application_id=application.id, reviewer_id=reviewer.id,
                       assigned_by_id=actor.id)
        db.session.add(a)
    db.session.flush()
    audit.record("review.assign", a, label=application.reference, actor=actor,
                 details={"stage": stage.id, "reviewer": reviewer.email})
    return a, True


def assign_many(stage: ReviewStage, applications: list[Application], reviewers: list, *, actor):
    """Bulk assignment: every chosen reviewer on every chosen application, except where a conflict or an
    earlier recusal forbids it. Each reviewer gets one e-mail listing what the batch gave them.
    Returns (assignments made, [(application, reviewer, reason)] skipped)."""
    made, skipped = 0, []
    given: dict[int, list[Assignment]] = {}
    for application in applications:
        for reviewer in reviewers:
            try:
                a, new = _give(stage, application, reviewer, actor=actor)
            except DomainError as refused:
                skipped.append((application, reviewer, refused.message))
            else:
                if new:
                    made += 1
                    given.setdefault(reviewer.id, []).append(a)
    for reviewer in reviewers:
        if reviewer.id in given:
            _tell_assigned(stage, reviewer, given[reviewer.id])
    return made, skipped


def auto_assign(stage: ReviewStage, *, actor, application_ids: Iterable[int] | None = None) -> dict:
    """Fill every gap (applications with fewer active reviewers than the stage asks) from the panel,
    evening out the loads and respecting conflicts. Existing assignments stay where they are."""
    from incubator.auth.models import User

    # Reviewers whose account was deactivated stay listed on the panel but are given nothing.
    panel = list(db.session.scalars(sa.select(User.id).where(User.id.in_([m.user_id for m in stage.panel]),
                                                            User.active.is_(True))))
    if not panel:
        raise DomainError(_l("Add reviewers to the stage's panel first."))
    entries = db.session.execute(
        sa.select(StageEntry.application_id, Application.company_id)
        .join(Application, Application.id == StageEntry.application_id)
        .where(StageEntry.stage_id == stage.id, StageEntry.decision.is_(None),
               Application.status == ApplicationStatus.UNDER_REVIEW)).all()
    if application_ids is not None:
        wanted = set(application_ids)
        entries = [e for e in entries if e.application_id in wanted]
    rows = db.session.execute(sa.select(Assignment.application_id, Assignment.reviewer_id, Assignment.status)
                              .where(Assignment.stage_id == stage.id)).all()
    taken: dict[int, set[int]] = {}
    active_count: dict[int, int] = {}
    loads = dict.fromkeys(panel, 0)
    for application_id, reviewer_id, status in rows:
        taken.setdefault(application_id, set()).add(reviewer_id)
        if status in ACTIVE_ASSIGNMENT:
            active_count[application_id] = active_count.get(application_id, 0) + 1
            if reviewer_id in loads:
                loads[reviewer_id] += 1
    conflicts = _known_ties(panel)
    per = stage.reviewers_per_application
    slots = [assignment_plan.Slot(application_id=e.application_id, company_id=e.company_id,
                                  needed=max(0, per - active_count.get(e.application_id, 0)),
                                  taken=set(taken.get(e.application_id, set())))
             for e in entries]
    needed = sum(s.needed for s in slots)
    pairs = assignment_plan.plan([s for s in slots if s.needed], loads, conflicts)
    # A reviewer taken off an application (withdrawn, recused) is never given it again automatically: the
    # planner treats every earlier row as taken.
    given: dict[int, list[Assignment]] = {}
    for application_id, reviewer_id in pairs:
        a = Assignment(stage_id=stage.id, application_id=application_id, reviewer_id=reviewer_id,
                       assigned_by_id=actor.id)
        db.session.add(a)
        given.setdefault(reviewer_id, []).append(a)
    db.session.flush()
    result = {"created": len(pairs), "gaps_left": needed - len(pairs)}
    if pairs:
        audit.record("review.auto_assign", stage, label=stage.name_vi, actor=actor, details=result)
        # One e-mail per reviewer for the whole run.
        for reviewer in db.session.scalars(sa.select(User).where(User.id.in_(given)).order_by(User.id)):
            _tell_assigned(stage, reviewer, given[reviewer.id])
    return result


def _tell_assigned(stage: ReviewStage, reviewer, assignments: list[Assignment]) -> None:
    """One e-mail to the reviewer for the applications just given to them in the stage, in their language,
    with a link to their desk. The event is these assignments as given now (an assignment given again after
    being taken back has a new version): the same batch is never announced twice."""
    import hashlib

    from flask_babel import ngettext

    from incubator.mail import services as mail
    from incubator.urls import external_url

    if not assignments:
        return
    given = sorted(assignments, key=lambda a: a.id)
    digest = hashlib.sha256(",".join(f"{a.id}.{a.version_id}" for a in given).encode()).hexdigest()[:40]
    applications = db.session.scalars(
        sa.select(Application).where(Application.id.in_([a.application_id for a in given]))
        .options(selectinload(Application.company)).order_by(Application.reference)).all()
    count = len(applications)
    mail.send_to(reviewer, "review_assigned",
                 lambda: ngettext("%(num)s application to review in %(stage)s",
                                  "%(num)s applications to review in %(stage)s", count, stage=stage.name),
                 event=f"review.assigned:{stage.id}:{reviewer.id}:{digest}", stage=stage,
                 applications=applications, link=external_url("reviews.desk"))


def withdraw_assignment(a: Assignment, *, actor, reason: str | None = None) -> Assignment:
    if not a.is_active:
        raise DomainError(_l("This assignment has already ended."))
    if a.review is not None and a.review.status is ReviewStatus.SUBMITTED:
        raise DomainError(_l("The review has been submitted; it can no longer be taken back."))
    return change_assignment_status(a, AssignmentStatus.WITHDRAWN, actor=actor, action="review.assignment.withdraw",
                                    reason=reason, details={"reviewer": a.reviewer.email})


def confirm_no_conflict(a: Assignment, *, actor) -> Assignment:
    if a.status is AssignmentStatus.CONFIRMED:
        return a
    if a.status is not AssignmentStatus.ASSIGNED:
        raise DomainError(_l("This assignment has ended."))
    return change_assignment_status(a, AssignmentStatus.CONFIRMED, actor=actor, action="review.assignment.confirm")


def record_conflict(reviewer, company, *, kind, reason: str, actor, refill: bool = True) -> Conflict:
    """A tie between a reviewer and a company (declared by the reviewer or recorded by staff). The reviewer
    is recused from the company's applications in every stage still deciding, and, unless told otherwise,
    each gap is filled at once by another reviewer of the panel."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Say what the conflict is."), field="reason")
    conflict = db.session.scalar(sa.select(Conflict).where(Conflict.reviewer_id == reviewer.id,
                                                           Conflict.company_id == company.id))
    if conflict is None:
        conflict = Conflict(reviewer_id=reviewer.id, company_id=company.id, kind=ConflictKind(kind),
                            reason=reason[:1000], declared_by_id=actor.id)
        db.session.add(conflict)
        db.session.flush()
        audit.record("review.conflict", conflict, label=company.name, actor=actor, reason=reason,
                     details={"reviewer": reviewer.email, "kind": conflict.kind.value})
    affected = db.session.scalars(
        sa.select(Assignment).join(Application, Application.id == Assignment.application_id)
        .where(Assignment.reviewer_id == reviewer.id, Application.company_id == company.id,
               Assignment.status.in_(ACTIVE_ASSIGNMENT))).all()
    for a in affected:
        change_assignment_status(a, AssignmentStatus.RECUSED, actor=actor, action="review.assignment.recuse",
                                 reason=reason, details={"reviewer": reviewer.email})
        if refill and a.stage.panel:
            auto_assign(a.stage, actor=actor, application_ids=[a.application_id])
    return conflict


# ---- Reviews ----------------------------------------------------------------------------------------------

def save_review(a: Assignment, *, actor, scores: dict[int, tuple[int | None, str | None]],
                comment_for_applicant: str | None, private_note: str | None, submit: bool, now,
                version=None) -> Review:
    """Save the reviewer's scores (a draft), or submit them. A submitted review may still be changed until
    the stage closes; each change is audited with what changed."""
    if not can_score(actor, a):
        raise DomainError(_l("Declare first that you have no conflict with this application."))
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


# ---- Decisions ----------------------------------------------------------------------------------------------

def next_stage(stage: ReviewStage) -> ReviewStage | None:
    return db.session.scalar(sa.select(ReviewStage).where(ReviewStage.round_id == stage.round_id,
                                                          ReviewStage.position > stage.position)
                             .order_by(ReviewStage.position).limit(1))


def decide(entry: StageEntry, decision: Decision, *, actor, reason: RejectionReason | None = None,
           reason_text: str | None = None, version=None) -> StageEntry:
    """The stage's decision on one application: its status changes through the applications' one door,
    the applicant is told in their language with the reviewers' comments released, and it is audited."""
    from incubator.applications.services import change_status

    decision = Decision(decision)
    expect_version(entry, version)
    if decision not in DECISION_TRANSITIONS[entry.decision]:
        raise DomainError(_l("This application has already been decided in this stage."))
    reason_text = (reason_text or "").strip()[:2000] or None
    if decision is Decision.REJECT and reason is None and reason_text is None:
        raise DomainError(_l("Give the reason for the rejection."), field="reason")
    application = entry.application
    if decision is Decision.ACCEPT:
        from incubator.cohorts import services as cohorts

        if cohorts.cohort_for_round(application.round_id) is not None:
            cohorts.check_admissible(application.company)  # refused before anything changes
    following = None
    if decision is Decision.ADVANCE:
        following = next_stage(entry.stage)
        if following is None:
            raise DomainError(_l("There is no later stage to advance to: add one first."))
    elif application.status is not DECISION_STATUS[decision]:
        change_status(application, DECISION_STATUS[decision], actor=actor,
                      reason=reason_text or (reason.label_vi if reason else None),
                      details={"stage": entry.stage_id})
    if decision is Decision.ADVANCE and application.status is not ApplicationStatus.UNDER_REVIEW:
        raise DomainError(_l("Only an application under review can advance."))
    before = entry.decision
    entry.decision = decision
    entry.reason_id = reason.id if reason is not None else None
    entry.reason_text = reason_text
    entry.decided_by_id = actor.id
    entry.decided_at = utcnow()
    if following is not None and _entry(following, application) is None:
        db.session.add(StageEntry(stage_id=following.id, application_id=application.id))
    if decision is Decision.ACCEPT:
        # The round's cohort, if staff have formed it, takes the startup in (residency included).
        from incubator.cohorts import services as cohorts

        cohort = cohorts.cohort_for_round(application.round_id)
        if cohort is not None:
            cohorts.admit(cohort, application.company, actor=actor, application=application)
    db.session.flush()
    audit.record("review.decision", entry, label=application.reference, from_state=before, to_state=decision,
                 reason=reason_text or (reason.label_vi if reason else None), actor=actor,
                 details={"stage": entry.stage_id, "application": application.id})
    _send_decision(entry, following)
    return entry


def decide_many(entries: list[StageEntry], decision: Decision, *, actor, reason=None, reason_text=None):
    """The same decision on many applications. Those already decided are left alone (so a second click
    sends nothing twice). Returns (decided, skipped)."""
    decided, skipped = [], []
    decision = Decision(decision)
    for entry in entries:
        if not can_take(entry, decision):
            skipped.append(entry)
            continue
        decided.append(decide(entry, decision, actor=actor, reason=reason, reason_text=reason_text))
    return decided, skipped


def can_take(entry: StageEntry, decision: Decision) -> bool:
    """Whether this decision may be taken on the entry now: not decided already (a waitlisted one may still be
    accepted or rejected), and the application still in the review (not withdrawn by its founders)."""
    from incubator.applications.enums import TRANSITIONS

    if decision not in DECISION_TRANSITIONS[entry.decision]:
        return False
    status = entry.application.status
    if decision is Decision.ADVANCE:
        return status is ApplicationStatus.UNDER_REVIEW
    return DECISION_STATUS[decision] in TRANSITIONS[status]


def _send_decision(entry: StageEntry, following: ReviewStage | None) -> None:
    from incubator.companies.queries import founders_of
    from incubator.mail import services as mail
    from incubator.reviews.queries import released_comments
    from incubator.urls import external_url

    application = entry.application
    subjects = {
        Decision.ACCEPT: _l("Your application %(reference)s has been accepted"),
        Decision.WAITLIST: _l("Your application %(reference)s is on the waiting list"),
        Decision.REJECT: _l("The decision on your application %(reference)s"),
        Decision.ADVANCE: _l("Your application %(reference)s goes on to the next stage"),
    }
    comments = released_comments(entry)
    link = external_url("applications.status", application_id=application.id)
    # The business's founders as they are now: whoever started the file may have left it since. The event is
    # this decision in this stage (a waitlisted application accepted later is told again, of the new decision).
    for founder in founders_of(application.company_id):
        mail.send_to(founder, "review_decision",
                     lambda: subjects[entry.decision] % {"reference": application.reference},
                     event=f"review.decision:{entry.id}:{entry.decision.value}", application=application,
                     entry=entry, following=following, comments=comments, link=link)


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


# ---- Reasons for rejection --------------------------------------------------------------------------------

def save_reason(reason: RejectionReason | None, *, actor, label_vi: str, label_en: str, active: bool = True):
    label_vi, label_en = (label_vi or "").strip(), (label_en or "").strip()
    if not label_vi:
        raise DomainError(_l("Write the reason in Vietnamese."), field="label_vi")
    if reason is None:
        position = 1 + (db.session.scalar(sa.select(sa.func.max(RejectionReason.position))) or 0)
        reason = RejectionReason(position=position, label_vi=label_vi, label_en=label_en or label_vi, active=active)
        db.session.add(reason)
        db.session.flush()
        audit.record("review.reason.add", reason, label=label_vi, actor=actor)
        return reason
    changed = {k: [getattr(reason, k), v] for k, v in (("label_vi", label_vi), ("label_en", label_en or label_vi),
                                                        ("active", active)) if getattr(reason, k) != v}
    for key, (_old, new) in changed.items():
        setattr(reason, key, new)
    if changed:
        db.session.flush()
        audit.record("review.reason.update", reason, label=label_vi, actor=actor, details={"changed": changed})
    return reason
