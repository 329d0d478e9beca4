from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from incubator.auth.enums import Role
from incubator.auth.permissions import can_see_role_home
from incubator.db import utcnow
from incubator.home import queries
from incubator.i18n import local_tz

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index():
    role = current_user.primary_role
    if role is None:
        return redirect(url_for("auth.account"))
    return redirect(url_for("home.role_home", role=role.value))


@bp.route("/home/<role>")
@login_required
def role_home(role):
    try:
        role = Role(role)
    except ValueError:
        abort(404)
    if not can_see_role_home(current_user, role):
        abort(403)
    today = utcnow().astimezone(local_tz()).date()
    context = {}
    if role is Role.ADMIN:
        context = queries.admin_home()
    elif role is Role.STAFF:
        context = queries.staff_home(today)
    elif role is Role.OFFICIAL:
        context = queries.official_home(today)
    elif role is Role.FOUNDER:
        context = queries.founder_home(current_user)
    return render_template(f"home/{role.value}.html", role=role, today=today, **context)
