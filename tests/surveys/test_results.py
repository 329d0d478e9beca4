"""A survey's results (issue 22): the response rate, totals and medians by residency kind and year against year,
choices and text answers, the XLSX export, a proposal turned into a request, the periodic report's section and
the business's answers on its file."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from incubator.applications.enums import QuestionKind
from incubator.auth.enums import Role
from incubator.companies.enums import ResidencyKind
from incubator.surveys import results
from incubator.surveys.enums import ResponseStatus, SurveyStatus
from incubator.surveys.models import Survey, SurveyQuestion, SurveyResponse
from tests.conftest import require_or_skip
from tests.helpers import count_queries, login, post_form

PILLARS = [{"value": v, "label_vi": vi, "label_en": en} for v, vi, en in (
    ("government", "Chính phủ số", "Digital government"), ("economy", "Kinh tế số", "Digital economy"),
    ("society", "Xã hội số", "Digital society"))]
YES_NO = [{"value": "yes", "label_vi": "Có", "label_en": "Yes"}, {"value": "no", "label_vi": "Không", "label_en": "No"}]
QUESTIONS = (  # key, kind, Vietnamese, English, choices
    ("revenue_total", QuestionKind.MONEY, "Tổng doanh thu", "Total revenue", None),
    ("employees_total", QuestionKind.NUMBER, "Tổng số lao động", "Employees in total", None),
    ("product_pillars", QuestionKind.MULTIPLE_CHOICE, "Trụ cột số", "Digital pillars", PILLARS),
    ("products_on_market", QuestionKind.SINGLE_CHOICE, "Sản phẩm đã ra thị trường", "A product on the market", YES_NO),
    ("difficulties", QuestionKind.LONG_TEXT, "Khó khăn", "Difficulties", None),
    ("proposals", QuestionKind.LONG_TEXT, "Đề xuất, kiến nghị", "Proposals", None),
)


def make_survey(make, year=2026, status=SurveyStatus.OPEN) -> Survey:
    survey = Survey(year=year, title_vi=f"Khảo sát doanh nghiệp năm {year}", title_en=f"Business survey {year}",
                    opens_on=date(year, 1, 10), deadline=date(year, 3, 31), status=status)
    for i, (key, kind, vi, en, choices) in enumerate(QUESTIONS):
        survey.questions.append(SurveyQuestion(position=i, key=key, kind=kind, label_vi=vi, label_en=en,
                                               choices=choices or []))
    return make._save(survey)


def answer(make, survey, company=None, *, status=ResponseStatus.SUBMITTED, kind=ResidencyKind.INCUBATED,
           submitted_on=date(2026, 2, 1), **answers) -> SurveyResponse:
    """A business's response: ``revenue_total=…`` and the like by the questions' keys."""
    by_key = {q.key: q for q in survey.questions}
    response = SurveyResponse(survey=survey, company=company or make.company(), residency_kind=kind, status=status,
                              answers={str(by_key[k].id): v for k, v in answers.items()},
                              submitted_at=datetime(submitted_on.year, submitted_on.month, submitted_on.day, 3,
                                                    tzinfo=UTC) if status is ResponseStatus.SUBMITTED else None)
    return make._save(response)


def question(found, key):
    return next(q for q in found.questions if q.question.key == key)


# ---- The figures ----------------------------------------------------------------------------------------


def test_totals_and_medians_count_submitted_answers_only_by_residency_kind(make, db):
    survey = make_survey(make)
    answer(make, survey, revenue_total="1000000000", employees_total="10")
    answer(make, survey, revenue_total="3000000000", employees_total="4")
    answer(make, survey, revenue_total="2000000000", employees_total="")  # no employees given
    answer(make, survey, kind=ResidencyKind.PARTNER_OFFICE, revenue_total="500000000", employees_total="7")
    answer(make, survey, status=ResponseStatus.DRAFT, revenue_total="9000000000", employees_total="90")  # a draft
    answer(make, survey, status=ResponseStatus.INVITED)

    found = results.results(survey)
    assert (found.rate.invited, found.rate.submitted, found.rate.percent) == (6, 4, 66.7)
    incubated, partner = found.rate_by_kind[ResidencyKind.INCUBATED], found.rate_by_kind[ResidencyKind.PARTNER_OFFICE]
    assert (incubated.invited, incubated.submitted) == (5, 3) and (partner.invited, partner.submitted) == (1, 1)
    assert ResidencyKind.SERVICE_TENANT not in found.rate_by_kind

    revenue = question(found, "revenue_total")
    assert revenue.overall.count == 4 and revenue.overall.total == 6_500_000_000
    assert revenue.overall.median == 1_500_000_000  # an even count: between the two middle answers
    assert revenue.by_kind[ResidencyKind.INCUBATED].median == 2_000_000_000  # odd: the middle one
    assert revenue.by_kind[ResidencyKind.INCUBATED].total == 6_000_000_000
    assert revenue.by_kind[ResidencyKind.PARTNER_OFFICE].total == 500_000_000
    employees = question(found, "employees_total")
    assert employees.overall.count == 3 and employees.overall.total == 21  # the empty answer is not a zero
    assert employees.overall.median == 7
    assert employees.by_kind[ResidencyKind.INCUBATED].median == 7  # (4 + 10) / 2
    assert revenue.previous is None and revenue.change_total is None


def test_a_median_between_two_answers_keeps_its_half(make, db):
    survey = make_survey(make)
    answer(make, survey, employees_total="3")
    answer(make, survey, employees_total="4")
    employees = question(results.results(survey), "employees_total")
    assert employees.overall.median == 3.5 and employees.overall.total == 7


def test_year_against_year_compares_the_same_key_in_the_previous_years_survey(make, db):
    before = make_survey(make, year=2025, status=SurveyStatus.CLOSED)
    answer(make, before, revenue_total="1000000000", submitted_on=date(2025, 2, 1))
    answer(make, before, revenue_total="3000000000", submitted_on=date(2025, 2, 1))
    answer(make, before, status=ResponseStatus.DRAFT, revenue_total="7000000000")  # never submitted: not counted
    survey = make_survey(make)
    answer(make, survey, revenue_total="2500000000")
    answer(make, survey, revenue_total="2500000000")

    found = results.results(survey)
    assert found.previous.id == before.id
    assert (found.previous_rate.invited, found.previous_rate.submitted) == (3, 2)
    revenue = question(found, "revenue_total")
    assert revenue.previous.total == 4_000_000_000 and revenue.previous.median == 2_000_000_000
    # While businesses are still answering, the totals are not compared (a fall they are not); medians are.
    assert not found.totals_final and revenue.change_total is None and revenue.change_median == 25.0
    survey.status = SurveyStatus.CLOSED
    revenue = question(results.results(survey), "revenue_total")
    assert revenue.change_total == 25.0 and revenue.change_median == 25.0
    employees = question(found, "employees_total")
    assert employees.previous.count == 0 and employees.change_total is None  # nothing to compare with


def test_choices_are_counted_and_texts_listed_by_business(make, db):
    survey = make_survey(make)
    first = answer(make, survey, product_pillars=["economy", "society"], products_on_market="yes",
                   difficulties="Thiếu vốn lưu động")
    answer(make, survey, product_pillars=["economy"], products_on_market="no")
    answer(make, survey, status=ResponseStatus.DRAFT, product_pillars=["government"], difficulties="Bản nháp")

    found = results.results(survey)
    pillars = question(found, "product_pillars")
    assert pillars.answered == 2
    assert [(v, n) for v, _label, n in pillars.choices] == [("government", 0), ("economy", 2), ("society", 1)]
    market = question(found, "products_on_market")
    assert [(v, n) for v, _label, n in market.choices] == [("yes", 1), ("no", 1)]
    difficulties = question(found, "difficulties")
    assert [(r.id, text) for r, text in difficulties.texts] == [(first.id, "Thiếu vốn lưu động")]
    assert question(results.results(survey, with_texts=False), "difficulties").texts == []


def test_the_results_read_the_responses_in_a_fixed_number_of_queries(make, db):
    survey = make_survey(make)
    before = make_survey(make, year=2025, status=SurveyStatus.CLOSED)
    answer(make, before, revenue_total="1")
    answer(make, survey, revenue_total="10")
    db.session.expire_all()
    with count_queries() as few:
        results.results(db.session.get(Survey, survey.id))
    for n in range(8):
        answer(make, survey, revenue_total=str(n), difficulties="Khó khăn")
        answer(make, before, revenue_total=str(n))
    db.session.expire_all()
    with count_queries() as many:
        results.results(db.session.get(Survey, survey.id))
    assert many.count == few.count <= 8


# ---- The page and the export ----------------------------------------------------------------------------


def test_the_results_page_and_its_export_read_in_a_fixed_number_of_queries(make, db, login_as):
    from incubator.requests import services as requests

    requests.ensure_default_categories()
    survey = make_survey(make)
    answer(make, survey, revenue_total="10", proposals="Đề nghị một")
    client, _staff = login_as(Role.STAFF)
    counts = []
    for _round in range(2):
        with count_queries() as page:
            assert client.get(f"/surveys/{survey.id}/results").status_code == 200
        with count_queries() as export:
            assert client.get(f"/surveys/{survey.id}/results.xlsx").status_code == 200
        counts.append((page.count, export.count))
        for n in range(6):
            answer(make, survey, revenue_total=str(n), difficulties="Khó khăn", proposals=f"Đề nghị {n}")
    assert counts[0] == counts[1]



def _world(make):
    survey = make_survey(make)
    alpha = make.company(name="Công ty Cổ phần Alpha", tax_code="0101234567")
    beta = make.company(name="Công ty TNHH Beta")
    answer(make, survey, alpha, revenue_total="1250000000", employees_total="12", product_pillars=["economy"],
           products_on_market="yes", proposals="Đề nghị hỗ trợ mặt bằng giá ưu đãi\nvà kết nối nhà đầu tư.")
    answer(make, survey, beta, status=ResponseStatus.DRAFT, revenue_total="99")
    return survey, alpha, beta


def test_staff_read_the_rate_totals_and_each_businesss_texts(make, db, login_as):
    from incubator.requests import services as requests

    requests.ensure_default_categories()
    survey, _alpha, _beta = _world(make)
    client, _staff = login_as(Role.STAFF)
    page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
    rate = re.search(r'id="rate-overall">(.*?)</p>', page, re.S).group(1)
    assert re.search(r"\b1\b.*\b2\b", rate) and "50,0\xa0%" in rate  # 1 of the 2 invited (a draft is not counted)
    revenue = next(q for q in survey.questions if q.key == "revenue_total")
    total = re.search(rf'id="figure-{revenue.id}">.*?figure-total">(.*?)</td>', page, re.S).group(1)
    assert total == "1.250.000.000\xa0₫"
    assert "Công ty Cổ phần Alpha" in page and "Đề nghị hỗ trợ mặt bằng giá ưu đãi" in page
    assert 'id="rate-by-kind"' in page and 'class="row g-1 align-items-end mt-1 proposal-form"' in page


def test_the_results_page_sets_each_figure_against_last_years(make, db, login_as):
    """Year against year on the page: last year's total and median beside this year's, the change of the median
    at once, the change of the total once the survey is closed; the previous year's rate said in a sentence."""
    before = make_survey(make, year=2025, status=SurveyStatus.CLOSED)
    answer(make, before, revenue_total="1000000000", employees_total="10", submitted_on=date(2025, 2, 1))
    answer(make, before, revenue_total="3000000000", employees_total="6", submitted_on=date(2025, 2, 1))
    answer(make, before, status=ResponseStatus.INVITED)
    survey = make_survey(make)
    answer(make, survey, revenue_total="2500000000", employees_total="8")
    answer(make, survey, revenue_total="2500000000", employees_total="12")
    client, _staff = login_as(Role.STAFF, locale="en")
    revenue = next(q for q in survey.questions if q.key == "revenue_total")

    def row():
        page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
        header = page.split('id="figures-all"', 1)[1].split("</thead>", 1)[0]
        assert "Total in 2025" in header and "Median in 2025" in header
        cells = re.search(rf'<tr id="figure-{revenue.id}">(.*?)</tr>', page, re.S).group(1)
        return page, [re.sub(r"<[^>]+>", "", c).strip().replace("\xa0", " ")
                      for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]

    page, cells = row()
    # answers, total, median, total in 2025, median in 2025, change of the total, change of the median
    assert cells == ["2", "5.000.000.000 ₫", "2.500.000.000 ₫", "4.000.000.000 ₫", "2.000.000.000 ₫", "—",
                     "+25.0 %"]
    assert re.search(r'id="rate-previous">In 2025: 2 of 3 ', page)
    survey.status = SurveyStatus.CLOSED
    db.session.commit()
    _page, cells = row()
    assert cells[5:] == ["+25.0 %", "+25.0 %"]


