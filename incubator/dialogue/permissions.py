"""Who may do what with dialogue conferences (issue 21):

- staff of the conference's incubator (administrators too) plan it, keep its agenda, invite, record the answers
  and the questions from the floor, hold or cancel it, make and publish the minutes;
- a founder invited (or whose business is invited) reads the invitation and registers, raising questions;
- anyone, without logging in, reads a published conference's page and its minutes."""

from __future__ import annotations

from incubator.auth.enums import Role
from incubator.auth.permissions import has_role
from incubator.requests.permissions import is_staff_of


def can_handle_conference(user, conference) -> bool:
    return is_staff_of(user, conference.incubator_id)


def can_plan_conferences(user) -> bool:
    return has_role(user, Role.STAFF, Role.ADMIN)


def can_read_invitations(user) -> bool:
    return has_role(user, Role.FOUNDER)


def is_invited(user, conference) -> bool:
    """Invited by name, or through a business the founder holds."""
    from incubator.companies.permissions import holds_company

    if not has_role(user, Role.FOUNDER):
        return False
    return any(r.user_id == user.id or (r.company_id is not None and holds_company(user, r.company_id))
               for r in conference.registrations)


def can_register(user, conference) -> bool:
    return conference.is_planned and is_invited(user, conference)


def can_read_published_conference(conference) -> bool:
    return conference.is_published and conference.is_held and conference.has_minutes


def register(app) -> None:
    app.jinja_env.globals.update(can_handle_conference=can_handle_conference,
                                 can_plan_conferences=can_plan_conferences,
                                 can_read_invitations=can_read_invitations, can_register=can_register)
