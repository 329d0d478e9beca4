"""A stage's decisions on its applications, the applicants told of them, and the reasons for rejection staff
pick from. Each function validates, changes, flushes and audits; the request commits."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from incubator.applications.enums import ApplicationStatus
from incubator.audit import services as audit
from incubator.db import utcnow
from incubator.errors import DomainError, expect_version
from incubator.extensions import db
from incubator.reviews.enums import DECISION_STATUS, DECISION_TRANSITIONS, Decision
from incubator.reviews.models import RejectionReason, ReviewStage, StageEntry
from incubator.reviews.stages import next_stage, stage_entry

# ---- Decisions ----------------------------------------------------------------------------------------------

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
    if following is not None and stage_entry(following, application) is None:
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


def copy_standard_reasons(incubator, *, actor=None) -> list[RejectionReason]:
    """Give an incubator that has no reasons for rejection yet the standard ones (enums.STANDARD_REJECTION_REASONS,
    in their order, each audited as added); its staff edit them afterwards. Returns the reasons made."""
    from incubator.reviews.enums import STANDARD_REJECTION_REASONS

    has_some = db.session.scalar(sa.select(RejectionReason.id).where(RejectionReason.incubator_id == incubator.id)
                                 .limit(1).execution_options(all_incubators=True))
    if has_some is not None:
        return []
    made = []
    for position, (label_vi, label_en) in enumerate(STANDARD_REJECTION_REASONS, start=1):
        reason = RejectionReason(incubator_id=incubator.id, position=position, label_vi=label_vi, label_en=label_en)
        db.session.add(reason)
        made.append(reason)
    db.session.flush()
    for reason in made:
        audit.record("review.reason.add", reason, label=reason.label_vi, actor=actor,
                     reason=f"standard reason for {incubator.code}")
    return made


def _incubator_created(incubator, actor=None, default=False, **_extra) -> None:
    """A new incubator starts with the standard reasons; the installation's default one has those the migration
    seeded (or, in a database made without the migrations, none, as before the network)."""
    if not default:
        copy_standard_reasons(incubator, actor=actor)


def connect_to_organisation() -> None:
    """Called by the factory: a new incubator gets the standard reasons for rejection (organisation's
    incubator_created; connecting twice connects once)."""
    from incubator.organisation.services import incubator_created

    incubator_created.connect(_incubator_created)  # a module-level function: blinker's weak reference holds
