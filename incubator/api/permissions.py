"""Who may own, see and revoke API tokens: administrators and the Department's officials (the roles held
across the network), each their own; administrators every token."""

from __future__ import annotations

from flask import Flask

from incubator.auth.enums import Role
from incubator.auth.permissions import has_role, is_confirmed

OWNER_ROLES = (Role.ADMIN, Role.OFFICIAL)


def may_own_tokens(user) -> bool:
    """An active, confirmed account holding a network role (administrator, official). Checked again at every
    call: a token of an owner who lost the role or was deactivated stops working."""
    return bool(is_confirmed(user) and user.active and user.roles_in(None) & set(OWNER_ROLES))


def can_manage_own_tokens(user) -> bool:
    return may_own_tokens(user)


def can_see_every_token(user) -> bool:
    return has_role(user, Role.ADMIN) and may_own_tokens(user)


def can_revoke(user, token) -> bool:
    if token.revoked_at is not None:
        return False
    return (may_own_tokens(user) and token.owner_id == user.id) or can_see_every_token(user)


def register(app: Flask) -> None:
    app.jinja_env.globals.update(can_manage_api_tokens=can_manage_own_tokens)