def test_officials_read_the_figures_but_not_the_businesses_answers(make, db, login_as):
    survey, _alpha, _beta = _world(make)
    client, _official = login_as(Role.OFFICIAL)
    page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
    assert "1.250.000.000\xa0₫" in page
    assert "Công ty Cổ phần Alpha" not in page and "Đề nghị hỗ trợ" not in page
    founder_client, _founder = login_as(Role.FOUNDER)
    assert founder_client.get(f"/surveys/{survey.id}/results").status_code == 403


def _workbook(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def test_the_export_has_a_row_per_invited_business_with_numbers_as_numbers_and_a_summary(make, db, login_as):
    survey, _alpha, _beta = _world(make)
    client, _staff = login_as(Role.STAFF)
    response = client.get(f"/surveys/{survey.id}/results.xlsx")
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith(
        'attachment; filename="khao-sat-2026-')
    book = _workbook(response.data)
    answers, summary = book.worksheets
    rows = list(answers.iter_rows(values_only=True))
    header = rows[0]
    assert len(header) == 5 + len(QUESTIONS)  # tax code, name, residency kind, status, submitted on, each answer
    assert header[5:] == tuple(vi for _key, _kind, vi, _en, _choices in QUESTIONS)
    by_name = {row[1]: dict(zip(("tax_code", "name", "kind", "status", "submitted", *(q[0] for q in QUESTIONS)),
                                row, strict=True)) for row in rows[1:]}
    first = by_name["Công ty Cổ phần Alpha"]
    assert first["tax_code"] == "0101234567" and first["kind"] == "Doanh nghiệp đang ươm tạo"
    assert first["revenue_total"] == 1_250_000_000 and isinstance(first["revenue_total"], int)
    assert first["employees_total"] == 12
    assert first["product_pillars"] == "Kinh tế số" and first["products_on_market"] == "Có"
    assert first["submitted"].date() == date(2026, 2, 1)
    draft = by_name["Công ty TNHH Beta"]
    assert draft["revenue_total"] is None and draft["submitted"] is None  # a draft is not the business's answer yet
    summary_rows = list(summary.iter_rows(values_only=True))
    assert summary_rows[0][2:7] == ("Doanh nghiệp được mời", "Câu trả lời", "Tỷ lệ phản hồi (%)", "Tổng", "Trung vị")
    revenue = [row for row in summary_rows if row[0] == "Tổng doanh thu"]
    assert revenue[0][3:7] == (1, None, 1_250_000_000, 1_250_000_000)  # all businesses: answers, total, median
    rate = summary_rows[1]
    assert rate[2:7] == (2, 1, 50.0, None, None)  # invited, answered, rate

    official_client, _official = login_as(Role.OFFICIAL)
    only_summary = _workbook(official_client.get(f"/surveys/{survey.id}/results.xlsx").data)
    assert len(only_summary.worksheets) == 1
    assert "Công ty Cổ phần Alpha" not in str(list(only_summary.worksheets[0].iter_rows(values_only=True)))


# ---- Proposals become requests --------------------------------------------------------------------------


def test_a_proposal_becomes_a_request_of_the_business_once(make, db, login_as):
    from incubator.audit.models import AuditEntry
    from incubator.requests import services as requests
    from incubator.requests.models import BusinessRequest

    requests.ensure_default_categories()
    survey, alpha, beta = _world(make)
    make.residency(company=alpha)
    founder = make.user(Role.FOUNDER)
    make.member(company=alpha, user=founder)
    response = db.session.scalar(sa.select(SurveyResponse).where(SurveyResponse.company_id == alpha.id))
    client, staff = login_as(Role.STAFF)
    page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
    category = re.search(rf'id="category-{response.id}" name="category"><option value="(\d+)"', page).group(1)
    done = post_form(client, f"/surveys/responses/{response.id}/request", {"category": category},
                     token_from=f"/surveys/{survey.id}/results")
    assert done.status_code == 302
    filed = db.session.scalar(sa.select(BusinessRequest).where(BusinessRequest.company_id == alpha.id))
    assert filed.title == "Đề nghị hỗ trợ mặt bằng giá ưu đãi"
    assert filed.text == "Đề nghị hỗ trợ mặt bằng giá ưu đãi\nvà kết nối nhà đầu tư."
    assert filed.filed_by_id == staff.id and filed.events[0].raised_at == "Khảo sát doanh nghiệp năm 2026"
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "survey.proposal_request"))
    assert entry.object_id == str(response.id) and entry.details["number"] == filed.number
    db.session.refresh(response)
    assert response.proposal_request_id == filed.id  # the response names its request
    page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
    assert filed.number in page and f'id="category-{response.id}"' not in page  # a link now, no form
    assert f'href="/requests/{filed.id}"' in page

    again = post_form(client, f"/surveys/responses/{response.id}/request", {"category": category},
                      token_from=f"/surveys/{survey.id}/results")
    assert again.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(BusinessRequest.id))) == 1
    draft = db.session.scalar(sa.select(SurveyResponse).where(SurveyResponse.company_id == beta.id))
    post_form(client, f"/surveys/responses/{draft.id}/request", {"category": category},
              token_from=f"/surveys/{survey.id}/results")
    assert db.session.scalar(sa.select(sa.func.count(BusinessRequest.id))) == 1  # a draft proposes nothing yet


