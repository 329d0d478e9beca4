from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator import uploads
from incubator.db import UTCDateTime, utcnow
from incubator.enums import enum_column
from incubator.extensions import db
from incubator.organisation.models import IncubatorScoped
from incubator.outcomes.enums import Decision, Pillar


class GraduationOutcome(IncubatorScoped, db.Model):
    """The decision taken on a startup at the end of its incubation (per cohort once cohorts exist), with
    the product it brought to market, the evidence of it and the digital pillars it serves."""

    __tablename__ = "graduation_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(sa.ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    cohort_name: Mapped[str | None] = mapped_column(sa.String(200))
    decision: Mapped[Decision] = mapped_column(enum_column(Decision))
    decided_on: Mapped[date] = mapped_column(index=True)
    product: Mapped[str | None] = mapped_column(sa.String(1000))
    evidence_text: Mapped[str | None] = mapped_column(sa.String(2000))
    evidence_url: Mapped[str | None] = mapped_column(sa.String(500))
    evidence_file: Mapped[str | None] = mapped_column(sa.String(100))  # stored name under instance/uploads
    evidence_filename: Mapped[str | None] = mapped_column(sa.String(255))  # the name it was uploaded with
    serves_government: Mapped[bool] = mapped_column(default=False)
    serves_economy: Mapped[bool] = mapped_column(default=False)
    serves_society: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(sa.String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    company = relationship("Company", back_populates="outcomes")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        sa.UniqueConstraint("company_id", "decision", "decided_on", name="uq_graduation_outcomes_key"),
    )

    @sa.orm.validates("evidence_text", "evidence_url", "evidence_file", "product")
    def _blank_is_none(self, _key, value):
        """Whitespace is no evidence: what is stored is stripped, or NULL. Every door (forms, import,
        services) goes through here, so evidence_clause() and has_evidence can never disagree."""
        if isinstance(value, str):
            value = value.strip()
        return value or None

    @property
    def pillars(self) -> list[Pillar]:
        return [p for p, flag in ((Pillar.GOVERNMENT, self.serves_government), (Pillar.ECONOMY, self.serves_economy),
                                  (Pillar.SOCIETY, self.serves_society)) if flag]

    @pillars.setter
    def pillars(self, values) -> None:
        chosen = {Pillar(v) for v in values or ()}
        self.serves_government = Pillar.GOVERNMENT in chosen
        self.serves_economy = Pillar.ECONOMY in chosen
        self.serves_society = Pillar.SOCIETY in chosen

    @property
    def is_graduated(self) -> bool:
        return self.decision is Decision.GRADUATED

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_text or self.evidence_url or self.evidence_file)

    # SQL forms of the same rules, used by the target queries. Stored values are stripped or NULL (above),
    # so "not NULL" here is exactly what has_evidence tests.
    @classmethod
    def evidence_clause(cls):
        return sa.or_(cls.evidence_text.is_not(None), cls.evidence_url.is_not(None), cls.evidence_file.is_not(None))

    @classmethod
    def pillar_clause(cls):
        return sa.or_(cls.serves_government.is_(True), cls.serves_economy.is_(True), cls.serves_society.is_(True))


# The evidence PDF is an upload: replaced, removed, or its outcome deleted, the file is deleted after the commit;
# `flask uploads prune` knows which evidence files are in use (incubator/uploads.py).
uploads.register_references("evidence", GraduationOutcome.evidence_file)
