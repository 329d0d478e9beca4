"""The register of businesses: companies, their residencies in the incubator and graduation outcomes."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from incubator import exports
from incubator.auth.permissions import can_read_targets, require
from incubator.companies import queries, services
from incubator.companies.enums import MembershipStatus, ResidencyKind
from incubator.companies.forms import (
    ClaimCompanyForm,
    CompanyForm,
    EndResidencyForm,
    MembershipDecisionForm,
    OutcomeForm,
    ResidencyForm,
    VerifyCompanyForm,
)
from incubator.companies.models import Residency
from incubator.companies.permissions import can_claim_company, can_edit_register
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.i18n import fmt_date, local_today
from incubator.outcomes import services as outcome_services
from incubator.outcomes.enums import Decision, Pillar
from incubator.outcomes.models import GraduationOutcome
from incubator.uploads import check_pdf, send_upload
from incubator.web import apply_form_error, form_status, page_arg, safe_next_url, save_form

bp = Blueprint("companies", __name__, url_prefix="/register")
my_bp = Blueprint("my_companies", __name__, url_prefix="/my/companies")
OUTCOME_FIELDS = ("decision", "decided_on", "cohort_name", "product", "evidence_text", "evidence_url", "note")
COMPANY_FIELDS = ("tax_code", "tax_code_note", "name", "is_it", "founded_on", "sector", "address", "website",
                  "employees")


def _today():
    return local_today()


def _register_filters() -> tuple[str, dict]:
    args = request.args
    q = (args.get("q") or "").strip()[:100]
    return q, {"is_it": args.get("is_it"), "kind": args.get("kind"), "outcome": args.get("outcome"),
               "verified": args.get("verified")}


@bp.route("/")
@require(can_edit_register)
def index():
    q, filters = _register_filters()
    companies = queries.register_page(_today(), page_arg(), 50, q=q, **filters)
    return render_template("companies/index.html", companies=companies, q=q, filters=filters, today=_today(),
                           kinds=list(ResidencyKind), decisions=list(Decision))


@bp.route(f"/export.{exports.FORMAT_RULE}")
@require(can_edit_register)
def export(fmt):
    """The list as filtered on the page, every row (not only the page shown), for a spreadsheet program."""
    q, filters = _register_filters()
    today = _today()
    header = [_("Business"), _("Tax code"), _("IT"), _("Sector"), _("Founded on"), _("In the incubator now"),
              _("Since"), _("Outcomes"), _("Verified by staff")]
    body = []
    for company in db.session.scalars(queries.register_list(today, q=q, **filters)):
        current = [r for r in company.residencies if r.is_active_on(today)]
        body.append([company.name, company.tax_code, company.is_it, company.sector or "", company.founded_on,
                     ", ".join(str(r.kind.label) for r in current),
                     min((r.starts_on for r in current), default=None),  # a date cell, not text
                     "; ".join(f"{o.decision.label} {fmt_date(o.decided_on)}" for o in company.outcomes),
                     company.is_verified])
    return exports.response(fmt, "so-dang-ky-doanh-nghiep", header, body, "register")


def _residency_filters() -> dict:
    args = request.args
    return {"q": (args.get("q") or "").strip()[:100], "kind": args.get("kind"), "state": args.get("state"),
            "is_it": args.get("is_it")}


@bp.route("/residencies")
@require(can_edit_register)
def residencies():
    filters = _residency_filters()
    items = db.paginate(queries.residency_list(_today(), **filters), page=page_arg(), per_page=50, error_out=False)
    return render_template("companies/residencies.html", items=items, filters=filters, today=_today(),
                           kinds=list(ResidencyKind), states=_residency_states())


def _residency_states() -> dict:
    return {"active": _("In the incubator today"), "ended": _("Ended"), "upcoming": _("Not begun yet")}


@bp.route(f"/residencies/export.{exports.FORMAT_RULE}")
@require(can_edit_register)
def export_residencies(fmt):
    today = _today()
    header = [_("Business"), _("Tax code"), _("IT"), _("Kind"), _("From"), _("To"), _("State"), _("Note")]
    states = _residency_states()
    body = [[r.company.name, r.company.tax_code, r.company.is_it, str(r.kind.label), r.starts_on, r.ends_on,
             states["active"] if r.is_active_on(today) else states["upcoming"] if r.starts_on > today
             else states["ended"], r.note or ""]
            for r in db.session.scalars(queries.residency_list(today, **_residency_filters()))]
    return exports.response(fmt, "thoi-gian-hoat-dong-tai-vuon-uom", header, body, "residencies")


def _outcome_filters() -> dict:
    args = request.args
    return {"q": (args.get("q") or "").strip()[:100], "decision": args.get("decision"),
            "year": args.get("year", type=int)}


@bp.route("/outcomes")
@require(can_edit_register)
def outcomes():
    filters = _outcome_filters()
    items = db.paginate(queries.outcome_list(**filters), page=page_arg(), per_page=50, error_out=False)
    return render_template("companies/outcomes.html", items=items, filters=filters, decisions=list(Decision))


@bp.route(f"/outcomes/export.{exports.FORMAT_RULE}")
@require(can_edit_register)
def export_outcomes(fmt):
    header = [_("Business"), _("Tax code"), _("Decision"), _("Decided on"), _("Cohort"), _("Product"),
              *(str(p.label) for p in Pillar), _("Evidence"),
              _("Evidence link"), _("Evidence file"), _("Note")]
    body = [[o.company.name, o.company.tax_code, str(o.decision.label), o.decided_on, o.cohort_name or "",
             o.product or "", o.serves_government, o.serves_economy, o.serves_society, o.evidence_text or "",
             o.evidence_url or "", o.evidence_filename or "", o.note or ""]
            for o in db.session.scalars(queries.outcome_list(**_outcome_filters()))]
    return exports.response(fmt, "ket-qua-uom-tao", header, body, "outcomes")


@bp.route("/new", methods=["GET", "POST"])
@require(can_edit_register)
def new():
    form = CompanyForm()
    if form.validate_on_submit():
        elsewhere = queries.in_another_incubator(form.tax_code.data)
        if elsewhere is not None:  # staff take in a business another incubator has: its residency here
            flash(_("%(name)s is already in the register, in another incubator: add its residency in this one.",
                    name=elsewhere.name), "info")
            return redirect(url_for("companies.take_in", tax_code=elsewhere.tax_code))
    done = save_form(form, lambda: services.create_company(actor=current_user, **_company_fields(form)),
                     message=lambda company: _("%(name)s is in the register.", name=company.name),
                     to=lambda company: url_for("companies.company", company_id=company.id))
    return done or (render_template("companies/form.html", form=form, company=None), form_status(form))


def _company_fields(form) -> dict:
    return {f: getattr(form, f).data for f in COMPANY_FIELDS}


@bp.route("/take-in/<tax_code>", methods=["GET", "POST"])
@require(can_edit_register)
def take_in(tax_code):
    """Staff take in a business another incubator has (found by its tax code, a business being one record
    city-wide): its first residency in this incubator, after which they see it like their own."""
    company = queries.company_with_tax_code(tax_code)
    if company is None:
        abort(404)
    if queries.sees_company(company.id):
        return redirect(url_for("companies.new_residency", company_id=company.id))
    form = ResidencyForm()
    done = save_form(form, lambda: services.add_residency(company, form.kind.data, form.starts_on.data,
                                                          form.ends_on.data, form.note.data, actor=current_user),
                     message=_("Residency added."), to=url_for("companies.company", company_id=company.id))
    return done or (render_template("companies/residency_form.html", form=form, company=company, residency=None,
                                    taking_in=True), form_status(form))


@bp.route("/<int:company_id>")
@require(can_edit_register)
def company(company_id):
    company = db.first_or_404(queries.company_page(company_id))
    verify_form = VerifyCompanyForm(formdata=None, version=company.version_id)
    return render_template("companies/company.html", company=company, today=_today(), end_form=EndResidencyForm(),
                           verify_form=verify_form)


@bp.route("/<int:company_id>/verify", methods=["POST"])
@require(can_edit_register)
def verify(company_id):
    """Staff have checked a business a founder registered (its registration, its founders)."""
    company = db.first_or_404(queries.visible_company(company_id))
    form = VerifyCompanyForm()
    if form.validate_on_submit():
        try:
            services.verify_company(current_user, company, version=form.version.data)
        except DomainError as exc:
            flash(str(exc.message), "warning")
        else:
            flash(_("%(name)s is verified.", name=company.name), "success")
    return redirect(url_for("companies.company", company_id=company.id))


@bp.route("/<int:company_id>/edit", methods=["GET", "POST"])
@require(can_edit_register)
def edit(company_id):
    company = db.first_or_404(queries.visible_company(company_id))
    form = CompanyForm(obj=company)
    if request.method == "GET":
        form.version.data = company.version_id
    done = save_form(form, lambda: services.update_company(company, actor=current_user, version=form.version.data,
                                                           **_company_fields(form)),
                     message=_("Saved."), to=url_for("companies.company", company_id=company.id))
    return done or (render_template("companies/form.html", form=form, company=company), form_status(form))


@bp.route("/<int:company_id>/residencies/new", methods=["GET", "POST"])
@require(can_edit_register)
def new_residency(company_id):
    company = db.first_or_404(queries.visible_company(company_id))
    form = ResidencyForm()
    done = save_form(form, lambda: services.add_residency(company, form.kind.data, form.starts_on.data,
                                                          form.ends_on.data, form.note.data, actor=current_user),
                     message=_("Residency added."), to=url_for("companies.company", company_id=company.id))
    return done or (render_template("companies/residency_form.html", form=form, company=company, residency=None),
                    form_status(form))


@bp.route("/residencies/<int:residency_id>/edit", methods=["GET", "POST"])
@require(can_edit_register)
def edit_residency(residency_id):
    residency = db.get_or_404(Residency, residency_id)
    form = ResidencyForm(obj=residency)
    if request.method == "GET":
        form.kind.data = residency.kind.value
        form.version.data = residency.version_id
    done = save_form(form, lambda: services.update_residency(
        residency, kind=form.kind.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data, note=form.note.data,
        actor=current_user, version=form.version.data),
                     message=_("Residency saved."), to=url_for("companies.company", company_id=residency.company_id))
    return done or (render_template("companies/residency_form.html", form=form, company=residency.company,
                                    residency=residency), form_status(form))


@bp.route("/residencies/<int:residency_id>/end", methods=["POST"])
@require(can_edit_register)
def end_residency(residency_id):
    residency = db.get_or_404(Residency, residency_id)
    form = EndResidencyForm()
    done = save_form(form, lambda: services.end_residency(residency, form.ends_on.data, reason=form.reason.data,
                                                          actor=current_user, version=form.version.data),
                     message=_("Residency ended."), to=url_for("companies.company", company_id=residency.company_id))
    if done:
        return done
    company = db.first_or_404(queries.company_page(residency.company_id))
    return render_template("companies/company.html", company=company, today=_today(), end_form=form,
                           ending=residency.id), 400


def _outcome_fields(form, pdf) -> dict:
    """What the outcome form gives the services (a PDF of evidence has been checked, not yet stored)."""
    fields = {name: getattr(form, name).data for name in OUTCOME_FIELDS}
    return {**fields, "pillars": form.pillars, "evidence_file": pdf.stored_name if pdf else None,
            "evidence_filename": pdf.original_name if pdf else None}


def _checked_pdf(form):
    return check_pdf(form.evidence_pdf.data) if form.evidence_pdf.data else None


@bp.route("/<int:company_id>/outcomes/new", methods=["GET", "POST"])
@require(can_edit_register)
def new_outcome(company_id):
    company = db.first_or_404(queries.visible_company(company_id))
    form = OutcomeForm()

    def record():
        pdf = _checked_pdf(form)
        outcome_services.record_outcome(company, actor=current_user, **_outcome_fields(form, pdf))
        if pdf:
            pdf.save("evidence")

    done = save_form(form, record, message=_("Outcome recorded."),
                     to=url_for("companies.company", company_id=company.id))
    return done or (render_template("companies/outcome_form.html", form=form, company=company, outcome=None),
                    form_status(form))


@bp.route("/outcomes/<int:outcome_id>/edit", methods=["GET", "POST"])
@require(can_edit_register)
def edit_outcome(outcome_id):
    outcome = db.get_or_404(GraduationOutcome, outcome_id)
    form = OutcomeForm(obj=outcome)
    if request.method == "GET":
        form.decision.data = outcome.decision.value
        form.version.data = outcome.version_id

    def update():
        pdf = _checked_pdf(form)
        outcome_services.update_outcome(outcome, actor=current_user, version=form.version.data,
                                        remove_evidence_file=form.remove_evidence_pdf.data,
                                        **_outcome_fields(form, pdf))
        if pdf:
            pdf.save("evidence")

    done = save_form(form, update, message=_("Outcome saved."),
                     to=url_for("companies.company", company_id=outcome.company_id))
    return done or (render_template("companies/outcome_form.html", form=form, company=outcome.company,
                                    outcome=outcome), form_status(form))


@bp.route("/outcomes/<int:outcome_id>/evidence")
@require(can_read_targets)  # the evidence behind a counted graduate is part of the figure's explanation
def evidence(outcome_id):
    outcome = db.get_or_404(GraduationOutcome, outcome_id)
    return send_upload("evidence", outcome.evidence_file, outcome.evidence_filename, fallback="evidence.pdf")


# ---- Founders enter their companies; staff decide who may join a company others hold ---------------------

@my_bp.route("/new", methods=["GET", "POST"])
@require(can_claim_company)
def claim():
    form = ClaimCompanyForm()
    if form.validate_on_submit():
        try:
            certificate = check_pdf(form.certificate.data, field="certificate") if form.certificate.data else None
            membership = services.claim_company(
                current_user, tax_code=form.tax_code.data, name=form.name.data, is_it=form.is_it.data,
                founded_on=form.founded_on.data, sector=form.sector.data, employees=form.employees.data,
                position=form.position.data, certificate=certificate)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            if certificate is not None:
                certificate.save(services.CERTIFICATES)
            next_steps = [message for _receiver, message in services.company_added.send(membership.company)
                          if message] if membership.status is MembershipStatus.APPROVED else []
            if next_steps:  # a round is open: say which, with the link to apply
                flash(Markup(" ").join([_("%(name)s is on file. The incubator's staff will verify the business.",
                                          name=membership.company.name), *next_steps]), "success")
            elif membership.status is MembershipStatus.APPROVED:
                flash(_("%(name)s is on file: you can apply for it when a round is open. The incubator's staff "
                        "will verify the business.", name=membership.company.name), "success")
            else:
                flash(_("%(name)s is already in the register: the incubator's staff will check your request "
                        "with the certificate you attached and tell you by e-mail.",
                        name=membership.company.name), "info")
            return redirect(url_for("home.role_home", role="founder"))
    return render_template("companies/claim.html", form=form), form_status(form)


@bp.route("/claims")
@require(can_edit_register)
def claims():
    """Founders' claims of businesses on the register, waiting for staff: who asks, the business's record, the
    certificate attached; approve, or refuse with the reason the founder will read."""
    items = db.paginate(queries.pending_claims(), page=page_arg(), per_page=25, error_out=False)
    return render_template("companies/claims.html", items=items, today=_today())


@bp.route("/memberships/<int:membership_id>/certificate")
@require(can_edit_register)
def claim_certificate(membership_id):
    membership = db.first_or_404(queries.visible_membership(membership_id))
    return send_upload(services.CERTIFICATES, membership.certificate_file, membership.certificate_filename,
                       fallback=f"giay-chung-nhan-dkdn-{membership.company.tax_code}.pdf")


def _decide(membership_id: int, approve: bool):
    membership = db.first_or_404(queries.visible_membership(membership_id))
    form = MembershipDecisionForm()
    if form.validate_on_submit():
        try:
            services.decide_membership(current_user, membership, approve=approve, reason=form.reason.data)
        except DomainError as exc:
            flash(str(exc.message), "warning")  # nothing was changed: back to the list, with the reason
        else:
            flash(_("%(name)s: request approved.", name=membership.user.full_name) if approve
                  else _("%(name)s: request refused.", name=membership.user.full_name), "success")
    return redirect(safe_next_url(request.form.get("next")) or url_for("companies.claims"))


@bp.route("/memberships/<int:membership_id>/approve", methods=["POST"])
@require(can_edit_register)
def approve_membership(membership_id):
    return _decide(membership_id, approve=True)


@bp.route("/memberships/<int:membership_id>/refuse", methods=["POST"])
@require(can_edit_register)
def refuse_membership(membership_id):
    return _decide(membership_id, approve=False)
