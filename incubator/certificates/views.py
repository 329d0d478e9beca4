"""Certificates on a business's file (staff add, correct, revoke, delete; founders submit, staff verify or
refuse), the list of standards staff keep, and the certificates that count and expire soon."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from incubator.auth.permissions import require
from incubator.certificates import queries, services
from incubator.certificates.forms import (
    CertificateForm,
    DeleteForm,
    EditCertificateForm,
    EditStandardForm,
    RefuseForm,
    RevokeForm,
    StandardForm,
    VerifyForm,
)
from incubator.certificates.models import Certificate, CertificateStandard
from incubator.certificates.permissions import (
    can_keep_certificates,
    can_open_evidence,
    can_read_certificate,
    can_submit_certificate_of,
    can_submit_certificates,
)
from incubator.companies.models import Company
from incubator.companies.queries import sees_company, visible_company
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.i18n import local_today
from incubator.uploads import check_pdf, send_upload
from incubator.web import apply_form_error, form_status, page_arg, save_form

bp = Blueprint("certificates", __name__, url_prefix="/certificates")
UPLOADS = "certificates"  # uploads/certificates/, with the registration certificates founders attach


def _company_url(company_id: int) -> str:
    return url_for("companies.company", company_id=company_id) + "#certificates"


def _certificate(certificate_id: int) -> Certificate:
    """A certificate of a business the person (staff) sees; else 404."""
    certificate = db.session.scalar(sa.select(Certificate).where(Certificate.id == certificate_id)
                                    .options(joinedload(Certificate.standard), joinedload(Certificate.company)))
    if certificate is None or not sees_company(certificate.company_id):
        abort(404)
    return certificate


def _checked_pdf(form):
    return check_pdf(form.evidence_pdf.data) if form.evidence_pdf.data else None


def _standards() -> list[CertificateStandard]:
    return list(db.session.scalars(queries.standards()))


def _form(edit: bool = False, **kwargs) -> CertificateForm:
    return (EditCertificateForm if edit else CertificateForm)(_standards(), **kwargs)


def _pdf_fields(pdf) -> dict:
    return {"evidence_file": pdf.stored_name if pdf else None, "evidence_name": pdf.original_name if pdf else None}


@bp.route("/company/<int:company_id>/new", methods=["GET", "POST"])
@require(can_keep_certificates)
def new(company_id):
    company = db.first_or_404(visible_company(company_id))
    form = _form()

    def record():
        pdf = _checked_pdf(form)
        certificate = services.add_certificate(company, actor=current_user, **form.fields, **_pdf_fields(pdf))
        if pdf:
            pdf.save(UPLOADS)
        return certificate

    done = save_form(form, record, message=_("Certificate recorded."), to=_company_url(company.id))
    return done or (render_template("certificates/form.html", form=form, company=company, certificate=None,
                                    submitting=False), form_status(form))


@bp.route("/<int:certificate_id>/edit", methods=["GET", "POST"])
@require(can_keep_certificates)
def edit(certificate_id):
    certificate = _certificate(certificate_id)
    form = _form(edit=True, obj=certificate)
    if request.method == "GET":
        form.level.data = str(certificate.level) if certificate.level else ""
        form.version.data = certificate.version_id

    def update():
        pdf = _checked_pdf(form)
        services.update_certificate(certificate, actor=current_user, version=form.version.data,
                                    remove_evidence_file=form.remove_evidence_pdf.data, **form.fields,
                                    **_pdf_fields(pdf))
        if pdf:
            pdf.save(UPLOADS)

    done = save_form(form, update, message=_("Certificate saved."), to=_company_url(certificate.company_id))
    return done or (render_template("certificates/form.html", form=form, company=certificate.company,
                                    certificate=certificate, submitting=False,
                                    delete_form=DeleteForm(formdata=None, version=certificate.version_id)),
                    form_status(form))


@bp.route("/<int:certificate_id>/revoke", methods=["GET", "POST"])
@require(can_keep_certificates)
def revoke(certificate_id):
    certificate = _certificate(certificate_id)
    form = RevokeForm()
    if request.method == "GET":
        form.version.data = certificate.version_id
    done = save_form(form, lambda: services.revoke_certificate(
        certificate, revoked_on=form.revoked_on.data, reason=form.reason.data, actor=current_user,
        version=form.version.data), message=_("Certificate revoked."), to=_company_url(certificate.company_id))
    return done or (render_template("certificates/revoke.html", form=form, certificate=certificate),
                    form_status(form))


@bp.route("/<int:certificate_id>/delete", methods=["POST"])
@require(can_keep_certificates)
def delete(certificate_id):
    certificate = _certificate(certificate_id)
    form = DeleteForm()
    company_id = certificate.company_id
    done = save_form(form, lambda: services.delete_certificate(certificate, actor=current_user,
                                                               version=form.version.data, reason=form.reason.data),
                     message=_("Certificate deleted."), to=_company_url(company_id))
    if done:
        return done
    edit_form = _form(edit=True, formdata=None, obj=certificate, version=certificate.version_id)
    return render_template("certificates/form.html", form=edit_form, company=certificate.company,
                           certificate=certificate, submitting=False, delete_form=form), 400


# ---- Founders submit; staff verify or refuse ------------------------------------------------------------------

@bp.route("/company/<int:company_id>/submit", methods=["GET", "POST"])
@require(can_submit_certificates)
def submit(company_id):
    company = db.session.get(Company, company_id)
    if company is None or not can_submit_certificate_of(current_user, company):
        abort(404)
    form = _form()

    def record():
        pdf = _checked_pdf(form)
        certificate = services.submit_certificate(company, actor=current_user, **form.fields, **_pdf_fields(pdf))
        if pdf:
            pdf.save(UPLOADS)
        return certificate

    done = save_form(form, record, message=_("Certificate sent: the incubator's staff will verify it."),
                     to=url_for("home.role_home", role="founder") + f"#my-certificates-{company.id}")
    return done or (render_template("certificates/form.html", form=form, company=company, certificate=None,
                                    submitting=True), form_status(form))


@bp.route("/submissions")
@require(can_keep_certificates)
def submissions():
    items = db.paginate(queries.submissions(), page=page_arg(), per_page=50, error_out=False)
    return render_template("certificates/submissions.html", items=items)


@bp.route("/<int:certificate_id>/review")
@require(can_keep_certificates)
def review(certificate_id):
    certificate = _certificate(certificate_id)
    return render_template("certificates/review.html", certificate=certificate, today=local_today(),
                           verify_form=VerifyForm(formdata=None, version=certificate.version_id),
                           refuse_form=RefuseForm(formdata=None, version=certificate.version_id))


def _decide(certificate_id: int, verify: bool):
    certificate = _certificate(certificate_id)
    form = VerifyForm() if verify else RefuseForm()
    if form.validate_on_submit():
        try:
            if verify:
                services.verify_certificate(certificate, actor=current_user, version=form.version.data)
            else:
                services.reject_certificate(certificate, actor=current_user, reason=form.reason.data,
                                            version=form.version.data)
        except DomainError as exc:
            apply_form_error(form, exc)
        else:
            flash(_("Certificate verified: it counts.") if verify
                  else _("Certificate not accepted: the founder is told why."), "success")
            return redirect(url_for("certificates.submissions"))
    return render_template(
        "certificates/review.html", certificate=certificate, today=local_today(),
        verify_form=form if verify else VerifyForm(formdata=None, version=certificate.version_id),
        refuse_form=RefuseForm(formdata=None, version=certificate.version_id) if verify else form), 400


@bp.route("/<int:certificate_id>/verify", methods=["POST"])
@require(can_keep_certificates)
def verify(certificate_id):
    return _decide(certificate_id, verify=True)


@bp.route("/<int:certificate_id>/refuse", methods=["POST"])
@require(can_keep_certificates)
def refuse(certificate_id):
    return _decide(certificate_id, verify=False)


@bp.route("/<int:certificate_id>/evidence")
@require(can_open_evidence)
def evidence(certificate_id):
    certificate = db.session.scalar(sa.select(Certificate).where(Certificate.id == certificate_id)
                                    .options(joinedload(Certificate.standard), joinedload(Certificate.company)))
    if certificate is None or not can_read_certificate(
            current_user, certificate, sees_company=sees_company(certificate.company_id)):
        abort(404)
    fallback = f"chung-chi-{certificate.company.tax_code}-{certificate.id}.pdf"
    return send_upload(UPLOADS, certificate.evidence_file, certificate.evidence_name, fallback=fallback)


@bp.route("/expiring")
@require(can_keep_certificates)
def expiring():
    """The certificates that count today and expire within 60 days, of the businesses in the incubator."""
    today = local_today()
    items = db.paginate(queries.expiring(today), page=page_arg(), per_page=50, error_out=False)
    return render_template("certificates/expiring.html", items=items, today=today, days=queries.EXPIRY_WINDOW)


# ---- The list of standards -------------------------------------------------------------------------------------

@bp.route("/standards/")
@require(can_keep_certificates)
def standards():
    return render_template("certificates/standards.html", standards=_standards())


def _standard_fields(form) -> dict:
    return {name: getattr(form, name).data for name in services.STANDARD_FIELDS}


@bp.route("/standards/new", methods=["GET", "POST"])
@require(can_keep_certificates)
def new_standard():
    form = StandardForm()
    done = save_form(form, lambda: services.create_standard(actor=current_user, **_standard_fields(form)),
                     message=lambda s: _("%(code)s is in the list.", code=s.code),
                     to=url_for("certificates.standards"))
    return done or (render_template("certificates/standard_form.html", form=form, standard=None),
                    form_status(form))


@bp.route("/standards/<int:standard_id>/edit", methods=["GET", "POST"])
@require(can_keep_certificates)
def edit_standard(standard_id):
    standard = db.get_or_404(CertificateStandard, standard_id)
    form = EditStandardForm(obj=standard)
    if request.method == "GET":
        form.version.data = standard.version_id
    done = save_form(form, lambda: services.update_standard(standard, actor=current_user, version=form.version.data,
                                                            **_standard_fields(form)),
                     message=_("Saved."), to=url_for("certificates.standards"))
    return done or (render_template("certificates/standard_form.html", form=form, standard=standard),
                    form_status(form))