def test_once_per_response_is_read_from_the_response_not_the_audit_log(make, db, login_as):
    """The rule holds on the response's own column: with the audit log emptied, a second filing is refused."""
    from incubator.audit.models import AuditEntry
    from incubator.errors import DomainError
    from incubator.requests import services as requests
    from incubator.requests.models import BusinessRequest, RequestCategory

    requests.ensure_default_categories()
    _survey, alpha, _beta = _world(make)
    make.residency(company=alpha)
    staff = make.user(Role.STAFF)
    category = db.session.scalars(sa.select(RequestCategory).where(RequestCategory.active.is_(True))).first()
    response = db.session.scalar(sa.select(SurveyResponse).where(SurveyResponse.company_id == alpha.id))
    filed = results.proposal_to_request(response, actor=staff, category=category)
    db.session.commit()
    db.session.execute(sa.delete(AuditEntry))
    db.session.commit()
    assert results.proposal_requests([response.id]) == {response.id: {"request": filed.id, "number": filed.number}}
    with pytest.raises(DomainError) as refused:
        results.proposal_to_request(response, actor=staff, category=category)
    with force_locale("en"):
        assert "already been filed" in str(refused.value.message)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(BusinessRequest.id))) == 1


def test_a_request_from_the_survey_says_so_on_its_timeline_and_in_its_acknowledgement(make, db, client_factory):
    from incubator.mail.models import OutboxMessage
    from incubator.requests import services as requests
    from incubator.requests.enums import RequestOrigin
    from incubator.requests.models import RequestCategory

    requests.ensure_default_categories()
    _survey, alpha, _beta = _world(make)
    make.residency(company=alpha)
    founder = make.user(Role.FOUNDER, locale="en")
    make.member(company=alpha, user=founder)
    staff = make.user(Role.STAFF)
    category = db.session.scalars(sa.select(RequestCategory).where(RequestCategory.active.is_(True))).first()
    response = db.session.scalar(sa.select(SurveyResponse).where(SurveyResponse.company_id == alpha.id))
    filed = results.proposal_to_request(response, actor=staff, category=category)
    db.session.commit()
    assert filed.origin is RequestOrigin.SURVEY and filed.from_survey
    for person in (founder, staff):
        client = client_factory()
        login(client, person)
        with client.session_transaction() as session:
            session["locale"] = "en"
        page = client.get(f"/requests/{filed.id}").get_data(as_text=True)
        said = re.search(r'class="raised-at">(.*?)</div>', page, re.S).group(1)
        assert "From the business's answers to the survey Khảo sát doanh nghiệp năm 2026" in said, said
        assert "floor" not in said
    mail = db.session.scalar(sa.select(OutboxMessage.body_text).where(OutboxMessage.purpose == "request_acknowledged"))
    assert "comes from the business's answers to the survey Khảo sát doanh nghiệp năm 2026" in mail
    assert "It was raised at" not in mail


