"""Decisions: one at a time or in bulk, each with its reason, e-mail and audit entry, never twice."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from incubator.applications.enums import ApplicationStatus
from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.errors import DomainError
from incubator.mail.models import OutboxMessage
from incubator.reviews import decisions, scoring
from incubator.reviews.enums import Decision
from incubator.reviews.models import StageEntry


def _entries(make, stage, n, locales=("vi", "en")):
    entries = []
    for i in range(n):
        founder = make.user(locale=locales[i % len(locales)])
        application = make.application(intake_round=stage.round, created_by=founder,
                                       status=ApplicationStatus.UNDER_REVIEW, reference=f"VU-2026-{i + 1:04d}")
        make.member(company=application.company, user=founder)
        entries.append(make.stage_entry(stage, application))
    return entries


def test_a_decision_goes_to_the_business_s_founders_at_the_time_not_to_whoever_started_the_file(make, db):
    from incubator.companies.enums import MembershipStatus

    staff = make.user(Role.STAFF)
    stage = make.review_stage()
    starter = make.user(email="nguoi-lap-ho-so@vuonuom.example")
    application = make.application(intake_round=stage.round, created_by=starter,
                                   status=ApplicationStatus.UNDER_REVIEW, reference="VU-2026-0100")
    left = make.member(company=application.company, user=starter)
    left.status = MembershipStatus.REJECTED  # the one who started it no longer holds the file
    now_holding = [make.member(company=application.company, user=make.user(locale=locale)).user
                   for locale in ("vi", "en")]
    make.member(company=application.company, user=make.user(email="dang-cho@vuonuom.example"),
                status=MembershipStatus.PENDING)
    # Approved once, but no longer a founder (now an official), or an address never confirmed: the rules would
    # not let them open the application, so the mail does not go to them either.
    make.member(company=application.company, user=make.user(Role.OFFICIAL, email="nay-la-can-bo-so@vuonuom.example"))
    make.member(company=application.company, user=make.user(email="chua-xac-nhan@vuonuom.example",
                                                            email_verified_at=None))
    db.session.commit()
    decisions.decide_many([make.stage_entry(stage, application)], Decision.ACCEPT, actor=staff)
    db.session.commit()
    mails = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == "review_decision")).all()
    assert sorted(m.to_address for m in mails) == sorted(u.email for u in now_holding)
    subjects = {m.to_address: m.subject for m in mails}
    assert subjects[now_holding[1].email].startswith("Your application VU-2026-0100")  # each in their language


def test_bulk_rejection_of_50_sends_50_emails_in_each_language_audits_50_and_never_twice(make, db):
    staff = make.user(Role.STAFF)
    stage = make.review_stage()
    entries = _entries(make, stage, 50)
    reason = make.rejection_reason(label_vi="Thị trường chưa rõ ràng", label_en="The market is unclear")
    # One reviewer's comment for the first applicant is released with the decision.
    make.review(make.assignment(entries[0]), comment_for_applicant="Cần làm rõ khách hàng mục tiêu.")

    decided, skipped = decisions.decide_many(entries, Decision.REJECT, actor=staff, reason=reason,
                                             reason_text="Đợt này ưu tiên sản phẩm cho chính quyền số.")
    db.session.commit()
    assert (len(decided), len(skipped)) == (50, 0)
    mails = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == "review_decision")
                               .order_by(OutboxMessage.id)).all()
    assert len(mails) == 50
    by_address = {m.to_address: m for m in mails}
    for entry in entries:
        founder = entry.application.created_by
        mail = by_address[founder.email]
        assert entry.application.reference in mail.subject
        if founder.locale == "en":
            assert "The market is unclear" in mail.body_text and "has not been accepted" in mail.body_text
            assert mail.subject.startswith("The decision on your application")
        else:
            assert "Thị trường chưa rõ ràng" in mail.body_text and "chưa được chấp nhận" in mail.body_text
            assert mail.subject.startswith("Quyết định về hồ sơ")
    assert "Cần làm rõ khách hàng mục tiêu." in by_address[entries[0].application.created_by.email].body_text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "review.decision")) == 50
    assert {e.application.status for e in entries} == {ApplicationStatus.REJECTED}

    # The second click: nothing more is sent or written.
    again = db.session.scalars(sa.select(StageEntry).order_by(StageEntry.id)).all()
    decided, skipped = decisions.decide_many(again, Decision.REJECT, actor=staff, reason=reason)
    db.session.commit()
    assert (len(decided), len(skipped)) == (0, 50)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 50
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "review.decision")) == 50


def test_a_rejection_needs_a_reason(make, db):
    entry = _entries(make, make.review_stage(), 1)[0]
    with pytest.raises(DomainError):
        decisions.decide(entry, Decision.REJECT, actor=make.user(Role.STAFF))


def test_advance_moves_the_application_to_the_next_stage_and_keeps_it_under_review(make, db):
    staff = make.user(Role.STAFF)
    first = make.review_stage()
    entry = _entries(make, first, 1)[0]
    with pytest.raises(DomainError):
        decisions.decide(entry, Decision.ADVANCE, actor=staff)  # no next stage yet
    second = make.review_stage(intake_round=first.round, position=2)
    decisions.decide(entry, Decision.ADVANCE, actor=staff)
    db.session.commit()
    assert entry.application.status is ApplicationStatus.UNDER_REVIEW
    assert db.session.scalar(sa.select(StageEntry).where(StageEntry.stage_id == second.id)).application_id \
        == entry.application_id


def test_waitlisted_then_accepted(make, db):
    staff = make.user(Role.STAFF)
    entry = _entries(make, make.review_stage(), 1)[0]
    decisions.decide(entry, Decision.WAITLIST, actor=staff)
    decisions.decide(entry, Decision.ACCEPT, actor=staff)
    db.session.commit()
    assert entry.application.status is ApplicationStatus.ACCEPTED and entry.decision is Decision.ACCEPT
    with pytest.raises(DomainError):
        decisions.decide(entry, Decision.REJECT, actor=staff, reason_text="Đổi ý")


def test_bulk_decision_through_the_ranking_page_and_the_second_click(login_as, make, db):
    from tests.helpers import post_form

    client, _ = login_as(Role.STAFF)
    stage = make.review_stage()
    entries = _entries(make, stage, 4)
    reason = make.rejection_reason()
    form = {"entries": [str(e.id) for e in entries[:3]], "decision": "reject", "reason": str(reason.id),
            "reason_text": ""}
    first = post_form(client, f"/reviews/stages/{stage.id}/decisions", form)
    assert first.status_code == 302
    second = post_form(client, f"/reviews/stages/{stage.id}/decisions", form)
    assert second.status_code == 302
    page = client.get(f"/reviews/stages/{stage.id}/ranking").get_data(as_text=True)
    assert "3 hồ sơ đã có quyết định (hoặc đã rút) từ trước nên được giữ nguyên." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 3
    db.session.expire_all()
    assert entries[3].application.status is ApplicationStatus.UNDER_REVIEW


def test_accepting_admits_the_startup_to_the_rounds_cohort_with_its_residency(make, db):
    from datetime import date

    from incubator.cohorts import services as cohorts
    from incubator.cohorts.models import CohortMember
    from incubator.companies.enums import ResidencyKind

    staff = make.user(Role.STAFF)
    stage = make.review_stage()
    cohort = cohorts.create_cohort(actor=staff, name="Khóa ươm tạo 2026", starts_on=date(2026, 3, 1),
                                   ends_on=date(2026, 12, 31), round_id=stage.round_id)
    accepted, waitlisted = _entries(make, stage, 2)
    decisions.decide(accepted, Decision.ACCEPT, actor=staff)
    decisions.decide(waitlisted, Decision.WAITLIST, actor=staff)
    db.session.commit()
    members = db.session.scalars(sa.select(CohortMember)).all()
    assert [(m.cohort_id, m.company_id) for m in members] == [(cohort.id, accepted.application.company_id)]
    assert members[0].residency.kind is ResidencyKind.INCUBATED
    assert members[0].residency.starts_on == date(2026, 3, 1)


def test_accepting_a_business_that_is_not_it_is_refused_with_the_reason_as_admitting_it_by_hand(login_as, make,
                                                                                                  db):
    """The IT-only rule of admission is admit's own: the review's door meets it as the cohort's page does."""
    from datetime import date

    from incubator.cohorts import services as cohorts
    from incubator.cohorts.models import CohortMember
    from tests.helpers import post_form

    client, staff = login_as(Role.STAFF)
    stage = make.review_stage()
    cohorts.create_cohort(actor=staff, name="Khóa ươm tạo 2026", starts_on=date(2026, 3, 1),
                          ends_on=date(2026, 12, 31), round_id=stage.round_id)
    (entry,) = _entries(make, stage, 1)
    entry.application.company.is_it = False
    db.session.commit()
    with pytest.raises(DomainError, match="không phải là doanh nghiệp CNTT"):
        decisions.decide(entry, Decision.ACCEPT, actor=staff)
    db.session.rollback()
    url = f"/reviews/entries/{entry.id}/decide"
    response = post_form(client, url, {"decision": "accept", "version": str(entry.version_id)}, token_from=url)
    assert response.status_code == 400 and "không phải là doanh nghiệp CNTT" in response.get_data(as_text=True)
    db.session.expire_all()
    assert entry.decision is None and entry.application.status is ApplicationStatus.UNDER_REVIEW
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CohortMember)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0  # nobody told of it


