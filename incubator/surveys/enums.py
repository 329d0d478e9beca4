"""The states of a yearly survey and of each business's response to it."""

from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum, state_machine


class SurveyStatus(LabelledEnum):
    DRAFT = "draft"  # staff prepare its questions; no business sees it
    OPEN = "open"  # businesses invited; founders answer until the deadline
    CLOSED = "closed"  # no more answers

    @classmethod
    def labels(cls):
        return {cls.DRAFT: _l("Being prepared"), cls.OPEN: _l("Open"), cls.CLOSED: _l("Closed")}


SURVEY_TRANSITIONS = state_machine({
    None: frozenset({SurveyStatus.DRAFT}),
    SurveyStatus.DRAFT: frozenset({SurveyStatus.OPEN}),
    SurveyStatus.OPEN: frozenset({SurveyStatus.CLOSED}),
    SurveyStatus.CLOSED: frozenset(),
})


class ResponseStatus(LabelledEnum):
    INVITED = "invited"  # nothing saved yet
    DRAFT = "draft"  # answers saved, not submitted
    SUBMITTED = "submitted"  # submitted: read-only unless staff reopen it

    @classmethod
    def labels(cls):
        return {cls.INVITED: _l("Not started"), cls.DRAFT: _l("Draft saved"), cls.SUBMITTED: _l("Submitted")}


RESPONSE_TRANSITIONS = state_machine({
    None: frozenset({ResponseStatus.INVITED}),
    ResponseStatus.INVITED: frozenset({ResponseStatus.DRAFT, ResponseStatus.SUBMITTED}),
    ResponseStatus.DRAFT: frozenset({ResponseStatus.SUBMITTED}),
    ResponseStatus.SUBMITTED: frozenset({ResponseStatus.DRAFT}),  # reopened by staff, with a reason
})
