"""Staff's lists of applications: filters, search without diacritics, sorting, counts; a fixed number of
queries whatever the number of applications."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from incubator.applications.enums import COUNTED_AS_SUBMITTED, ApplicationStatus
from incubator.applications.models import Application
from incubator.companies.models import Company
from incubator.text import fold

SORTS = {
    "submitted": (Application.submitted_at.desc().nulls_last(), Application.id.desc()),
    "company": (Company.name_sort, Application.id),
    "reference": (Application.reference.nulls_last(), Application.id),
}


def round_list(round_id: int, *, status: str | None = None, eligibility: str | None = None,
               is_it: str | None = None, q: str | None = None, sort: str | None = None):
    stmt = (sa.select(Application).join(Company, Company.id == Application.company_id)
            .where(Application.round_id == round_id)
            .options(contains_eager(Application.company), selectinload(Application.documents)))
    if status in {s.value for s in ApplicationStatus}:
        stmt = stmt.where(Application.status == ApplicationStatus(status))
    if eligibility in ("passed", "failed", "staff"):
        stmt = stmt.where(Application.eligibility_summary == eligibility)
    if is_it in ("yes", "no"):
        stmt = stmt.where(Company.is_it.is_(is_it == "yes"))
    if q:
        stmt = stmt.where(sa.or_(Company.name_folded.contains(fold(q), autoescape=True),
                                 Company.tax_code.startswith(q.strip(), autoescape=True),
                                 Application.reference.contains(q.strip().upper(), autoescape=True)))
    return stmt.order_by(*SORTS.get(sort or "submitted", SORTS["submitted"]))


def counted_as_submitted():
    """The one rule of every count of submitted applications (rounds, a round's page, the stages, the reports):
    sent and not withdrawn since."""
    return Application.status.in_(COUNTED_AS_SUBMITTED)


def submitted_by_round() -> dict[int, int]:
    """Submitted applications (withdrawn ones left out) by round id, in one query."""
    from incubator.extensions import db

    return dict(db.session.execute(sa.select(Application.round_id, sa.func.count()).where(counted_as_submitted())
                                   .group_by(Application.round_id)).all())


def submitted_total(counts_by_status: dict) -> int:
    """Submitted applications among counts by status (withdrawn ones left out)."""
    return sum(n for status, n in counts_by_status.items() if status in COUNTED_AS_SUBMITTED)


def counts_by_status(round_id: int, db) -> dict:
    return counts_by_status_of([round_id]).get(round_id, {})


def counts_by_status_of(round_ids) -> dict[int, dict]:
    """Applications by status of each of these rounds (its page's counts), in one query whatever their number."""
    from incubator.extensions import db

    found: dict[int, dict] = {round_id: {} for round_id in round_ids}
    if not found:
        return found
    for round_id, status, count in db.session.execute(
            sa.select(Application.round_id, Application.status, sa.func.count())
            .where(Application.round_id.in_(list(found))).group_by(Application.round_id, Application.status)):
        found[round_id][status] = count
    return found


# Rounds opening within this many days are announced on the public pages.
SOON_DAYS = 60


def public_rounds(now) -> tuple[list, list]:
    """What anyone may see of the intake rounds: (those open now, those opening in the next SOON_DAYS days),
    each by its closing or opening time, with their documents. One query."""
    from datetime import timedelta

    from incubator.applications.models import IntakeRound
    from incubator.extensions import db

    rounds = list(db.session.scalars(
        sa.select(IntakeRound).where(IntakeRound.closes_at > now,
                                     IntakeRound.opens_at <= now + timedelta(days=SOON_DAYS))
        .options(selectinload(IntakeRound.documents)).order_by(IntakeRound.closes_at, IntakeRound.id)))
    return ([r for r in rounds if r.is_open(now)],
            sorted((r for r in rounds if not r.is_open(now)), key=lambda r: (r.opens_at, r.id)))
