"""The register: companies and founders' memberships. (Residency editing arrives with the register issue.)"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from incubator.audit import services as audit
from incubator.companies import taxcode
from incubator.companies.models import Company
from incubator.errors import DomainError
from incubator.extensions import db


def create_company(*, tax_code: str, name: str, is_it: bool, founded_on: date | None = None,
                   sector: str | None = None, address: str | None = None, website: str | None = None,
                   employees: int | None = None, tax_code_note: str | None = None, actor=None) -> Company:
    """A code that fails the check digit is refused with the reason, unless staff record it with a note
    saying the registry really issued it."""
    try:
        code = taxcode.validate(tax_code)
    except taxcode.TaxCodeError as exc:
        code = taxcode.normalise(tax_code)
        if not (tax_code_note and tax_code_note.strip()) or not taxcode.has_valid_shape(code):
            raise DomainError(exc.reason, field="tax_code") from exc
    if db.session.scalar(sa.select(Company.id).where(Company.tax_code == code)) is not None:
        raise DomainError(_l("A company with this tax code is already registered."), field="tax_code")
    if employees is not None and employees < 0:
        raise DomainError(_l("The number of employees cannot be negative."), field="employees")
    company = Company(tax_code=code, name=name.strip(), is_it=is_it, founded_on=founded_on, sector=sector,
                      address=address, website=website, employees=employees,
                      tax_code_note=(tax_code_note or "").strip() or None)
    db.session.add(company)
    db.session.flush()
    audit.record("company.create", company, to_state="registered", actor=actor,
                 reason=company.tax_code_note)
    return company
