"""User administration: invitations, roles, deactivation."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from incubator import exports
from incubator.admin.permissions import can_edit_incubators
from incubator.auth import services
from incubator.auth.enums import ROLE_PRIORITY, Role, TokenPurpose
from incubator.auth.forms import ConfirmForm, InviteForm, ReasonForm, RolesByIncubatorForm, RolesForm
from incubator.auth.models import AccountToken, User, UserRole
from incubator.auth.permissions import can_manage_users, require
from incubator.db import utcnow
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.organisation.current import current_incubator_id
from incubator.partners.models import Partner
from incubator.text import fold
from incubator.web import form_status, page_arg, save_form

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _partners():
    from incubator.partners.queries import partners

    return partners()  # the partners this person sees (an administrator: every one)


def _chosen_partner(form):
    return db.session.get(Partner, form.partner_id.data) if form.partner_id.data else None


def _network():
    """The incubators, when there are several (roles are then chosen per incubator); else an empty list."""
    from incubator.organisation.queries import all_incubators

    incubators = all_incubators()
    return incubators if len(incubators) > 1 else []


def _roles_text(user, codes) -> str:
    """The person's roles for the list and its export: "Staff, Reviewer"; with several incubators, each role held
    in one followed by its code: "Staff (HN1), Reviewer (HN2)"."""
    if not codes:
        return ", ".join(str(r.label) for r in user.sorted_roles_everywhere)
    rows = sorted(user.role_rows, key=lambda r: (ROLE_PRIORITY.index(r.role), codes.get(r.incubator_id, "")))
    return ", ".join(str(r.role.label) if r.incubator_id is None else f"{r.role.label} ({codes[r.incubator_id]})"
                     for r in rows)


def _roles_form(person, incubators, *, fill: bool):
    """The roles form: one list of roles, or with several incubators one list across the network and one per
    incubator; ``fill``: with the person's roles as they are."""
    if incubators:
        form = RolesByIncubatorForm.for_incubators(incubators, partners=_partners(), prefix="roles")
        if fill:
            form.roles.data = [r.value for r in ROLE_PRIORITY if r in person.roles_in(None)]
            for incubator, field in form.incubator_fields:
                field.data = [r.value for r in ROLE_PRIORITY if r in person.roles_in(incubator.id)]
    else:
        form = RolesForm(partners=_partners(), prefix="roles")
        if fill:
            form.roles.data = [r.value for r in person.sorted_roles]
    if fill:
        form.partner_id.data = person.partner_id or 0
        form.version.data = person.version_id
    return form


def _users_query():
    """The users as the list's filters choose them (role, status, name or e-mail), for the page and its export
    alike: (the statement, with roles and partner loaded, and the filters as read)."""
    stmt = sa.select(User).order_by(User.full_name, User.id)
    role = request.args.get("role")
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.id.in_(sa.select(UserRole.user_id).where(UserRole.role == Role(role))))
    status = request.args.get("status")
    if status == "active":
        stmt = stmt.where(User.active.is_(True))
    elif status == "inactive":
        stmt = stmt.where(User.active.is_(False))
    q = (request.args.get("q") or "").strip()[:100]
    if q:
        # Names carry diacritics: "Nguyen" finds "Nguyễn".
        stmt = stmt.where(sa.or_(User.email.contains(q.lower(), autoescape=True),
                                 User.name_folded.contains(fold(q), autoescape=True)))
    return stmt.options(selectinload(User.partner), selectinload(User.role_rows)), {"q": q, "role": role,
                                                                                   "status": status}


@bp.route("/users")
@require(can_manage_users)
def users():
    stmt, filters = _users_query()
    users = db.paginate(stmt, page=page_arg(), per_page=50, error_out=False)
    codes = {i.id: i.code for i in _network()}
    return render_template("admin/users.html", users=users, roles=list(Role),
                           roles_text=lambda u: _roles_text(u, codes), **filters)


@bp.route(f"/users.{exports.FORMAT_RULE}")
@require(can_manage_users)
def export_users(fmt):
    """The users list as filtered on its page, as CSV (UTF-8 with BOM) or XLSX, like every other list."""
    stmt, _filters = _users_query()
    header = [_("Name"), _("E-mail"), _("Roles"), _("Partner"), _("Status"), _("E-mail confirmed"), _("Language"),
              _("Created"), _("Last login")]
    codes = {i.id: i.code for i in _network()}
    body = [[u.full_name, u.email, _roles_text(u, codes), u.partner.name if u.partner else "",
             _("Active") if u.active else _("Deactivated"), exports.yes_no(u.email_verified_at is not None),
             u.locale or "", u.created_at, u.last_login_at] for u in db.session.scalars(stmt)]
    return exports.response(fmt, "nguoi-dung", header, body, "users")


@bp.route("/users/invite", methods=["GET", "POST"])
@require(can_manage_users)
def invite():
    incubators = _network()
    form = InviteForm(partners=_partners(), incubators=incubators)
    if incubators and request.method == "GET":
        form.incubator_id.data = current_incubator_id()
    done = save_form(form, lambda: services.invite(current_user, form.email.data, form.full_name.data,
                                                   [Role(r) for r in form.roles.data], _chosen_partner(form),
                                                   form.locale.data,
                                                   incubator_id=form.incubator_id.data if incubators else None),
                     message=_("The invitation has been sent to %(email)s.", email=form.email.data),
                     to=url_for("admin.invitations"))
    return done or (render_template("admin/invite.html", form=form), form_status(form))


