"""Who reviews what in a stage: its panel, the assignments (by hand or shared out evenly), the conflicts of
interest and the recusals they bring, and the one door of an assignment's state. Each function validates,
changes, flushes and audits; the request commits."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from incubator.applications.enums import ApplicationStatus
from incubator.applications.models import Application
from incubator.audit import services as audit
from incubator.db import utcnow
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.reviews import assignment_plan
from incubator.reviews.enums import (
    ACTIVE_ASSIGNMENT,
    ASSIGNMENT_TRANSITIONS,
    AssignmentStatus,
    ConflictKind,
)
from incubator.reviews.models import Assignment, Conflict, PanelMember, ReviewStage, StageEntry
from incubator.reviews.stages import stage_entry

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
        if a.may_be_taken_back:  # its review is not submitted
            # recorded below, with the panel's change
            change_assignment_status(a, AssignmentStatus.WITHDRAWN, actor=actor, action=None)
            withdrawn += 1
    stage.panel.remove(member)
    db.session.flush()
    audit.record("review.panel.remove", stage, label=stage.name_vi, actor=actor,
                 details={"reviewer": user.email, "withdrawn": withdrawn})
    return withdrawn


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
    entry = stage_entry(stage, application)
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
    if not a.may_be_taken_back:  # the question the assignments page asks before offering it
        if not a.is_active:
            raise DomainError(_l("This assignment has already ended."))
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
