"""The kinds and states of businesses' requests to the city (issue 21), with the allowed changes of state."""

from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum, state_machine


class RequestKind(LabelledEnum):
    REQUEST = "request"  # kiến nghị
    COMPLAINT = "complaint"  # khiếu nại

    @classmethod
    def labels(cls):
        return {cls.REQUEST: _l("Request"), cls.COMPLAINT: _l("Complaint")}


class PublicationConsent(LabelledEnum):
    """What the business allows to be published once its request is answered."""

    NAMED = "named"
    ANONYMISED = "anonymised"
    NOT_PUBLISHED = "not_published"

    @classmethod
    def labels(cls):
        return {
            cls.NAMED: _l("Publish with the business's name"),
            cls.ANONYMISED: _l("Publish without names"),
            cls.NOT_PUBLISHED: _l("Do not publish"),
        }


class RequestOrigin(LabelledEnum):
    """Where a request staff filed on the business's behalf comes from (a request the business filed has none)."""

    DIALOGUE = "dialogue"  # raised at a dialogue conference (from the floor)
    SURVEY = "survey"  # a proposal among the business's answers to the yearly survey

    @classmethod
    def labels(cls):
        return {cls.DIALOGUE: _l("Dialogue conference"), cls.SURVEY: _l("Yearly survey")}


class RequestStatus(LabelledEnum):
    SUBMITTED = "submitted"  # filed and acknowledged, waiting for the staff's triage
    ROUTED = "routed"  # accepted and sent to the body that must answer
    AWAITING_INFORMATION = "awaiting_information"  # the business was asked for more: the clock is paused
    ANSWERED = "answered"
    DECLINED = "declined"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"

    @classmethod
    def labels(cls):
        return {
            cls.SUBMITTED: _l("Received"),
            cls.ROUTED: _l("Being answered"),
            cls.AWAITING_INFORMATION: _l("Waiting for information from the business"),
            cls.ANSWERED: _l("Answered"),
            cls.DECLINED: _l("Declined"),
            cls.MERGED: _l("Merged with another request"),
            cls.WITHDRAWN: _l("Withdrawn"),
        }

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset({RequestStatus.SUBMITTED, RequestStatus.ROUTED, RequestStatus.AWAITING_INFORMATION})
_CLOSING = frozenset({RequestStatus.MERGED, RequestStatus.DECLINED, RequestStatus.WITHDRAWN})

TRANSITIONS = state_machine({
    None: frozenset({RequestStatus.SUBMITTED}),
    RequestStatus.SUBMITTED: frozenset({RequestStatus.ROUTED, RequestStatus.AWAITING_INFORMATION,
                                        RequestStatus.ANSWERED}) | _CLOSING,
    # ROUTED → ROUTED: routed again to another body, with a reason.
    RequestStatus.ROUTED: frozenset({RequestStatus.ROUTED, RequestStatus.AWAITING_INFORMATION,
                                     RequestStatus.ANSWERED}) | _CLOSING,
    # The information added, the request goes back to where it was (routed when it has a body).
    RequestStatus.AWAITING_INFORMATION: frozenset({RequestStatus.SUBMITTED, RequestStatus.ROUTED}) | _CLOSING,
    RequestStatus.ANSWERED: frozenset(),
    RequestStatus.DECLINED: frozenset(),
    RequestStatus.MERGED: frozenset(),
    RequestStatus.WITHDRAWN: frozenset(),
})


class BodyKind(LabelledEnum):
    DEPARTMENT_UNIT = "department_unit"
    OTHER_DEPARTMENT = "other_department"
    DISTRICT = "district"
    PARTNER = "partner"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {
            cls.DEPARTMENT_UNIT: _l("Unit of the Department"),
            cls.OTHER_DEPARTMENT: _l("Another department of the city"),
            cls.DISTRICT: _l("District or ward"),
            cls.PARTNER: _l("Partner organisation"),
            cls.OTHER: _l("Other body"),
        }


class CalendarDayKind(LabelledEnum):
    """A day the government announces: a day off (a bridge day, Tết extended) or a make-up working day."""

    DAY_OFF = "day_off"
    WORKING_DAY = "working_day"

    @classmethod
    def labels(cls):
        return {cls.DAY_OFF: _l("Day off"), cls.WORKING_DAY: _l("Make-up working day")}


class AnswerSource(LabelledEnum):
    STAFF = "staff"  # written by the incubator's staff
    BODY = "body"  # entered as received from the body, with its document
    CONFERENCE = "conference"  # given at a dialogue conference

    @classmethod
    def labels(cls):
        return {
            cls.STAFF: _l("Written by the incubator's staff"),
            cls.BODY: _l("Received from the body that answered"),
            cls.CONFERENCE: _l("Given at a dialogue conference"),
        }


class EventKind(LabelledEnum):
    """A step of a request's timeline."""

    FILED = "filed"
    ROUTED = "routed"
    REROUTED = "rerouted"
    INFORMATION_REQUESTED = "information_requested"
    INFORMATION_ADDED = "information_added"
    MERGED = "merged"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    ANSWER_DRAFTED = "answer_drafted"
    ANSWERED = "answered"
    RATED = "rated"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"

    @classmethod
    def labels(cls):
        return {
            cls.FILED: _l("Received and acknowledged"),
            cls.ROUTED: _l("Sent to the body that must answer"),
            cls.REROUTED: _l("Sent to another body"),
            cls.INFORMATION_REQUESTED: _l("More information asked of the business"),
            cls.INFORMATION_ADDED: _l("Information added by the business"),
            cls.MERGED: _l("Merged with another request"),
            cls.DECLINED: _l("Declined"),
            cls.WITHDRAWN: _l("Withdrawn by the business"),
            cls.ANSWER_DRAFTED: _l("Answer drafted"),
            cls.ANSWERED: _l("Answer sent to the business"),
            cls.RATED: _l("Answer rated by the business"),
            cls.PUBLISHED: _l("Answer published"),
            cls.UNPUBLISHED: _l("Answer withdrawn from publication"),
        }
