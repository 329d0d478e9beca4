"""Staff set up a stage (default rubric, settings, criteria); reviewers score, submit and amend until the
stage closes; staff remind the ones behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from incubator.applications.enums import ApplicationStatus
from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.mail.models import OutboxMessage
from incubator.reviews.enums import ReviewStatus
from incubator.reviews.models import Review, ReviewStage
from incubator.reviews.rubric import DEFAULT_RUBRIC
from tests.helpers import login, nothing_written, post_form


def test_staff_create_a_stage_with_the_default_rubric_and_take_the_submitted_applications_in(login_as, make, db):
    client, _ = login_as(Role.STAFF)
    intake_round = make.intake_round()
    submitted = [make.application(intake_round=intake_round, status=ApplicationStatus.SUBMITTED,
                                  reference=f"VU-2026-{i:04d}") for i in range(1, 4)]
    failed = make.application(intake_round=intake_round, status=ApplicationStatus.SUBMITTED,
                              reference="VU-2026-0009", eligibility_summary="failed")
    make.application(intake_round=intake_round)  # a draft stays out
    response = post_form(client, f"/reviews/rounds/{intake_round.id}/stages/new", {
        "name_vi": "Vòng hồ sơ", "name_en": "Dossier review", "reviewers_per_application": "3",
        "share_scores": "y", "closes_at": "2030-01-15T17:00", "spread_threshold": "25", "default_rubric": "y"})
    assert response.status_code == 302
    stage = db.session.scalar(sa.select(ReviewStage))
    assert [c.name_vi for c in stage.criteria] == [c["name_vi"] for c in DEFAULT_RUBRIC]
    assert sum(c.weight for c in stage.criteria) == 100
    assert stage.closes_at == datetime(2030, 1, 15, 10, 0, tzinfo=UTC)  # 17:00 in Hà Nội

    page = client.get(f"/reviews/stages/{stage.id}").get_data(as_text=True)
    assert "Đưa 3 hồ sơ đã nộp vào đánh giá" in page
    assert post_form(client, f"/reviews/stages/{stage.id}/take", {}).status_code == 302
    db.session.expire_all()
    assert {a.status for a in submitted} == {ApplicationStatus.UNDER_REVIEW}
    assert failed.status is ApplicationStatus.SUBMITTED


def test_stage_settings_are_checked(login_as, make):
    client, _ = login_as(Role.STAFF)
    intake_round = make.intake_round()
    with nothing_written():
        response = post_form(client, f"/reviews/rounds/{intake_round.id}/stages/new", {
            "name_vi": "Vòng", "name_en": "Stage", "reviewers_per_application": "0", "closes_at": "",
            "spread_threshold": "250"})
        assert response.status_code == 400


def test_criteria_cannot_be_added_or_rescaled_once_reviews_exist(login_as, make, db):
    client, _ = login_as(Role.STAFF)
    stage = make.review_stage()
    criterion = stage.criteria[0]
    response = post_form(client, f"/reviews/stages/{stage.id}/criteria/new", {
        "name_vi": "Tác động xã hội", "name_en": "Social impact", "weight": "10", "scale_min": "0", "scale_max": "10"})
    assert response.status_code == 302 and len(stage.criteria) == 3
    response = post_form(client, f"/reviews/criteria/{criterion.id}/edit", {
        "name_vi": "Tiêu chí", "name_en": "Criterion", "weight": "3", "scale_min": "5", "scale_max": "1"})
    assert response.status_code == 400  # the top below the bottom

    make.review(make.assignment(make.stage_entry(stage)), submitted=False, values=[1, 1, 1])
    response = post_form(client, f"/reviews/criteria/{criterion.id}/edit", {
        "name_vi": "Tiêu chí", "name_en": "Criterion", "weight": "3", "scale_min": "0", "scale_max": "10"})
    assert response.status_code == 400
    response = post_form(client, f"/reviews/criteria/{criterion.id}/edit", {
        "name_vi": "Tiêu chí đổi tên", "name_en": "Renamed", "weight": "3", "scale_min": "1", "scale_max": "5"})
    assert response.status_code == 302  # weight and wording may still change
    post_form(client, f"/reviews/criteria/{criterion.id}/remove", {})
    db.session.expire_all()
    assert len(stage.criteria) == 3 and criterion.weight == 3


def _reviewer_on(make, client_factory, **stage_kw):
    stage = make.review_stage(**stage_kw)
    reviewer = make.user(Role.REVIEWER)
    a = make.assignment(make.stage_entry(stage), reviewer)
    client = client_factory()
    login(client, reviewer)
    return client, a


def _post(client, a, values, action, **extra):
    data = {f"score_{c.id}": str(v) for c, v in zip(a.stage.criteria, values, strict=True) if v is not None}
    data.update(extra, action=action)
    return post_form(client, f"/reviews/assignments/{a.id}", data)


def test_a_draft_may_be_incomplete_a_submission_may_not(make, client_factory, db):
    client, a = _reviewer_on(make, client_factory)
    assert _post(client, a, [3, None], "draft").status_code == 302
    review = db.session.scalar(sa.select(Review))
    assert review.status is ReviewStatus.DRAFT
    response = _post(client, a, [3, None], "submit", version=str(review.version_id))
    assert response.status_code == 400
    assert "chấm điểm tất cả các tiêu chí" in response.get_data(as_text=True)
    assert _post(client, a, [3, 9], "submit", version=str(review.version_id)).status_code == 400  # off the scale
    assert _post(client, a, [3, 4], "submit", version=str(review.version_id)).status_code == 302
    db.session.expire_all()
    assert review.status is ReviewStatus.SUBMITTED


def test_a_submitted_review_changes_until_the_stage_closes_and_each_change_is_audited(make, client_factory, db):
    client, a = _reviewer_on(make, client_factory)
    _post(client, a, [3, 4], "submit")
    review = db.session.scalar(sa.select(Review))
    assert _post(client, a, [5, 4], "submit", version=str(review.version_id),
                 comment_for_applicant="Đã xem lại").status_code == 302
    change = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "review.update"))
    first = a.stage.criteria[0].id
    assert change.details["changed"][f"score_{first}"] == [3, 5]

    a.stage.closes_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    db.session.expire_all()
    response = _post(client, a, [1, 1], "submit", version=str(review.version_id))
    assert response.status_code == 400
    db.session.expire_all()
    assert sorted(s.value for s in review.scores) == [4, 5]


def test_staff_remind_only_the_reviewers_behind(login_as, make, db):
    client, _ = login_as(Role.STAFF)
    stage = make.review_stage()
    done, behind = make.user(Role.REVIEWER, locale="en"), make.user(Role.REVIEWER, locale="en")
    make.review(make.assignment(make.stage_entry(stage), done))
    make.assignment(make.stage_entry(stage), behind)
    assert post_form(client, f"/reviews/stages/{stage.id}/remind", {}).status_code == 302
    mails = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == "review_reminder")).all()
    assert [m.to_address for m in mails] == [behind.email]
    assert "1 of 1 applications still to review" in mails[0].body_text


def test_staff_edit_the_reasons_for_rejection(login_as, make, db):
    client, _ = login_as(Role.STAFF)
    assert post_form(client, "/reviews/reasons", {"label_vi": "Trùng lặp với hồ sơ khác",
                                                   "label_en": "Duplicate", "active": "y"}).status_code == 302
    from incubator.reviews.models import RejectionReason

    reason = db.session.scalar(sa.select(RejectionReason))
    assert post_form(client, f"/reviews/reasons/{reason.id}/edit", {"label_vi": "Trùng lặp",
                                                                     "label_en": "Duplicate"}).status_code == 302
    db.session.expire_all()
    assert reason.label_vi == "Trùng lặp" and not reason.active


def test_blank_names_are_refused_not_saved_empty(login_as, make, db):
    client, _ = login_as(Role.STAFF)
    with nothing_written():
        assert post_form(client, "/reviews/reasons", {"label_vi": "   ", "label_en": "x"}).status_code == 400
    reason = make.rejection_reason()
    with nothing_written():
        assert post_form(client, f"/reviews/reasons/{reason.id}/edit",
                         {"label_vi": " ", "label_en": ""}).status_code == 400
