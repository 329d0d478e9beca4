"""Cohorts (staff), progress reports (founders) and services delivered (staff); a startup's file is in
incubator/startups."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from incubator import exports
from incubator.auth.models import User
from incubator.auth.permissions import require
from incubator.cohorts import exports as rows_of
from incubator.cohorts import queries, services
from incubator.cohorts.enums import IN_INCUBATION, MemberStatus, ReportStatus, ServiceKind
from incubator.cohorts.forms import AdmitForm, CohortForm, LeaveForm, ReportForm, ServiceForm
from incubator.cohorts.models import Cohort, CohortMember, ServiceDelivery, ServiceRecipient
from incubator.cohorts.periods import member_periods, period_for
from incubator.cohorts.permissions import can_manage_cohorts, can_record_services, can_report, can_view_startup
from incubator.db import utcnow
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.i18n import local_today
from incubator.web import apply_form_error, form_status, save_form

bp = Blueprint("cohorts", __name__, url_prefix="/cohorts")
services_bp = Blueprint("services", __name__, url_prefix="/services")


today = local_today  # the pages of cohorts read today in Hà Nội


# ---- Cohorts (staff) ----------------------------------------------------------------------------------------

def _cohort_choices(form):
    from incubator.applications.models import IntakeRound
    from incubator.auth.enums import Role
    from incubator.auth.queries import holds_role_here

    staff = db.session.scalars(sa.select(User).where(  # the staff of this incubator, and administrators
        User.active.is_(True), holds_role_here(Role.STAFF, Role.ADMIN)).order_by(User.full_name))
    form.owner_id.choices = [SelectChoice("", "—")] + [SelectChoice(u.id, u.full_name) for u in staff]
    rounds = db.session.scalars(sa.select(IntakeRound).order_by(IntakeRound.opens_at.desc(), IntakeRound.id.desc()))
    form.round_id.choices = [SelectChoice("", "—")] + [SelectChoice(r.id, r.name) for r in rounds]


@bp.route("/")
@require(can_manage_cohorts)
def index():
    return render_template("cohorts/index.html", cohorts=queries.cohorts_with_counts(), today=today())


@bp.route(f"/export.{exports.FORMAT_RULE}")
@require(can_manage_cohorts)
def export(fmt):
    return exports.response(fmt, "khoa-uom-tao", *rows_of.cohorts(queries.cohorts_with_counts()), "cohorts")


@bp.route("/new", methods=["GET", "POST"])
@require(can_manage_cohorts)
def new():
    form = CohortForm()
    _cohort_choices(form)
    done = save_form(form, lambda: services.create_cohort(actor=current_user, **form.fields()),
                     message=_("Cohort created."), to=lambda cohort: url_for("cohorts.cohort", cohort_id=cohort.id))
    if done:
        return done
    return render_template("cohorts/form.html", form=form, cohort=None), form_status(form)


@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@require(can_manage_cohorts)
def edit(cohort_id):
    cohort = db.get_or_404(Cohort, cohort_id)
    form = CohortForm()
    _cohort_choices(form)
    if request.method == "GET":
        form.load(cohort)
    done = save_form(form, lambda: services.update_cohort(cohort, actor=current_user, version=form.version.data,
                                                          **form.fields()),
                     message=_("Saved."), to=url_for("cohorts.cohort", cohort_id=cohort.id))
    if done:
        return done
    return render_template("cohorts/form.html", form=form, cohort=cohort), form_status(form)


def _company_to_admit(form):
    """The business whose tax code was typed (spaces and dots ignored, as the register writes it); None, with the
    reason on the field, when there is none. Whether it may be admitted (an IT business) is admit's rule."""
    from incubator.companies.models import Company
    from incubator.companies.taxcode import normalise

    company = db.session.scalar(sa.select(Company).where(Company.tax_code == normalise(form.tax_code.data)))
    if company is None:
        form.tax_code.errors = [*list(form.tax_code.errors), _("No business matches.")]
    return company


