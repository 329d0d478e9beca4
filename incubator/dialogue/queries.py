"""Reading dialogue conferences: a conference with everything its pages show (explicit eager loading), the
staff's list, a founder's invitations, the published ones."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from incubator.dialogue.models import AgendaItem, DialogueConference, DialogueQuestion, Registration
from incubator.extensions import db
from incubator.requests.models import BusinessRequest


def _page_options():
    request = selectinload(DialogueConference.items).selectinload(AgendaItem.request)
    return (
        selectinload(DialogueConference.bodies),
        selectinload(DialogueConference.incubator),
        request.selectinload(BusinessRequest.company),
        request.selectinload(BusinessRequest.category),
        request.selectinload(BusinessRequest.body),
        request.selectinload(BusinessRequest.answer),
        selectinload(DialogueConference.items).selectinload(AgendaItem.answered_by_body),
        selectinload(DialogueConference.registrations).selectinload(Registration.user),
        selectinload(DialogueConference.registrations).selectinload(Registration.company),
        selectinload(DialogueConference.questions).selectinload(DialogueQuestion.body),
        selectinload(DialogueConference.questions).selectinload(DialogueQuestion.request),
    )


def conference_page(conference_id: int) -> DialogueConference | None:
    return db.session.scalar(sa.select(DialogueConference).where(DialogueConference.id == conference_id)
                             .options(*_page_options()))


def staff_list() -> list[DialogueConference]:
    return list(db.session.scalars(sa.select(DialogueConference)
                                   .options(selectinload(DialogueConference.items))
                                   .order_by(DialogueConference.starts_at.desc(), DialogueConference.id.desc())))


def invitations_of(user) -> list[DialogueConference]:
    """The conferences a founder is invited to, by name or through a business they hold, newest first."""
    from incubator.companies.enums import MembershipStatus
    from incubator.companies.models import CompanyMember

    held = sa.select(CompanyMember.company_id).where(CompanyMember.user_id == user.id,
                                                     CompanyMember.status == MembershipStatus.APPROVED)
    invited = sa.select(Registration.conference_id).where(
        sa.or_(Registration.user_id == user.id, Registration.company_id.in_(held)))
    return list(db.session.scalars(
        sa.select(DialogueConference).where(DialogueConference.id.in_(invited))
        .options(selectinload(DialogueConference.registrations), selectinload(DialogueConference.bodies))
        .order_by(DialogueConference.starts_at.desc(), DialogueConference.id.desc())
        .execution_options(all_incubators=True)))


def published(limit: int | None = None) -> list[DialogueConference]:
    query = (sa.select(DialogueConference).where(DialogueConference.published_at.is_not(None))
             .options(selectinload(DialogueConference.incubator))
             .order_by(DialogueConference.starts_at.desc(), DialogueConference.id.desc()))
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query.execution_options(all_incubators=True)))


def published_page(conference_id: int) -> DialogueConference | None:
    return db.session.scalar(sa.select(DialogueConference)
                             .where(DialogueConference.id == conference_id,
                                    DialogueConference.published_at.is_not(None))
                             .options(*_page_options()).execution_options(all_incubators=True))


def floor_businesses(conference: DialogueConference) -> list:
    """The businesses a question from the floor may be filed for: those registered or invited to the
    conference first, then every other verified business these staff see (the service keeps to those that may
    file in the conference's incubator)."""
    from incubator.companies.models import Company
    from incubator.companies.queries import visible_companies

    present = {r.company_id for r in conference.registrations if r.company_id is not None}
    rows = list(db.session.scalars(sa.select(Company).where(Company.verified_at.is_not(None), visible_companies())
                                   .order_by(Company.name)))
    return [c for c in rows if c.id in present] + [c for c in rows if c.id not in present]