def test_a_withdrawn_application_in_a_bulk_decision_is_skipped_and_the_others_are_decided(login_as, make, db):
    from tests.helpers import post_form

    client, _ = login_as(Role.STAFF)
    stage = make.review_stage()
    entries = _entries(make, stage, 6)
    entries[3].application.status = ApplicationStatus.WITHDRAWN
    db.session.commit()
    response = post_form(client, f"/reviews/stages/{stage.id}/decisions", {
        "entries": [str(e.id) for e in entries], "decision": "waitlist", "reason": "", "reason_text": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert [e.decision for e in entries] == [Decision.WAITLIST] * 3 + [None] + [Decision.WAITLIST] * 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 5
    page = client.get(f"/reviews/stages/{stage.id}/ranking").get_data(as_text=True)
    assert f'value="{entries[3].id}"' not in page  # no box to tick for it


def test_the_decision_page_of_a_withdrawn_application_offers_no_decision_and_says_why(login_as, make, db):
    client, _ = login_as(Role.STAFF)
    entry = _entries(make, make.review_stage(), 1)[0]
    entry.application.status = ApplicationStatus.WITHDRAWN
    db.session.commit()
    page = client.get(f"/reviews/entries/{entry.id}/decide").get_data(as_text=True)
    assert 'name="decision"' not in page and "Hồ sơ đã được rút." in page


def test_a_decision_must_be_chosen(login_as, make, db):
    from tests.helpers import post_form

    client, _ = login_as(Role.STAFF)
    entry = _entries(make, make.review_stage(), 1)[0]
    response = post_form(client, f"/reviews/entries/{entry.id}/decide", {"decision": "", "reason": ""})
    assert response.status_code == 400
    db.session.expire_all()
    assert entry.decision is None


def test_reviews_close_with_the_decision_and_the_released_comments_stay_those_sent(make, db):
    from datetime import UTC, datetime, timedelta

    from incubator.reviews.queries import released_comments

    staff = make.user(Role.STAFF)
    entry = _entries(make, make.review_stage(), 1)[0]
    sent = make.review(make.assignment(entry), comment_for_applicant="Nhận xét đã gửi")
    late = make.assignment(entry)
    decisions.decide(entry, Decision.REJECT, actor=staff, reason_text="Chưa phù hợp")
    db.session.commit()
    with pytest.raises(DomainError):
        scoring.save_review(late, actor=late.reviewer, scores={c.id: (3, None) for c in entry.stage.criteria},
                            comment_for_applicant="Nhận xét viết sau", private_note=None, submit=True,
                            now=datetime.now(UTC))
    # Even a review stamped after the decision (written around the rule) is not released.
    make.review(late, comment_for_applicant="Nhận xét viết sau", submitted_at=datetime.now(UTC) + timedelta(hours=1))
    assert released_comments(entry) == ["Nhận xét đã gửi"]
    assert sent.id
