from flask_babel import lazy_gettext as _l

from incubator.applications.enums import ApplicationStatus
from incubator.enums import LabelledEnum, state_machine


class AssignmentStatus(LabelledEnum):
    ASSIGNED = "assigned"  # given; the reviewer has not yet said whether they have a conflict
    CONFIRMED = "confirmed"  # the reviewer declared no conflict and may read and score
    RECUSED = "recused"  # a conflict of interest: the reviewer sees nothing more of the application
    WITHDRAWN = "withdrawn"  # taken back by staff (or the reviewer left the panel)

    @classmethod
    def labels(cls):
        return {
            cls.ASSIGNED: _l("To confirm"),
            cls.CONFIRMED: _l("Confirmed"),
            cls.RECUSED: _l("Recused"),
            cls.WITHDRAWN: _l("Withdrawn"),
        }


ACTIVE_ASSIGNMENT = frozenset({AssignmentStatus.ASSIGNED, AssignmentStatus.CONFIRMED})

A = AssignmentStatus
# An assignment is confirmed once (the reviewer declares no conflict); it ends recused (a conflict) or withdrawn
# (staff take it back, or the reviewer leaves the panel); a withdrawn one may be given again, a recused one never.
ASSIGNMENT_TRANSITIONS: dict[AssignmentStatus, frozenset[AssignmentStatus]] = state_machine({
    A.ASSIGNED: frozenset({A.CONFIRMED, A.RECUSED, A.WITHDRAWN}),
    A.CONFIRMED: frozenset({A.RECUSED, A.WITHDRAWN}),
    A.RECUSED: frozenset(),
    A.WITHDRAWN: frozenset({A.ASSIGNED}),
})


class ReviewStatus(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"

    @classmethod
    def labels(cls):
        return {cls.DRAFT: _l("Draft"), cls.SUBMITTED: _l("Submitted")}


# A draft is submitted once; a submitted review may still change its scores until the stage closes, not its state.
REVIEW_TRANSITIONS: dict[ReviewStatus, frozenset[ReviewStatus]] = state_machine({
    ReviewStatus.DRAFT: frozenset({ReviewStatus.SUBMITTED}),
    ReviewStatus.SUBMITTED: frozenset(),
})


class ConflictKind(LabelledEnum):
    EMPLOYER = "employer"
    INVESTOR = "investor"
    FAMILY = "family"
    COMPETITOR = "competitor"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {
            cls.EMPLOYER: _l("Employer or employee"),
            cls.INVESTOR: _l("Investor or shareholder"),
            cls.FAMILY: _l("Family tie"),
            cls.COMPETITOR: _l("Competitor"),
            cls.OTHER: _l("Other"),
        }


class Decision(LabelledEnum):
    ACCEPT = "accept"
    WAITLIST = "waitlist"
    REJECT = "reject"
    ADVANCE = "advance"

    @classmethod
    def labels(cls):
        return {
            cls.ACCEPT: _l("Accept"),
            cls.WAITLIST: _l("Waitlist"),
            cls.REJECT: _l("Reject"),
            cls.ADVANCE: _l("Advance to the next stage"),
        }


# The application's status each decision leads to (advancing keeps it under review).
DECISION_STATUS = {
    Decision.ACCEPT: ApplicationStatus.ACCEPTED,
    Decision.WAITLIST: ApplicationStatus.WAITLISTED,
    Decision.REJECT: ApplicationStatus.REJECTED,
    Decision.ADVANCE: ApplicationStatus.UNDER_REVIEW,
}

# A stage's decision on an application may change only this way: a waitlisted one is later accepted or rejected.
DECISION_TRANSITIONS: dict[Decision | None, frozenset[Decision]] = state_machine({
    None: frozenset(Decision),
    Decision.WAITLIST: frozenset({Decision.ACCEPT, Decision.REJECT}),
    Decision.ACCEPT: frozenset(),
    Decision.REJECT: frozenset(),
    Decision.ADVANCE: frozenset(),
})


def decision_is_open(decision: Decision | None) -> bool:
    """A decision may still be taken on an entry with this one (DECISION_TRANSITIONS): none yet, or waitlisted."""
    return bool(DECISION_TRANSITIONS[decision])


def may_be_decided(decision: Decision | None, withdrawn: bool) -> bool:
    """Open, and its application still in the review (not withdrawn by its founders): what decisions.can_take
    asks before any particular decision, and the pages before offering one."""
    return decision_is_open(decision) and not withdrawn


# The reasons for rejection every incubator starts with (Vietnamese, English), in their order: the migration
# 5f681d0b7b70 seeded them (for the incubator that became VUHN) and a new incubator gets its copy
# (decisions.copy_standard_reasons); staff edit each incubator's list afterwards.
STANDARD_REJECTION_REASONS = (
    ("Không đáp ứng điều kiện về đối tượng hỗ trợ", "Does not meet the eligibility conditions"),
    ("Sản phẩm chưa thể hiện tính đổi mới sáng tạo", "The product does not show enough innovation"),
    ("Thị trường và khách hàng chưa được xác định rõ", "The market and customers are not clearly identified"),
    ("Đội ngũ chưa đủ năng lực triển khai", "The team cannot yet carry out the plan"),
    ("Kế hoạch phát triển chưa khả thi", "The development plan is not feasible"),
    ("Hồ sơ chưa đầy đủ", "The application is incomplete"),
)
