from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum, state_machine


class RevisionStatus(LabelledEnum):
    """A change a founder proposes to an entry: waiting for staff, approved (now shown), refused (with the
    reason the founder reads), or replaced by a later change before anyone decided."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    SUPERSEDED = "superseded"

    @classmethod
    def labels(cls):
        return {
            cls.PENDING: _l("Waiting for approval"),
            cls.APPROVED: _l("Approved"),
            cls.REFUSED: _l("Refused"),
            cls.SUPERSEDED: _l("Replaced by a later change"),
        }


TRANSITIONS = state_machine({
    None: frozenset({RevisionStatus.PENDING}),
    RevisionStatus.PENDING: frozenset({RevisionStatus.APPROVED, RevisionStatus.REFUSED, RevisionStatus.SUPERSEDED}),
    RevisionStatus.APPROVED: frozenset(),
    RevisionStatus.REFUSED: frozenset(),
    RevisionStatus.SUPERSEDED: frozenset(),
})
