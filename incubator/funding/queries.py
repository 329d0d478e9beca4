"""Read side of funding: a fund's pipeline and the startups open to it, as its page and its home show them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from incubator.auth.permissions import is_staff
from incubator.extensions import db
from incubator.funding.models import Consent, PipelineEntry


def _consenting(partner_id_column, company_id_column):
    """The startup lets the fund see it now (a consent granted and not withdrawn)."""
    return sa.exists().where(Consent.partner_id == partner_id_column, Consent.company_id == company_id_column,
                             Consent.withdrawn_at.is_(None))


def entries_visible_to(user) -> sa.ColumnElement[bool]:
    """The pipeline's entries ``user`` may see, as a WHERE clause: their fund's only, and only while the startup
    consents (once in the pipeline is not enough after a withdrawal); staff see every fund's."""
    if is_staff(user):
        return sa.true()
    return sa.and_(PipelineEntry.partner_id == user.partner_id,
                   _consenting(PipelineEntry.partner_id, PipelineEntry.company_id))


def pipeline_entries(user) -> sa.Select:
    """The pipeline as its page lists it: the entries ``user`` may see, the latest moved first."""
    return (sa.select(PipelineEntry).where(entries_visible_to(user)).options(joinedload(PipelineEntry.company))
            .order_by(PipelineEntry.updated_at.desc(), PipelineEntry.id.desc()))


def board(user) -> list[tuple]:
    """The pipeline as columns, one per stage in the pipeline's order: [(PipelineStage, [entries])], the
    entries ``user`` may see (one query), the latest moved first in each column."""
    from incubator.funding.enums import PipelineStage

    columns = {stage: [] for stage in PipelineStage}
    for entry in db.session.scalars(pipeline_entries(user)):
        columns[entry.stage].append(entry)
    return list(columns.items())


def movable(user, entries) -> set[int]:
    """Of ``entries``, those ``user`` may move (as funding.permissions.can_move_in_pipeline says, in one query
    for the whole board): their own fund's, while the startup consents."""
    from incubator.funding.permissions import is_fund_manager

    own = [e for e in entries if is_fund_manager(user) and e.partner_id == user.partner_id]
    if not own:
        return set()
    consenting = set(db.session.scalars(sa.select(Consent.company_id).where(
        Consent.partner_id == user.partner_id, Consent.withdrawn_at.is_(None),
        Consent.company_id.in_({e.company_id for e in own}))))
    return {e.id for e in own if e.company_id in consenting}


def open_startups(user) -> sa.Select:
    """The consents in force that ``user`` may see (their fund's; staff every fund's), the latest first."""
    stmt = (sa.select(Consent).where(Consent.withdrawn_at.is_(None))
            .options(joinedload(Consent.company), joinedload(Consent.partner))
            .order_by(Consent.granted_at.desc(), Consent.id.desc()))
    if not is_staff(user):
        stmt = stmt.where(Consent.partner_id == user.partner_id)
    return stmt


def stage_counts(user) -> dict:
    """How many of the entries ``user`` sees are at each stage: {PipelineStage: n}, one query."""
    return dict(db.session.execute(sa.select(PipelineEntry.stage, sa.func.count()).where(entries_visible_to(user))
                                   .group_by(PipelineEntry.stage)).all())
