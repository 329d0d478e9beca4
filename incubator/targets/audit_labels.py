"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit


def register() -> None:
    audit.register_object("targets", _l("Target"))
    audit.register_actions({
        "target.create": _l("Target created"),
        "target.update": _l("Target changed"),
    })
