"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit


def register() -> None:
    audit.register_object("partners", _l("Partner"))
    audit.register_actions({
        "partner.create": _l("Partner added"),
        "partner.update": _l("Partner changed"),
    })