# ---- The periodic report --------------------------------------------------------------------------------


def _pdf_text(pdf: bytes, tmp_path) -> str:
    require_or_skip(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return re.sub(r"\s+", " ", text)


def test_the_report_of_the_surveys_year_has_its_section_and_a_finalised_report_keeps_it(make, db, client_factory,
                                                                                          tmp_path):
    from incubator.reports import services as reports

    before = make_survey(make, year=2025, status=SurveyStatus.CLOSED)
    answer(make, before, revenue_total="1000000000", employees_total="10", submitted_on=date(2025, 2, 1))
    answer(make, before, status=ResponseStatus.INVITED)
    survey = make_survey(make)
    answer(make, survey, revenue_total="1000000000", employees_total="8")
    answer(make, survey, revenue_total="2000000000", employees_total="12")
    answer(make, survey, status=ResponseStatus.DRAFT, revenue_total="5")
    staff = make.user(Role.STAFF)
    client = client_factory()
    login(client, staff)
    # While the survey is open, its totals are not set against last year's (only the medians are).
    report = reports.create(start=date(2026, 1, 1), end=date(2026, 12, 31), period_label="2026", actor=staff)
    db.session.commit()
    english = _pdf_text(client.get(f"/reports/{report.id}.en.pdf").data, tmp_path)
    assert re.search(r"Total revenue 2 3\.000\.000\.000 ₫ 1\.500\.000\.000 ₫ 1\.000\.000\.000 ₫ — \+50\.0 %", english)
    assert "the totals are not compared with last year's" in english
    survey.status = SurveyStatus.CLOSED  # a draft report reads the figures afresh
    earlier = reports.create(start=date(2024, 1, 1), end=date(2024, 12, 31), period_label="2024", actor=staff)
    db.session.commit()
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert 'id="survey-figures"' in page and "1.500.000.000\xa0₫" in page
    assert 'id="survey-figures"' not in client.get(f"/reports/{earlier.id}").get_data(as_text=True)

    english = _pdf_text(client.get(f"/reports/{report.id}.en.pdf").data, tmp_path)
    assert "The yearly survey of businesses of 2026" in english
    assert "2 of 3 businesses invited answered (66.7 %); in 2025: 1 of 2 (50.0 %)." in english
    assert re.search(r"Total revenue 2 3\.000\.000\.000 ₫ 1\.500\.000\.000 ₫ 1\.000\.000\.000 ₫ \+200\.0 %", english)
    assert re.search(r"Employees in total 2 20 10 10 \+100\.0 %", english)
    vietnamese = _pdf_text(client.get(f"/reports/{report.id}.vi.pdf").data, tmp_path)
    assert "Khảo sát doanh nghiệp năm 2026: 2 trong số 3 doanh nghiệp được mời đã trả lời (66,7 %)" in vietnamese
    assert re.search(r"Tổng doanh thu 2 3\.000\.000\.000 ₫ 1\.500\.000\.000 ₫ 1\.000\.000\.000 ₫ \+200,0 %",
                     vietnamese)

    assert post_form(client, f"/reports/{report.id}/finalise", {"version": str(report.version_id)}).status_code == 302
    db.session.expire_all()
    assert report.is_final and report.snapshot["survey"]["submitted"] == 2
    answer(make, survey, revenue_total="7000000000")  # after the report was finalised
    kept = _pdf_text(client.get(f"/reports/{report.id}.en.pdf").data, tmp_path)
    assert "2 of 3 businesses invited answered" in kept
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)  # the report's page: what it kept
    assert 'id="survey-figures"' in page and "66,7\xa0%" in page and "3.000.000.000\xa0₫" in page


