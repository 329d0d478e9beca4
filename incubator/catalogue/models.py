"""The catalogue's tables. They are city-wide, like the business an entry belongs to (one record city-wide): an
entry is shown under each incubator where its business is or was incubated, which the queries read from the
business's residencies and outcomes, not from a column here."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.catalogue.enums import RevisionStatus
from incubator.db import UTCDateTime, utcnow
from incubator.enums import enum_column
from incubator.extensions import db
from incubator.i18n import localised
from incubator.outcomes.enums import Pillar

# The fields of an entry a founder writes and staff approve, in the order a change's diff lists them.
FIELDS = ("name_vi", "name_en", "summary_vi", "summary_en", "audience_vi", "audience_en", "pillar", "group_id",
          "on_market_since", "public_customers", "website")


class ProductGroup(db.Model):
    """A group of products staff keep (the city's key digital product groups): one list city-wide."""

    __tablename__ = "product_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name_vi: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def name(self) -> str:
        return localised(self.name_vi, self.name_en)


class ProductEntry(db.Model):
    """A product or service of a business, as the public page shows it: the last version staff approved (empty
    until the first approval). A founder's change waits in a revision. Shown only while the business consents
    (``listed_at``; withdrawn, it is empty and the entry disappears at once)."""

    __tablename__ = "product_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    name_vi: Mapped[str | None] = mapped_column(sa.String(200))
    name_en: Mapped[str | None] = mapped_column(sa.String(200))
    summary_vi: Mapped[str | None] = mapped_column(sa.String(3000))
    summary_en: Mapped[str | None] = mapped_column(sa.String(3000))
    audience_vi: Mapped[str | None] = mapped_column(sa.String(500))
    audience_en: Mapped[str | None] = mapped_column(sa.String(500))
    pillar: Mapped[Pillar | None] = mapped_column(enum_column(Pillar))
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("product_groups.id"), index=True)
    on_market_since: Mapped[date | None]
    public_customers: Mapped[str | None] = mapped_column(sa.String(1000))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    # A key whose plain order is the Vietnamese alphabetical order of the approved name (text.vietnamese_sort_key).
    name_sort: Mapped[str] = mapped_column(sa.String(1000), default="", index=True)
    # The address's words (/catalogue/<id>-<slug>): from the approved Vietnamese name, without diacritics.
    slug: Mapped[str] = mapped_column(sa.String(120), default="")
    # What the public search reads: the approved names, summaries, audience, customers and business, folded.
    search_folded: Mapped[str] = mapped_column(sa.Text, default="")
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The business's consent to be listed, with its date; empty: not listed (never, or withdrawn).
    listed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    unlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the change waiting for staff was proposed (empty: none waits).
    pending_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    company = relationship("Company")
    group: Mapped[ProductGroup | None] = relationship(ProductGroup)
    revisions: Mapped[list[ProductRevision]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="ProductRevision.id")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def name(self) -> str:
        return localised(self.name_vi or "", self.name_en)

    @property
    def summary(self) -> str:
        return localised(self.summary_vi or "", self.summary_en)

    @property
    def audience(self) -> str:
        return localised(self.audience_vi or "", self.audience_en)

    @property
    def is_approved(self) -> bool:
        """A version has been approved (and is what the public page shows)."""
        return self.approved_at is not None

    @property
    def is_listed(self) -> bool:
        """The business consents to its listing."""
        return self.listed_at is not None

    @property
    def has_pending_change(self) -> bool:
        return self.pending_since is not None

    @property
    def pending(self) -> ProductRevision | None:
        return next((r for r in reversed(self.revisions) if r.is_pending), None)

    def __repr__(self) -> str:
        return f"<ProductEntry {self.id} {self.name_vi!r}>"


class ProductRevision(db.Model):
    """A change of an entry a founder proposed (``data``: every field of FIELDS as proposed, dates in ISO), and
    what staff decided."""

    __tablename__ = "product_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("product_entries.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict] = mapped_column(sa.JSON)
    status: Mapped[RevisionStatus] = mapped_column(enum_column(RevisionStatus), default=RevisionStatus.PENDING,
                                                   index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(sa.String(1000))

    entry: Mapped[ProductEntry] = relationship(back_populates="revisions")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])

    @property
    def is_pending(self) -> bool:
        return self.status is RevisionStatus.PENDING

    @property
    def is_refused(self) -> bool:
        return self.status is RevisionStatus.REFUSED


class ProductMessage(db.Model):
    """That a reader wrote to a business through a product's page, and from which address: what the contact
    form's limits count (in the database, so they hold across servers). The message itself is not kept here:
    it is e-mailed to the founders."""

    __tablename__ = "product_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("product_entries.id", ondelete="CASCADE"), index=True)
    ip_address: Mapped[str] = mapped_column(sa.String(45), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
