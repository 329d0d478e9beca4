"""Who may do what with the register of businesses, and who holds a company."""

from __future__ import annotations

from incubator.auth.enums import Role
from incubator.auth.permissions import has_role, is_staff
from incubator.companies.enums import MembershipStatus
from incubator.companies.models import CompanyMember
from incubator.extensions import db


def holds_company(user, company_id: int) -> bool:
    """The person is an approved member of the company (a founder holding its file)."""
    return db.session.query(CompanyMember.id).filter_by(
        company_id=company_id, user_id=user.id, status=MembershipStatus.APPROVED).first() is not None


def can_edit_register(user) -> bool:
    """The register of businesses, residencies and outcomes is kept by the incubator's staff."""
    return is_staff(user)


def can_claim_company(user) -> bool:
    """Founders enter their own companies (joining one that others hold waits for staff)."""
    return has_role(user, Role.FOUNDER)


def register(app) -> None:
    """Expose the predicates to templates, so a link is shown only when following it is allowed."""
    app.jinja_env.globals.update(can_edit_register=can_edit_register, can_claim_company=can_claim_company)
