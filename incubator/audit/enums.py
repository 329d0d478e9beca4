import functools
from collections.abc import Mapping
from types import MappingProxyType

from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum

# What people read for each action code; an action without a label shows its code.
ACTION_LABELS = {
    "user.login": _l("Logged in"),
    "user.logout": _l("Logged out"),
    "user.register": _l("Registered as a founder"),
    "user.verify_email": _l("Confirmed the e-mail address"),
    "user.create": _l("Account created"),
    "user.roles": _l("Roles changed"),
    "user.deactivate": _l("Account deactivated"),
    "user.reactivate": _l("Account reactivated"),
    "user.password_change": _l("Password changed"),
    "user.password_reset": _l("Password reset by e-mail"),
    "user.password_reset_request": _l("Password reset asked for"),
    "user.change_email": _l("E-mail address corrected before confirmation"),
    "invitation.create": _l("Invitation sent"),
    "invitation.accept": _l("Invitation accepted"),
    "invitation.revoke": _l("Invitation withdrawn"),
    "company.create": _l("Company registered"),
    "company.update": _l("Company details changed"),
    "company.verify": _l("Company verified by staff"),
    "residency.create": _l("Residency added"),
    "residency.update": _l("Residency changed"),
    "residency.end": _l("Residency ended"),
    "outcome.create": _l("Graduation outcome recorded"),
    "outcome.update": _l("Graduation outcome changed"),
    "membership.create": _l("Founder joined a company's file"),
    "membership.request": _l("Founder asked to join a company's file"),
    "membership.decide": _l("Request to join a company's file decided"),
    "round.create": _l("Intake round created"),
    "round.update": _l("Intake round changed"),
    "round.extend": _l("Deadline extended"),
    "round.question_add": _l("Question added"),
    "round.question_update": _l("Question changed"),
    "round.question_remove": _l("Question removed"),
    "round.document_add": _l("Required document added"),
    "application.status": _l("Application status changed"),
    "application.create": _l("Application started"),
    "application.document": _l("Document uploaded"),
    "application.eligibility_override": _l("Let through despite a failed rule"),
    "application.novelty_met": _l("Judged a new product or technology"),
    "application.novelty_not_met": _l("Judged not a new product or technology"),
    "register.import": _l("Register imported from a spreadsheet"),
    "target.create": _l("Target created"),
    "target.update": _l("Target changed"),
    "review.stage.create": _l("Review stage created"),
    "review.stage.update": _l("Review stage changed"),
    "review.stage.take": _l("Applications taken into review"),
    "review.criterion.add": _l("Criterion added"),
    "review.criterion.update": _l("Criterion changed"),
    "review.criterion.remove": _l("Criterion removed"),
    "review.panel.add": _l("Reviewer added to a panel"),
    "review.panel.remove": _l("Reviewer removed from a panel"),
    "review.assign": _l("Application given to a reviewer"),
    "review.auto_assign": _l("Automatic assignment run"),
    "review.assignment.confirm": _l("Reviewer declared no conflict"),
    "review.assignment.recuse": _l("Reviewer recused"),
    "review.assignment.withdraw": _l("Assignment taken back"),
    "review.conflict": _l("Conflict of interest recorded"),
    "review.submit": _l("Review submitted"),
    "review.update": _l("Submitted review changed"),
    "review.decision": _l("Review decision"),
    "review.remind": _l("Reviewers reminded"),
    "review.reason.add": _l("Reason for rejection added"),
    "review.reason.update": _l("Reason for rejection changed"),
    "cohort.create": _l("Cohort created"),
    "cohort.update": _l("Cohort changed"),
    "cohort.admit": _l("Admitted to a cohort"),
    "cohort.leave": _l("Left a cohort (outcome recorded)"),
    "report.submit": _l("Progress report submitted"),
    "service.create": _l("Service recorded"),
    "service.update": _l("Service changed"),
    "partner.create": _l("Partner added"),
    "partner.update": _l("Partner changed"),
    "agreement.create": _l("Agreement recorded"),
    "agreement.update": _l("Agreement changed"),
    "mentor.profile": _l("Mentor's profile saved"),
    "mentor.assign": _l("Mentor assigned"),
    "mentor.unassign": _l("Mentor's assignment ended"),
    "session.create": _l("Mentoring session logged"),
    "session.update": _l("Mentoring session changed"),
    "session.status": _l("Mentoring session status changed"),
    "calendar.token": _l("Calendar address made"),
    "consent.grant": _l("Fund manager allowed to see the startup"),
    "consent.withdraw": _l("Fund manager's access withdrawn"),
    "pipeline.move": _l("Pipeline stage changed"),
    "report.create": _l("Periodic report drafted"),
    "report.update": _l("Periodic report changed"),
    "report.finalise": _l("Periodic report finalised"),
    "report.version": _l("New version of a periodic report"),
}

# Sign-ins are in the log but are not news on a home page.
ROUTINE_ACTIONS = ("user.login", "user.logout")


def action_label(code: str) -> str:
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


@functools.cache
def _state_members() -> Mapping[str, Mapping[str, LabelledEnum]]:
    """The members of the enumeration whose values an object's states are, by value, by the object's table.

    Built once: it holds enum members, whose labels are lazy and translated when read, so the one table
    serves every request in its own language."""
    from incubator.applications.enums import ApplicationStatus
    from incubator.cohorts.enums import MemberStatus, ReportStatus
    from incubator.funding.enums import PipelineStage
    from incubator.mentoring.enums import SessionStatus
    from incubator.outcomes.enums import Decision as OutcomeDecision
    from incubator.reviews.enums import AssignmentStatus, ReviewStatus
    from incubator.reviews.enums import Decision as ReviewDecision

    enums = {"applications": ApplicationStatus, "cohort_members": MemberStatus, "progress_reports": ReportStatus,
             "fund_pipeline": PipelineStage, "mentoring_sessions": SessionStatus,
             "graduation_outcomes": OutcomeDecision, "review_assignments": AssignmentStatus,
             "reviews": ReviewStatus, "review_stage_entries": ReviewDecision}
    return MappingProxyType({table: MappingProxyType(dict(enum._value2member_map_)) for table, enum in enums.items()})


def state_label(code: str | None, object_type: str | None = None) -> str:
    """A state of the audit log in words (the code itself when it is not one of the object's states)."""
    if not code:
        return ""
    member = _state_members().get(object_type or "", {}).get(code)
    return str(member.label) if member is not None else code
