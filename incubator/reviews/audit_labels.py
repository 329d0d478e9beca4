"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit
from incubator.reviews.enums import AssignmentStatus, Decision, ReviewStatus


def register() -> None:
    audit.register_object("review_stages", _l("Review stage"))
    audit.register_object("review_criteria", _l("Criterion"))
    audit.register_object("review_panel_members", _l("Member of a review panel"))
    audit.register_object("review_stage_entries", _l("Application in a review stage"))
    audit.register_object("review_assignments", _l("Reviewer's assignment"))
    audit.register_object("review_conflicts", _l("Conflict of interest"))
    audit.register_object("reviews", _l("Review"))
    audit.register_object("review_scores", _l("Score"))
    audit.register_object("rejection_reasons", _l("Reason for rejection"))
    audit.register_states("review_assignments", AssignmentStatus)
    audit.register_states("reviews", ReviewStatus)
    audit.register_states("review_stage_entries", Decision)
    audit.register_actions({
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
    })
