"""A survey's results (issue 22), for staff and the Department's officials: the page, its XLSX export, and a
business's proposal turned into a request (staff). A blueprint of its own beside the survey's pages (``/surveys``);
the counting is ``surveys.results``."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from incubator.auth.forms import ConfirmForm
from incubator.auth.permissions import require
from incubator.errors import DomainError, NotAllowed
from incubator.extensions import db
from incubator.surveys import results as found
from incubator.surveys.models import Survey, SurveyResponse
from incubator.surveys.permissions import can_handle_survey, can_keep_surveys, can_read_survey, can_read_surveys

bp = Blueprint("survey_results", __name__, url_prefix="/surveys")


def _survey_or_404(survey_id: int) -> Survey:
    survey = db.get_or_404(Survey, survey_id)
    if not can_read_survey(current_user, survey):
        abort(404)
    return survey


@bp.route("/<int:survey_id>/results")
@require(can_read_surveys)
def results(survey_id):
    """The rate, each question's figures by residency kind and year against year; for staff, the text answers
    by business and each proposal's "turn into a request"."""
    survey = _survey_or_404(survey_id)
    staff = can_handle_survey(current_user, survey)
    result = found.results(survey, with_texts=staff)
    proposals, filed, categories = None, {}, []
    if staff:
        from incubator.requests.queries import categories as request_categories

        proposals = next((q for q in result.text_results if q.question.key == found.PROPOSALS), None)
        if proposals is not None and proposals.texts:
            filed = found.proposal_requests([r.id for r, _text in proposals.texts])
            categories = request_categories(active_only=True)
    return render_template("surveys/results.html", survey=survey, r=result, staff=staff, proposals=proposals,
                           filed=filed, categories=categories)


@bp.route("/<int:survey_id>/results.xlsx")
@require(can_read_surveys)
def export(survey_id):
    """Two sheets: a row per invited business with its answers as cells, and the summary."""
    from incubator.exports import sheets_response

    survey = _survey_or_404(survey_id)
    staff = can_handle_survey(current_user, survey)
    result = found.results(survey, with_texts=staff)
    sheets = found.export_sheets(result)
    if not staff:  # officials read the figures, not each business's answers
        sheets = sheets[1:]
    return sheets_response(f"khao-sat-{survey.year}", sheets)


@bp.route("/responses/<int:response_id>/request", methods=["POST"])
@require(can_keep_surveys)
def proposal_request(response_id):
    """File the response's proposals as a request on the business's behalf, in the area chosen; once."""
    from incubator.requests.models import RequestCategory

    response = db.get_or_404(SurveyResponse, response_id)
    if not can_handle_survey(current_user, response.survey):
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    category_id = request.form.get("category", type=int)
    category = db.session.get(RequestCategory, category_id) if category_id is not None else None
    try:
        filed = found.proposal_to_request(response, actor=current_user, category=category)
    except NotAllowed:
        abort(403)
    except DomainError as exc:
        db.session.rollback()  # nothing half-filed
        flash(str(exc.message), "danger")
        return redirect(url_for("survey_results.results", survey_id=response.survey_id, _anchor="proposals"))
    flash(_("The proposal is filed as request %(number)s.", number=filed.number), "success")
    return redirect(url_for("survey_results.results", survey_id=response.survey_id, _anchor="proposals"))
