"""Founders apply: choose the company, fill the draft, upload documents, submit, follow the status."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from incubator.applications import answer_forms, services
from incubator.applications.enums import DECIDED, ApplicationStatus
from incubator.applications.forms import NoveltyForm, OverrideForm
from incubator.applications.models import Application, IntakeRound, RoundDocument
from incubator.audit.models import AuditEntry
from incubator.auth.forms import ConfirmForm
from incubator.auth.permissions import (
    can_claim_company,
    can_edit_application,
    can_view_application,
    can_withdraw_application,
    is_staff,
    require,
)
from incubator.companies.enums import MembershipStatus
from incubator.companies.models import CompanyMember
from incubator.db import utcnow
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.text import clean_text
from incubator.uploads import check_pdf, send_upload
from incubator.web import apply_form_error, form_status, save_form

bp = Blueprint("applications", __name__, url_prefix="/applications")


def _application_or_404(application_id: int, predicate=can_view_application) -> Application:
    application = db.get_or_404(Application, application_id)
    if not predicate(current_user, application):
        abort(404)  # another founder's application: not even its existence is told
    return application


def _my_companies():
    return [m.company for m in db.session.scalars(
        sa.select(CompanyMember).where(CompanyMember.user_id == current_user.id,
                                       CompanyMember.status == MembershipStatus.APPROVED))]


@bp.route("/start/<int:round_id>", methods=["GET", "POST"])
@require(can_claim_company)
def start(round_id):
    intake_round = db.get_or_404(IntakeRound, round_id)
    companies = _my_companies()
    if not companies:
        flash(_("First add your company, then start the application."), "info")
        return redirect(url_for("my_companies.claim"))
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        chosen = next((c for c in companies if str(c.id) == request.form.get("company_id")), None)
        if chosen is None:
            abort(400)
        try:
            application = services.start_application(intake_round, chosen, actor=current_user, now=utcnow())
        except DomainError as exc:
            flash(str(exc.message), "warning")
            return redirect(url_for("rounds.detail", round_id=round_id))
        return redirect(url_for("applications.edit", application_id=application.id))
    return render_template("applications/start.html", round=intake_round, companies=companies, form=form)


def _render_edit(application, form, status=200):
    return render_template("applications/edit.html", application=application, form=form,
                           eligibility=services.eligibility_of(application),
                           missing=services.missing_for_submission(application), now=utcnow(),
                           uploaded={d.document_id: d for d in application.documents}), status


@bp.route("/<int:application_id>/edit", methods=["GET", "POST"])
@login_required
def edit(application_id):
    application = _application_or_404(application_id)
    if not can_edit_application(current_user, application):
        return redirect(url_for("applications.status", application_id=application.id))
    form = answer_forms.answer_form(application.round)
    if request.method == "GET":
        answer_forms.load(form, application)
    elif form.validate_on_submit():
        try:
            services.save_draft(application, answers=answer_forms.answers_of(form), facts=answer_forms.facts_of(form),
                                actor=current_user, version=form.version.data)
        except DomainError as exc:
            apply_form_error(form, exc)
            return _render_edit(application, form, 400)
        flash(_("Draft saved."), "success")
        if request.form.get("then") == "submit":
            return redirect(url_for("applications.review", application_id=application.id))
        return redirect(url_for("applications.edit", application_id=application.id))
    else:
        return _render_edit(application, form, 400)
    return _render_edit(application, form)


@bp.route("/<int:application_id>/autosave", methods=["POST"])
@login_required
def autosave(application_id):
    """The draft form's script saves here while the founder types; JSON in, JSON out."""
    from flask import jsonify

    from incubator.i18n import fmt_datetime

    application = db.get_or_404(Application, application_id)
    if not can_edit_application(current_user, application):
        return jsonify(saved=False), 404
    form = answer_forms.answer_form(application.round)
    if not form.validate_on_submit():
        return jsonify(saved=False, errors={k: [str(e) for e in v] for k, v in form.errors.items()}), 400
    try:
        services.save_draft(application, answers=answer_forms.answers_of(form), facts=answer_forms.facts_of(form),
                            actor=current_user, version=form.version.data)
    except DomainError as exc:
        return jsonify(saved=False, errors={"form": [str(exc.message)]}), 400
    return jsonify(saved=True, version=application.version_id, saved_at=fmt_datetime(utcnow())[:5],
                   eligibility=render_template("applications/_eligibility.html",
                                               eligibility=services.eligibility_of(application)))


