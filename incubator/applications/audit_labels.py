"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.applications.enums import ApplicationStatus
from incubator.audit import labels as audit


def register() -> None:
    audit.register_object("intake_rounds", _l("Intake round"))
    audit.register_object("round_questions", _l("Question of a round"))
    audit.register_object("round_documents", _l("Document asked for"))
    audit.register_object("applications", _l("Application"))
    audit.register_object("application_documents", _l("Uploaded document"))
    audit.register_states("applications", ApplicationStatus)
    audit.register_actions({
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
    })
