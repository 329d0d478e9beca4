"""The API tokens' pages (/account/api-tokens): administrators and officials list, make and revoke their
tokens; administrators see and may revoke everyone's. A new token's secret is shown once, in the answer to
the form that made it (never stored, never redirected through the session)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from incubator.api import queries, services
from incubator.api.enums import SCOPES
from incubator.api.forms import TokenForm
from incubator.api.models import ApiToken
from incubator.api.permissions import can_manage_own_tokens, can_revoke, can_see_every_token
from incubator.auth.forms import ConfirmForm
from incubator.auth.permissions import require
from incubator.db import utcnow
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.organisation.models import Incubator
from incubator.web import apply_form_error, form_status

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


def _incubators() -> list[Incubator]:
    return list(db.session.scalars(sa.select(Incubator).order_by(Incubator.code)))


@bp.route("/")
@require(can_manage_own_tokens)
def index():
    every = can_see_every_token(current_user)
    tokens = queries.every_token() if every else queries.tokens_of(current_user)
    names = {i.id: i.code for i in _incubators()}
    return render_template("api/tokens.html", tokens=tokens, every=every, now=utcnow(), scopes=SCOPES,
                           incubator_codes=names, form=ConfirmForm(), can_revoke=can_revoke)


@bp.route("/new", methods=["GET", "POST"])
@require(can_manage_own_tokens)
def new():
    form = TokenForm(incubators=_incubators())
    if form.validate_on_submit():
        try:
            made = services.create_token(current_user, form.name.data, days=form.days.data,
                                         resources=form.resources.data, incubator_ids=form.incubators.data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            # The secret is in this answer only: the page is not cached (text/html: no-store) nor redirected.
            return render_template("api/token_created.html", token=made.token, secret=made.secret,
                                   scopes=SCOPES, incubator_codes={i.id: i.code for i in _incubators()})
    return render_template("api/token_new.html", form=form), form_status(form)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@require(can_manage_own_tokens)
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or not (token.owner_id == current_user.id or can_see_every_token(current_user)):
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.revoke_token(token, current_user)
    except DomainError as exc:
        flash(str(exc.message), "danger")
        return redirect(url_for("api_tokens.index"))
    flash(_("The token “%(name)s” is revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for("api_tokens.index"))