@bp.route("/<int:application_id>/documents/<int:document_id>", methods=["POST"])
@login_required
def upload(application_id, document_id):
    application = _application_or_404(application_id, can_edit_application)
    document = db.get_or_404(RoundDocument, document_id)
    storage = request.files.get("file")
    if not ConfirmForm().validate_on_submit() or storage is None or not storage.filename:
        flash(_("Choose a PDF file to upload."), "warning")
        return redirect(url_for("applications.edit", application_id=application.id)), 303
    try:
        pdf = check_pdf(storage, field="file")
        services.attach_document(application, document, pdf, actor=current_user)
    except DomainError as exc:
        flash(f"{document.name}: {exc.message}", "danger")
        return redirect(url_for("applications.edit", application_id=application.id)), 303
    pdf.save("applications")
    flash(_("%(document)s uploaded.", document=document.name), "success")
    return redirect(url_for("applications.edit", application_id=application.id) + "#documents")


@bp.route("/<int:application_id>/documents/<int:document_id>")
@login_required
def download(application_id, document_id):
    from incubator.reviews.permissions import can_read_for_review

    application = _application_or_404(
        application_id, lambda user, a: can_view_application(user, a) or can_read_for_review(user, a))
    slot = next((d for d in application.documents if d.document_id == document_id), None)
    if slot is None:
        abort(404)
    return send_upload("applications", slot.stored_name, slot.original_name)


@bp.route("/<int:application_id>/submit", methods=["GET", "POST"])
@login_required
def review(application_id):
    """The last look before submitting: what is missing, or the button."""
    application = _application_or_404(application_id)
    if application.status is not ApplicationStatus.DRAFT:
        return redirect(url_for("applications.status", application_id=application.id))
    if not can_edit_application(current_user, application):
        abort(404)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.submit(application, actor=current_user, now=utcnow())
        except DomainError as exc:
            flash(str(exc.message), "danger")
            return render_template("applications/review.html", application=application, form=form,
                                   missing=services.missing_for_submission(application), now=utcnow()), 400
        flash(_("Application %(reference)s submitted. A confirmation has been sent by e-mail.",
                reference=application.reference), "success")
        return redirect(url_for("applications.status", application_id=application.id))
    return render_template("applications/review.html", application=application, form=form,
                           missing=services.missing_for_submission(application), now=utcnow())


@bp.route("/<int:application_id>")
@login_required
def status(application_id):
    from incubator.reviews.queries import decisions_for_founder

    application = _application_or_404(application_id)
    timeline = list(db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.object_type == "applications", AuditEntry.object_id == str(application.id),
        AuditEntry.action.in_(["application.create", "application.status"])).order_by(AuditEntry.id)))
    return render_template("applications/status.html", application=application, timeline=timeline,
                           can_withdraw=application.status not in DECIDED | {ApplicationStatus.WITHDRAWN}
                           and can_withdraw_application(current_user, application),
                           form=ConfirmForm(), decisions=decisions_for_founder(application))


@bp.route("/<int:application_id>/withdraw", methods=["POST"])
@login_required
def withdraw(application_id):
    application = _application_or_404(application_id)
    if not can_withdraw_application(current_user, application):
        abort(403)
    if ConfirmForm().validate_on_submit():
        try:
            reason = clean_text(request.form.get("reason"), 500)
            services.withdraw(application, actor=current_user, reason=reason)
        except DomainError as exc:
            flash(str(exc.message), "warning")
        else:
            flash(_("The application has been withdrawn."), "info")
    return redirect(url_for("applications.status", application_id=application.id))


