"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit
from incubator.outcomes.enums import Decision


def register() -> None:
    audit.register_object("graduation_outcomes", _l("Graduation outcome"))
    audit.register_states("graduation_outcomes", Decision)
    audit.register_actions({
        "outcome.create": _l("Graduation outcome recorded"),
        "outcome.update": _l("Graduation outcome changed"),
    })