@bp.route("/<int:cohort_id>", methods=["GET", "POST"])
@require(can_manage_cohorts)
def cohort(cohort_id):
    from incubator.web import page_arg

    cohort = _cohort_or_404(cohort_id)
    form = AdmitForm()
    company = _company_to_admit(form) if form.validate_on_submit() else None
    if company is not None:
        try:
            services.admit(cohort, company, actor=current_user)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            flash(_("Admitted; the incubated residency opens on %(date)s.", date=cohort.starts_on.strftime("%d/%m/%Y")),
                  "success")
            return redirect(url_for("cohorts.cohort", cohort_id=cohort.id))
    members, rows = queries.cohort_rows_page(cohort, today(), page_arg())
    exclusions = queries.graduate_exclusions([r.member.outcome for r in rows if r.member.outcome is not None],
                                             today())
    return render_template("cohorts/cohort.html", cohort=cohort, rows=rows, members=members, form=form,
                           today=today(), exclusions=exclusions), form_status(form)


def _cohort_or_404(cohort_id) -> Cohort:
    # The owner for their name: their roles only if something asks (not read with every cohort page).
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.id == cohort_id)
                               .options(joinedload(Cohort.owner).lazyload(User.role_rows), joinedload(Cohort.round)))
    if cohort is None:
        abort(404)
    return cohort


@bp.route(f"/<int:cohort_id>/members.{exports.FORMAT_RULE}")
@require(can_manage_cohorts)
def export_members(cohort_id, fmt):
    cohort = _cohort_or_404(cohort_id)
    rows = queries.cohort_rows(cohort, today())
    exclusions = queries.graduate_exclusions([r.member.outcome for r in rows if r.member.outcome is not None],
                                             today())
    return exports.response(fmt, f"khoa-{cohort.id}-thanh-vien", *rows_of.members(rows, exclusions), "members")


@bp.route(f"/<int:cohort_id>/reports.{exports.FORMAT_RULE}")
@require(can_manage_cohorts)
def export_reports(cohort_id, fmt):
    cohort = _cohort_or_404(cohort_id)
    rows = queries.cohort_rows(cohort, today())
    return exports.response(fmt, f"khoa-{cohort.id}-bao-cao-dinh-ky", *rows_of.reports(rows, today()), "reports")


@bp.route("/late")
@require(can_manage_cohorts)
def late():
    return render_template("cohorts/late.html", rows=queries.late_reports(today()), today=today())


@bp.route(f"/late.{exports.FORMAT_RULE}")
@require(can_manage_cohorts)
def export_late(fmt):
    return exports.response(fmt, "bao-cao-tre-han", *rows_of.late(queries.late_reports(today())), "late")


