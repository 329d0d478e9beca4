"""Who may do what with the yearly survey (issue 22):

- staff of the survey's incubator (administrators too) create it, edit its questions, open and close it, invite
  the businesses added since, read the responses and reopen a submitted one;
- the Department's officials read the surveys and their responses (not change them);
- a founder who holds an invited business answers its response while the survey is open, and reads it after."""

from __future__ import annotations

from incubator.auth.enums import Role
from incubator.auth.permissions import has_role
from incubator.requests.permissions import is_staff_of


def can_keep_surveys(user) -> bool:
    """The list of surveys, and a new one (in the incubator the person works in)."""
    return has_role(user, Role.STAFF, Role.ADMIN)


def can_read_surveys(user) -> bool:
    return has_role(user, Role.STAFF, Role.ADMIN, Role.OFFICIAL)


def can_handle_survey(user, survey) -> bool:
    return is_staff_of(user, survey.incubator_id)


def can_read_survey(user, survey) -> bool:
    return can_handle_survey(user, survey) or has_role(user, Role.OFFICIAL)


def holds_response(user, response) -> bool:
    """A founder holding the invited business (an approved member, confirmed)."""
    from incubator.companies.permissions import holds_company

    return has_role(user, Role.FOUNDER) and holds_company(user, response.company_id)


def can_read_response(user, response) -> bool:
    """Its founders while the survey is open or closed (never a draft survey's), staff and officials."""
    if response.survey.is_draft:
        return False
    return holds_response(user, response) or can_read_survey(user, response.survey)


def can_answer(user, response) -> bool:
    from incubator.i18n import local_today

    return (holds_response(user, response) and not response.is_submitted
            and response.survey.accepts_answers_on(local_today()))


def can_reopen(user, response) -> bool:
    return can_handle_survey(user, response.survey) and response.is_submitted and not response.survey.is_closed


def register(app) -> None:
    app.jinja_env.globals.update(can_keep_surveys=can_keep_surveys, can_read_surveys=can_read_surveys,
                                 can_handle_survey=can_handle_survey, can_answer_survey=can_answer,
                                 can_reopen_response=can_reopen)
