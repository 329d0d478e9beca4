"""The register: companies and their residencies in the incubator. Every change is audited."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from blinker import Namespace
from flask_babel import lazy_gettext as _l

from incubator import bounds
from incubator.audit import services as audit
from incubator.companies import taxcode
from incubator.companies.enums import MembershipStatus, ResidencyKind
from incubator.companies.models import Company, CompanyMember, Residency
from incubator.db import utcnow
from incubator.errors import DomainError, expect_version
from incubator.extensions import db
from incubator.i18n import fmt_date
from incubator.mail import services as mail

# What a founder may do next with a business that has just become theirs: the programme's layer, above the
# register, connects a receiver (blinker) that answers a message, or None (see applications' views: the round
# open now, with a link to apply). The register sends it without knowing who listens.
signals = Namespace()
company_added = signals.signal("company-added")
# A business's record changed (sent with changed=the names of the fields): what the programme keeps derived
# from it (an application's eligibility summary) is worked out again by its receiver, in the same change.
company_changed = signals.signal("company-changed")


class TaxCodeTaken(DomainError):
    """Another company holds this tax code."""


def create_company(*, tax_code: str, name: str, is_it: bool, founded_on: date | None = None,
                   sector: str | None = None, address: str | None = None, website: str | None = None,
                   employees: int | None = None, tax_code_note: str | None = None, actor=None,
                   verified: bool = True) -> Company:
    """A code that fails the check digit is refused with the reason, unless staff record it with a note
    saying the registry really issued it. What staff enter or import is verified; a business a founder
    registers (``verified=False``) shows as not yet verified until staff check it."""
    try:
        code = taxcode.validate(tax_code)
    except taxcode.TaxCodeError as exc:
        code = taxcode.normalise(tax_code)
        if not (tax_code_note and tax_code_note.strip()) or not taxcode.has_valid_shape(code):
            raise DomainError(exc.reason, field="tax_code") from exc
    if db.session.scalar(sa.select(Company.id).where(Company.tax_code == code)) is not None:
        raise TaxCodeTaken(_l("A company with this tax code is already registered."), field="tax_code")
    _check_facts(founded_on=founded_on, employees=employees)
    company = Company(tax_code=code, name=name.strip(), is_it=is_it, founded_on=founded_on, sector=sector,
                      address=address, website=website, employees=employees,
                      tax_code_note=(tax_code_note or "").strip() or None)
    if verified:
        company.verified_at = utcnow()
        company.verified_by_id = getattr(actor, "id", None)
    db.session.add(company)
    db.session.flush()
    audit.record("company.create", company, to_state="registered", actor=actor,
                 reason=company.tax_code_note)
    return company


def _check_facts(*, founded_on: date | None = None, employees: int | None = None) -> None:
    """A business is founded on a day that has come, not before 1900 (bounds.FOUNDING); its employees are
    not negative."""
    bounds.FOUNDING.check(founded_on, "founded_on")
    bounds.check_not_negative(employees, "employees", _l("The number of employees cannot be negative."))


def update_company(company: Company, *, actor=None, version=None, **fields) -> Company:
    """Change a company's details; the tax code, the founding date and the employees are checked as at
    creation."""
    expect_version(company, version)
    if "tax_code" in fields:
        note = fields.get("tax_code_note", company.tax_code_note)
        try:
            code = taxcode.validate(fields["tax_code"])
        except taxcode.TaxCodeError as exc:
            code = taxcode.normalise(fields["tax_code"])
            if not (note and note.strip()) or not taxcode.has_valid_shape(code):
                raise DomainError(exc.reason, field="tax_code") from exc
        clash = db.session.scalar(sa.select(Company.id).where(Company.tax_code == code, Company.id != company.id))
        if clash is not None:
            raise DomainError(_l("A company with this tax code is already registered."), field="tax_code")
        fields["tax_code"] = code
    _check_facts(**{k: fields[k] for k in ("founded_on", "employees") if k in fields})
    changed = audit.apply_changes(company, {
        key: (value.strip() or None if key != "name" else value.strip()) if isinstance(value, str) else value
        for key, value in fields.items()})
    if changed:
        db.session.flush()
        audit.record("company.update", company, actor=actor, details={"changed": changed})
        company_changed.send(company, changed=frozenset(changed))
    return company



# ---- Residencies ------------------------------------------------------------------------------------------

def periods_overlap(starts_on: date, ends_on: date | None, other_starts_on: date, other_ends_on: date | None) -> bool:
    """The register's rule for two residencies of the same kind: they may not share a day. Both ends are
    inclusive, and a period without a last day is still running. A pure function: the services check a
    residency with it, and the import checks its rows with it before writing anything."""
    return ((ends_on is None or ends_on >= other_starts_on)
            and (other_ends_on is None or other_ends_on >= starts_on))


def overlapping(starts_on: date, ends_on: date | None, residencies) -> Residency | None:
    """The first (by its first day) of ``residencies`` whose dates share a day with the period, or None."""
    return next((r for r in sorted(residencies, key=lambda r: (r.starts_on, r.id or 0))
                 if periods_overlap(starts_on, ends_on, r.starts_on, r.ends_on)), None)


def overlap_reason(clash: Residency):
    """Why a period is refused that shares a day with ``clash``, a residency of the same kind."""
    return _l("This period overlaps another residency of the same kind (%(kind)s from %(start)s to %(end)s).",
              kind=clash.kind.label, start=fmt_date(clash.starts_on), end=fmt_date(clash.ends_on) or _l("now"))


def _overlapping(company_id: int, kind: ResidencyKind, starts_on: date, ends_on: date | None,
                 exclude_id: int | None = None) -> Residency | None:
    """Another residency of the company of the same kind whose dates share at least one day."""
    stmt = sa.select(Residency).where(Residency.company_id == company_id, Residency.kind == kind)
    if exclude_id is not None:
        stmt = stmt.where(Residency.id != exclude_id)
    return overlapping(starts_on, ends_on, db.session.scalars(stmt))


def _check_residency(company: Company, kind: ResidencyKind, starts_on: date, ends_on: date | None,
                     exclude_id: int | None = None) -> None:
    """A residency's days are the programme's (bounds.PROGRAMME: not before 1990, at most ten years ahead: a
    contract may be signed ahead); the last is not before the first; no overlap with one of the same kind."""
    if starts_on is None:
        raise DomainError(_l("Enter the first day."), field="starts_on")
    bounds.PROGRAMME.check(starts_on, "starts_on")
    bounds.PROGRAMME.check(ends_on, "ends_on")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_l("The last day cannot be before the first day."), field="ends_on")
    # Two simultaneous saves for one company queue here, so the overlap check below sees the other's row.
    db.session.execute(sa.select(Company.id).where(Company.id == company.id).with_for_update())
    clash = _overlapping(company.id, kind, starts_on, ends_on, exclude_id)
    if clash is not None:
        raise DomainError(overlap_reason(clash), field="starts_on")


def add_residency(company: Company, kind: ResidencyKind, starts_on: date, ends_on: date | None = None,
                  note: str | None = None, *, actor=None) -> Residency:
    kind = ResidencyKind(kind)
    _check_residency(company, kind, starts_on, ends_on)
    residency = Residency(company=company, kind=kind, starts_on=starts_on, ends_on=ends_on,
                          note=(note or "").strip() or None)
    db.session.add(residency)
    db.session.flush()
    audit.record("residency.create", residency, label=company.name, to_state=_period(residency), actor=actor,
                 details={"company_id": company.id, "kind": kind.value})
    return residency


def update_residency(residency: Residency, *, kind: ResidencyKind, starts_on: date, ends_on: date | None,
                     note: str | None, actor=None, version=None) -> Residency:
    expect_version(residency, version)
    kind = ResidencyKind(kind)
    _check_residency(residency.company, kind, starts_on, ends_on, exclude_id=residency.id)
    before = _period(residency)
    residency.kind, residency.starts_on, residency.ends_on = kind, starts_on, ends_on
    residency.note = (note or "").strip() or None
    db.session.flush()
    audit.record("residency.update", residency, label=residency.company.name, from_state=before,
                 to_state=_period(residency), actor=actor)
    return residency


def end_residency(residency: Residency, ends_on: date, *, reason: str | None = None, actor=None,
                  version=None) -> Residency:
    """End a running residency on its last day (inclusive), within bounds.PROGRAMME."""
    expect_version(residency, version)
    if residency.ends_on is not None:
        raise DomainError(_l("This residency has already ended."), field="ends_on")
    if ends_on is None or ends_on < residency.starts_on:
        raise DomainError(_l("The last day cannot be before the first day."), field="ends_on")
    bounds.PROGRAMME.check(ends_on, "ends_on")
    before = _period(residency)
    residency.ends_on = ends_on
    db.session.flush()
    audit.record("residency.end", residency, label=residency.company.name, from_state=before,
                 to_state=_period(residency), reason=reason, actor=actor)
    return residency


def _period(residency: Residency) -> str:
    end = residency.ends_on.isoformat() if residency.ends_on else "…"
    return f"{residency.kind.value} {residency.starts_on.isoformat()}–{end}"


# ---- Founders and their companies -------------------------------------------------------------------------

def claim_company(user, *, tax_code: str, name: str, is_it: bool, founded_on: date | None = None,
                  sector: str | None = None, employees: int | None = None, position: str | None = None,
                  certificate=None) -> CompanyMember:
    """A founder claims a business's file by its tax code.

    A business new to the register is registered, not yet verified, and the founder holds its file at once (so
    they can apply now; staff verify the business later). A business already on the register, held by other
    founders or not (staff may have entered or imported it), is never given away: the claim waits for staff,
    who decide with the registration certificate the founder attaches (``certificate``: an
    :class:`incubator.uploads.CheckedPdf`, required then). The holders, if any, are told. A founder refused
    before may claim again. Founders cannot record a tax code that fails the check digit."""
    from incubator.auth.permissions import is_confirmed

    if not is_confirmed(user):
        raise DomainError(_l("Confirm your e-mail address first: open the link we sent you."))
    try:
        code = taxcode.validate(tax_code)
    except taxcode.TaxCodeError as exc:
        raise DomainError(exc.reason, field="tax_code") from exc
    company = db.session.scalar(sa.select(Company).where(Company.tax_code == code).with_for_update())
    new = False
    if company is None:
        try:
            with db.session.begin_nested():
                company = create_company(tax_code=code, name=name, is_it=is_it, founded_on=founded_on,
                                         sector=sector, employees=employees, actor=user, verified=False)
                new = True
        except (sa.exc.IntegrityError, TaxCodeTaken):
            # Registered meanwhile by a request sent at the same time (a double click, or another founder of
            # the same company): that one is on file now, so this request is a claim of it like any later one.
            company = db.session.scalar(sa.select(Company).where(Company.tax_code == code).with_for_update())
            if company is None:
                raise
    existing = db.session.scalar(sa.select(CompanyMember).where(CompanyMember.company_id == company.id,
                                                                CompanyMember.user_id == user.id))
    if existing is not None and existing.status is not MembershipStatus.REJECTED:
        raise DomainError(_l("You have already asked to join this company."), field="tax_code")
    if not new and certificate is None:
        raise DomainError(_l("This business is already in the register: attach its business registration "
                             "certificate (PDF) so that the incubator's staff can check that you represent it."),
                          field="certificate")
    holders = [] if new else list(db.session.scalars(sa.select(CompanyMember).where(
        CompanyMember.company_id == company.id, CompanyMember.status == MembershipStatus.APPROVED)))
    status = MembershipStatus.APPROVED if new else MembershipStatus.PENDING
    membership = existing or CompanyMember(company=company, user_id=user.id)
    membership.status = status
    membership.position = (position or "").strip() or None
    membership.created_at = utcnow()
    membership.decided_at = utcnow() if new else None
    membership.decided_by_id = None
    membership.decision_reason = None
    if certificate is not None:
        membership.certificate_file = certificate.stored_name
        membership.certificate_filename = certificate.original_name
    db.session.add(membership)
    db.session.flush()  # a certificate this one replaces is deleted once this commits (see uploads)
    audit.record("membership.create" if new else "membership.request", membership, label=company.name,
                 to_state=status.value, actor=user, details={"company_id": company.id, "user_id": user.id})
    for holder in holders:
        mail.send_to(holder.user, "membership_requested", _l("Someone asked to join your company's file"),
                     company=company, requester=user)
    return membership


CERTIFICATES = "certificates"  # the uploads folder of registration certificates attached to claims


def decide_membership(staff, membership, *, approve: bool, reason: str | None = None):
    """Staff approve or refuse a founder's claim of a business on the register; the founder is told, with the
    reason when refused."""
    if membership.status is not MembershipStatus.PENDING:
        raise DomainError(_l("This request has already been decided."))
    reason = (reason or "").strip() or None
    if not approve and not reason:
        raise DomainError(_l("Give the reason for refusing."), field="reason")
    before = membership.status
    membership.status = MembershipStatus.APPROVED if approve else MembershipStatus.REJECTED
    membership.decided_at = utcnow()
    membership.decided_by_id = staff.id
    membership.decision_reason = reason
    db.session.flush()
    audit.record("membership.decide", membership, label=membership.company.name, from_state=before.value,
                 to_state=membership.status.value, reason=reason, actor=staff,
                 details={"company_id": membership.company_id, "user_id": membership.user_id})
    mail.send_to(membership.user, "membership_decided",
                 _l("Your request to join a company's file was approved") if approve
                 else _l("Your request to join a company's file was refused"),
                 company=membership.company, approved=approve, reason=reason)
    return membership


def verify_company(staff, company: Company, *, version=None) -> Company:
    """Staff have checked who a business registered by a founder is (its registration, its founders)."""
    expect_version(company, version)
    if company.verified_at is not None:
        raise DomainError(_l("This business has already been verified."))
    company.verified_at = utcnow()
    company.verified_by_id = staff.id
    db.session.flush()
    audit.record("company.verify", company, from_state="unverified", to_state="verified", actor=staff)
    return company
