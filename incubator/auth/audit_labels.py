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
    audit.register_actions({
        "user.login": _l("Logged in"),
        "user.logout": _l("Logged out"),
        "user.register": _l("Registered as a founder"),
        "user.verify_email": _l("Confirmed the e-mail address"),
        "user.create": _l("Account created"),
        "user.roles": _l("Roles changed"),
        "user.deactivate": _l("Account deactivated"),
        "user.reactivate": _l("Account reactivated"),
        "user.password_change": _l("Password changed"),
        "user.password_reset": _l("Password reset by e-mail"),
        "user.password_rehash": _l("Password stored again with the current hashing parameters, at login"),
        "user.password_reset_request": _l("Password reset asked for"),
        "user.change_email": _l("E-mail address corrected before confirmation"),
        "invitation.create": _l("Invitation sent"),
        "invitation.accept": _l("Invitation accepted"),
        "invitation.revoke": _l("Invitation withdrawn"),
    })
