"""Changes to the list of standards and to certificates. Services flush and never commit."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from incubator import bounds
from incubator.audit import services as audit
from incubator.certificates.enums import CertificateStatus
from incubator.certificates.models import LEVELS, Certificate, CertificateStandard, code_key
from incubator.db import utcnow
from incubator.errors import DomainError
from incubator.extensions import db

# The standards the third target recognises by default (../shared/domain.md); staff may change the list.
DEFAULT_STANDARDS = [
    {"code": "CMMI", "name_vi": "Mô hình trưởng thành năng lực tích hợp (CMMI)",
     "name_en": "Capability Maturity Model Integration (CMMI)", "recognised": True, "has_levels": True},
    {"code": "ISO 9001", "name_vi": "Hệ thống quản lý chất lượng (ISO 9001)",
     "name_en": "Quality management systems (ISO 9001)", "recognised": True, "has_levels": False},
    {"code": "ISO/IEC 27001", "name_vi": "Hệ thống quản lý an toàn thông tin (ISO/IEC 27001)",
     "name_en": "Information security management systems (ISO/IEC 27001)", "recognised": True,
     "has_levels": False},
    {"code": "ISO/IEC 20000-1", "name_vi": "Hệ thống quản lý dịch vụ công nghệ thông tin (ISO/IEC 20000-1)",
     "name_en": "IT service management systems (ISO/IEC 20000-1)", "recognised": True, "has_levels": False},
]

# The fields of a certificate a person (or an import) gives.
FIELDS = ("standard_id", "level", "scope", "issuer", "number", "issued_on", "expires_on", "revoked_on",
          "evidence_link")


def ensure_default_standards() -> int:
    """Add the default standards that are not in the list yet (by code, compared without case and spaces);
    never change one staff edited. Returns how many were added."""
    known = set(db.session.scalars(sa.select(CertificateStandard.code_key)))
    added = 0
    for spec in DEFAULT_STANDARDS:
        if code_key(spec["code"]) in known:
            continue
        db.session.add(CertificateStandard(**spec))
        added += 1
    if added:
        db.session.flush()
    return added


def standard_by_code(code: str) -> CertificateStandard | None:
    """The standard of this code in the list, compared without regard to case and spaces."""
    key = code_key(code)
    return db.session.scalar(sa.select(CertificateStandard).where(CertificateStandard.code_key == key)) if key else None


def standard_for_code(code: str, *, actor=None) -> tuple[CertificateStandard, bool]:
    """The standard of this code; a code not in the list is added to it as not recognised (an import never
    refuses a standard). Returns the standard and whether it was added."""
    code = " ".join((code or "").split())
    if not code:
        raise DomainError(_l("Give the certificate's standard."), field="standard_id")
    if len(code) > 60:
        raise DomainError(_l("A standard's code is at most 60 characters."), field="standard_id")
    found = standard_by_code(code)
    if found is not None:
        return found, False
    standard = CertificateStandard(code=code, name_vi=code, name_en=code, recognised=False, has_levels=False)
    db.session.add(standard)
    db.session.flush()
    audit.record("standard.create", standard, label=standard.code, actor=actor, details={"recognised": False})
    return standard, True


def check_fields(fields: dict, standard: CertificateStandard) -> None:
    """The rules every door applies (form, founder's submission, import): dates within bounds, the expiry
    and revocation not before the issue, a level only 1 to 5 (required for a standard with levels)."""
    issued_on, expires_on, revoked_on = fields.get("issued_on"), fields.get("expires_on"), fields.get("revoked_on")
    if issued_on is None:
        raise DomainError(_l("Enter the day the certificate was issued."), field="issued_on")
    bounds.check_date(issued_on, "issued_on", latest=bounds.today)
    bounds.PROGRAMME.check(expires_on, "expires_on")
    bounds.check_date(revoked_on, "revoked_on", latest=bounds.today)
    if expires_on is not None and expires_on < issued_on:
        raise DomainError(_l("A certificate cannot expire before it was issued."), field="expires_on")
    if revoked_on is not None and revoked_on < issued_on:
        raise DomainError(_l("A certificate cannot be revoked before it was issued."), field="revoked_on")
    level = fields.get("level")
    if standard.has_levels:
        if level is None:
            raise DomainError(_l("Give the maturity level (1 to 5)."), field="level")
        if level not in LEVELS:
            raise DomainError(_l("A maturity level is 1 to 5."), field="level")
    elif level is not None:
        raise DomainError(_l("This standard has no maturity levels."), field="level")
    link = fields.get("evidence_link")
    if link and not link.lower().startswith(("https://", "http://")):
        raise DomainError(_l("A link starts with http:// or https://."), field="evidence_link")


def same_certificate(company_id: int, standard_id: int, number: str | None, issued_on: date | None
                     ) -> Certificate | None:
    """The certificate already on the register that this one is: same business, standard and number, or (no
    number) same business, standard and day of issue."""
    stmt = sa.select(Certificate).where(Certificate.company_id == company_id, Certificate.standard_id == standard_id)
    number = (number or "").strip() or None
    if number is not None:
        stmt = stmt.where(sa.func.lower(Certificate.number) == number.lower())
    else:
        stmt = stmt.where(Certificate.number.is_(None), Certificate.issued_on == issued_on)
    return db.session.scalars(stmt.order_by(Certificate.id).limit(1)).first()


def _clean(fields: dict) -> dict:
    cleaned = {key: value for key, value in fields.items() if key in FIELDS}
    for key in ("scope", "issuer", "number", "evidence_link"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip() or None
    return cleaned


def record_certificate(company, *, actor=None, **fields) -> Certificate:
    """Staff record a certificate of a business (or an import does): verified at once, by them."""
    fields = _clean(fields)
    standard = db.session.get(CertificateStandard, fields.get("standard_id") or 0)
    if standard is None:
        raise DomainError(_l("Choose the certificate's standard."), field="standard_id")
    check_fields(fields, standard)
    certificate = Certificate(company_id=company.id, status=CertificateStatus.VERIFIED,
                              verified_by_id=getattr(actor, "id", None), verified_at=utcnow(), **fields)
    certificate.standard = standard
    db.session.add(certificate)
    db.session.flush()
    audit.record("certificate.create", certificate, label=f"{company.name}: {standard.code}", actor=actor,
                 to_state=certificate.status, details={"number": certificate.number,
                                                       "issued_on": certificate.issued_on.isoformat()})
    return certificate


# The fields an import may change on a certificate it finds on the register (the rest is the staff's).
IMPORT_FIELDS = ("level", "issuer", "issued_on", "expires_on", "revoked_on")


def update_certificate_from_import(certificate: Certificate, *, actor=None, **fields) -> Certificate:
    """An import's row changes a certificate already on the register (found by ``same_certificate``): its
    level, certifying body, dates. The same rules as every door (``check_fields``); audited
    "certificate.update" with what changed, nothing when nothing did."""
    fields = _clean({key: value for key, value in fields.items() if key in IMPORT_FIELDS})
    merged = {key: getattr(certificate, key) for key in FIELDS}
    merged.update(fields)
    check_fields(merged, certificate.standard)
    changed = audit.apply_changes(certificate, fields)
    if changed:
        db.session.flush()
        label = f"{certificate.company.name}: {certificate.standard.code}"
        audit.record("certificate.update", certificate, label=label, actor=actor,
                     to_state=certificate.status, details={"changed": changed})
    return certificate
