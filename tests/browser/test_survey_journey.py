"""Issue 22, acceptance 3: staff open a yearly survey; a founder answers it on a 375-pixel phone (a draft saved,
then submitted); staff read the results (the response rate and a total)."""

from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.i18n import local_today
from incubator.surveys.enums import ResponseStatus, SurveyStatus
from incubator.surveys.models import Survey, SurveyQuestion, SurveyResponse
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def _fits(page, width=375):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _type_date(page, field_id: str, day: date) -> None:
    # The calendar moves the box into its group once the page has loaded: type once it has.
    page.wait_for_selector(f"#{field_id}[data-datepicker-ready]", state="attached")
    page.fill(f"#{field_id}", day.strftime("%d/%m/%Y"))


def test_staff_open_a_survey_a_founder_answers_it_on_a_phone_and_staff_read_the_results(browser, live_server, make,
                                                                                        db):
    ARTIFACTS.mkdir(exist_ok=True)
    today = local_today()
    year = today.year
    company = make.company(name="Công ty Cổ phần Phần mềm Tây Hồ")
    make.residency(company=company, starts_on=date(year - 1, 1, 1))
    other = make.company(name="Công ty TNHH Số hóa Long Biên")
    make.residency(company=other, starts_on=date(year - 1, 6, 1))
    founder = make.user(Role.FOUNDER, full_name="Phạm Thu Hà")
    make.member(company=company, user=founder)
    staff = make.user(Role.STAFF, full_name="Trần Thị Bình")
    db.session.commit()
    errors = []

    # Staff create the survey of this year with the default questions, then open it.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, live_server, staff)
    page.goto(f"{live_server}/surveys/")
    page.locator("#new-survey").click()
    page.wait_for_url(f"{live_server}/surveys/new")
    assert page.input_value("#year") == str(year)
    _type_date(page, "opens_on", today)
    _type_date(page, "deadline", today + timedelta(days=28))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    db.session.rollback()  # a fresh read of what the server wrote
    survey = db.session.scalar(sa.select(Survey).where(Survey.year == year))
    assert survey is not None and page.url == f"{live_server}/surveys/{survey.id}"
    page.once("dialog", lambda dialog: dialog.accept())  # "Open the survey? Every business … is invited"
    with page.expect_navigation():
        page.locator("#open-survey").click()
    db.session.rollback()
    assert db.session.get(Survey, survey.id).status is SurveyStatus.OPEN
    assert "2" in page.locator("#survey-counts").inner_text()  # both businesses invited
    page.screenshot(path=str(ARTIFACTS / "survey-opened.png"), full_page=True)

    # The founder, on a phone: the home page's card, a draft, then the answers submitted.
    phone = browser.new_context(**PHONE)
    mobile = phone.new_page()
    mobile.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(mobile, live_server, founder)
    card = mobile.locator("[data-survey-response]")
    assert str(year) in card.inner_text() and (today + timedelta(days=28)).strftime("%d/%m/%Y") in card.inner_text()
    with mobile.expect_navigation():
        card.locator("a.btn-primary").click()
    _fits(mobile)
    ids = {q.key: q.id for q in db.session.scalars(sa.select(SurveyQuestion).where(
        SurveyQuestion.survey_id == survey.id))}
    mobile.fill(f"#q{ids['revenue_total']}", "1250000000")
    mobile.fill(f"#q{ids['employees_total']}", "14")
    with mobile.expect_navigation():
        mobile.locator("#save-draft").click()
    db.session.rollback()
    response = db.session.scalar(sa.select(SurveyResponse).where(SurveyResponse.company_id == company.id))
    assert response.status is ResponseStatus.DRAFT
    assert mobile.input_value(f"#q{ids['employees_total']}") == "14"  # the draft read back
    mobile.screenshot(path=str(ARTIFACTS / "survey-draft-phone.png"), full_page=True)
    mobile.fill(f"#q{ids['employees_it']}", "11")
    mobile.check(f"input[name=q{ids['product_pillars']}][value=economy]")
    mobile.select_option(f"#q{ids['products_on_market']}", "yes")
    mobile.fill(f"#q{ids['proposals']}", "Đề nghị thành phố hỗ trợ chi phí đánh giá CMMI cho doanh nghiệp nhỏ.")
    with mobile.expect_navigation():
        mobile.locator("#save-and-submit").click()
    _fits(mobile)
    mobile.screenshot(path=str(ARTIFACTS / "survey-review-phone.png"), full_page=True)
    mobile.once("dialog", lambda dialog: dialog.accept())  # "Submit the answers? They can no longer be changed"
    with mobile.expect_navigation():
        mobile.locator("#submit-answers").click()
    db.session.rollback()
    assert db.session.get(SurveyResponse, response.id).status is ResponseStatus.SUBMITTED
    _fits(mobile)
    mobile.screenshot(path=str(ARTIFACTS / "survey-submitted-phone.png"), full_page=True)
    phone.close()

    # Staff read the results: the rate (1 of the 2 invited) and the total revenue.
    page.goto(f"{live_server}/surveys/{survey.id}/results")
    rate = page.locator("#rate-overall").inner_text()
    assert "1" in rate and "2" in rate and "50,0 %" in rate.replace("\xa0", " ")
    revenue = page.locator(f"#figure-{ids['revenue_total']} .figure-total").inner_text()
    assert revenue.replace("\xa0", " ") == "1.250.000.000 ₫"
    assert "Đề nghị thành phố hỗ trợ chi phí đánh giá CMMI" in page.locator("#proposals").inner_text()
    page.screenshot(path=str(ARTIFACTS / "survey-results.png"), full_page=True)
    desk.close()

    # The results read on a phone too.
    phone = browser.new_context(**PHONE)
    mobile = phone.new_page()
    log_in(mobile, live_server, staff)
    mobile.goto(f"{live_server}/surveys/{survey.id}/results")
    _fits(mobile)
    mobile.screenshot(path=str(ARTIFACTS / "survey-results-phone.png"), full_page=True)
    phone.close()
    assert not errors
