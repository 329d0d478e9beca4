"""Fund managers: the startups that consent to be seen, their pipeline; founders: who may see them."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from incubator import bounds, exports
from incubator.auth.forms import ConfirmForm
from incubator.auth.permissions import is_staff
from incubator.companies.models import Company
from incubator.companies.queries import visible_company
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.forms import DateField, Form, MoneyField, long_text
from incubator.funding import exports as rows_of
from incubator.funding import queries, services
from incubator.funding.enums import Instrument, PipelineStage
from incubator.funding.models import Consent, PipelineEntry
from incubator.funding.permissions import (
    can_manage_consent,
    can_move_in_pipeline,
    can_see_as_investor,
    can_use_pipeline,
)
from incubator.partners import queries as partner_queries
from incubator.partners.enums import PartnerKind
from incubator.partners.models import Partner
from incubator.web import form_status, save_form

bp = Blueprint("funding", __name__, url_prefix="/funding")


class MoveForm(Form):
    version = HiddenField()
    stage = SelectField(_l("Pipeline stage"), choices=PipelineStage.choices, validators=[InputRequired()])
    on = DateField(_l("Date"), validators=[InputRequired(message=_l("Enter the date.")), bounds.DECISION.validator()])
    amount = MoneyField(_l("Amount (VND)"), validators=[Optional(), NumberRange(min=0, max=10**15)])
    instrument = SelectField(_l("Instrument"), validators=[Optional()])
    notes = long_text(_l("Notes (only your fund and the incubator's staff see them)"), 5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument.choices = [SelectChoice("", "—"), *Instrument.choices()]


@bp.route("/")
@login_required
def pipeline():
    """A fund manager's pipeline (their fund only); staff see every fund's."""
    if not can_use_pipeline(current_user):
        abort(403)
    # Without consent (or after its withdrawal) a startup is not shown to the fund, even if once in its pipeline.
    entries = list(db.session.scalars(queries.pipeline_entries(current_user)))
    consents = list(db.session.scalars(queries.open_startups(current_user)))
    return render_template("funding/pipeline.html", entries=entries, consents=consents, partners=_partners())


class StageForm(Form):
    """A card of the board: the stage to move the startup to (today), at the version the board was read."""

    version = HiddenField()
    stage = SelectField(_l("Move to"), choices=PipelineStage.choices, validators=[InputRequired()])


def _partners() -> dict:
    return {p.id: p for p in partner_queries.partners()}


@bp.route("/board")
@login_required
def board():
    """The pipeline as columns by stage; a fund's people move a startup with the form on its card (no
    script needed)."""
    if not can_use_pipeline(current_user):
        abort(403)
    columns = queries.board(current_user)
    movable = queries.movable(current_user, [e for _stage, entries in columns for e in entries])
    forms = {}
    for _stage, entries in columns:
        for entry in entries:
            if entry.id not in movable:
                continue
            form = StageForm(formdata=None, prefix=f"e{entry.id}")
            form.stage.data, form.version.data = entry.stage.value, entry.version_id
            forms[entry.id] = form
    return render_template("funding/board.html", columns=columns, forms=forms, partners=_partners())


@bp.route("/entries/<int:entry_id>/stage", methods=["POST"])
@login_required
def move_stage(entry_id):
    """Move a startup of the board to another stage, dated today; back to the board with what happened."""
    entry = db.session.scalar(sa.select(PipelineEntry).where(PipelineEntry.id == entry_id,
                                                             queries.entries_visible_to(current_user)))
    if entry is None or not can_use_pipeline(current_user):
        abort(404)
    if not can_move_in_pipeline(current_user, entry):
        abort(403)  # staff read the funds' pipelines; each fund moves its own
    form = StageForm(prefix=f"e{entry.id}")
    if not form.validate_on_submit():
        flash(_("Choose the stage to move the startup to."), "danger")
        return redirect(url_for("funding.board"))
    stage = PipelineStage(form.stage.data)
    try:
        services.move_stage(entry, stage, actor=current_user, on=bounds.today(), version=form.version.data)
    except DomainError as exc:
        flash(_("%(startup)s was not moved: %(reason)s", startup=entry.company.name, reason=exc.message), "danger")
        return redirect(url_for("funding.startup", company_id=entry.company_id))
    flash(_("%(startup)s moved to %(stage)s.", startup=entry.company.name, stage=stage.label), "success")
    return redirect(url_for("funding.board", _anchor=f"stage-{stage.value}"))


@bp.route(f"/pipeline.{exports.FORMAT_RULE}")
@login_required
def export_pipeline(fmt):
    """The pipeline as its page lists it, to the same person: their fund's (staff: every fund's, named)."""
    if not can_use_pipeline(current_user):
        abort(403)
    entries = db.session.scalars(queries.pipeline_entries(current_user)).all()
    header, body = rows_of.pipeline(entries, _partners() if is_staff(current_user) else None)
    return exports.response(fmt, "danh-muc-dau-tu", header, body, "pipeline")


@bp.route("/startups/<int:company_id>", methods=["GET", "POST"])
@login_required
def startup(company_id):
    from incubator.cohorts.queries import memberships_of, trends

    # The register's rule first (companies.queries): another incubator's business is not found by this one's staff.
    company = db.session.scalar(visible_company(company_id))
    if company is None or not can_use_pipeline(current_user) or not can_see_as_investor(current_user, company):
        abort(404)
    partner_id = current_user.partner_id if not is_staff(current_user) else request.args.get("partner", type=int)
    entry = db.session.scalar(sa.select(PipelineEntry).where(PipelineEntry.partner_id == partner_id,
                                                             PipelineEntry.company_id == company.id)) \
        if partner_id else None
    form = MoveForm()
    if request.method == "GET" and entry is not None:
        form.stage.data, form.on.data, form.notes.data = entry.stage.value, entry.stage_on, entry.notes
        form.amount.data = int(entry.amount) if entry.amount is not None else None
        form.instrument.data = entry.instrument.value if entry.instrument else ""
        form.version.data = entry.version_id
    if request.method == "POST" and (is_staff(current_user) or not partner_id):
        abort(403)  # the pipeline is the fund's own
    done = save_form(form, lambda: services.move(partner_id, company, actor=current_user, stage=form.stage.data,
                                                 on=form.on.data, notes=form.notes.data, amount=form.amount.data,
                                                 instrument=form.instrument.data or None, version=form.version.data),
                     message=_("Pipeline updated."), to=url_for("funding.startup", company_id=company.id))
    if done:
        return done
    members = memberships_of(company.id)
    reports = trends([m.id for m in members])
    return render_template("funding/startup.html", company=company, entry=entry, form=form,
                           latest=reports[-1] if reports else None, members=members), form_status(form)


@bp.route("/consent/<int:company_id>", methods=["GET", "POST"])
@login_required
def consent(company_id):
    """The founders choose which fund managers may see their startup, and may withdraw it at any time."""
    company = db.session.get(Company, company_id)
    if company is None or not can_manage_consent(current_user, company):
        abort(404)
    funds = partner_queries.partners(Partner.kind == PartnerKind.FUND_MANAGER)
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        fund = next((f for f in funds if f.id == request.form.get("partner_id", type=int)), None)
        if fund is None:
            abort(400)
        action = request.form.get("action")
        if action not in ("grant", "withdraw"):
            abort(400)
        if action == "grant":
            services.grant(company, fund, actor=current_user)
            flash(_("%(fund)s may now see your startup's profile and latest report.", fund=fund.name), "success")
        else:
            services.withdraw(company, fund, actor=current_user)
            flash(_("%(fund)s no longer sees your startup.", fund=fund.name), "success")
        return redirect(url_for("funding.consent", company_id=company.id))
    granted = {c.partner_id for c in db.session.scalars(sa.select(Consent).where(
        Consent.company_id == company.id, Consent.withdrawn_at.is_(None)))}
    return render_template("funding/consent.html", company=company, funds=funds, granted=granted)