@bp.route("/members/<int:member_id>/leave", methods=["GET", "POST"])
@require(can_manage_cohorts)
def leave(member_id):
    member = db.get_or_404(CohortMember, member_id)
    form = LeaveForm(current=member.status)
    if request.method == "GET":
        form.version.data = member.version_id
        form.on.data = min(member.cohort.ends_on, today())
    if form.validate_on_submit():
        try:
            services.leave(member, MemberStatus(form.status.data), on=form.on.data, actor=current_user,
                           stays_on=form.stays_on.data, product=form.product.data,
                           evidence_text=form.evidence_text.data, evidence_url=form.evidence_url.data,
                           pillars=form.pillars.data or [], note=form.note.data,
                           extended_to=form.extended_to.data, version=form.version.data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            flash(_("Outcome recorded."), "success")
            return redirect(url_for("cohorts.cohort", cohort_id=member.cohort_id))
    return render_template("cohorts/leave.html", member=member, form=form), form_status(form)


# ---- Progress reports (founders; staff read) --------------------------------------------------------------

@bp.route("/members/<int:member_id>/reports/<period>", methods=["GET", "POST"])
@login_required
def report(member_id, period):
    member = db.get_or_404(CohortMember, member_id)
    if not (can_report(current_user, member) or can_view_startup(current_user, member.company)):
        abort(404)
    try:
        period_obj = period_for(member_periods(member), date.fromisoformat(period))
    except ValueError:
        period_obj = None
    if period_obj is None:
        abort(404)
    versions = [r for r in queries.all_versions([member.id]) if r.period_start == period_obj.start]
    if not can_report(current_user, member):  # a founder's unsubmitted draft is theirs alone
        versions = [r for r in versions if r.status is ReportStatus.SUBMITTED]
    # A period is reported on once it has begun.
    editable = can_report(current_user, member) and member.status in IN_INCUBATION and period_obj.start <= today()
    form = ReportForm()
    draft = versions[0] if versions and versions[0].status is ReportStatus.DRAFT else None
    if request.method == "GET":
        source = draft or (versions[0] if versions else None)
        if source is not None:
            form.load(source)
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            submit = request.form.get("action") == "submit"
            latest = versions[0] if versions else None
            if submit and draft is None and latest is not None and all(
                    getattr(latest, k) == v for k, v in form.fields().items()):
                # The same figures sent again (a double click): no new version.
                return redirect(url_for("cohorts.report", member_id=member.id, period=period_obj.key))
            try:
                target = draft or services.draft_for(member, period_obj, actor=current_user)
                services.save_report(target, actor=current_user, submit=submit, now=utcnow(),
                                     version=form.version.data if draft else None, **form.fields())
            except DomainError as exc:
                apply_form_error(form, exc)
            else:
                flash(_("Report submitted. Thank you.") if submit else _("Draft saved."), "success")
                return redirect(url_for("cohorts.report", member_id=member.id, period=period_obj.key))
    return render_template("cohorts/report.html", member=member, period=period_obj, versions=versions,
                           form=form, editable=editable, draft=draft, today=today()), form_status(form)


# ---- Services delivered (staff) ---------------------------------------------------------------------------

def _service_choices(form, service=None):
    from incubator.companies.models import Company
    from incubator.partners.models import Partner
    from incubator.partners.queries import partner_list
    from incubator.text import vietnamese_sort_key

    # The partners this person sees (partners.queries), and the service's own provider whatever it became since.
    own = [Partner.id == service.provider_id] if service is not None and service.provider_id else []
    partners = db.session.scalars(partner_list() if not own else
                                  sa.select(Partner).where(sa.or_(partner_list().whereclause, *own))
                                  .order_by(Partner.name, Partner.id))
    form.provider_id.choices = [SelectChoice("", _("The incubator"))] + [SelectChoice(p.id, p.name) for p in partners]
    companies = db.session.scalars(sa.select(Company).join(CohortMember, CohortMember.company_id == Company.id)
                                   .distinct()).all()
    choices = [SelectChoice(c.id, c.name) for c in sorted(companies, key=lambda c: vietnamese_sort_key(c.name))]
    form.recipients.choices = choices
    form.attended.choices = choices


def _service_query():
    kind = request.args.get("kind") or None
    year = request.args.get("year", type=int)
    stmt = (sa.select(ServiceDelivery).options(joinedload(ServiceDelivery.provider),
                                               selectinload(ServiceDelivery.recipients))
            .order_by(ServiceDelivery.delivered_on.desc(), ServiceDelivery.id.desc()))
    if kind in {k.value for k in ServiceKind}:
        stmt = stmt.where(ServiceDelivery.kind == ServiceKind(kind))
    if year and 1990 <= year <= 2200:
        stmt = stmt.where(ServiceDelivery.delivered_on.between(date(year, 1, 1), date(year, 12, 31)))
    return stmt, kind, year


@services_bp.route("/", endpoint="index")
@require(can_record_services)
def service_list():
    stmt, kind, year = _service_query()
    items = db.session.scalars(stmt).all()
    return render_template("cohorts/services.html", items=items, kind=kind, year=year, kinds=ServiceKind)


@services_bp.route(f"/export.{exports.FORMAT_RULE}", endpoint="export")
@require(can_record_services)
def export_services(fmt):
    stmt, _kind, _year = _service_query()
    items = db.session.scalars(stmt.options(selectinload(ServiceDelivery.recipients)
                                            .joinedload(ServiceRecipient.company))).all()
    return exports.response(fmt, "dich-vu-da-cung-cap", *rows_of.services(items), "services")


def _save_service(service):
    form = ServiceForm()
    _service_choices(form, service)
    if request.method == "GET":
        if service is not None:
            form.load(service)
        else:
            form.delivered_on.data = today()
    if form.validate_on_submit():
        fields = form.fields()
        try:
            services.save_service(service, actor=current_user, recipients=form.recipients.data,
                                  attended=form.attended.data or [], version=form.version.data, **fields)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            flash(_("Service recorded."), "success")
            return redirect(url_for("services.index"))
    return render_template("cohorts/service.html", form=form, service=service), form_status(form)


@services_bp.route("/new", methods=["GET", "POST"])
@require(can_record_services)
def new_service():
    return _save_service(None)


@services_bp.route("/<int:service_id>/edit", methods=["GET", "POST"])
@require(can_record_services)
def edit_service(service_id):
    return _save_service(db.get_or_404(ServiceDelivery, service_id))
