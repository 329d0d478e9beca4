"""Intake rounds: the public list, and their management by staff."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from incubator.applications import queries, services
from incubator.applications.eligibility import RULE_LABELS, parameters
from incubator.applications.forms import (
    CopyRoundForm,
    DocumentForm,
    ExtendForm,
    QuestionForm,
    RoundForm,
    to_utc,
)
from incubator.applications.models import Application, IntakeRound, RoundQuestion
from incubator.auth.forms import ConfirmForm
from incubator.auth.permissions import is_staff, require
from incubator.db import utcnow
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.web import form_status, save_form

bp = Blueprint("rounds", __name__, url_prefix="/rounds")


# ---- Public -----------------------------------------------------------------------------------------------

@bp.route("/")
def public():
    """Rounds open now, and those opening in the next two months: anyone may look."""
    from incubator.applications.queries import public_rounds

    now = utcnow()
    open_rounds, soon = public_rounds(now)
    return render_template("rounds/public.html", open_rounds=open_rounds, soon=soon, now=now)


@bp.route("/<int:round_id>")
def detail(round_id):
    intake_round = db.get_or_404(IntakeRound, round_id)
    return render_template("rounds/detail.html", round=intake_round, now=utcnow(),
                           rules=_rules(intake_round))


def _rules(intake_round):
    params = parameters(intake_round.eligibility)
    return [(code, RULE_LABELS[code], params[code]) for code in RULE_LABELS if params[code].get("enabled", True)]


# ---- Staff ------------------------------------------------------------------------------------------------

@bp.route("/manage")
@require(is_staff)
def manage():
    counts = dict(db.session.execute(sa.select(Application.round_id, sa.func.count()).group_by(Application.round_id))
                  .all())
    submitted = queries.submitted_by_round()
    rounds = list(db.session.scalars(sa.select(IntakeRound)
                                     .order_by(IntakeRound.opens_at.desc(), IntakeRound.id.desc())))
    return render_template("rounds/manage.html", rounds=rounds, counts=counts, submitted=submitted, now=utcnow())


@bp.route("/new", methods=["GET", "POST"])
@require(is_staff)
def new():
    form = RoundForm()
    done = save_form(form, lambda: services.create_round(actor=current_user, **form.fields()),
                     message=_("Round created: now add its questions and documents."),
                     to=lambda intake_round: url_for("rounds.setup", round_id=intake_round.id))
    return done or (render_template("rounds/form.html", form=form, round=None), form_status(form))


@bp.route("/<int:round_id>/edit", methods=["GET", "POST"])
@require(is_staff)
def edit(round_id):
    intake_round = db.get_or_404(IntakeRound, round_id)
    form = RoundForm()
    if request.method == "GET":
        form.load(intake_round)
    done = save_form(form, lambda: services.update_round(intake_round, actor=current_user, version=form.version.data,
                                                         **form.fields()),
                     message=_("Saved."), to=url_for("rounds.setup", round_id=intake_round.id))
    return done or (render_template("rounds/form.html", form=form, round=intake_round), form_status(form))


@bp.route("/<int:round_id>/setup", methods=["GET"])
@require(is_staff)
def setup(round_id):
    intake_round = db.get_or_404(IntakeRound, round_id)
    return render_template("rounds/setup.html", round=intake_round, question_form=QuestionForm(),
                           document_form=DocumentForm(), extend_form=ExtendForm(),
                           has_applications=services.has_applications(intake_round), rules=_rules(intake_round))


@bp.route("/<int:round_id>/questions", methods=["POST"])
@require(is_staff)
def add_question(round_id):
    intake_round = db.get_or_404(IntakeRound, round_id)
    form = QuestionForm()
    done = save_form(form, lambda: services.add_question(intake_round, actor=current_user, **form.fields()),
                     message=_("Question added."), to=url_for("rounds.setup", round_id=round_id))
    return done or (render_template("rounds/setup.html", round=intake_round, question_form=form,
                                    document_form=DocumentForm(), extend_form=ExtendForm(),
                                    has_applications=services.has_applications(intake_round),
                                    rules=_rules(intake_round)), 400)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@require(is_staff)
def edit_question(question_id):
    question = db.get_or_404(RoundQuestion, question_id)
    form = QuestionForm(obj=question)
    if request.method == "GET":
        form.kind.data = question.kind.value
        form.choices.data = "\n".join(f"{c['label_vi']} | {c['label_en']}" for c in question.choices or [])
    done = save_form(form, lambda: services.update_question(question, actor=current_user, **form.fields()),
                     message=_("Question saved."), to=url_for("rounds.setup", round_id=question.round_id))
    return done or (render_template("rounds/question.html", form=form, question=question), form_status(form))


@bp.route("/questions/<int:question_id>/remove", methods=["POST"])
@require(is_staff)
def remove_question(question_id):
    question = db.get_or_404(RoundQuestion, question_id)
    round_id = question.round_id
    if ConfirmForm().validate_on_submit():
        try:
            services.remove_question(question, actor=current_user)
        except DomainError as exc:
            flash(str(exc.message), "warning")
        else:
            flash(_("Question removed."), "info")
    return redirect(url_for("rounds.setup", round_id=round_id))


@bp.route("/<int:round_id>/documents", methods=["POST"])
@require(is_staff)
def add_document(round_id):
    intake_round = db.get_or_404(IntakeRound, round_id)
    form = DocumentForm()
    if form.validate_on_submit():
        services.add_document(intake_round, actor=current_user, name_vi=form.name_vi.data, name_en=form.name_en.data,
                              required=form.required.data)
        flash(_("Document added."), "success")
        return redirect(url_for("rounds.setup", round_id=round_id))
    return render_template("rounds/setup.html", round=intake_round, question_form=QuestionForm(), document_form=form,
                           extend_form=ExtendForm(), has_applications=services.has_applications(intake_round),
                           rules=_rules(intake_round)), 400


@bp.route("/<int:round_id>/extend", methods=["POST"])
@require(is_staff)
def extend(round_id):
    intake_round = db.get_or_404(IntakeRound, round_id)
    form = ExtendForm()
    done = save_form(form, lambda: services.extend_deadline(intake_round, to_utc(form.closes_at.data),
                                                            actor=current_user, reason=form.reason.data),
                     message=_("Deadline extended."), to=url_for("rounds.setup", round_id=round_id))
    return done or (render_template("rounds/setup.html", round=intake_round, question_form=QuestionForm(),
                                    document_form=DocumentForm(), extend_form=form,
                                    has_applications=services.has_applications(intake_round),
                                    rules=_rules(intake_round)), 400)


@bp.route("/<int:round_id>/preview")
@require(is_staff)
def preview(round_id):
    """The form as a founder sees it (nothing can be sent from here)."""
    from incubator.applications import answer_forms

    intake_round = db.get_or_404(IntakeRound, round_id)
    return render_template("rounds/preview.html", round=intake_round, form=answer_forms.answer_form(intake_round))


@bp.route("/<int:round_id>/copy", methods=["GET", "POST"])
@require(is_staff)
def copy(round_id):
    source = db.get_or_404(IntakeRound, round_id)
    form = CopyRoundForm()
    if request.method == "GET":
        form.name_vi.data, form.name_en.data = f"{source.name_vi} (bản sao)", f"{source.name_en} (copy)"
    done = save_form(form, lambda: services.copy_round(source, actor=current_user, name_vi=form.name_vi.data,
                                                       name_en=form.name_en.data, opens_at=to_utc(form.opens_at.data),
                                                       closes_at=to_utc(form.closes_at.data)),
                     message=_("Round copied with its questions and documents."),
                     to=lambda copied: url_for("rounds.setup", round_id=copied.id))
    return done or (render_template("rounds/copy.html", form=form, source=source), form_status(form))