# ---- Staff ------------------------------------------------------------------------------------------------

staff_bp = Blueprint("round_applications", __name__, url_prefix="/rounds")


def _filters():
    args = request.args
    return {"status": args.get("status"), "eligibility": args.get("eligibility"), "is_it": args.get("is_it"),
            "q": (args.get("q") or "").strip()[:100] or None, "sort": args.get("sort")}


@staff_bp.route("/<int:round_id>/applications")
@require(is_staff)
def index(round_id):
    from incubator.applications import queries
    from incubator.web import page_arg

    intake_round = db.get_or_404(IntakeRound, round_id)
    filters = _filters()
    applications = db.paginate(queries.round_list(round_id, **filters), page=page_arg(), per_page=50,
                               error_out=False)
    counts = queries.counts_by_status(round_id, db)
    return render_template("applications/index.html", round=intake_round, applications=applications,
                           filters=filters, counts=counts, submitted_total=queries.submitted_total(counts),
                           statuses=list(ApplicationStatus), withdrawn=ApplicationStatus.WITHDRAWN)


@staff_bp.route("/<int:round_id>/applications.<any(csv, xlsx):fmt>")
@require(is_staff)
def export(round_id, fmt):
    from incubator.applications import exports, queries
    from incubator.exports import response

    intake_round = db.get_or_404(IntakeRound, round_id)
    applications = db.session.scalars(queries.round_list(round_id, **_filters())).all()
    header, body = exports.rows(applications, [q for q in intake_round.questions if not q.hidden])
    return response(fmt, f"ho-so-dot-{round_id}", header, body, "applications")


@bp.route("/<int:application_id>/file", methods=["GET", "POST"])
@require(is_staff)
def staff_view(application_id):
    application = db.get_or_404(Application, application_id)
    form = OverrideForm()
    done = save_form(form, lambda: services.override_eligibility(application, actor=current_user,
                                                                 reason=form.reason.data),
                     message=_("This application may now be submitted despite the rule it fails."),
                     to=url_for("applications.staff_view", application_id=application.id))
    if done:
        return done
    return _staff_page(application, form=form)


@bp.route("/<int:application_id>/novelty", methods=["POST"])
@require(is_staff)
def judge_novelty(application_id):
    application = db.get_or_404(Application, application_id)
    novelty_form = NoveltyForm()
    done = save_form(novelty_form, lambda: services.judge_novelty(
        application, actor=current_user, met=novelty_form.met.data == "yes", note=novelty_form.note.data,
        version=novelty_form.version.data), message=_("The novelty judgement is recorded."),
        to=url_for("applications.staff_view", application_id=application.id, _anchor="eligibility"))
    if done:
        return done
    return _staff_page(application, novelty_form=novelty_form)


def _staff_page(application, *, form=None, novelty_form=None):
    from incubator.reviews.queries import reviews_for_staff

    form = form or OverrideForm(formdata=None)
    if novelty_form is None:
        novelty_form = NoveltyForm(formdata=None, version=application.version_id)
        if application.novelty_met is not None:
            novelty_form.met.data = "yes" if application.novelty_met else "no"
            novelty_form.note.data = application.novelty_note
    trail = list(db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.object_type == "applications", AuditEntry.object_id == str(application.id))
        .order_by(AuditEntry.id)))
    return render_template("applications/staff_view.html", application=application, form=form, trail=trail,
                           novelty_form=novelty_form, eligibility=services.eligibility_of(application),
                           questions=list(application.round.questions),
                           reviews=reviews_for_staff(application.id)), max(form_status(form),
                                                                           form_status(novelty_form))

