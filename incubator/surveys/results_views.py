"""A survey's results (issue 22), for staff and the Department's officials: the page, its XLSX export, and a
business's proposal turned into a request (staff). A blueprint of its own beside the survey's pages (``/surveys``);
the counting is ``surveys.results``."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from incubator.auth.forms import ConfirmForm
from incubator.auth.permissions import is_staff, require
from incubator.errors import DomainError, NotAllowed
from incubator.extensions import db
from incubator.surveys import results as found
from incubator.surveys.models import Survey, SurveyResponse


def can_read_results(user) -> bool:
    """Staff and the Department's officials read a survey's results (staff alone each business's answers)."""
    from incubator.auth.enums import Role
    from incubator.auth.permissions import has_role

    return is_staff(user) or has_role(user, Role.OFFICIAL)


bp = Blueprint("survey_results", __name__, url_prefix="/surveys")


@bp.route("/<int:survey_id>/results")
@require(can_read_results)
def results(survey_id):
    """The rate, each question's figures by residency kind and year against year; for staff, the text answers
    by business and each proposal's "turn into a request"."""
    survey = db.get_or_404(Survey, survey_id)
    staff = is_staff(current_user)
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
@require(can_read_results)
def export(survey_id):
    """Two sheets: a row per invited business with its answers as cells, and the summary."""
    from incubator.exports import sheets_response

    survey = db.get_or_404(Survey, survey_id)
    result = found.results(survey, with_texts=is_staff(current_user))
    sheets = found.export_sheets(result)
    if not is_staff(current_user):  # officials read the figures, not each business's answers
        sheets = sheets[1:]
    return sheets_response(f"khao-sat-{survey.year}", sheets)


@bp.route("/responses/<int:response_id>/request", methods=["POST"])
@require(is_staff)
def proposal_request(response_id):
    """File the response's proposals as a request on the business's behalf, in the area chosen; once."""
    from incubator.requests.models import RequestCategory

    response = db.get_or_404(SurveyResponse, response_id)
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
