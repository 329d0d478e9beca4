"""Founders apply: choose the company, fill the draft, upload documents, submit, follow the status."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from incubator.applications import answer_forms, services
from incubator.applications.enums import ApplicationStatus
from incubator.applications.forms import NoveltyForm, OverrideForm, WithdrawForm
from incubator.applications.models import Application, IntakeRound, RoundDocument
from incubator.applications.permissions import (
    can_edit_application,
    can_read_documents,
    can_view_application,
    can_withdraw_application,
)
from incubator.applications.signals import page_context, staff_page, status_page
from incubator.audit.models import AuditEntry
from incubator.auth.forms import ConfirmForm
from incubator.auth.permissions import is_staff, require
from incubator.companies.enums import MembershipStatus
from incubator.companies.models import CompanyMember
from incubator.companies.permissions import can_claim_company
from incubator.companies.services import company_added
from incubator.db import utcnow
from incubator.errors import DomainError
from incubator.extensions import db
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


def _open_round_invitation(company, **_kwargs):
    """Told to a founder who has just added a business (the register's company_added signal): the round open
    now, until when, with the link to apply; None when no round is open."""
    from markupsafe import Markup

    from incubator.applications.queries import public_rounds
    from incubator.i18n import fmt_datetime

    open_now, _soon = public_rounds(utcnow())
    if not open_now:
        return None
    intake_round = open_now[0]  # the one closing first
    return Markup('{} <a class="alert-link" href="{}">{}</a>').format(
        _("The round “%(round)s” is open until %(when)s (Hà Nội time).", round=intake_round.name,
          when=fmt_datetime(intake_round.closes_at)),
        url_for("applications.start", round_id=intake_round.id), _("Apply now"))


def connect_round_invitation() -> None:
    """Called by the factory: a business just added hears of the open round (connecting twice connects once)."""
    company_added.connect(_open_round_invitation)


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


def _field_errors(form) -> dict:
    """The form's errors as the draft's script shows them: by field name (q12, revenue…), each a list of
    sentences; what belongs to no field under "form"."""
    errors = {name: [str(e) for e in messages] for name, messages in form.errors.items()}
    if form.form_errors:
        errors["form"] = [str(e) for e in form.form_errors]
    return errors


@bp.route("/<int:application_id>/autosave", methods=["POST"])
@login_required
def autosave(application_id):
    """The draft form's script saves here while the founder types; JSON in, JSON out. A refused answer comes
    back under its field's name with the reason, so the script marks that field at once."""
    from incubator.i18n import fmt_datetime

    application = db.get_or_404(Application, application_id)
    if not can_edit_application(current_user, application):
        return jsonify(saved=False), 404
    form = answer_forms.answer_form(application.round)
    if not form.validate_on_submit():
        return jsonify(saved=False, errors=_field_errors(form)), 400
    try:
        services.save_draft(application, answers=answer_forms.answers_of(form), facts=answer_forms.facts_of(form),
                            actor=current_user, version=form.version.data)
    except DomainError as exc:
        apply_form_error(form, exc)
        return jsonify(saved=False, errors=_field_errors(form)), 400
    return jsonify(saved=True, version=application.version_id, saved_at=fmt_datetime(utcnow())[:5],
                   eligibility=render_template("applications/_eligibility.html",
                                               eligibility=services.eligibility_of(application)))


def _in_background() -> bool:
    """The draft's script sends its uploads asking for JSON; a form posted without script asks for a page."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _upload_answer(application, document, message: str, *, ok: bool):
    """The outcome of an upload, in place for the script (the document's slot drawn again, with the message
    in it), or as a message on the draft's page after a redirect for a form posted without script."""
    if _in_background():
        uploaded = {d.document_id: d for d in application.documents}
        html = render_template("applications/_document.html", application=application, d=document,
                               slot=uploaded.get(document.id), message=message, ok=ok)
        return jsonify(ok=ok, message=message, html=html), 200 if ok else 400
    flash(message, "success" if ok else "danger")
    return redirect(url_for("applications.edit", application_id=application.id) + f"#document-{document.id}",
                    302 if ok else 303)


@bp.route("/<int:application_id>/documents/<int:document_id>", methods=["POST"])
@login_required
def upload(application_id, document_id):
    application = _application_or_404(application_id, can_edit_application)
    document = db.get_or_404(RoundDocument, document_id)
    if document.round_id != application.round_id:
        abort(404)
    storage = request.files.get("file")
    if not ConfirmForm().validate_on_submit() or storage is None or not storage.filename:
        return _upload_answer(application, document, _("Choose a PDF file to upload."), ok=False)
    try:
        pdf = check_pdf(storage, field="file")
        services.attach_document(application, document, pdf, actor=current_user)
    except DomainError as exc:
        return _upload_answer(application, document, f"{document.name}: {exc.message}", ok=False)
    pdf.save("applications")
    return _upload_answer(application, document, _("%(document)s uploaded.", document=document.name), ok=True)


@bp.route("/<int:application_id>/documents/<int:document_id>")
@login_required
def download(application_id, document_id):
    application = _application_or_404(application_id, can_read_documents)
    slot = next((d for d in application.documents if d.document_id == document_id), None)
    if slot is None:
        abort(404)
    return send_upload("applications", slot.stored_name, slot.original_name)


def _summary(application) -> dict:
    """What the founder reads before submitting and in the copy of what was sent: every answer and document."""
    return {"questions": [q for q in application.round.questions if not q.hidden],
            "uploaded": {d.document_id: d for d in application.documents},
            "eligibility": services.eligibility_of(application)}


@bp.route("/<int:application_id>/submit", methods=["GET", "POST"])
@login_required
def review(application_id):
    """The last look before submitting: a summary of every answer and document, what is missing, or the
    button."""
    application = _application_or_404(application_id)
    if application.status is not ApplicationStatus.DRAFT:
        return redirect(url_for("applications.status", application_id=application.id))
    if not can_edit_application(current_user, application):
        abort(404)
    form = ConfirmForm()
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.submit(application, actor=current_user, now=utcnow())
        except DomainError as exc:
            flash(str(exc.message), "danger")
            status = 400
        else:
            flash(_("Application %(reference)s submitted. A confirmation has been sent by e-mail.",
                    reference=application.reference), "success")
            return redirect(url_for("applications.status", application_id=application.id))
    return render_template("applications/review.html", application=application, form=form,
                           missing=services.missing_for_submission(application), now=utcnow(),
                           **_summary(application)), status


@bp.route("/<int:application_id>")
@login_required
def status(application_id):
    application = _application_or_404(application_id)
    timeline = list(db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.object_type == "applications", AuditEntry.object_id == str(application.id),
        AuditEntry.action.in_(["application.create", "application.status"])).order_by(AuditEntry.id)))
    return render_template("applications/status.html", application=application, timeline=timeline,
                           can_withdraw=_may_withdraw(application), **page_context(status_page, application),
                           can_edit=can_edit_application(current_user, application))