# ---- The business's file --------------------------------------------------------------------------------


def test_the_businesss_file_lists_its_surveys_and_answers_for_staff_and_its_founders(make, db, login_as,
                                                                                      client_factory):
    survey = make_survey(make)
    company = make.company(name="Công ty Cổ phần Gamma")
    make.residency(company=company)
    answer(make, survey, company, revenue_total="750000000", difficulties="Tuyển dụng khó")
    before = make_survey(make, year=2025, status=SurveyStatus.CLOSED)
    answer(make, before, company, status=ResponseStatus.DRAFT, revenue_total="1")
    founder = make.user(Role.FOUNDER)
    make.member(company=company, user=founder)

    staff_client, _staff = login_as(Role.STAFF)
    page = staff_client.get(f"/startups/{company.id}").get_data(as_text=True)
    assert 'id="surveys"' in page and "Khảo sát doanh nghiệp năm 2026" in page
    assert "750.000.000\xa0₫" in page and "Tuyển dụng khó" in page
    assert "Khảo sát doanh nghiệp năm 2025" in page and page.count("750.000.000") == 1
    client = client_factory()
    login(client, founder)
    mine = client.get(f"/startups/{company.id}").get_data(as_text=True)
    assert "750.000.000\xa0₫" in mine and "Tuyển dụng khó" in mine

    # A mentor assigned to it reads its file, not its answers (as not its applications).
    member = make.cohort_member(company=company)
    assignment = make.mentor_assignment(member=member)
    mentor_client = client_factory()
    login(mentor_client, assignment.mentor)
    theirs = mentor_client.get(f"/startups/{company.id}")
    assert theirs.status_code == 200
    assert "750.000.000" not in theirs.get_data(as_text=True) and 'id="surveys"' not in theirs.get_data(as_text=True)
