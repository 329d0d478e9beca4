"""Who may do what with cohorts, reports and services, and who may read a startup's file and reports."""

from __future__ import annotations

from collections.abc import Callable

from incubator.auth.enums import Role
from incubator.auth.permissions import has_role, is_staff
from incubator.companies.permissions import holds_company


def can_manage_cohorts(user) -> bool:
    return is_staff(user)


def can_record_services(user) -> bool:
    return is_staff(user)


# Who else may read a startup's file and its progress reports, besides staff and its founders: predicates
# (user, company_id) -> bool that the packages above cohorts register at start-up (mentoring adds the mentors
# assigned to the startup), so that cohorts imports none of them.
_startup_readers: list[Callable[[object, int], bool]] = []


def add_startup_reader(predicate: Callable[[object, int], bool]) -> None:
    """Let `predicate(user, company_id)` open a startup's file and reports too (once, however often called)."""
    if predicate not in _startup_readers:
        _startup_readers.append(predicate)


def can_view_startup(user, company) -> bool:
    """Staff see every startup's file and its reports; founders their own company's; and those a registered
    reader admits: a mentor the files of the startups assigned to them (without the applications and the
    review, startups.permissions.sees_whole_file)."""
    return is_staff(user) or (has_role(user, Role.FOUNDER) and holds_company(user, company.id)) or \
        any(reader(user, company.id) for reader in _startup_readers)


def can_report(user, member) -> bool:
    """The founders of the member company write its progress reports."""
    return has_role(user, Role.FOUNDER) and holds_company(user, member.company_id)


def register(app) -> None:
    app.jinja_env.globals.update(can_manage_cohorts=can_manage_cohorts, can_record_services=can_record_services)
