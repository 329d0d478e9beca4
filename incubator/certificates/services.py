"""Changes to the list of standards and to certificates. Services flush and never commit."""

from __future__ import annotations

from datetime import date
from functools import partial

import sqlalchemy as sa
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from incubator import bounds
from incubator.audit import services as audit
from incubator.certificates.enums import CertificateStatus
from incubator.certificates.models import LEVELS, Certificate, CertificateStandard, code_key
from incubator.db import utcnow
from incubator.errors import DomainError, expect_version
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


def record_certificate(company, *, actor=None, evidence_file: str | None = None, evidence_name: str | None = None,
                       **fields) -> Certificate:
    """Staff record a certificate of a business (or an import does): verified at once, by them. ``evidence_file``:
    the stored name of a checked PDF (uploads kind "certificates"), saved by the caller once this succeeds."""
    fields = _clean(fields)
    standard = db.session.get(CertificateStandard, fields.get("standard_id") or 0)
    if standard is None:
        raise DomainError(_l("Choose the certificate's standard."), field="standard_id")
    check_fields(fields, standard)
    certificate = Certificate(company_id=company.id, status=CertificateStatus.VERIFIED,
                              verified_by_id=getattr(actor, "id", None), verified_at=utcnow(),
                              evidence_file=evidence_file, evidence_name=evidence_name, **fields)
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


# ---- The forms' doors: staff add and change, founders submit, staff verify or refuse ---------------------------

def _standard_of(fields: dict, default: CertificateStandard | None = None) -> CertificateStandard:
    standard_id = fields.get("standard_id")
    standard = db.session.get(CertificateStandard, standard_id) if standard_id else default
    if standard is None:
        raise DomainError(_l("Choose the certificate's standard."), field="standard_id")
    return standard


def refuse_duplicate(company_id: int, standard_id: int, number: str | None, issued_on: date | None,
                     exclude_id: int | None = None) -> None:
    """The same certificate (same standard and number, or no number and the same day of issue) is not entered
    twice for a business; one refused by staff does not stand in the way."""
    found = same_certificate(company_id, standard_id, number, issued_on)
    if found is not None and found.id != exclude_id and found.status is not CertificateStatus.REJECTED:
        raise DomainError(_l("This certificate is already on the business's file."), field="number")


def add_certificate(company, *, actor, **fields) -> Certificate:
    """Staff add a certificate from the business's file: refused when it is already there, else recorded."""
    cleaned = _clean(fields)
    standard = _standard_of(cleaned)
    refuse_duplicate(company.id, standard.id, cleaned.get("number"), cleaned.get("issued_on"))
    return record_certificate(company, actor=actor, evidence_file=fields.get("evidence_file"),
                              evidence_name=fields.get("evidence_name"), **cleaned)


def update_certificate(certificate: Certificate, *, actor, version=None, evidence_file: str | None = None,
                       evidence_name: str | None = None, remove_evidence_file: bool = False,
                       **fields) -> Certificate:
    """Staff correct a certificate (any of its fields; a new PDF replaces the old one)."""
    expect_version(certificate, version)
    cleaned = _clean(fields)
    standard = _standard_of(cleaned, certificate.standard)
    merged = {key: cleaned.get(key, getattr(certificate, key)) for key in FIELDS}
    merged["standard_id"] = standard.id
    if not standard.has_levels and "level" not in cleaned:
        merged["level"] = None
    check_fields(merged, standard)
    refuse_duplicate(certificate.company_id, standard.id, merged["number"], merged["issued_on"],
                     exclude_id=certificate.id)
    changed = audit.apply_changes(certificate, {key: merged[key] for key in FIELDS})
    if certificate.standard is not standard:
        certificate.standard = standard
    if evidence_file:
        changed["evidence_file"] = [certificate.evidence_name, evidence_name]
        certificate.evidence_file, certificate.evidence_name = evidence_file, evidence_name
    elif remove_evidence_file and certificate.evidence_file:
        changed["evidence_file"] = [certificate.evidence_name, None]
        certificate.evidence_file, certificate.evidence_name = None, None
    if changed:
        db.session.flush()
        audit.record("certificate.update", certificate, label=_label(certificate), actor=actor,
                     details={"changed": changed})
    return certificate


