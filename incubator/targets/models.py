from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.enums import enum_column
from incubator.extensions import db
from incubator.organisation.models import Incubator
from incubator.targets.enums import TargetKind

CITY_ROW = sa.text("incubator_id IS NULL")


class Target(db.Model):
    """A target of a city plan, as data: a new plan's target is a new row, not new code.

    A row without an incubator is the city's (its figures count the whole network, each business once); each
    incubator has its own copies of the city's rows (same code, threshold, window and source document), which
    its staff may edit, and its figures count its own residencies and outcomes. A code is unique among the
    city's rows and among each incubator's."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    incubator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("incubators.id"), index=True)
    incubator: Mapped[Incubator | None] = relationship(Incubator)
    name_vi: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[TargetKind] = mapped_column(enum_column(TargetKind, length=40))
    # A percentage (70 for 70 %) for ratios, a count for counts.
    threshold: Mapped[Decimal] = mapped_column(sa.Numeric(12, 2))
    window_start: Mapped[date | None]
    window_end: Mapped[date | None]
    source_document: Mapped[str | None] = mapped_column(sa.String(500))
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        sa.CheckConstraint("threshold >= 0", name="threshold_positive"),
        sa.CheckConstraint("window_end IS NULL OR window_start IS NULL OR window_end >= window_start",
                           name="window_ordered"),
        # NULL is distinct from NULL in a unique constraint (both databases): the city's codes need their own.
        sa.UniqueConstraint("incubator_id", "code", name="uq_targets_incubator_id_code"),
        sa.Index("uq_targets_city_code", "code", unique=True, sqlite_where=CITY_ROW, postgresql_where=CITY_ROW),
    )

    @property
    def is_city(self) -> bool:
        """The city's row, counted across the network, not an incubator's copy."""
        return self.incubator_id is None and self.incubator is None

    @property
    def name(self) -> str:
        locale = get_locale()
        return self.name_en if locale is not None and locale.language == "en" else self.name_vi

    # What pages ask of a target, by name (see incubator/enums.py).
    @property
    def is_ratio(self) -> bool:
        """A share in per cent (a numerator over a denominator), not a count: the incubated-startup ratio and
        the certified share."""
        return self.kind in (TargetKind.INCUBATED_IT_RATIO, TargetKind.CERTIFIED_SHARE)

    @property
    def is_certified_share(self) -> bool:
        """The share of IT businesses holding a certificate of a recognised standard (the third target)."""
        return self.kind is TargetKind.CERTIFIED_SHARE

    @property
    def is_graduate_count(self) -> bool:
        """A count of graduates, within its window."""
        return self.kind is TargetKind.GRADUATE_COUNT


class ChangeCounter(db.Model):
    """A number raised in the same transaction as every write to the rows it names (``targets.freshness``):
    a process remembering figures computed from those rows knows, with one read of one row, whether they are
    still the figures of today's rows, whatever the number of rows."""

    __tablename__ = "change_counters"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)
