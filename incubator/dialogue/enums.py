"""The states of a dialogue conference (hội nghị đối thoại, issue 21) and the outcomes of the questions raised
at it."""

from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum, state_machine


class ConferenceStatus(LabelledEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"

    @classmethod
    def labels(cls):
        return {cls.PLANNED: _l("Planned"), cls.HELD: _l("Held"), cls.CANCELLED: _l("Cancelled")}


TRANSITIONS = state_machine({
    None: frozenset({ConferenceStatus.PLANNED}),
    ConferenceStatus.PLANNED: frozenset({ConferenceStatus.HELD, ConferenceStatus.CANCELLED}),
    ConferenceStatus.HELD: frozenset(),
    ConferenceStatus.CANCELLED: frozenset(),
})


class QuestionKind(LabelledEnum):
    BEFOREHAND = "beforehand"  # raised by a business when it registered: filed as its request
    FLOOR = "floor"  # raised from the floor at the conference

    @classmethod
    def labels(cls):
        return {cls.BEFOREHAND: _l("Raised before the conference"), cls.FLOOR: _l("Raised from the floor")}


class QuestionOutcome(LabelledEnum):
    """What became of a question."""

    FILED = "filed"  # filed as the business's request (questions raised beforehand)
    ANSWERED = "answered"  # answered at the conference (the answer is in the minutes)
    ROUTED = "routed"  # sent to a body, which answers in writing
    ATTACHED = "attached"  # the subject of a request already filed: attached to it

    @classmethod
    def labels(cls):
        return {
            cls.FILED: _l("Filed as the business's request"),
            cls.ANSWERED: _l("Answered at the conference"),
            cls.ROUTED: _l("Sent to a body for a written answer"),
            cls.ATTACHED: _l("Attached to a request already filed"),
        }
