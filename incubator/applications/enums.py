from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum, state_machine


class ApplicationStatus(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @classmethod
    def labels(cls):
        return {
            cls.DRAFT: _l("Draft"),
            cls.SUBMITTED: _l("Submitted"),
            cls.UNDER_REVIEW: _l("Under review"),
            cls.ACCEPTED: _l("Accepted"),
            cls.WAITLISTED: _l("Waitlisted"),
            cls.REJECTED: _l("Rejected"),
            cls.WITHDRAWN: _l("Withdrawn"),
        }


S = ApplicationStatus
# The allowed changes of status: the one door (services.change_status) refuses every other.
TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = state_machine({
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.WITHDRAWN, S.DRAFT}),  # back to draft: staff return it to fix
    S.UNDER_REVIEW: frozenset({S.ACCEPTED, S.WAITLISTED, S.REJECTED, S.WITHDRAWN}),
    S.WAITLISTED: frozenset({S.ACCEPTED, S.REJECTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
})
DECIDED = frozenset({S.ACCEPTED, S.WAITLISTED, S.REJECTED})
# What every count of "submitted applications" counts: sent, and not withdrawn since (see
# applications.queries.counted_as_submitted). A draft withdrawn was never sent; a sent one withdrawn is left out.
COUNTED_AS_SUBMITTED = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED, S.WAITLISTED, S.REJECTED})


class QuestionKind(LabelledEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    URL = "url"

    @classmethod
    def labels(cls):
        return {
            cls.TEXT: _l("Short text"),
            cls.LONG_TEXT: _l("Long text"),
            cls.NUMBER: _l("Number"),
            cls.MONEY: _l("Amount in VND"),
            cls.DATE: _l("Date"),
            cls.SINGLE_CHOICE: _l("One choice"),
            cls.MULTIPLE_CHOICE: _l("Several choices"),
            cls.URL: _l("Web address"),
        }