def revoke_certificate(certificate: Certificate, *, revoked_on: date | None, reason: str | None, actor,
                       version=None) -> Certificate:
    """The certifying body withdrew the certificate from this day (it is held up to that day, inclusive)."""
    expect_version(certificate, version)
    if certificate.revoked_on is not None:
        raise DomainError(_l("This certificate is already revoked."))
    reason = (reason or "").strip()
    if revoked_on is None:
        raise DomainError(_l("Enter the day the certificate was revoked."), field="revoked_on")
    if not reason:
        raise DomainError(_l("Give the reason."), field="reason")
    check_fields({**{key: getattr(certificate, key) for key in FIELDS}, "revoked_on": revoked_on},
                 certificate.standard)
    certificate.revoked_on = revoked_on
    db.session.flush()
    audit.record("certificate.revoke", certificate, label=_label(certificate), actor=actor, reason=reason,
                 details={"revoked_on": revoked_on.isoformat()})
    return certificate


def delete_certificate(certificate: Certificate, *, actor, version=None, reason: str | None = None) -> None:
    """A certificate entered by mistake leaves the file (its PDF too, once committed); the audit log keeps what
    it was."""
    expect_version(certificate, version)
    audit.record("certificate.delete", certificate, label=_label(certificate), actor=actor, reason=reason,
                 from_state=certificate.status,
                 details={"company_id": certificate.company_id, "standard": certificate.standard.code,
                          "number": certificate.number, "issued_on": certificate.issued_on.isoformat(),
                          "expires_on": certificate.expires_on.isoformat() if certificate.expires_on else None})
    db.session.delete(certificate)
    db.session.flush()


def submit_certificate(company, *, actor, evidence_file: str | None = None, evidence_name: str | None = None,
                       **fields) -> Certificate:
    """A founder of the business submits a certificate, with its PDF, for staff to verify; it does not count
    until they do."""
    cleaned = _clean(fields)
    standard = _standard_of(cleaned)
    check_fields(cleaned, standard)
    if not evidence_file:
        raise DomainError(_l("Attach the certificate (PDF)."), field="evidence_pdf")
    refuse_duplicate(company.id, standard.id, cleaned.get("number"), cleaned.get("issued_on"))
    certificate = Certificate(company_id=company.id, status=CertificateStatus.SUBMITTED,
                              submitted_by_id=getattr(actor, "id", None), evidence_file=evidence_file,
                              evidence_name=evidence_name, **cleaned)
    certificate.standard = standard
    db.session.add(certificate)
    db.session.flush()
    audit.record("certificate.submit", certificate, label=f"{company.name}: {standard.code}", actor=actor,
                 to_state=certificate.status, details={"number": certificate.number,
                                                       "issued_on": certificate.issued_on.isoformat()})
    return certificate


def _waiting(certificate: Certificate) -> None:
    if certificate.status is not CertificateStatus.SUBMITTED:
        raise DomainError(_l("This certificate is not waiting for verification."))


def verify_certificate(certificate: Certificate, *, actor, version=None) -> Certificate:
    """Staff checked a founder's submission against its PDF (or the body's public register): it counts."""
    expect_version(certificate, version)
    _waiting(certificate)
    certificate.status = CertificateStatus.VERIFIED
    certificate.verified_by_id = getattr(actor, "id", None)
    certificate.verified_at = utcnow()
    certificate.rejected_reason = None
    db.session.flush()
    audit.record("certificate.verify", certificate, label=_label(certificate), actor=actor,
                 from_state=CertificateStatus.SUBMITTED, to_state=certificate.status)
    return certificate


