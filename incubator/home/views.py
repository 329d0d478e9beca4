from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from incubator.auth.enums import Role
from incubator.auth.permissions import can_see_role_home
from incubator.db import utcnow
from incubator.home import queries
from incubator.i18n import local_day

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    """Anyone not logged in meets what the incubator offers and the rounds open now; a person logged in goes to
    the home of their first role where work waits, or of their primary role (the others are tabs of it)."""
    if not current_user.is_authenticated:
        from flask_babel import get_locale

        from incubator.applications.queries import public_rounds
        from incubator.reports.queries import names_in_force

        now = utcnow()
        open_rounds, soon = public_rounds(now)
        # Who runs the incubator, by the names in force today (the Department was merged on 01/03/2025).
        bodies = names_in_force(local_day(now))["en" if str(get_locale()) == "en" else "vi"]
        return render_template("home/front.html", open_rounds=open_rounds, soon=soon, now=now, bodies=bodies)
    role = current_user.primary_role
    if role is None:
        return redirect(url_for("auth.account"))
    if len(current_user.sorted_roles) > 1:  # land where work waits, in the tabs' order; else the primary role
        waiting = queries.waiting_counts(current_user, utcnow())
        role = next((r for r in current_user.sorted_roles if waiting.get(r, 0) > 0), role)
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
    now = utcnow()
    today = local_day(now)
    context = {}
    if role is Role.ADMIN:
        context = queries.admin_home()
    elif role is Role.STAFF:
        context = queries.staff_home(current_user, today, now)
    elif role is Role.OFFICIAL:
        context = queries.official_home(today)
    elif role is Role.FOUNDER:
        context = queries.founder_home(current_user)
    elif role is Role.REVIEWER:
        context = queries.reviewer_home(current_user, now)
    elif role is Role.MENTOR:
        context = queries.mentor_home(current_user, now)
    elif role is Role.FUND_MANAGER:
        context = queries.fund_manager_home(current_user)
    waiting = queries.waiting_counts(current_user, now) if len(current_user.sorted_roles) > 1 else {}
    return render_template(f"home/{role.value}.html", role=role, today=today, now=now, waiting=waiting, **context)


@bp.route("/incubator", methods=["POST"])
@login_required
def switch_incubator():
    """The switcher: work in another of one's incubators (or, for a founder who also acts in one, in "My
    businesses"), remembered in the session; then the home page, since the page one was on belongs to the
    incubator left."""
    from incubator.auth.forms import ConfirmForm
    from incubator.home.incubators import SESSION_KEY, place_of

    if not ConfirmForm().validate_on_submit():
        abort(400)
    chosen = request.form.get("incubator_id", type=int)
    place = place_of(current_user, chosen)
    if place is None or chosen not in place.choices:
        abort(404)
    session[SESSION_KEY] = chosen
    return redirect(url_for("home.index"))
