"""Consent and the fund managers' pipeline: flush and audit; the request commits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from incubator import bounds
from incubator.audit import services as audit
from incubator.db import utcnow
from incubator.errors import DomainError, expect_version
from incubator.extensions import db
from incubator.funding.enums import Instrument, PipelineStage
from incubator.funding.models import Consent, PipelineEntry, PipelineMove
from incubator.partners.enums import PartnerKind


def grant(company, partner, *, actor) -> Consent:
    if partner.kind is not PartnerKind.FUND_MANAGER:
        raise DomainError(_l("Only a fund manager can be given access."))
    current = db.session.scalar(sa.select(Consent).where(Consent.company_id == company.id,
                                                         Consent.partner_id == partner.id,
                                                         Consent.withdrawn_at.is_(None)))
    if current is not None:
        return current
    consent = Consent(company_id=company.id, partner_id=partner.id, granted_by_id=actor.id)
    db.session.add(consent)
    db.session.flush()
    audit.record("consent.grant", consent, label=company.name, actor=actor, details={"partner": partner.name})
    return consent


def withdraw(company, partner, *, actor) -> int:
    count = 0
    for consent in db.session.scalars(sa.select(Consent).where(Consent.company_id == company.id,
                                                               Consent.partner_id == partner.id,
                                                               Consent.withdrawn_at.is_(None))):
        consent.withdrawn_at = utcnow()
        count += 1
        audit.record("consent.withdraw", consent, label=company.name, actor=actor, details={"partner": partner.name})
    db.session.flush()
    return count


def move(partner_id: int, company, *, actor, stage, on: date, notes: str | None = None,
         amount: int | None = None, instrument=None, version=None) -> PipelineEntry:
    """Put the startup at a stage of the fund's pipeline (each move dated and kept). A stage is reached on a
    day that has come, or is fixed for the weeks ahead (a meeting booked, a signing set): bounds.DECISION, not
    before 1990 and at most a month ahead. An amount is not negative."""
    stage = PipelineStage(stage)
    if on is None:
        raise DomainError(_l("Enter the date."), field="on")
    bounds.DECISION.check(on, "on")
    bounds.check_not_negative(amount, "amount", _l("An amount cannot be negative."))
    if stage is PipelineStage.INVESTED and not amount:
        raise DomainError(_l("Enter the amount invested."), field="amount")
    entry = db.session.scalar(sa.select(PipelineEntry).where(PipelineEntry.partner_id == partner_id,
                                                             PipelineEntry.company_id == company.id))
    before = None
    if entry is None:
        entry = PipelineEntry(partner_id=partner_id, company_id=company.id, stage=stage, stage_on=on)
        db.session.add(entry)
    else:
        expect_version(entry, version)
        before = entry.stage
    if before is not stage:
        entry.moves.append(PipelineMove(from_stage=before, to_stage=stage, moved_on=on, moved_by_id=actor.id))
        entry.stage, entry.stage_on = stage, on
    entry.notes = (notes or "").strip() or None
    entry.amount = Decimal(amount) if amount is not None else None
    entry.instrument = Instrument(instrument) if instrument else None
    db.session.flush()
    audit.record("pipeline.move", entry, label=company.name, from_state=before, to_state=stage, actor=actor,
                 details={"partner": partner_id})
    return entry


def move_stage(entry: PipelineEntry, stage, *, actor, on: date, version=None) -> PipelineEntry:
    """Move a startup already in the fund's pipeline to another stage (the board's cards), keeping its notes,
    amount and instrument: the same door as :func:`move`, so the same rules (an investment needs its amount)
    and the same history and audit."""
    amount = int(entry.amount) if entry.amount is not None else None
    return move(entry.partner_id, entry.company, actor=actor, stage=stage, on=on, notes=entry.notes, amount=amount,
                instrument=entry.instrument.value if entry.instrument else None, version=version)


def funding_raised(company_ids: list[int] | None = None) -> dict[int, Decimal]:
    """Investments recorded as made, per startup: they feed the "funding raised" indicator."""
    stmt = sa.select(PipelineEntry.company_id, sa.func.sum(PipelineEntry.amount)).where(
        PipelineEntry.stage == PipelineStage.INVESTED).group_by(PipelineEntry.company_id)
    if company_ids is not None:
        stmt = stmt.where(PipelineEntry.company_id.in_(company_ids))
    return {c: Decimal(a or 0) for c, a in db.session.execute(stmt)}
