"""The demo has the closed survey of 2025 with most businesses' answers submitted and the open survey of 2026 with a
few drafts and one submitted, the demo founder's business still to answer (issue 22); loading it again adds none."""

from __future__ import annotations

import sqlalchemy as sa

from incubator.auth.models import User
from incubator.companies.models import CompanyMember
from incubator.surveys import queries
from incubator.surveys.enums import ResponseStatus, SurveyStatus
from incubator.surveys.models import Survey, SurveyResponse


def test_the_demo_has_a_closed_survey_answered_and_an_open_one_to_answer(runner, db):
    assert runner.invoke(args=["demo", "--no-upgrade"]).exit_code == 0
    past, current = db.session.scalars(sa.select(Survey).order_by(Survey.year)
                                       .execution_options(all_incubators=True)).all()
    assert (past.year, past.status, current.year, current.status) == (2025, SurveyStatus.CLOSED, 2026,
                                                                      SurveyStatus.OPEN)
    counts = queries.counts([past.id, current.id])
    assert counts[past.id].rate > 0.7 and counts[past.id].submitted > 10
    assert counts[current.id].submitted == 1 and counts[current.id].drafts >= 2
    total = next(str(q.id) for q in past.questions if q.key == "revenue_total")
    software = next(str(q.id) for q in past.questions if q.key == "revenue_software")
    for response in queries.submitted(past):
        assert 10**9 <= response.answers[total] <= 10**11 and response.answers[software] <= response.answers[total]
    founder = db.session.scalar(sa.select(User).where(User.email.like("sanglap@%")))
    held = set(db.session.scalars(sa.select(CompanyMember.company_id).where(CompanyMember.user_id == founder.id)))
    theirs = [r for r in queries.to_answer(founder) if r.company_id in held]
    assert theirs and theirs[0].survey_id == current.id and theirs[0].status is ResponseStatus.INVITED
    assert runner.invoke(args=["demo", "--no-upgrade"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count(SurveyResponse.id))
                             .execution_options(all_incubators=True)) == counts[past.id].invited + \
        counts[current.id].invited
