"""The standards that staff keep (recognised or not by the third target) and the certificates businesses hold.

A certificate is held at a day *d* when issued on or before *d*, expiring on or after *d* or never, and not
revoked before *d* (all inclusive, ../shared/domain.md). It counts for the target when, besides, it is verified,
its standard is recognised and, for a standard with maturity levels (CMMI), its level is 2 to 5."""

from __future__ import annotations

import re
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator import uploads
from incubator.certificates.enums import CertificateStatus
from incubator.companies.models import Company
from incubator.db import UTCDateTime, utcnow
from incubator.enums import enum_column
from incubator.extensions import db
from incubator.i18n import localised as _localised

LOWEST_COUNTING_LEVEL = 2  # CMMI level 1 is not appraised
LEVELS = (1, 2, 3, 4, 5)


def code_key(code: str) -> str:
    """A standard's code as compared: without regard to case and spaces ("iso/iec 27001" = "ISO/IEC27001")."""
    return re.sub(r"\s+", "", code or "").casefold()


class CertificateStandard(db.Model):
    """A standard in the list staff keep: its code as written (``ISO/IEC 27001``), its names, whether the third
    target recognises it, and whether it has maturity levels (CMMI)."""

    __tablename__ = "certificate_standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60))
    code_key: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name_vi: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str] = mapped_column(sa.String(300))
    recognised: Mapped[bool] = mapped_column(default=False)
    has_levels: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    @sa.orm.validates("code")
    def _key(self, _key, value):
        self.code_key = code_key(value)
        return value

    @property
    def name(self) -> str:
        return _localised(self.name_vi, self.name_en)

    def __repr__(self) -> str:
        return f"<CertificateStandard {self.code}>"


class Certificate(db.Model):
    """A certificate of a business. City-wide: it belongs to the business wherever the business sits."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    standard_id: Mapped[int] = mapped_column(sa.ForeignKey("certificate_standards.id"), index=True)
    level: Mapped[int | None]  # CMMI maturity level, where the standard has levels
    scope: Mapped[str | None] = mapped_column(sa.String(1000))
    issuer: Mapped[str | None] = mapped_column(sa.String(300))  # the certifying (or appraising) body
    number: Mapped[str | None] = mapped_column(sa.String(100))
    issued_on: Mapped[date] = mapped_column(index=True)
    expires_on: Mapped[date | None] = mapped_column(index=True)
    revoked_on: Mapped[date | None]
    # Evidence: a PDF kept in uploads/certificates/, or a link to a public register (either or both).
    evidence_file: Mapped[str | None] = mapped_column(sa.String(100))
    evidence_name: Mapped[str | None] = mapped_column(sa.String(255))
    evidence_link: Mapped[str | None] = mapped_column(sa.String(500))
    status: Mapped[CertificateStatus] = mapped_column(enum_column(CertificateStatus), index=True,
                                                      default=CertificateStatus.VERIFIED)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rejected_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    company: Mapped[Company] = relationship(backref=sa.orm.backref(
        "certificates", cascade="all, delete-orphan", order_by="Certificate.issued_on"))
    standard: Mapped[CertificateStandard] = relationship()

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        sa.CheckConstraint("level IS NULL OR level BETWEEN 1 AND 5", name="level_in_range"),
        sa.CheckConstraint("expires_on IS NULL OR expires_on >= issued_on", name="expiry_after_issue"),
        sa.CheckConstraint("revoked_on IS NULL OR revoked_on >= issued_on", name="revocation_after_issue"),
    )

    # ---- Held at a day, and counted by the target --------------------------------------------------------

    @classmethod
    def held_on_clause(cls, day):
        """Held on ``day`` (a date or a date column): issued on or before it, expiring on or after it or
        never, not revoked before it."""
        return sa.and_(cls.issued_on <= day, sa.or_(cls.expires_on.is_(None), cls.expires_on >= day),
                       sa.or_(cls.revoked_on.is_(None), cls.revoked_on >= day))

    @classmethod
    def counts_clause(cls):
        """Counted by the target whatever the day (join CertificateStandard): verified, of a recognised
        standard, at level 2 to 5 where the standard has levels."""
        return sa.and_(cls.status == CertificateStatus.VERIFIED, CertificateStandard.recognised.is_(True),
                       sa.or_(CertificateStandard.has_levels.is_(False),
                              cls.level.between(LOWEST_COUNTING_LEVEL, 5)))

    def is_held_on(self, day: date) -> bool:
        return (self.issued_on <= day and (self.expires_on is None or self.expires_on >= day)
                and (self.revoked_on is None or self.revoked_on >= day))

    @property
    def counts(self) -> bool:
        """Counted by the target on the days it is held (see :meth:`counts_clause`)."""
        return (self.status is CertificateStatus.VERIFIED and self.standard.recognised
                and (not self.standard.has_levels or (self.level or 0) >= LOWEST_COUNTING_LEVEL))

    @property
    def label(self) -> str:
        """"CMMI level 3", "ISO/IEC 27001"."""
        if self.standard.has_levels and self.level:
            from flask_babel import gettext

            return gettext("%(standard)s level %(level)s", standard=self.standard.code, level=self.level)
        return self.standard.code

    def __repr__(self) -> str:
        return f"<Certificate {self.standard_id} {self.number or self.issued_on}>"


uploads.register_references("certificates", Certificate.evidence_file)
