"""Who may do what with businesses' requests: the one place each rule lives (views, templates, queries and the
services use these predicates).

- A founder of a verified business files requests on its behalf, follows them, adds information when asked,
  withdraws one until it is answered and rates the answer.
- Staff of the request's incubator (administrators too) triage, route, answer and publish; a second member of
  staff approves an answer another drafted. The lists of categories, bodies and calendar days are the city's,
  kept by staff.
- Anyone, without logging in, reads the published answers only, and of those only what was consented."""

from __future__ import annotations

from incubator.auth.enums import Role
from incubator.auth.permissions import has_role, is_confirmed, is_staff
from incubator.companies.permissions import holds_company
from incubator.requests.enums import PublicationConsent, RequestStatus


def is_staff_of(user, incubator_id: int | None) -> bool:
    """Staff of that incubator (a role held there, or across the network), or an administrator, whichever
    incubator the request works in."""
    if not is_confirmed(user):
        return False
    held = user.roles_in(incubator_id) | user.roles_in(None)
    return Role.ADMIN in held or Role.STAFF in held


def is_founder_of(user, company) -> bool:
    return has_role(user, Role.FOUNDER) and holds_company(user, company.id)


def can_file_for(user, company) -> bool:
    """A founder holding the business's file, once staff have verified the business."""
    return company.is_verified and is_founder_of(user, company)


def can_file_requests(user) -> bool:
    """The founders' door to filing (which of their businesses may file is ``can_file_for``)."""
    return has_role(user, Role.FOUNDER)


def filed_by_business(request) -> bool:
    """Filed by a founder of the business (not by staff on its behalf, as a question from the floor)."""
    return request.filed_by is not None and is_founder_of(request.filed_by, request.company)


def can_set_consent(user, request) -> bool:
    """A founder chooses whether the answer may be published, until it is published."""
    return can_follow_request(user, request) and not request.is_published


def can_follow_request(user, request) -> bool:
    """The business's founders follow its requests."""
    return is_founder_of(user, request.company)


def can_handle_request(user, request) -> bool:
    """Staff of the request's incubator triage, route, answer and publish it."""
    return is_staff_of(user, request.incubator_id)


def can_read_request(user, request) -> bool:
    return can_handle_request(user, request) or can_follow_request(user, request)


def can_withdraw_request(user, request) -> bool:
    return can_follow_request(user, request) and request.status.allows(RequestStatus.WITHDRAWN)


def can_add_information(user, request) -> bool:
    return can_follow_request(user, request) and request.status is RequestStatus.AWAITING_INFORMATION


def can_rate_answer(user, request) -> bool:
    return can_follow_request(user, request) and request.is_answered and not request.is_rated


def can_approve_answer(user, request) -> bool:
    """A second member of staff: not the one who drafted the answer."""
    answer = request.answer
    return (can_handle_request(user, request) and answer is not None and not answer.is_approved
            and answer.drafted_by_id != user.id and request.status.allows(RequestStatus.ANSWERED))


def can_publish_request(user, request) -> bool:
    return can_handle_request(user, request) and is_publishable(request)


def is_publishable(request) -> bool:
    """Answered, consented to, and (anonymised) with the version staff prepared without names."""
    if not request.is_answered or request.consent is PublicationConsent.NOT_PUBLISHED:
        return False
    if request.consent is PublicationConsent.ANONYMISED:
        return bool(request.public_title and request.public_text)
    return True


def can_read_published(request) -> bool:
    """What anyone may read: a published answer the business consented to publish."""
    return (request.published_at is not None and request.is_answered
            and request.consent is not PublicationConsent.NOT_PUBLISHED)


def can_keep_request_lists(user) -> bool:
    """The categories with their time limits, the answering bodies and the calendar's announced days."""
    return is_staff(user)


def can_read_request_figures(user) -> bool:
    return has_role(user, Role.STAFF, Role.ADMIN, Role.OFFICIAL)


def register(app) -> None:
    app.jinja_env.globals.update(
        can_file_requests=can_file_requests, can_file_for=can_file_for, can_follow_request=can_follow_request,
        can_handle_request=can_handle_request, can_read_request=can_read_request,
        can_withdraw_request=can_withdraw_request, can_add_information=can_add_information,
        can_rate_answer=can_rate_answer, can_approve_answer=can_approve_answer,
        can_publish_request=can_publish_request, can_set_consent=can_set_consent,
        can_keep_request_lists=can_keep_request_lists,
        can_read_request_figures=can_read_request_figures)
