"""An application's answers read as words wherever they are shown: choices by their labels in the reader's
language, amounts as 500.000.000 ₫, dates as dd/mm/yyyy — on the staff's file, the reviewer's page, the
founder's copy and the round's export (where amounts stay numbers and dates stay dates)."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from incubator.applications.answers import answer_cell, answer_text
from incubator.applications.enums import ApplicationStatus, QuestionKind
from incubator.applications.models import RoundQuestion
from incubator.auth.enums import Role
from tests.helpers import login

PILLARS = [{"value": "c1", "label_vi": "Chính quyền số", "label_en": "Digital government"},
           {"value": "c2", "label_vi": "Kinh tế số", "label_en": "Digital economy"},
           {"value": "c3", "label_vi": "Xã hội số", "label_en": "Digital society"}]


@pytest.fixture
def case(make):
    intake_round = make.intake_round()
    questions = {
        "pillars": make._save(RoundQuestion(round=intake_round, kind=QuestionKind.MULTIPLE_CHOICE, position=1,
                                            label_vi="Trụ cột phục vụ", label_en="Pillars served", choices=PILLARS)),
        "raised": make._save(RoundQuestion(round=intake_round, kind=QuestionKind.MONEY, position=2,
                                           label_vi="Vốn đã gọi được", label_en="Funding raised")),
        "launch": make._save(RoundQuestion(round=intake_round, kind=QuestionKind.DATE, position=3,
                                           label_vi="Ngày ra mắt", label_en="Launch date")),
        "market": make._save(RoundQuestion(round=intake_round, kind=QuestionKind.SINGLE_CHOICE, position=4,
                                           label_vi="Thị trường", label_en="Market", choices=PILLARS[:2])),
    }
    founder = make.user(Role.FOUNDER)
    company = make.company(name="Công ty TNHH Trụ Cột")
    make.member(company=company, user=founder)
    # As the form stores them: an amount as its digits, a date in ISO form, choices by their codes.
    answers = {str(questions["pillars"].id): ["c2", "c3"], str(questions["raised"].id): "500000000",
               str(questions["launch"].id): "2027-01-01", str(questions["market"].id): "c1"}
    application = make.application(intake_round=intake_round, company=company, created_by=founder,
                                   status=ApplicationStatus.UNDER_REVIEW, reference="VU-2026-0042", answers=answers,
                                   submitted_at=datetime(2026, 3, 1, tzinfo=UTC), eligibility_summary="staff")
    return {"round": intake_round, "questions": questions, "founder": founder, "application": application}


def _assert_in_words(html: str, *, english: bool = False):
    if english:
        assert "Digital economy, Digital society" in html and "Digital government" in html
    else:
        assert "Kinh tế số, Xã hội số" in html and "Chính quyền số" in html
    assert "500.000.000\xa0₫" in html and "01/01/2027" in html
    for raw in ("c2, c3", "500000000", "2027-01-01", ">c1<"):
        assert raw not in html


def test_the_formatter_gives_words_to_read_and_values_to_keep(app, case):
    q = case["questions"]
    with app.test_request_context():
        assert answer_text(q["pillars"], ["c2", "c3"]) == "Kinh tế số, Xã hội số"
        assert answer_text(q["raised"], "500000000") == "500.000.000\xa0₫"
        assert answer_text(q["launch"], "2027-01-01") == "01/01/2027"
        assert answer_text(q["market"], None) == "—" and answer_text(q["pillars"], []) == "—"
        assert answer_cell(q["raised"], "500000000") == 500000000  # a number, for a spreadsheet to add up
        assert answer_cell(q["launch"], "2027-01-01") == date(2027, 1, 1)
        with force_locale("en"):
            assert answer_text(q["pillars"], ["c2", "c3"]) == "Digital economy, Digital society"
            assert answer_text(q["raised"], "500000000") == "500.000.000\xa0₫"  # đồng keep Vietnamese grouping


def test_the_staff_file_shows_answers_in_words(login_as, case):
    staff, _ = login_as(Role.STAFF)
    _assert_in_words(staff.get(f"/applications/{case['application'].id}/file").get_data(as_text=True))
    english, _ = login_as(Role.STAFF, locale="en")
    _assert_in_words(english.get(f"/applications/{case['application'].id}/file").get_data(as_text=True),
                     english=True)


def test_the_reviewer_reads_answers_in_words(make, client_factory, case):
    from incubator.reviews.enums import AssignmentStatus

    stage = make.review_stage(intake_round=case["round"])
    entry = make.stage_entry(stage, application=case["application"])
    reviewer = make.user(Role.REVIEWER)
    assignment = make.assignment(entry, reviewer, status=AssignmentStatus.CONFIRMED)
    client = client_factory()
    login(client, reviewer)
    response = client.get(f"/reviews/assignments/{assignment.id}")
    assert response.status_code == 200
    _assert_in_words(response.get_data(as_text=True))


def test_the_founders_copy_shows_answers_in_words(client_factory, case):
    client = client_factory()
    login(client, case["founder"])
    response = client.get(f"/applications/{case['application'].id}/copy")
    assert response.status_code == 200
    _assert_in_words(response.get_data(as_text=True))


def test_the_rounds_export_writes_labels_amounts_as_numbers_and_dates_as_dates(login_as, case):
    from openpyxl import load_workbook

    staff, _ = login_as(Role.STAFF)
    url = f"/rounds/{case['round'].id}/applications"
    sheet = load_workbook(io.BytesIO(staff.get(url + ".xlsx").data)).active
    header, line = list(sheet.iter_rows(values_only=True))
    row = dict(zip(header, line, strict=True))
    assert row["Trụ cột phục vụ"] == "Kinh tế số, Xã hội số" and row["Thị trường"] == "Chính quyền số"
    assert row["Vốn đã gọi được"] == 500000000  # a number cell, shown grouped by its format
    assert row["Ngày ra mắt"] == datetime(2027, 1, 1)  # a date cell
    assert row["Điều kiện tham gia"] == "Cán bộ Vườn ươm đánh giá"
    cells = {c.value: c for c in next(iter(sheet.iter_rows(min_row=2)))}
    assert cells[500000000].number_format == "#,##0" and cells[datetime(2027, 1, 1)].number_format == "DD/MM/YYYY"
    text = staff.get(url + ".csv").data.decode("utf-8-sig")
    line = dict(zip(*list(csv.reader(io.StringIO(text))), strict=True))
    assert line["Ngày ra mắt"] == "01/01/2027" and line["Trụ cột phục vụ"] == "Kinh tế số, Xã hội số"
    assert "staff" not in line.values() and "c2" not in text
