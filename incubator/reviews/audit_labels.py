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
