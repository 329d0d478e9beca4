"""A round's forms, sent as a browser would not send them (found by tests/test_fuzz_forms.py; each once gave a 500):
a question edited without its choices field keeps its choices; a round extended to the end of the calendar is
refused."""

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
