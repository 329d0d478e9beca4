"""Who may open a startup's file, and who sees all of it."""

from __future__ import annotations

from incubator.auth.enums import Role
from incubator.auth.permissions import has_role, is_staff

# The file is open to whoever may read the startup's progress reports: staff, its founders, and those the
# packages above cohorts add (the mentors assigned to it); the rule lives once, in cohorts.
from incubator.cohorts.permissions import can_view_startup
from incubator.companies.permissions import holds_company

__all__ = ["can_view_startup", "sees_whole_file"]


def sees_whole_file(user, company) -> bool:
    """The applications and decisions on a startup's file are for staff and the founders, not mentors."""
    return is_staff(user) or (has_role(user, Role.FOUNDER) and holds_company(user, company.id))
