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
