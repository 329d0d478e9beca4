"""What the audit log reads for API tokens (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit


def register() -> None:
    audit.register_object("api_tokens", _l("API token"))
    audit.register_states("api_tokens", {"active": _l("Active"), "revoked": _l("Revoked")})
    audit.register_actions({
        "api_token.create": _l("API token created"),
        "api_token.revoke": _l("API token revoked"),
    })
