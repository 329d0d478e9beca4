"""Requests a browser would not send, found by tests/test_fuzz_forms.py: each once gave a 500."""

from incubator.applications.enums import QuestionKind
from incubator.applications.models import RoundQuestion
from incubator.auth.enums import Role
from tests.helpers import post_form

CHOICES = [{"value": "c1", "label_vi": "Một", "label_en": "One"}, {"value": "c2", "label_vi": "Hai", "label_en": "Two"}]


def test_a_question_edited_without_its_choices_field_keeps_its_choices(login_as, make, db):
    staff, _ = login_as(Role.STAFF)
    question = make._save(RoundQuestion(round=make.intake_round(), kind=QuestionKind.SINGLE_CHOICE,
                                        label_vi="Chọn một", label_en="Pick one", choices=CHOICES))
    url = f"/rounds/questions/{question.id}/edit"
    response = post_form(staff, url, {"kind": "single_choice", "label_vi": "Chọn một nhé", "label_en": "Pick one"},
                         token_from=url)
    assert response.status_code == 302
    db.session.refresh(question)
    assert question.label_vi == "Chọn một nhé" and question.choices == CHOICES


def test_admitting_no_startup_by_a_crafted_value_is_refused_with_the_form(login_as, make, db):
    from incubator.cohorts.models import CohortMember

    staff, _ = login_as(Role.STAFF)
    cohort = make.cohort()
    make.company()
    url = f"/cohorts/{cohort.id}"
    # The startup is named by its tax code; a value that names none is refused with the reason, the form shown.
    for value, reason in (("0", "Không có doanh nghiệp nào phù hợp."), ("None", "Không có doanh nghiệp nào phù hợp."),
                          ("   ", "Vui lòng nhập mã số thuế.")):
        response = post_form(staff, url, {"tax_code": value}, token_from=url)
        assert response.status_code == 400
        assert reason in response.get_data(as_text=True)
    assert db.session.query(CohortMember).count() == 0


def test_a_second_partner_with_the_same_tax_code_is_refused_with_the_form(login_as, make, db):
    from incubator.partners.models import Partner
    from tests.helpers import tax_code

    staff, _ = login_as(Role.STAFF)
    code = tax_code(9191)
    for name, status in (("Công ty Đối tác Một", 302), ("Công ty Đối tác Hai", 400)):
        response = post_form(staff, "/partners/new", {"kind": "software_company", "name": name, "tax_code": code},
                             token_from="/partners/new")
        assert response.status_code == status
    assert "Đã có doanh nghiệp đăng ký với mã số thuế này." in response.get_data(as_text=True)
    assert db.session.query(Partner).filter_by(tax_code=code).count() == 1


def test_a_checkbox_value_that_is_none_of_the_boxes_is_refused(login_as, db):
    """Optional() used to clear the "not a valid choice" error of an empty value, and the service then failed."""
    from incubator.mentoring.models import MentorProfile

    mentor, _ = login_as(Role.MENTOR)
    for topics in ("", "khong-phai-chu-de"):
        response = post_form(mentor, "/mentoring/profile", {"topics": topics, "languages": "vi", "capacity": "3"},
                             token_from="/mentoring/profile")
        assert response.status_code == 400
    assert db.session.query(MentorProfile).count() == 0
    response = post_form(mentor, "/mentoring/profile", {"topics": "product", "languages": "vi", "capacity": "3"},
                         token_from="/mentoring/profile")
    assert response.status_code == 302


def test_a_review_stage_closing_at_the_ends_of_the_calendar_is_refused_with_the_form(login_as, make, db):
    """0001-01-01T00:00 in Hà Nội is before year 1 in UTC: moving it overflowed (a 500)."""
    staff, _ = login_as(Role.STAFF)
    stage = make.review_stage()
    closes_at = stage.closes_at
    url = f"/reviews/stages/{stage.id}/edit"
    for typed in ("0001-01-01T00:00", "9999-12-31T23:59", "1989-12-31T23:59", "2101-01-01T00:00"):
        response = post_form(staff, url, {"name_vi": "Vòng một", "name_en": "Round one", "closes_at": typed,
                                          "reviewers_per_application": "3", "spread_threshold": "25",
                                          "version": str(stage.version_id)}, token_from=url)
        assert response.status_code == 400, typed
        assert "Vòng một" in response.get_data(as_text=True)  # what was typed is kept
    db.session.refresh(stage)
    assert stage.closes_at == closes_at and stage.name_vi != "Vòng một"


def test_a_round_extended_to_the_end_of_the_calendar_is_refused(login_as, make, db):
    staff, _ = login_as(Role.STAFF)
    intake_round = make.intake_round()
    closes_at = intake_round.closes_at
    url = f"/rounds/{intake_round.id}/extend"
    response = post_form(staff, url, {"closes_at": "9999-12-31T23:59", "reason": "Gia hạn"},
                         token_from=f"/rounds/{intake_round.id}/setup")
    assert response.status_code == 400
    db.session.refresh(intake_round)
    assert intake_round.closes_at == closes_at
    assert staff.get(f"/rounds/{intake_round.id}/setup").status_code == 200


def test_a_report_for_a_period_at_the_ends_of_the_calendar_is_refused(login_as, db):
    """Its figures' day boundaries, computed in Hà Nội time, overflowed: the report's page gave a 500."""
    from incubator.reports.models import PeriodicReport

    staff, _ = login_as(Role.STAFF)
    for start, end in (("0001-01-01", "9999-12-31"), ("9999-12-01", "9999-12-31"), ("1999-12-01", "2000-01-31")):
        response = post_form(staff, "/reports/new", {"start": start, "end": end}, token_from="/reports/")
        assert response.status_code < 500
        assert response.headers.get("Location", "/reports/") == "/reports/"  # back to the list, nothing made
    assert db.session.query(PeriodicReport).count() == 0
    response = post_form(staff, "/reports/new", {"start": "2025-01-01", "end": "2025-06-30"}, token_from="/reports/")
    assert response.status_code == 302 and staff.get(response.headers["Location"]).status_code == 200
