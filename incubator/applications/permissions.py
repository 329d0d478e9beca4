"""Who may see, edit and withdraw an application."""

from __future__ import annotations

from collections.abc import Callable

from incubator.applications.enums import ApplicationStatus
from incubator.auth.enums import Role
from incubator.auth.permissions import has_role, is_staff
from incubator.companies.permissions import holds_company

# Who else may read an application and its documents, besides staff and its founders: predicates
# (user, application) -> bool that the packages above applications register at start-up (reviews adds the
# reviewers who may score it), so that applications imports none of them.
_application_readers: list[Callable[[object, object], bool]] = []


def add_application_reader(predicate: Callable[[object, object], bool]) -> None:
    """Let `predicate(user, application)` read an application's documents too (once, however often called)."""
    if predicate not in _application_readers:
        _application_readers.append(predicate)


def can_view_application(user, application) -> bool:
    """Staff, and the founders who hold the company's file (another founder gets 404, not a hint)."""
    return is_staff(user) or (has_role(user, Role.FOUNDER) and holds_company(user, application.company_id))


def can_withdraw_application(user, application) -> bool:
    """The founders who hold the company, as founders (staff do not withdraw on a company's behalf)."""
    return has_role(user, Role.FOUNDER) and holds_company(user, application.company_id)


def can_edit_application(user, application) -> bool:
    return (has_role(user, Role.FOUNDER) and application.status is ApplicationStatus.DRAFT
            and holds_company(user, application.company_id))


def can_read_documents(user, application) -> bool:
    """An application's documents are read by whoever may view it, and by those a registered reader admits (a
    reviewer, through an assignment they may score)."""
    return can_view_application(user, application) or any(reader(user, application)
                                                           for reader in _application_readers)
