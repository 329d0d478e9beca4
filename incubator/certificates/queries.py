"""What the pages and the reminders read of certificates (explicit eager loading, a fixed number of queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from incubator.certificates.enums import CertificateStatus
from incubator.certificates.models import LOWEST_COUNTING_LEVEL, Certificate, CertificateStandard
from incubator.companies.models import Residency
from incubator.companies.queries import visible_companies
from incubator.extensions import db

# Staff are told of a certificate that counts when it comes within this many days of its expiry, then again
# within each shorter threshold (once per threshold).
EXPIRY_THRESHOLDS = (60, 30, 7)
EXPIRY_WINDOW = EXPIRY_THRESHOLDS[0]


@dataclass
class Standing:
    """Whether a certificate counts for the third target today, and if not, why; and where it stands (what a
    page offers: verifying one waiting, revoking one verified and not revoked)."""

    counts: bool
    reason: str | None
    waiting: bool = False
    rejected: bool = False
    revocable: bool = False


def _why_not(certificate: Certificate, today: date) -> str | None:
    if certificate.status is CertificateStatus.REJECTED:
        return _("not accepted by staff")
    if certificate.status is CertificateStatus.SUBMITTED:
        return _("waiting for verification")
    if certificate.revoked_on is not None and certificate.revoked_on < today:
        return _("revoked on %(date)s", date=certificate.revoked_on.strftime("%d/%m/%Y"))
    if certificate.expires_on is not None and certificate.expires_on < today:
        return _("expired on %(date)s", date=certificate.expires_on.strftime("%d/%m/%Y"))
    if certificate.issued_on > today:
        return _("not issued yet")
    if not certificate.standard.recognised:
        return _("standard not recognised by the target")
    if certificate.standard.has_levels and (certificate.level or 0) < LOWEST_COUNTING_LEVEL:
        return _("level 1 is not appraised")
    return None


def standing(certificate: Certificate, today: date | None = None) -> Standing:
    """(``today``: Hà Nội's, unless given.)"""
    if today is None:
        from incubator.i18n import local_today

        today = local_today()
    reason = _why_not(certificate, today)
    verified = certificate.status is CertificateStatus.VERIFIED
    return Standing(reason is None, reason, waiting=certificate.status is CertificateStatus.SUBMITTED,
                    rejected=certificate.status is CertificateStatus.REJECTED,
                    revocable=verified and certificate.revoked_on is None)


def company_certificates(company_id: int) -> list[Certificate]:
    """A business's certificates with their standards, the latest issued first: one query."""
    return list(db.session.scalars(
        sa.select(Certificate).where(Certificate.company_id == company_id)
        .options(joinedload(Certificate.standard))
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())))


def certificates_of(company_ids: list[int]) -> dict[int, list[Certificate]]:
    """The certificates of these businesses (a founder's home), each business's latest issued first."""
    found: dict[int, list[Certificate]] = {}
    if not company_ids:
        return found
    for certificate in db.session.scalars(
            sa.select(Certificate).where(Certificate.company_id.in_(company_ids))
            .options(joinedload(Certificate.standard))
            .order_by(Certificate.issued_on.desc(), Certificate.id.desc())):
        found.setdefault(certificate.company_id, []).append(certificate)
    return found


def submissions():
    """Founders' submissions waiting for staff, of the businesses this request's person sees, oldest first."""
    return (sa.select(Certificate)
            .where(Certificate.status == CertificateStatus.SUBMITTED, visible_companies(Certificate.company_id))
            .options(joinedload(Certificate.standard), joinedload(Certificate.company))
            .order_by(Certificate.created_at, Certificate.id))


def _counting_and_expiring(today: date, days: int):
    return sa.and_(Certificate.counts_clause(), Certificate.held_on_clause(today),
                   Certificate.expires_on.is_not(None), Certificate.expires_on <= today + timedelta(days=days))


def expiring(today: date, days: int = EXPIRY_WINDOW):
    """Certificates that count today and expire within ``days``, of the businesses in the incubator today (the
    residencies read are this request's incubator's), the soonest first."""
    in_incubator = sa.select(Residency.company_id).where(Residency.active_on_clause(today))
    return (sa.select(Certificate).join(Certificate.standard)
            .where(_counting_and_expiring(today, days), Certificate.company_id.in_(in_incubator))
            .options(sa.orm.contains_eager(Certificate.standard), joinedload(Certificate.company))
            .order_by(Certificate.expires_on, Certificate.id))


def expiring_by_incubator(today: date, days: int = EXPIRY_WINDOW) -> dict[int, list[Certificate]]:
    """For the reminders, across the network: each incubator's certificates that count and expire within
    ``days``, of the businesses with a residency active there today (a business in two incubators: in both)."""
    rows = db.session.execute(
        sa.select(Residency.incubator_id, Certificate).join(CertificateStandard,
                                                            Certificate.standard_id == CertificateStandard.id)
        .join(Residency, sa.and_(Residency.company_id == Certificate.company_id, Residency.active_on_clause(today)))
        .where(_counting_and_expiring(today, days))
        .options(selectinload(Certificate.standard), selectinload(Certificate.company))
        .order_by(Certificate.expires_on, Certificate.id)
        .execution_options(all_incubators=True)).all()
    found: dict[int, list[Certificate]] = {}
    for incubator_id, certificate in rows:
        theirs = found.setdefault(incubator_id, [])
        if certificate not in theirs:
            theirs.append(certificate)
    return found


def standards():
    return sa.select(CertificateStandard).order_by(CertificateStandard.code_key)


def count(stmt) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
