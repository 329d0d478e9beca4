"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit
from incubator.auth.enums import Role


def register() -> None:
    audit.register_object("users", _l("Account"))
    audit.register_object("user_roles", _l("Role of an account"))
    audit.register_object("account_tokens", _l("Invitation"))
    audit.register_states("users", Role)
    audit.register_states("users", {"active": _l("Active"), "inactive": _l("Inactive"),
                                    "verified": _l("E-mail address confirmed"),
                                    "unverified": _l("E-mail address not confirmed")})
    audit.register_states("account_tokens", {"pending": _l("Waiting to be accepted"), "revoked": _l("Withdrawn"),
                                             "accepted": _l("Accepted")})