def reject_certificate(certificate: Certificate, *, actor, reason: str | None, version=None) -> Certificate:
    """Staff refuse a founder's submission, with the reason the founder reads (on their home and by e-mail)."""
    expect_version(certificate, version)
    _waiting(certificate)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give the reason the founder will read."), field="reason")
    certificate.status = CertificateStatus.REJECTED
    certificate.rejected_reason = reason
    certificate.verified_by_id = getattr(actor, "id", None)
    certificate.verified_at = utcnow()
    db.session.flush()
    audit.record("certificate.reject", certificate, label=_label(certificate), actor=actor, reason=reason,
                 from_state=CertificateStatus.SUBMITTED, to_state=certificate.status)
    _tell_founder(certificate)
    return certificate


def _tell_founder(certificate: Certificate) -> None:
    from incubator.auth.models import User
    from incubator.mail.services import send_to

    founder = db.session.get(User, certificate.submitted_by_id) if certificate.submitted_by_id else None
    if founder is None or not founder.active:
        return
    send_to(founder, "certificate_rejected",
            lambda: gettext("Your certificate %(certificate)s was not accepted", certificate=certificate.label),
            event=f"certificate-rejected:{certificate.id}:{certificate.version_id}", certificate=certificate,
            company=certificate.company)


def _label(certificate: Certificate) -> str:
    return f"{certificate.company.name}: {certificate.standard.code}"


# ---- The list of standards staff keep --------------------------------------------------------------------------

STANDARD_FIELDS = ("code", "name_vi", "name_en", "recognised", "has_levels")


def _standard_fields(fields: dict) -> dict:
    cleaned = {key: value for key, value in fields.items() if key in STANDARD_FIELDS}
    for key in ("code", "name_vi", "name_en"):
        if key in cleaned:
            cleaned[key] = " ".join((cleaned[key] or "").split())
    for key in ("recognised", "has_levels"):
        if key in cleaned:
            cleaned[key] = bool(cleaned[key])
    return cleaned


def _check_standard(fields: dict, exclude_id: int | None = None) -> None:
    code = fields.get("code")
    if not code:
        raise DomainError(_l("Give the standard's code."), field="code")
    if len(code) > 60:
        raise DomainError(_l("A standard's code is at most 60 characters."), field="code")
    for key in ("name_vi", "name_en"):
        if not fields.get(key):
            raise DomainError(_l("Give the standard's name."), field=key)
    clash = standard_by_code(code)
    if clash is not None and clash.id != exclude_id:
        raise DomainError(_l("The standard %(code)s is already in the list.", code=clash.code), field="code")


def create_standard(*, actor, **fields) -> CertificateStandard:
    """Staff add a standard to the list (its code unique without regard to case and spaces)."""
    fields = _standard_fields(fields)
    _check_standard(fields)
    standard = CertificateStandard(**fields)
    db.session.add(standard)
    db.session.flush()
    audit.record("standard.create", standard, label=standard.code, actor=actor,
                 details={"recognised": standard.recognised, "has_levels": standard.has_levels})
    return standard


def update_standard(standard: CertificateStandard, *, actor, version=None, **fields) -> CertificateStandard:
    """Staff change a standard: whether it is recognised changes the third target's figures, past ones too."""
    expect_version(standard, version)
    fields = _standard_fields(fields)
    merged = {key: fields.get(key, getattr(standard, key)) for key in STANDARD_FIELDS}
    _check_standard(merged, exclude_id=standard.id)
    if standard.has_levels and not merged["has_levels"] and _has_levelled_certificates(standard):
        raise DomainError(_l("Certificates of this standard have maturity levels: it keeps its levels."),
                          field="has_levels")
    changed = audit.apply_changes(standard, fields)
    if changed:
        db.session.flush()
        audit.record("standard.update", standard, label=standard.code, actor=actor, details={"changed": changed})
    return standard


def _has_levelled_certificates(standard: CertificateStandard) -> bool:
    return db.session.scalar(sa.select(Certificate.id).where(Certificate.standard_id == standard.id,
                                                             Certificate.level.is_not(None)).limit(1)) is not None