@bp.route("/invitations")
@require(can_manage_users)
def invitations():
    rows = db.paginate(
        sa.select(AccountToken).where(AccountToken.purpose == TokenPurpose.INVITATION)
        .order_by(AccountToken.created_at.desc()), page=page_arg(), per_page=50, error_out=False)
    return render_template("admin/invitations.html", rows=rows, now=utcnow(), form=ConfirmForm())


@bp.route("/invitations/<int:token_id>/revoke", methods=["POST"])
@require(can_manage_users)
def revoke_invitation(token_id):
    row = db.get_or_404(AccountToken, token_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.revoke_invitation(current_user, row)
        except DomainError as exc:
            flash(str(exc.message), "warning")
        else:
            flash(_("The invitation to %(email)s was withdrawn.", email=row.email), "info")
    return redirect(url_for("admin.invitations"))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require(can_manage_users)
def user(user_id):
    person = db.get_or_404(User, user_id)
    incubators = _network()
    form = _roles_form(person, incubators, fill=request.method == "GET")
    if incubators:
        def save():
            services.set_roles_by_incubator(current_user, person, form.grants(), _chosen_partner(form),
                                            version=form.version.data)
    else:
        def save():
            services.set_roles(current_user, person, [Role(r) for r in form.roles.data], _chosen_partner(form),
                               version=form.version.data)
    done = save_form(form, save, message=_("Roles saved."), to=url_for("admin.user", user_id=person.id))
    return done or (render_template("admin/user.html", person=person, form=form, reason_form=ReasonForm(),
                                    deactivation=_last_deactivation(person)), form_status(form))


def _last_deactivation(person):
    if person.active:
        return None
    from incubator.audit.models import AuditEntry

    return db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.object_type == "users", AuditEntry.object_id == str(person.id),
        AuditEntry.action == "user.deactivate").order_by(AuditEntry.id.desc()).limit(1)).first()


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@require(can_manage_users)
def deactivate(user_id):
    person = db.get_or_404(User, user_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            services.deactivate(current_user, person, form.reason.data)
        except DomainError as exc:
            flash(str(exc.message), "warning")
        else:
            flash(_("%(name)s can no longer log in.", name=person.full_name), "info")
        return redirect(url_for("admin.user", user_id=person.id))
    roles_form = _roles_form(person, _network(), fill=True)
    return render_template("admin/user.html", person=person, form=roles_form, reason_form=form,
                           deactivation=_last_deactivation(person)), 400


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@require(can_manage_users)
def reactivate(user_id):
    person = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.reactivate(current_user, person)
        except DomainError as exc:
            flash(str(exc.message), "warning")
        else:
            flash(_("%(name)s can log in again.", name=person.full_name), "success")
    return redirect(url_for("admin.user", user_id=person.id))


# ---- The incubators' records (issue 20): names, address, report numbers, logo ---------------------------------

def _incubator_or_404(incubator_id):
    """The incubator, if this person may edit its record; else not found (staff of HN1 meet no HN2)."""
    from flask import abort

    from incubator.admin.permissions import can_edit_incubator
    from incubator.organisation.models import Incubator

    incubator = db.get_or_404(Incubator, incubator_id)
    if not can_edit_incubator(current_user, incubator):
        abort(404)
    return incubator


@bp.route("/incubators")
@require(can_edit_incubators)
def incubators():
    """The incubators whose record this person edits: every one for an administrator, their own for staff."""
    from incubator.admin.permissions import can_edit_incubator
    from incubator.organisation.queries import all_incubators

    rows = [i for i in all_incubators() if can_edit_incubator(current_user, i)]
    return render_template("admin/incubators.html", incubators=rows)


@bp.route("/incubators/<int:incubator_id>", methods=["GET", "POST"])
@require(can_edit_incubators)
def incubator(incubator_id):
    from incubator.admin.forms import IncubatorForm
    from incubator.organisation import services as organisation
    from incubator.uploads import check_image

    record = _incubator_or_404(incubator_id)
    form = IncubatorForm(obj=record if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = record.version_id

    def save():
        image = check_image(form.logo.data) if form.logo.data else None
        organisation.update(record, actor=current_user, version=form.version.data,
                            logo=image.stored_name if image else None, remove_logo=form.remove_logo.data,
                            **{k: getattr(form, k).data for k in IncubatorForm.FIELDS})
        if image:
            image.save("logos")  # written once the record is accepted; deleted if the transaction rolls back

    done = save_form(form, save, message=_("Saved."), to=url_for("admin.incubator", incubator_id=record.id))
    if done:
        return done
    from incubator.organisation.current import incubator_in_force

    return render_template("admin/incubator.html", incubator=record, form=form,
                           names_here=record.id == incubator_in_force()), form_status(form)


@bp.route("/incubators/<int:incubator_id>/logo")
@require(can_edit_incubators)
def incubator_logo(incubator_id):
    """The logo as stored (drawn again when uploaded), for the record's page."""
    from flask import Response, abort

    from incubator.uploads import read_image

    found = read_image("logos", _incubator_or_404(incubator_id).logo)
    if found is None:
        abort(404)
    data, mimetype = found
    return Response(data, mimetype=mimetype, headers={"X-Content-Type-Options": "nosniff",
                                                      "Content-Security-Policy": "default-src 'none'",
                                                      "Cache-Control": "private, no-cache"})
