from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator import uploads
from incubator.companies.enums import MembershipStatus, ResidencyKind
from incubator.db import UTCDateTime, utcnow
from incubator.enums import enum_column
from incubator.extensions import db
from incubator.organisation.models import IncubatorScoped
from incubator.text import fold, vietnamese_sort_key


class Company(db.Model):
    """Every business the incubator knows: applicant, tenant, alumnus or partner, by tax code."""

    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    tax_code: Mapped[str] = mapped_column(sa.String(14), unique=True)
    # Set when staff record a code that fails the check digit but the registry really issued it.
    tax_code_note: Mapped[str | None] = mapped_column(sa.String(500))
    name: Mapped[str] = mapped_column(sa.String(300))
    name_folded: Mapped[str] = mapped_column(sa.String(300), index=True)
    # A key whose plain (byte or digit) order is the Vietnamese alphabetical order of the name.
    name_sort: Mapped[str] = mapped_column(sa.String(1300), index=True, default="")
    is_it: Mapped[bool] = mapped_column(default=True)
    founded_on: Mapped[date | None]
    sector: Mapped[str | None] = mapped_column(sa.String(200))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    employees: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Who the business is has been checked by staff: set when staff enter or import it, or verify what a founder
    # registered (a founder's new business is theirs at once, but shows as "not yet verified" until then).
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version_id: Mapped[int] = mapped_column(default=1)

    residencies: Mapped[list[Residency]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="Residency.starts_on"
    )
    members: Mapped[list[CompanyMember]] = relationship(back_populates="company", cascade="all, delete-orphan")
    outcomes = relationship("GraduationOutcome", back_populates="company", cascade="all, delete-orphan",
                            order_by="GraduationOutcome.decided_on")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        sa.CheckConstraint("employees IS NULL OR employees >= 0", name="employees_positive"),
        # Whether a business counted by the targets (an incubator's residencies, joined to their businesses) is an
        # IT business, read from the index for each residency instead of scanning the city's register.
        sa.Index("ix_companies_id_is_it", "id", "is_it"),
    )

    @sa.orm.validates("name")
    def _fold_name(self, _key, value):
        self.name_folded = fold(value)
        self.name_sort = vietnamese_sort_key(value)
        return value

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def __repr__(self) -> str:
        return f"<Company {self.tax_code} {self.name}>"


class CompanyMember(db.Model):
    """A founder's membership of a company (their claim to its file). A claim of a business already on the
    register, held by founders or not, waits for staff, who see the registration certificate the founder
    attached; only the founder who registers a business new to the register holds it at once."""

    __tablename__ = "company_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[MembershipStatus] = mapped_column(enum_column(MembershipStatus),
                                                     default=MembershipStatus.PENDING)
    position: Mapped[str | None] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Staff's reason when refusing, which the founder is told.
    decision_reason: Mapped[str | None] = mapped_column(sa.String(500))
    # The business registration certificate (Giấy chứng nhận đăng ký doanh nghiệp) the founder attached, a PDF
    # stored under instance/uploads/certificates/.
    certificate_file: Mapped[str | None] = mapped_column(sa.String(100))
    certificate_filename: Mapped[str | None] = mapped_column(sa.String(255))

    company: Mapped[Company] = relationship(back_populates="members")
    user = relationship("User", foreign_keys=[user_id])

    __table_args__ = (sa.UniqueConstraint("company_id", "user_id", name="uq_company_members_company_user"),)

    # What pages ask of a membership, by name (see incubator/enums.py).
    @property
    def is_pending(self) -> bool:
        """Waiting for staff to check the claim."""
        return self.status is MembershipStatus.PENDING

    @property
    def is_approved(self) -> bool:
        """The founder holds the company's file."""
        return self.status is MembershipStatus.APPROVED

    @property
    def is_rejected(self) -> bool:
        return self.status is MembershipStatus.REJECTED


class Residency(IncubatorScoped, db.Model):
    """A dated period during which a company operates in the incubator. Both dates are inclusive
    ("từ ngày … đến hết ngày …"); ends_on is empty while it runs."""

    __tablename__ = "residencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ResidencyKind] = mapped_column(enum_column(ResidencyKind))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(sa.String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    company: Mapped[Company] = relationship(back_populates="residencies")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        sa.Index("ix_residencies_dates", "starts_on", "ends_on"),
    )

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    @classmethod
    def active_on_clause(cls, day):
        """Active at ``day``: started on or before it, and not ended before it (both dates inclusive)."""
        return sa.and_(cls.starts_on <= day, sa.or_(cls.ends_on.is_(None), cls.ends_on >= day))


# The registration certificates attached to claims: a file replaced by a new claim is deleted once that commits.
uploads.register_references("certificates", CompanyMember.certificate_file)


class CompanyPresence(db.Model):
    """Where each business is, for the rule of which businesses an incubator's staff see
    (``queries.visible_companies``): a row per incubator the business is in (a residency, an outcome, an
    application submitted there: what the packages register with ``queries.register_presence``), or a single row
    with no incubator while it is in none. Kept by ``companies.presence`` in the same transaction as each write
    that changes it, whatever door the write came through; read with plain columns, never loaded as an object."""

    __tablename__ = "company_presence"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"))
    incubator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("incubators.id"))

    __table_args__ = (
        sa.UniqueConstraint("company_id", "incubator_id", name="uq_company_presence_company_incubator"),
        sa.Index("ix_company_presence_incubator_company", "incubator_id", "company_id"),
    )
