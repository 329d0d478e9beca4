"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit


def register() -> None:
    audit.register_states("register", {"imported": _l("Imported")})
    audit.register_actions({
        "register.import": _l("Register imported from a spreadsheet"),
    })
