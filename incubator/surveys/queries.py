"""What the survey's pages (and helper packages: results, exports, the report, a business's file) read.

Every function reads in the scope of the request or command (an incubator's staff meet only its surveys);
lists load what their pages show in the same query (``selectinload``)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from incubator.companies.enums import MembershipStatus
from incubator.companies.models import Company, CompanyMember
from incubator.extensions import db
from incubator.surveys.enums import ResponseStatus, SurveyStatus
from incubator.surveys.models import Survey, SurveyResponse


def survey_page(survey_id: int) -> Survey | None:
    """One survey with its questions (None when not found, or another incubator's)."""
    return db.session.scalar(sa.select(Survey).where(Survey.id == survey_id)
                             .options(selectinload(Survey.questions)))


def response_page(response_id: int) -> SurveyResponse | None:
    """One response with its survey, the survey's questions and the business."""
    return db.session.scalar(sa.select(SurveyResponse).where(SurveyResponse.id == response_id)
                             .options(selectinload(SurveyResponse.survey).selectinload(Survey.questions),
                                      selectinload(SurveyResponse.company)))


def _responses(survey: Survey, *statuses: ResponseStatus) -> list[SurveyResponse]:
    stmt = (sa.select(SurveyResponse).join(Company, Company.id == SurveyResponse.company_id)
            .where(SurveyResponse.survey_id == survey.id)
            .options(selectinload(SurveyResponse.company), selectinload(SurveyResponse.submitted_by))
            .order_by(Company.name, SurveyResponse.id))
    if statuses:
        stmt = stmt.where(SurveyResponse.status.in_(statuses))
    return list(db.session.scalars(stmt))


def invited(survey: Survey) -> list[SurveyResponse]:
    """Every business invited to the survey (whatever it has done since), by name, with its business loaded."""
    return _responses(survey)


def submitted(survey: Survey) -> list[SurveyResponse]:
    """The responses submitted (what results count), by the business's name, with the business loaded."""
    return _responses(survey, ResponseStatus.SUBMITTED)


@dataclass(frozen=True)
class Counts:
    invited: int = 0
    drafts: int = 0
    submitted: int = 0

    @property
    def rate(self) -> float | None:
        """The share of the invited businesses that submitted, 0–1 (None when none was invited)."""
        return self.submitted / self.invited if self.invited else None


def counts(survey_ids) -> dict[int, Counts]:
    """Survey id → how many businesses it invited, how many have a draft, and how many submitted."""
    ids = list(survey_ids)
    if not ids:
        return {}
    rows = db.session.execute(sa.select(SurveyResponse.survey_id, SurveyResponse.status, sa.func.count())
                              .where(SurveyResponse.survey_id.in_(ids))
                              .group_by(SurveyResponse.survey_id, SurveyResponse.status))
    found: dict[int, dict] = {}
    for survey_id, status, n in rows:
        found.setdefault(survey_id, {})[status] = n
    result = {}
    for sid in ids:
        of = found.get(sid, {})
        result[sid] = Counts(invited=sum(of.values()), drafts=of.get(ResponseStatus.DRAFT, 0),
                             submitted=of.get(ResponseStatus.SUBMITTED, 0))
    return result


def staff_list() -> list[tuple[Survey, Counts]]:
    """The incubator's surveys, latest year first, each with its counts."""
    surveys = list(db.session.scalars(sa.select(Survey).order_by(Survey.year.desc(), Survey.id.desc())))
    found = counts(s.id for s in surveys)
    return [(s, found[s.id]) for s in surveys]


def by_year(year: int) -> Survey | None:
    """The survey of ``year`` of the incubator the request or command works in."""
    return db.session.scalar(sa.select(Survey).where(Survey.year == year).options(selectinload(Survey.questions)))


def for_founder(user) -> list[SurveyResponse]:
    """The responses of the businesses the founder holds to the surveys open now or closed (never a survey
    still being prepared), latest year first: what their home and their businesses' files list."""
    held = sa.select(CompanyMember.company_id).where(CompanyMember.user_id == user.id,
                                                     CompanyMember.status == MembershipStatus.APPROVED)
    return list(db.session.scalars(
        sa.select(SurveyResponse).join(Survey, Survey.id == SurveyResponse.survey_id)
        .where(SurveyResponse.company_id.in_(held), Survey.status != SurveyStatus.DRAFT)
        .options(selectinload(SurveyResponse.survey), selectinload(SurveyResponse.company))
        .order_by(Survey.year.desc(), SurveyResponse.id)))


def to_answer(user) -> list[SurveyResponse]:
    """Of ``for_founder``, those of surveys open now and not submitted yet."""
    return [r for r in for_founder(user) if r.survey.is_open and not r.is_submitted]


def of_company(company_id: int) -> list[SurveyResponse]:
    """A business's responses to the surveys opened (latest year first), with each survey's questions loaded."""
    return list(db.session.scalars(
        sa.select(SurveyResponse).join(Survey, Survey.id == SurveyResponse.survey_id)
        .where(SurveyResponse.company_id == company_id, Survey.status != SurveyStatus.DRAFT)
        .options(selectinload(SurveyResponse.survey).selectinload(Survey.questions))
        .order_by(Survey.year.desc())))
