"""Who may do what: the one place each rule lives. Views, templates and queries use these predicates."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from incubator.auth.enums import Role
from incubator.extensions import login_manager


def is_confirmed(user) -> bool:
    """Logged in with a confirmed e-mail address. Until then an account may only confirm, ask for the link
    again, change the address and log out: it holds no role's rights (identity before access)."""
    return bool(user is not None and user.is_authenticated and user.email_verified_at is not None)


def has_role(user, *roles: Role) -> bool:
    """Confirmed and holding one of the roles: the role helper every domain's permissions compose."""
    return is_confirmed(user) and user.has_role(*roles)


def is_admin(user) -> bool:
    return has_role(user, Role.ADMIN)


def is_staff(user) -> bool:
    """Incubator staff; administrators act as staff too."""
    return has_role(user, Role.STAFF, Role.ADMIN)


def can_manage_users(user) -> bool:
    return is_admin(user)


def can_read_outbox(user) -> bool:
    return is_staff(user)


def can_read_audit_log(user) -> bool:
    return is_staff(user)


def can_see_role_home(user, role: Role) -> bool:
    return has_role(user, role)


def can_read_targets(user) -> bool:
    return has_role(user, Role.STAFF, Role.ADMIN, Role.OFFICIAL)


def can_edit_targets(user) -> bool:
    return is_staff(user)


def require(predicate, *args):
    """View decorator: anonymous users go to the login page, others without the right get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*a, **kw):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not predicate(current_user, *args):
                abort(403)
            return view(*a, **kw)

        return wrapped

    return decorator


def register(app) -> None:
    """Expose the predicates to templates, so a link is shown only when following it is allowed."""
    app.jinja_env.globals.update(
        is_admin=is_admin, is_staff=is_staff, can_manage_users=can_manage_users,
        can_read_outbox=can_read_outbox, can_read_audit_log=can_read_audit_log,
        can_see_role_home=can_see_role_home, can_read_targets=can_read_targets, can_edit_targets=can_edit_targets)
