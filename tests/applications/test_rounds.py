"""Intake rounds kept by staff: times in Hà Nội, eligibility parameters, questions, documents, copies."""

from datetime import UTC, datetime, timedelta

import pytest

from incubator.applications.enums import QuestionKind
from incubator.applications.models import IntakeRound, RoundQuestion
from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from tests.helpers import post_form

ROUND = {"name_vi": "Đợt tuyển chọn 2026", "name_en": "2026 intake", "opens_at": "2026-03-01T08:00",
         "closes_at": "2026-03-31T17:00", "max_years": "5", "services_employees": "100", "services_revenue": "300",
         "services_capital": "100", "other_employees": "200", "other_revenue": "200", "other_capital": "100",
         "company_age_enabled": "y", "not_public_enabled": "y", "sme_size_enabled": "y", "it_business_enabled": "y",
         "novelty_enabled": "y"}


@pytest.fixture
def staff(login_as):
    client, _ = login_as(Role.STAFF)
    return client


def test_staff_create_a_round_in_hanoi_time_with_its_eligibility_parameters(staff, db):
    response = post_form(staff, "/rounds/new", {**ROUND, "max_years": "6", "it_business_enabled": ""},
                         token_from="/rounds/new")
    assert response.status_code == 302
    intake_round = db.session.query(IntakeRound).one()
    assert intake_round.opens_at == datetime(2026, 3, 1, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội is 01:00 UTC
    assert intake_round.eligibility["company_age"]["max_years"] == 6
    assert intake_round.eligibility["it_business"]["enabled"] is False
    assert intake_round.eligibility["sme_size"]["services_trade"]["revenue"] == 300_000_000_000
    edit = staff.get(f"/rounds/{intake_round.id}/edit").get_data(as_text=True)
    assert 'value="08:00 01/03/2026"' in edit  # shown back in Hà Nội time, as the pages print it


def test_a_round_must_close_after_it_opens(staff, db):
    response = post_form(staff, "/rounds/new", {**ROUND, "closes_at": "2026-02-01T08:00"}, token_from="/rounds/new")
    assert response.status_code == 400
    assert db.session.query(IntakeRound).count() == 0


def test_questions_and_documents_are_added_and_choices_need_two(staff, make, db):
    intake_round = make.intake_round()
    url = f"/rounds/{intake_round.id}/questions"
    setup = f"/rounds/{intake_round.id}/setup"
    bad = post_form(staff, url, {"kind": "single_choice", "label_vi": "Lĩnh vực", "label_en": "Field",
                                 "choices": "Chỉ một | Only one"}, token_from=setup)
    assert bad.status_code == 400
    ok = post_form(staff, url, {"kind": "single_choice", "label_vi": "Lĩnh vực", "label_en": "Field",
                                "choices": "Chính quyền số | Digital government\nKinh tế số | Digital economy"},
                   token_from=setup)
    assert ok.status_code == 302
    question = db.session.query(RoundQuestion).one()
    assert [c["label_en"] for c in question.choices] == ["Digital government", "Digital economy"]
    assert post_form(staff, f"/rounds/{intake_round.id}/documents", {"name_vi": "Kế hoạch kinh doanh",
                                                                     "name_en": "Business plan", "required": "y"},
                     token_from=setup).status_code == 302
    assert "Kế hoạch kinh doanh" in staff.get(setup).get_data(as_text=True)


def test_a_question_cannot_be_removed_once_applications_exist_but_can_be_hidden(staff, make, db):
    intake_round = make.intake_round()
    question = make._save(RoundQuestion(round=intake_round, kind=QuestionKind.TEXT, label_vi="Tên sản phẩm",
                                        label_en="Product name"))
    make.application(intake_round=intake_round)
    post_form(staff, f"/rounds/questions/{question.id}/remove")
    assert db.session.query(RoundQuestion).count() == 1
    edit = f"/rounds/questions/{question.id}/edit"
    assert post_form(staff, edit, {"kind": "text", "label_vi": "Tên sản phẩm", "label_en": "Product name",
                                   "hidden": "y"}, token_from=edit).status_code == 302
    db.session.refresh(question)
    assert question.hidden


def test_extending_the_deadline_is_audited_with_its_reason(staff, make, db):
    intake_round = make.intake_round(opens_at=datetime(2026, 3, 1, 1, 0, tzinfo=UTC),
                                     closes_at=datetime(2026, 3, 31, 10, 0, tzinfo=UTC))
    url = f"/rounds/{intake_round.id}/extend"
    setup = f"/rounds/{intake_round.id}/setup"
    assert post_form(staff, url, {"closes_at": "2026-03-30T17:00", "reason": "Sớm hơn"},
                     token_from=setup).status_code == 400
    assert post_form(staff, url, {"closes_at": "2026-04-15T17:00", "reason": "Nhiều doanh nghiệp đề nghị"},
                     token_from=setup).status_code == 302
    db.session.refresh(intake_round)
    assert intake_round.closes_at == datetime(2026, 4, 15, 10, 0, tzinfo=UTC)
    entry = db.session.query(AuditEntry).filter_by(action="round.extend").one()
    assert entry.reason == "Nhiều doanh nghiệp đề nghị"


def test_copying_a_round_takes_its_visible_questions_documents_and_rules(staff, make, db):
    from incubator.applications.models import RoundDocument

    source = make.intake_round(eligibility={"company_age": {"max_years": 7}})
    make._save(RoundQuestion(round=source, kind=QuestionKind.TEXT, label_vi="Giữ", label_en="Keep"))
    make._save(RoundQuestion(round=source, kind=QuestionKind.TEXT, label_vi="Ẩn", label_en="Hidden", hidden=True))
    make._save(RoundDocument(round=source, name_vi="Điều lệ", name_en="Charter"))
    url = f"/rounds/{source.id}/copy"
    response = post_form(staff, url, {"name_vi": "Đợt mới", "name_en": "New round", "opens_at": "2027-01-01T08:00",
                                      "closes_at": "2027-02-01T17:00"}, token_from=url)
    assert response.status_code == 302
    copy = db.session.query(IntakeRound).filter_by(name_vi="Đợt mới").one()
    assert [q.label_vi for q in copy.questions] == ["Giữ"]
    assert [d.name_en for d in copy.documents] == ["Charter"]
    assert copy.eligibility["company_age"]["max_years"] == 7


def test_the_public_page_lists_rounds_open_now_and_soon(client, make):
    now = datetime.now(UTC)
    make.intake_round(name_vi="Đang mở", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=9))
    make.intake_round(name_vi="Sắp mở", opens_at=now + timedelta(days=10), closes_at=now + timedelta(days=40))
    make.intake_round(name_vi="Đã đóng", opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1))
    make.intake_round(name_vi="Còn xa", opens_at=now + timedelta(days=200), closes_at=now + timedelta(days=230))
    html = client.get("/rounds/").get_data(as_text=True)
    assert "Đang mở" in html and "Sắp mở" in html
    assert "Đã đóng" not in html and "Còn xa" not in html
    assert html.index("Đang mở") < html.index("Sắp mở")


def test_staff_preview_the_form_as_founders_see_it(staff, make):
    intake_round = make.intake_round()
    make._save(RoundQuestion(round=intake_round, kind=QuestionKind.SINGLE_CHOICE, label_vi="Trụ cột phục vụ",
                             label_en="Pillar served", choices=[{"value": "c1", "label_vi": "Chính quyền số",
                                                                 "label_en": "Digital government"},
                                                                {"value": "c2", "label_vi": "Kinh tế số",
                                                                 "label_en": "Digital economy"}]))
    make._save(RoundQuestion(round=intake_round, kind=QuestionKind.TEXT, label_vi="Câu đã ẩn", label_en="Hidden",
                             hidden=True))
    html = staff.get(f"/rounds/{intake_round.id}/preview").get_data(as_text=True)
    assert "Trụ cột phục vụ" in html and "Chính quyền số" in html and "Câu đã ẩn" not in html
    assert "<fieldset disabled>" in html
