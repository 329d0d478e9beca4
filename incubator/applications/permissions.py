"""Who may see, edit and withdraw an application."""

from __future__ import annotations

from incubator.applications.enums import ApplicationStatus
from incubator.auth.enums import Role
from incubator.auth.permissions import has_role, is_staff
from incubator.companies.permissions import holds_company


def can_view_application(user, application) -> bool:
    """Staff, and the founders who hold the company's file (another founder gets 404, not a hint)."""
    return is_staff(user) or (has_role(user, Role.FOUNDER) and holds_company(user, application.company_id))


def can_withdraw_application(user, application) -> bool:
    """The founders who hold the company, as founders (staff do not withdraw on a company's behalf)."""
    return has_role(user, Role.FOUNDER) and holds_company(user, application.company_id)


def can_edit_application(user, application) -> bool:
    return (has_role(user, Role.FOUNDER) and application.status is ApplicationStatus.DRAFT
            and holds_company(user, application.company_id))
