"""Partner organisations: one function creates, one changes; both audited."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from incubator.audit import services as audit
from incubator.auth.enums import Role
from incubator.errors import DomainError, expect_version
from incubator.extensions import db
from incubator.partners.enums import PartnerKind
from incubator.partners.models import Partner

FIELDS = ("kind", "name", "short_name", "tax_code", "contact_name", "contact_email", "contact_phone", "website")


def _refuse_a_taken_name_or_tax_code(fields: dict, partner: Partner | None) -> None:
    others = Partner.id != getattr(partner, "id", 0)
    if db.session.scalar(sa.select(Partner.id).where(Partner.name == fields["name"], others)) is not None:
        raise DomainError(_l("Another partner has this name."), field="name")
    if fields.get("tax_code") and db.session.scalar(sa.select(Partner.id).where(
            Partner.tax_code == fields["tax_code"], others)) is not None:
        raise DomainError(_l("A company with this tax code is already registered."), field="tax_code")


def save_partner(partner: Partner | None, *, actor, version=None, **fields) -> Partner:
    from incubator.companies.taxcode import is_valid

    fields = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in fields.items() if k in FIELDS}
    if not fields.get("name"):
        raise DomainError(_l("Enter the name."), field="name")
    fields["kind"] = PartnerKind(fields["kind"])
    if fields.get("tax_code") and not is_valid(fields["tax_code"]):
        raise DomainError(_l("This tax code is not valid (check its digits)."), field="tax_code")
    _refuse_a_taken_name_or_tax_code(fields, partner)
    created = partner is None
    if not created:
        expect_version(partner, version)
    try:
        with db.session.begin_nested():
            if created:
                partner = Partner(**fields)
                db.session.add(partner)
            else:
                for key, value in fields.items():
                    setattr(partner, key, value)
    except sa.exc.IntegrityError:
        # Taken meanwhile by a request sent at the same instant (the check above saw nothing yet): the same
        # answer as when it was taken before.
        _refuse_a_taken_name_or_tax_code(fields, None if created else partner)
        raise
    audit.record("partner.create" if created else "partner.update", partner, label=partner.name, actor=actor)
    return partner


def _fund_manager_needs_a_fund_management_partner(roles: set[Role], partner_id: int | None) -> None:
    """A fund manager belongs to a fund-management partner (the rule auth asks when roles are chosen)."""
    if Role.FUND_MANAGER in roles:
        partner = db.session.get(Partner, partner_id) if partner_id else None
        if partner is None or partner.kind != PartnerKind.FUND_MANAGER:
            raise DomainError(_l("A fund manager belongs to a fund-management partner: choose one."),
                              field="partner_id")


def register() -> None:
    """At start-up: give auth the partners' rule on the roles a person's partner allows."""
    from incubator.auth.services import add_partner_rule

    add_partner_rule(_fund_manager_needs_a_fund_management_partner)
