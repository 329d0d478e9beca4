"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit
from incubator.surveys.enums import ResponseStatus, SurveyStatus


def register() -> None:
    audit.register_object("surveys", _l("Yearly survey"))
    audit.register_object("survey_responses", _l("Answers to a yearly survey"))
    audit.register_states("surveys", SurveyStatus)
    audit.register_states("survey_responses", ResponseStatus)
    audit.register_actions({
        "survey.create": _l("Yearly survey created"),
        "survey.update": _l("Yearly survey changed"),
        "survey.question_add": _l("Question added to a survey"),
        "survey.question_update": _l("Question of a survey changed"),
        "survey.question_move": _l("Question of a survey moved"),
        "survey.question_remove": _l("Question removed from a survey"),
        "survey.open": _l("Yearly survey opened"),
        "survey.invite": _l("Businesses added to a survey invited"),
        "survey.close": _l("Yearly survey closed"),
        "survey.response_draft": _l("Answers to a survey started"),
        "survey.response_submit": _l("Answers to a survey submitted"),
        "survey.response_reopen": _l("Answers to a survey reopened"),
    })
