from __future__ import annotations

import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.auth.permissions import has_role, is_staff
from incubator.companies.permissions import holds_company
from incubator.extensions import db


def is_fund_manager(user) -> bool:
    return has_role(user, Role.FUND_MANAGER) and user.partner_id is not None


def can_manage_consent(user, company) -> bool:
    """The startup decides which fund managers may see it: its founders."""
    return has_role(user, Role.FOUNDER) and holds_company(user, company.id)


def has_consent(partner_id: int, company_id: int) -> bool:
    from incubator.funding.models import Consent

    return db.session.scalar(sa.select(Consent.id).where(Consent.partner_id == partner_id,
                                                         Consent.company_id == company_id,
                                                         Consent.withdrawn_at.is_(None)).limit(1)) is not None


def can_see_as_investor(user, company) -> bool:
    """A fund manager's people see a startup only while it consents; staff always."""
    return is_staff(user) or (is_fund_manager(user) and has_consent(user.partner_id, company.id))


def can_use_pipeline(user) -> bool:
    return is_fund_manager(user) or is_staff(user)


def can_move_in_pipeline(user, entry) -> bool:
    """A startup is moved between stages by its fund's own people, while the startup consents; staff read the
    pipelines but do not move a fund's startups."""
    return is_fund_manager(user) and entry.partner_id == user.partner_id and has_consent(entry.partner_id,
                                                                                          entry.company_id)


def register(app) -> None:
    app.jinja_env.globals.update(is_fund_manager=is_fund_manager, can_use_pipeline=can_use_pipeline,
                                 can_move_in_pipeline=can_move_in_pipeline)
