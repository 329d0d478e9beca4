"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit


def register() -> None:
    audit.register_object("incubators", _l("Incubator"))
    audit.register_states("incubators", {"created": _l("Added to the network")})
    audit.register_actions({"incubator.create": _l("Incubator added"),
                            "incubator.update": _l("Incubator's record changed")})
