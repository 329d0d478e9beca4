"""The yearly survey's pages (issue 22): staff's list of surveys, a new survey, its page (dates, questions and
their editor while it is prepared, opening, inviting the businesses added since, closing, the businesses invited
with what each has done), a question's edit page; the founders' answer form (drafts), the confirmation before
submitting, and the read-only copy of a response (where staff may reopen it)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from incubator.auth.forms import ConfirmForm
from incubator.auth.permissions import require
from incubator.errors import Conflict, DomainError
from incubator.extensions import db
from incubator.i18n import local_today
from incubator.surveys import queries, services
from incubator.surveys.forms import EditSurveyForm, MoveForm, QuestionForm, ReopenForm, SurveyForm, answer_form
from incubator.surveys.models import SurveyQuestion
from incubator.surveys.permissions import (
    can_answer,
    can_handle_survey,
    can_keep_surveys,
    can_read_response,
    can_read_survey,
    can_read_surveys,
    can_reopen,
    holds_response,
)
from incubator.web import apply_form_error, form_status, save_form

bp = Blueprint("surveys", __name__, url_prefix="/surveys")


def _survey_or_404(survey_id: int, predicate=can_handle_survey):
    survey = queries.survey_page(survey_id)
    if survey is None or not predicate(current_user, survey):
        abort(404)
    return survey


def _response_or_404(response_id: int, predicate=can_read_response):
    response = queries.response_page(response_id)
    if response is None or not predicate(current_user, response):
        abort(404)  # another business's answers: not even their existence is told
    return response


def _question_or_404(question_id: int) -> SurveyQuestion:
    question = db.session.get(SurveyQuestion, question_id)
    if question is None or not can_handle_survey(current_user, question.survey):
        abort(404)
    return question


# ---- Staff -------------------------------------------------------------------------------------------------

@bp.route("/")
@require(can_read_surveys)
def index():
    return render_template("surveys/index.html", rows=queries.staff_list())


@bp.route("/new", methods=["GET", "POST"])
@require(can_keep_surveys)
def new():
    form = SurveyForm()
    if request.method == "GET":
        # This year's, or the first after it without a survey (one a year: proposing a year taken was refused).
        year = local_today().year
        while queries.by_year(year) is not None:
            year += 1
        form.year.data = year
        form.title_vi.data = f"Khảo sát doanh nghiệp và sản phẩm năm {year}"
        form.title_en.data = f"Survey of businesses and their products, {year}"
    done = save_form(form, lambda: services.create_survey(actor=current_user, year=form.year.data, **form.fields()),
                     message=_("Survey created with the default questions: review them, then open it."),
                     to=lambda survey: url_for("surveys.show", survey_id=survey.id))
    return done or (render_template("surveys/form.html", form=form, survey=None), form_status(form))


@bp.route("/<int:survey_id>/edit", methods=["GET", "POST"])
@login_required
def edit(survey_id):
    survey = _survey_or_404(survey_id)
    form = EditSurveyForm()
    if request.method == "GET":
        form.load(survey)
    done = save_form(form, lambda: services.update_survey(survey, actor=current_user, version=form.version.data,
                                                          **form.fields()),
                     message=_("Saved."), to=url_for("surveys.show", survey_id=survey.id))
    return done or (render_template("surveys/form.html", form=form, survey=survey), form_status(form))


def _render_show(survey, question_form=None, status=200):
    responses = queries.invited(survey) if not survey.is_draft else []
    return render_template("surveys/show.html", survey=survey, responses=responses,
                           counts=queries.counts([survey.id])[survey.id],
                           question_form=question_form or QuestionForm(),
                           added_since=services.not_invited_yet(survey) if survey.is_open else [],
                           today=local_today()), status


@bp.route("/<int:survey_id>")
@login_required
def show(survey_id):
    return _render_show(_survey_or_404(survey_id, can_read_survey))


@bp.route("/<int:survey_id>/questions", methods=["POST"])
@login_required
def add_question(survey_id):
    survey = _survey_or_404(survey_id)
    form = QuestionForm()
    done = save_form(form, lambda: services.add_question(survey, actor=current_user, **form.fields()),
                     message=_("Question added."), to=url_for("surveys.show", survey_id=survey.id) + "#questions")
    return done or _render_show(survey, form, 400)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def edit_question(question_id):
    question = _question_or_404(question_id)
    form = QuestionForm(obj=question)
    if request.method == "GET":
        form.kind.data = question.kind.value
        form.choices.data = "\n".join(f"{c['label_vi']} | {c['label_en']}" for c in question.choices or [])
    done = save_form(form, lambda: services.update_question(question, actor=current_user, **form.fields()),
                     message=_("Question saved."),
                     to=url_for("surveys.show", survey_id=question.survey_id) + "#questions")
    return done or (render_template("surveys/question.html", form=form, question=question), form_status(form))


def _act(survey_id, action, message: str, anchor: str = ""):
    """A staff button (POST with a confirmation): the service, its refusal as a message, back to the survey."""
    survey = _survey_or_404(survey_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        result = action(survey)
    except DomainError as exc:
        flash(str(exc.message), "warning")
        return redirect(url_for("surveys.show", survey_id=survey.id) + anchor, 303)
    flash(message(result) if callable(message) else message, "success")
    return redirect(url_for("surveys.show", survey_id=survey.id) + anchor)


@bp.route("/questions/<int:question_id>/move", methods=["POST"])
@login_required
def move_question(question_id):
    question = _question_or_404(question_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.move_question(question, actor=current_user, up=form.direction.data == "up")
    except DomainError as exc:
        flash(str(exc.message), "warning")
    return redirect(url_for("surveys.show", survey_id=question.survey_id) + "#questions")


@bp.route("/questions/<int:question_id>/remove", methods=["POST"])
@login_required
def remove_question(question_id):
    question = _question_or_404(question_id)
    survey_id = question.survey_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.remove_question(question, actor=current_user)
    except DomainError as exc:
        flash(str(exc.message), "warning")
    else:
        flash(_("Question removed."), "info")
    return redirect(url_for("surveys.show", survey_id=survey_id) + "#questions")


@bp.route("/<int:survey_id>/open", methods=["POST"])
@login_required
def open_survey(survey_id):
    return _act(survey_id, lambda s: services.open_survey(s, actor=current_user),
                lambda added: _("The survey is open: %(count)s businesses invited, their founders e-mailed.",
                                count=len(added)))


@bp.route("/<int:survey_id>/invite", methods=["POST"])
@login_required
def invite(survey_id):
    return _act(survey_id, lambda s: services.invite_added_since(s, actor=current_user),
                lambda added: _("%(count)s businesses added since the opening invited.", count=len(added)),
                "#responses")


@bp.route("/<int:survey_id>/close", methods=["POST"])
@login_required
def close(survey_id):
    return _act(survey_id, lambda s: services.close_survey(s, actor=current_user),
                _("The survey is closed: no more answers are accepted."))


# ---- Responses: founders answer, everyone concerned reads ---------------------------------------------------

def _render_answer(response, form, status=200):
    return render_template("surveys/answer.html", response=response, survey=response.survey, form=form,
                           missing=services.missing_for_submission(response)), status


@bp.route("/responses/<int:response_id>/answer", methods=["GET", "POST"])
@login_required
def answer(response_id):
    response = _response_or_404(response_id, holds_response)
    if not can_answer(current_user, response):
        return redirect(url_for("surveys.response", response_id=response.id))
    if response.survey.is_draft:
        abort(404)
    form = answer_form(response.survey)
    if request.method == "GET":
        from incubator.applications.answer_forms import load_answers

        load_answers(form, response.answers)
        form.version.data = response.version_id
        return _render_answer(response, form)
    if not form.validate_on_submit():
        return _render_answer(response, form, 400)
    from incubator.applications.answer_forms import answers_of

    try:
        services.save_draft(response, answers=answers_of(form), actor=current_user, version=form.version.data)
    except DomainError as exc:
        apply_form_error(form, exc)
        return _render_answer(response, form, 400)
    except Conflict:
        form.form_errors.append(_("These answers were changed elsewhere since you opened them. Reload the page: "
                                  "what you typed here is not saved."))
        return _render_answer(response, form, 409)
    flash(_("Draft saved."), "success")
    if request.form.get("then") == "submit":
        return redirect(url_for("surveys.submit", response_id=response.id))
    return redirect(url_for("surveys.answer", response_id=response.id))


@bp.route("/responses/<int:response_id>/submit", methods=["GET", "POST"])
@login_required
def submit(response_id):
    """The answers as they will be sent, what is missing, and the button that submits them (once)."""
    response = _response_or_404(response_id, holds_response)
    if response.is_submitted or response.survey.is_draft:
        return redirect(url_for("surveys.response", response_id=response.id))
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            services.submit(response, actor=current_user)
        except DomainError as exc:
            flash(str(exc.message), "danger")
            return redirect(url_for("surveys.submit", response_id=response.id), 303)
        flash(_("Your answers have been submitted. Thank you."), "success")
        return redirect(url_for("surveys.response", response_id=response.id))
    return render_template("surveys/submit.html", response=response, survey=response.survey, form=form,
                           missing=services.missing_for_submission(response),
                           may_answer=can_answer(current_user, response))


@bp.route("/responses/<int:response_id>")
@login_required
def response(response_id):
    """The response, read-only: its founders' copy, and staff's (with reopening)."""
    response = _response_or_404(response_id)
    return render_template("surveys/response.html", response=response, survey=response.survey,
                           reopen_form=ReopenForm(), may_answer=can_answer(current_user, response),
                           may_reopen=can_reopen(current_user, response))


@bp.route("/responses/<int:response_id>/reopen", methods=["POST"])
@login_required
def reopen(response_id):
    response = _response_or_404(response_id, lambda user, r: can_handle_survey(user, r.survey))
    form = ReopenForm()
    done = save_form(form, lambda: services.reopen(response, actor=current_user, reason=form.reason.data),
                     message=_("The answers are a draft again: the founders may correct and submit them."),
                     to=url_for("surveys.response", response_id=response.id))
    if done:
        return done
    return render_template("surveys/response.html", response=response, survey=response.survey, reopen_form=form,
                           may_answer=False, may_reopen=can_reopen(current_user, response)), 400