# ---- Reminders of expiry ---------------------------------------------------------------------------------------

EXPIRY_EVENT = "certificate-expiry:"  # the outbox's event key of a digest: it lists the certificates it told
EVENT_KEY_LENGTH = 200


def _threshold(days_left: int) -> int:
    from incubator.certificates.queries import EXPIRY_THRESHOLDS

    return min(t for t in EXPIRY_THRESHOLDS if days_left <= t)


def _item(certificate: Certificate, threshold: int) -> str:
    return f"{certificate.id}.{threshold}.{certificate.expires_on:%Y%m%d}"


def _told(address: str) -> set[tuple[str, int, str]]:
    """What the digests already queued for this address told: (certificate id, threshold, expiry)."""
    from incubator.mail.models import OutboxMessage

    keys = db.session.scalars(sa.select(OutboxMessage.event_key).where(
        OutboxMessage.to_address == address, OutboxMessage.event_key.startswith(EXPIRY_EVENT))
        .execution_options(all_incubators=True))
    told = set()
    for key in keys:
        for item in key.rsplit(":", 1)[-1].split(","):
            parts = item.split(".")
            if len(parts) == 3 and parts[1].isdigit():
                told.add((parts[0], int(parts[1]), parts[2]))
    return told


def _chunks(items: list[tuple[Certificate, str]], prefix: str) -> list[list[tuple[Certificate, str]]]:
    """Split a digest so that each message's event key (which lists its certificates) fits the outbox's column."""
    chunks, current, length = [], [], len(prefix)
    for certificate, item in items:
        if current and length + len(item) + 1 > EVENT_KEY_LENGTH:
            chunks.append(current)
            current, length = [], len(prefix)
        current.append((certificate, item))
        length += len(item) + 1
    if current:
        chunks.append(current)
    return chunks


def _digest_subject(count: int) -> str:
    return ngettext("%(num)d certificate expires within 60 days", "%(num)d certificates expire within 60 days",
                    count)


def send_expiry_reminders(today: date) -> int:
    """E-mail each incubator's staff a digest of the certificates that count and expire within 60 days, of the
    businesses with a residency active there today: each certificate once per threshold (60, 30, 7 days left)
    and person, however often the command runs (the digests' event keys in the outbox say what was told).
    Returns how many e-mails were queued."""
    from incubator.auth.enums import Role
    from incubator.auth.models import User, UserRole
    from incubator.certificates.queries import expiring_by_incubator
    from incubator.mail.services import send_to
    from incubator.organisation.models import Incubator
    from incubator.urls import external_url

    queued = 0
    for incubator_id, certificates in sorted(expiring_by_incubator(today).items()):
        incubator = db.session.get(Incubator, incubator_id)
        staff = list(db.session.scalars(
            sa.select(User).join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.STAFF, UserRole.incubator_id == incubator_id, User.active.is_(True),
                   User.email_verified_at.is_not(None))
            .order_by(User.id).distinct()))
        for person in staff:
            told = _told(person.email)
            fresh = []
            for certificate in certificates:
                threshold = _threshold((certificate.expires_on - today).days)
                expiry = f"{certificate.expires_on:%Y%m%d}"
                if not any((str(certificate.id), t, expiry) in told for t in range(threshold + 1)):
                    fresh.append((certificate, _item(certificate, threshold)))
            prefix = f"{EXPIRY_EVENT}{incubator_id}:{today:%Y%m%d}:"
            for chunk in _chunks(fresh, prefix):
                listed = [c for c, _item_text in chunk]
                key = prefix + ",".join(item for _c, item in chunk)
                subject = partial(_digest_subject, len(listed))
                if send_to(person, "certificates_expiring", subject, event=key, certificates=listed,
                           incubator=incubator, link=external_url("certificates.expiring")) is not None:
                    queued += 1
    return queued
