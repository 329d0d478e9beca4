"""The yearly survey's services (issue 22): creating it with the default questions, editing them while it is a
draft, opening it (who is invited: a residency in the incubator on any day of the year, not before nor after),
the founders' drafts and single submission by the deadline, staff reopening, closing, and the reminders."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from incubator.applications.enums import QuestionKind
from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.companies.enums import ResidencyKind
from incubator.errors import Conflict, DomainError
from incubator.mail.models import OutboxMessage
from incubator.organisation import services as organisation
from incubator.organisation.current import use_incubator
from incubator.surveys import queries, services
from incubator.surveys.enums import ResponseStatus, SurveyStatus
from incubator.surveys.models import SurveyResponse
from tests.surveys.conftest import YEAR, answers_for, new_survey

OPEN_DAY = date(YEAR, 12, 1)


def _open(world, db, **kw):
    survey = new_survey(world["staff"], **kw)
    services.open_survey(survey, actor=world["staff"], today=OPEN_DAY)
    db.session.commit()
    return survey


def _response(survey, company) -> SurveyResponse:
    return next(r for r in survey.responses if r.company_id == company.id)


def test_a_new_survey_has_the_default_questions_in_both_languages(world, db):
    survey = new_survey(world["staff"])
    db.session.commit()
    assert survey.status is SurveyStatus.DRAFT
    assert [q.key for q in survey.questions] == list(services.DEFAULT_KEYS)
    assert services.DEFAULT_KEYS[:5] == ("revenue_total", "revenue_software", "revenue_digital_content",
                                         "revenue_it_services", "revenue_exports")
    by_key = {q.key: q for q in survey.questions}
    assert by_key["revenue_total"].kind is QuestionKind.MONEY and str(YEAR) in by_key["revenue_total"].label_vi
    assert [c["value"] for c in by_key["product_pillars"].choices] == ["government", "economy", "society"]
    assert all(q.label_vi and q.label_en and q.label_vi != q.label_en for q in survey.questions)
    with pytest.raises(DomainError):  # one survey a year
        new_survey(world["staff"])


def test_another_incubator_may_survey_the_same_year(world, db):
    new_survey(world["staff"])
    hl = organisation.create("HL", "Vườn ươm Hòa Lạc", "Hòa Lạc incubator")
    db.session.commit()
    with use_incubator(hl):
        other = new_survey(world["staff"])
        assert other.incubator_id == hl.id


def test_questions_are_edited_while_a_draft_only(world, db):
    survey = new_survey(world["staff"])
    staff = world["staff"]
    added = services.add_question(survey, actor=staff, kind=QuestionKind.TEXT, label_vi="Trang web của sản phẩm",
                                  label_en="The product's website")
    assert survey.questions[-1] is added
    services.move_question(added, actor=staff, up=True)
    db.session.refresh(survey)
    assert survey.questions[-2].id == added.id
    pillars = next(q for q in survey.questions if q.key == "product_pillars")
    services.update_question(pillars, actor=staff, choices=[
        {"value": "c1", "label_vi": "Chính quyền số", "label_en": "Digital government"},
        {"value": "c2", "label_vi": "Kinh tế số", "label_en": "Digital economy"},
        {"value": "c3", "label_vi": "Xã hội số", "label_en": "Digital society"},
        {"value": "c4", "label_vi": "Khác", "label_en": "Other"}])
    assert [c["value"] for c in pillars.choices] == ["government", "economy", "society", "c4"]  # kept
    with pytest.raises(DomainError):
        services.update_question(pillars, actor=staff, kind=QuestionKind.TEXT)
    with pytest.raises(DomainError):  # a default question is hidden, not removed
        services.remove_question(pillars, actor=staff)
    services.update_question(pillars, actor=staff, hidden=True)
    services.remove_question(added, actor=staff)
    db.session.commit()
    assert added.id not in {q.id for q in survey.questions}
    services.open_survey(survey, actor=staff, today=OPEN_DAY)
    with pytest.raises(DomainError):
        services.update_question(survey.questions[0], actor=staff, label_vi="Khác")
    with pytest.raises(DomainError):
        services.add_question(survey, actor=staff, kind=QuestionKind.TEXT, label_vi="Mới", label_en="New")


def test_opening_invites_the_businesses_with_a_residency_during_the_year(world, db):
    survey = _open(world, db)
    invited = {r.company_id: r for r in queries.invited(survey)}
    assert set(invited) == {world[k].id for k in ("inside", "first_day", "last_day", "changed")}
    assert invited[world["last_day"].id].residency_kind is ResidencyKind.SERVICE_TENANT
    assert invited[world["changed"].id].residency_kind is ResidencyKind.ALUMNUS  # its latest of the year
    assert all(r.status is ResponseStatus.INVITED for r in invited.values())
    mails = list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == "survey_invitation")))
    assert [m.to_address for m in mails] == [world["founder"].email]  # the only business with a founder
    assert str(YEAR) in mails[0].subject and f"/surveys/responses/{invited[world['inside'].id].id}/answer" in \
        mails[0].body_text
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "survey.open")).details == {"invited": 4}
    with pytest.raises(DomainError):
        services.open_survey(survey, actor=world["staff"], today=OPEN_DAY)


def test_another_incubators_residencies_are_not_invited(world, db, make):
    hl = organisation.create("HL", "Vườn ươm Hòa Lạc", "Hòa Lạc incubator")
    db.session.commit()
    with use_incubator(hl):
        elsewhere = make.company(name="Công ty TNHH Ở Hòa Lạc")
        make.residency(elsewhere, starts_on=date(YEAR, 2, 1))
    with use_incubator(world["inside"].residencies[0].incubator_id):
        survey = _open(world, db)
    assert elsewhere.id not in {r.company_id for r in survey.responses}


def test_a_business_given_a_residency_later_is_invited_once(world, db, make):
    survey = _open(world, db)
    late = make.company(name="Công ty TNHH Vào Muộn")
    make.residency(late, starts_on=date(YEAR, 12, 10))
    assert services.not_invited_yet(survey) == [late.id]
    added = services.invite_added_since(survey, actor=world["staff"])
    assert [r.company_id for r in added] == [late.id]
    assert services.invite_added_since(survey, actor=world["staff"]) == []
    assert services.not_invited_yet(survey) == []


def test_a_founder_saves_drafts_and_submits_once(world, db):
    survey = _open(world, db)
    response = _response(survey, world["inside"])
    founder = world["founder"]
    services.save_draft(response, answers=answers_for(survey, revenue_total=1_250_000_000), actor=founder,
                        version=response.version_id, today=date(YEAR, 12, 5))
    assert response.status is ResponseStatus.DRAFT
    with pytest.raises(DomainError) as refused:  # required questions unanswered
        services.submit(response, actor=founder, today=date(YEAR, 12, 5))
    assert "lao động" in str(refused.value.message)
    with pytest.raises(Conflict):  # a version read before the last save
        services.save_draft(response, answers={}, actor=founder, version=response.version_id - 1,
                            today=date(YEAR, 12, 5))
    with pytest.raises(DomainError):
        services.save_draft(response, answers=answers_for(survey, revenue_total=-1), actor=founder,
                            today=date(YEAR, 12, 5))
    with pytest.raises(DomainError):
        services.save_draft(response, answers=answers_for(survey, employees_total=-3), actor=founder,
                            today=date(YEAR, 12, 5))
    services.save_draft(response, answers=answers_for(survey, employees_total=25, employees_it=20), actor=founder,
                        version=response.version_id, today=date(YEAR, 12, 5))
    services.submit(response, actor=founder, today=date(YEAR, 12, 6))
    db.session.commit()
    assert response.status is ResponseStatus.SUBMITTED and response.submitted_by_id == founder.id
    assert response.answers[answers_for(survey, revenue_total=0).popitem()[0]] == 1_250_000_000  # kept from the 1st
    assert queries.submitted(survey) == [response]
    services.submit(response, actor=founder, today=date(YEAR, 12, 6))  # sent twice: nothing changes
    with pytest.raises(DomainError):  # read-only after submission
        services.save_draft(response, answers={}, actor=founder, today=date(YEAR, 12, 7))
    actions = list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_type == "survey_responses")))
    assert actions == ["survey.response_draft", "survey.response_submit"]


def test_no_answer_after_the_deadline(world, db):
    survey = _open(world, db)
    response = _response(survey, world["inside"])
    full = answers_for(survey, revenue_total=1, employees_total=2, employees_it=1)
    services.save_draft(response, answers=full, actor=world["founder"], today=survey.deadline)  # its last day
    with pytest.raises(DomainError) as refused:
        services.submit(response, actor=world["founder"], today=date(YEAR + 1, 2, 1))
    assert "31/01/2027" in str(refused.value.message)
    with pytest.raises(DomainError):
        services.save_draft(response, answers=full, actor=world["founder"], today=date(YEAR + 1, 2, 1))
    services.submit(response, actor=world["founder"], today=survey.deadline)
    assert response.is_submitted


def test_staff_reopen_a_submitted_response_with_a_reason(world, db):
    survey = _open(world, db)
    response = _response(survey, world["inside"])
    with pytest.raises(DomainError):  # not submitted
        services.reopen(response, actor=world["staff"], reason="Sửa số liệu")
    services.save_draft(response, answers=answers_for(survey, revenue_total=1, employees_total=2, employees_it=1),
                        actor=world["founder"], today=date(YEAR, 12, 5))
    services.submit(response, actor=world["founder"], today=date(YEAR, 12, 5))
    with pytest.raises(DomainError):
        services.reopen(response, actor=world["staff"], reason="  ")
    services.reopen(response, actor=world["staff"], reason="Doanh thu ghi nhầm đơn vị")
    assert response.status is ResponseStatus.DRAFT and response.submitted_at is None
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "survey.response_reopen"))
    assert entry.reason == "Doanh thu ghi nhầm đơn vị"
    services.submit(response, actor=world["founder"], today=date(YEAR, 12, 8))
    services.close_survey(survey, actor=world["staff"])
    with pytest.raises(DomainError):
        services.reopen(response, actor=world["staff"], reason="Quá muộn")


def test_a_closed_survey_takes_no_answer(world, db):
    survey = _open(world, db)
    services.close_survey(survey, actor=world["staff"])
    with pytest.raises(DomainError):
        services.save_draft(_response(survey, world["inside"]), answers={}, actor=world["founder"],
                            today=date(YEAR, 12, 5))
    with pytest.raises(DomainError):
        services.close_survey(survey, actor=world["staff"])


def test_reminders_seven_days_and_one_day_before_the_deadline_each_once(world, db, make):
    co_founder = make.user(Role.FOUNDER, email="binh@songhong.example")
    make.member(company=world["inside"], user=co_founder)
    survey = _open(world, db)  # deadline 31/01/2027
    deadline = survey.deadline
    response = _response(survey, world["inside"])

    def reminders():
        return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.purpose == "survey_reminder"))

    assert services.send_reminders(date(YEAR + 1, 1, 23)) == (0, 0, [], 0)  # 8 days before
    # 7 days: the one business with founders (2 e-mails); the 3 others have no founder to write to.
    assert services.send_reminders(date(YEAR + 1, 1, 24)) == (1, 2, [], 3)
    assert response.last_reminded_on == date(YEAR + 1, 1, 24) and reminders() == 2
    assert services.send_reminders(date(YEAR + 1, 1, 24)) == (0, 0, [], 0)  # run again the same day
    assert services.send_reminders(date(YEAR + 1, 1, 27)) == (0, 0, [], 0)
    # The co-founder's business submits; the 1-day reminder goes to those that have not.
    services.save_draft(response, answers=answers_for(survey, revenue_total=1, employees_total=2, employees_it=1),
                        actor=co_founder, today=date(YEAR + 1, 1, 28))
    services.submit(response, actor=co_founder, today=date(YEAR + 1, 1, 28))
    # The day before was missed: made up, once; the 3 left have no founder to write to, none counts as reminded.
    assert services.send_reminders(deadline) == (0, 0, [], 3)
    assert services.send_reminders(deadline) == (0, 0, [], 0)
    assert reminders() == 2
    db.session.commit()
    done = services.send_reminders(date(YEAR + 1, 2, 1))
    assert (done.reminded, done.queued, [s.id for s in done.closed], done.no_founder) == (0, 0, [survey.id], 0)
    assert survey.is_closed


def test_the_reminder_reads_the_days_left(world, db):
    survey = _open(world, db)
    services.send_reminders(survey.deadline - __import__("datetime").timedelta(days=1))
    body = db.session.scalar(sa.select(OutboxMessage.body_text).where(OutboxMessage.purpose == "survey_reminder"))
    assert "31/01/2027" in body and world["inside"].name in body
