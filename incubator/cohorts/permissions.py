"""Who may do what with cohorts, reports, services and a startup's file."""

from __future__ import annotations

from incubator.auth.enums import Role
from incubator.auth.permissions import has_role, is_staff
from incubator.companies.permissions import holds_company


def can_manage_cohorts(user) -> bool:
    return is_staff(user)


def can_record_services(user) -> bool:
    return is_staff(user)


def can_view_startup(user, company) -> bool:
    """Staff see every startup's file; founders their own company's; a mentor the files of the startups
    assigned to them (without the applications and the review)."""
    from incubator.mentoring.permissions import mentor_assigned_to

    return is_staff(user) or (has_role(user, Role.FOUNDER) and holds_company(user, company.id)) or \
        mentor_assigned_to(user, company.id)


def sees_whole_file(user, company) -> bool:
    """The applications and decisions on a startup's file are for staff and the founders, not mentors."""
    return is_staff(user) or (has_role(user, Role.FOUNDER) and holds_company(user, company.id))


def can_report(user, member) -> bool:
    """The founders of the member company write its progress reports."""
    return has_role(user, Role.FOUNDER) and holds_company(user, member.company_id)


def register(app) -> None:
    app.jinja_env.globals.update(can_manage_cohorts=can_manage_cohorts, can_record_services=can_record_services)
