"""Staff judge the checklist's novelty rule ("A new product or technology"), with who and when; before this it
stayed "for staff to judge" for ever (issue 17)."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from incubator.applications import services
from incubator.applications.eligibility import Facts, RuleStatus, SectorKind, evaluate
from incubator.applications.enums import ApplicationStatus
from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.errors import DomainError
from incubator.extensions import db
from tests.helpers import nothing_written, post_form


def _facts(**kw):
    base = {"founded_on": date(2023, 1, 1), "is_it": True, "is_public_company": False,
            "sector_kind": SectorKind.SERVICES_TRADE, "employees": 10, "revenue": 10**9, "capital": None}
    return Facts(**{**base, **kw})


def _novelty(facts):
    return next(r for r in evaluate(facts, date(2025, 3, 1)) if r.code == "novelty")


def test_the_novelty_rule_follows_the_staff_judgement(app):
    with app.test_request_context():
        assert _novelty(_facts()).status is RuleStatus.STAFF
        assert _novelty(_facts(novelty=True)).status is RuleStatus.PASSED
        judged_not_new = _novelty(_facts(novelty=False))
        assert judged_not_new.status is RuleStatus.FAILED
        assert not judged_not_new.blocks_submission  # judged after submission: it never blocks it


def _submitted(make, **kw):
    return make.application(status=ApplicationStatus.SUBMITTED, reference="VU-2026-0101", is_public_company=False,
                            sector_kind=SectorKind.SERVICES_TRADE, employees=5, revenue=10**9,
                            eligibility_summary="staff", **kw)


def test_staff_record_the_judgement_with_who_when_and_why(make):
    application = _submitted(make)
    staff = make.user(Role.STAFF)
    services.judge_novelty(application, actor=staff, met=False, note="  Sản phẩm đã có trên thị trường  ")
    db.session.commit()
    assert application.novelty_met is False
    assert application.novelty_note == "Sản phẩm đã có trên thị trường"
    assert application.novelty_judged_by_id == staff.id
    assert application.novelty_judged_at is not None
    assert application.eligibility_summary == "failed"  # so it stays out of review unless judged again
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "application.novelty_not_met"))
    assert entry.actor_id == staff.id and entry.reason == "Sản phẩm đã có trên thị trường"

    services.judge_novelty(application, actor=staff, met=True)
    db.session.commit()
    assert application.novelty_met is True and application.novelty_note is None
    assert application.eligibility_summary == "passed"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action.like("application.novelty%"))) == 2


def test_not_new_needs_a_reason(make):
    application = _submitted(make)
    with pytest.raises(DomainError) as caught:
        services.judge_novelty(application, actor=make.user(Role.STAFF), met=False, note="  ")
    assert caught.value.field == "note"
    assert application.novelty_met is None


@pytest.mark.parametrize("status", [ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
def test_a_draft_or_a_withdrawn_application_is_not_judged(make, status):
    application = make.application(status=status)
    with pytest.raises(DomainError):
        services.judge_novelty(application, actor=make.user(Role.STAFF), met=True)


def test_an_application_judged_not_new_is_not_taken_into_review(make):
    from incubator.reviews.stages import reviewable_submitted

    application = _submitted(make)
    stage = make.review_stage(intake_round=application.round)
    assert application in reviewable_submitted(stage)
    services.judge_novelty(application, actor=make.user(Role.STAFF), met=False, note="Không mới")
    db.session.flush()
    assert application not in reviewable_submitted(stage)


def test_staff_judge_on_the_application_page(make, login_as):
    application = _submitted(make)
    client, _staff = login_as(Role.STAFF, full_name="Đặng Thu Hà")
    page = f"/applications/{application.id}/file"
    html = client.get(page).get_data(as_text=True)
    assert 'id="novelty"' in html and f"/applications/{application.id}/novelty" in html

    refused = post_form(client, f"/applications/{application.id}/novelty", {"met": "no", "note": ""},
                        token_from=page)
    assert refused.status_code == 400
    assert re.search(r'<input checked[^>]*value="no"', refused.get_data(as_text=True))  # what was chosen is kept

    done = post_form(client, f"/applications/{application.id}/novelty",
                     {"met": "no", "note": "Giải pháp đã phổ biến", "version": application.version_id},
                     token_from=page)
    assert done.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Đặng Thu Hà" in html and "Giải pháp đã phổ biến" in html
    db.session.expire_all()
    assert db.session.get(type(application), application.id).novelty_met is False


def test_a_founder_cannot_judge(make, login_as):
    application = _submitted(make)
    client, founder = login_as(Role.FOUNDER)
    make.member(company=application.company, user=founder)
    with nothing_written():
        response = post_form(client, f"/applications/{application.id}/novelty", {"met": "yes"})
        assert response.status_code == 403
