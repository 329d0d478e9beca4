"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit
from incubator.dialogue.enums import ConferenceStatus, QuestionOutcome


def register() -> None:
    audit.register_object("dialogue_conferences", _l("Dialogue conference"))
    audit.register_states("dialogue_conferences", ConferenceStatus)
    audit.register_states("dialogue_conferences", {"published": _l("Minutes published")})
    # A question from the floor is recorded on its conference with what became of it.
    audit.register_states("dialogue_conferences", QuestionOutcome)
    audit.register_actions({
        "dialogue.plan": _l("Dialogue conference planned"),
        "dialogue.edit": _l("Dialogue conference changed"),
        "dialogue.add_item": _l("Request put on a conference's agenda"),
        "dialogue.remove_item": _l("Request taken off a conference's agenda"),
        "dialogue.invite": _l("Invitations to a conference sent"),
        "dialogue.register": _l("Registered for a conference"),
        "dialogue.raise_question": _l("Question raised before a conference"),
        "dialogue.record_answer": _l("Answer given at a conference recorded"),
        "dialogue.floor_question": _l("Question from the floor recorded"),
        "dialogue.hold": _l("Dialogue conference held"),
        "dialogue.cancel": _l("Dialogue conference cancelled"),
        "dialogue.minutes": _l("Minutes of a conference made"),
        "dialogue.publish": _l("Minutes of a conference published"),
        "dialogue.unpublish": _l("Minutes of a conference withdrawn from publication"),
    })