def _may_withdraw(application) -> bool:
    return application.may_be_withdrawn and can_withdraw_application(current_user, application)


def _draft_has_no_copy(application):
    """Nothing was sent yet: its founders go to the summary before submitting, staff to its status."""
    endpoint = "applications.review" if can_edit_application(current_user, application) else "applications.status"
    return redirect(url_for(endpoint, application_id=application.id))


@bp.route("/<int:application_id>/copy")
@login_required
def copy(application_id):
    """A read-only copy of what was sent, to read, print or save as PDF. A draft has none yet: its summary is
    the page before submitting."""
    application = _application_or_404(application_id)
    if application.status is ApplicationStatus.DRAFT:
        return _draft_has_no_copy(application)
    return render_template("applications/copy.html", application=application, **_summary(application))


@bp.route("/<int:application_id>/copy.pdf")
@login_required
def copy_pdf(application_id):
    """The same copy as an A4 PDF (WeasyPrint, fetching nothing but the package's static files)."""
    from flask import Response

    from incubator.pdf import html_to_pdf
    from incubator.uploads import download_name

    application = _application_or_404(application_id)
    if application.status is ApplicationStatus.DRAFT:
        return _draft_has_no_copy(application)
    html = render_template("applications/copy_document.html", application=application, **_summary(application))
    name = download_name(f"ho-so-{application.reference or application.id}.pdf")
    return Response(html_to_pdf(html), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/<int:application_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(application_id):
    """Withdrawing asks first: a page that says what it means, with the optional reason and the button that
    withdraws (no script needed)."""
    application = _application_or_404(application_id)
    if not can_withdraw_application(current_user, application):
        abort(403)
    form = WithdrawForm()
    if not _may_withdraw(application):
        flash(_("This application can no longer be withdrawn."), "warning")
        return redirect(url_for("applications.status", application_id=application.id))
    if form.validate_on_submit():
        try:
            services.withdraw(application, actor=current_user, reason=form.reason.data or None)
        except DomainError as exc:
            flash(str(exc.message), "warning")
        else:
            flash(_("The application has been withdrawn."), "info")
        return redirect(url_for("applications.status", application_id=application.id))
    return render_template("applications/withdraw.html", application=application, form=form), form_status(form)


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
                           **page_context(staff_page, application, user=current_user)), \
        max(form_status(form), form_status(novelty_form))

