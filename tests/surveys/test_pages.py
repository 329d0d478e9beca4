"""The yearly survey's pages (issue 22), through the HTTP test client: staff create a survey, edit its questions,
open it and read who answered; a founder invited answers on their home's link (drafts, a refused submission,
the confirmation, the read-only copy); another founder and another incubator's staff meet 404; staff reopen a
response; the daily command reminds once per threshold."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.i18n import local_today
from incubator.mail.models import OutboxMessage
from incubator.organisation import services as organisation
from incubator.surveys import services
from incubator.surveys.enums import ResponseStatus, SurveyStatus
from incubator.surveys.models import Survey, SurveyResponse
from tests.helpers import csrf_token, login, table_state, written
from tests.surveys.conftest import YEAR, new_survey


def _post(client, url, data=None, token_from=None):
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client, token_from or url)})


def _dates():
    today = local_today()
    return today, today + timedelta(days=30)


def _open_survey(world, db) -> Survey:
    opens, deadline = _dates()
    survey = new_survey(world["staff"], opens_on=opens, deadline=deadline)
    services.open_survey(survey, actor=world["staff"])
    db.session.commit()
    return survey


def _field(survey, key) -> str:
    return "q" + str(next(q.id for q in survey.questions if q.key == key))


def test_staff_create_edit_and_open_a_survey(world, db, client):
    login(client, world["staff"])
    opens, deadline = _dates()
    response = _post(client, "/surveys/new", {"year": str(YEAR), "title_vi": "Khảo sát doanh nghiệp năm 2026",
                                              "title_en": "Survey of businesses, 2026",
                                              "opens_on": opens.strftime("%d/%m/%Y"),
                                              "deadline": deadline.strftime("%d/%m/%Y")})
    assert response.status_code == 302, response.get_data(as_text=True)
    survey = db.session.scalar(sa.select(Survey))
    page = f"/surveys/{survey.id}"
    html = client.get(page).get_data(as_text=True)
    assert "Tổng doanh thu năm 2026" in html and "Số khách hàng là cơ quan, đơn vị nhà nước" in html
    # A question added, moved up, the first question moved down.
    assert _post(client, f"{page}/questions", {"kind": "text", "label_vi": "Trang web của sản phẩm",
                                               "label_en": "The product's website"}, page).status_code == 302
    db.session.expire_all()
    added = survey.questions[-1]
    assert _post(client, f"/surveys/questions/{added.id}/move", {"direction": "up"}, page).status_code == 302
    db.session.expire_all()
    assert survey.questions[-2].id == added.id
    refused = _post(client, f"{page}/questions", {"kind": "single_choice", "label_vi": "Một lựa chọn",
                                                  "label_en": "One choice", "choices": "Chỉ một"}, page)
    assert refused.status_code == 400
    edit = f"/surveys/questions/{added.id}/edit"
    assert _post(client, edit, {"kind": "text", "label_vi": "Địa chỉ trang web", "label_en": "Website",
                                "hidden": "y"}, edit).status_code == 302
    db.session.refresh(added)
    assert added.hidden and added.label_vi == "Địa chỉ trang web"
    assert _post(client, f"{page}/open", {}, page).status_code == 302
    db.session.expire_all()
    assert survey.status is SurveyStatus.OPEN
    html = client.get(page).get_data(as_text=True)
    assert world["inside"].name in html and world["before"].name not in html and world["after"].name not in html
    assert html.count(f"<span class=\"badge text-bg-secondary\">{ResponseStatus.INVITED.label}</span>") == 4
    # Open: the questions' editor is gone, and the question cannot be changed by a direct post.
    assert f"/surveys/questions/{added.id}/edit" not in html and 'id="open-survey"' not in html
    assert _post(client, edit, {"kind": "text", "label_vi": "Khác", "label_en": "Other"}, page).status_code == 400
    listing = client.get("/surveys/").get_data(as_text=True)
    assert re.search(r"<td class=\"text-end\">4</td>", listing)  # four businesses invited


def test_a_founder_answers_from_their_home_on_a_draft_then_submits(world, db, client):
    survey = _open_survey(world, db)
    response = db.session.scalar(sa.select(SurveyResponse).where(SurveyResponse.company_id == world["inside"].id))
    login(client, world["founder"])
    home = client.get("/").get_data(as_text=True)
    if "/home/" in (client.get("/").headers.get("Location") or ""):
        home = client.get(client.get("/").headers["Location"]).get_data(as_text=True)
    assert f"/surveys/responses/{response.id}/answer" in home
    assert survey.deadline.strftime("%d/%m/%Y") in home
    url = f"/surveys/responses/{response.id}/answer"
    page = client.get(url)
    assert page.status_code == 200
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page.get_data(as_text=True)) or \
        re.search(r'name="version" value="(\d+)"', page.get_data(as_text=True))
    data = {_field(survey, "revenue_total"): "1.250.000.000", _field(survey, "products_on_market"): "yes",
            _field(survey, "product_pillars"): ["economy", "society"], "then": "save",
            "version": version.group(1) if version else ""}
    assert _post(client, url, data).status_code == 302
    db.session.refresh(response)
    assert response.status is ResponseStatus.DRAFT
    assert response.answers[_field(survey, "revenue_total")[1:]] == 1_250_000_000
    # Submitting with required answers missing: refused, said why, nothing submitted.
    confirm = f"/surveys/responses/{response.id}/submit"
    html = client.get(confirm).get_data(as_text=True)
    assert "lao động" in html and 'id="submit-answers"' not in html
    assert _post(client, confirm, {}, confirm).status_code == 303
    db.session.refresh(response)
    assert response.status is ResponseStatus.DRAFT
    data.update({_field(survey, "employees_total"): "25", _field(survey, "employees_it"): "20", "then": "submit",
                 "version": str(response.version_id)})
    saved = _post(client, url, data)
    assert saved.status_code == 302 and saved.headers["Location"].endswith(confirm)
    assert 'id="submit-answers"' in client.get(confirm).get_data(as_text=True)
    done = _post(client, confirm, {}, confirm)
    assert done.status_code == 302
    db.session.refresh(response)
    assert response.status is ResponseStatus.SUBMITTED and response.submitted_by_id == world["founder"].id
    copy = client.get(f"/surveys/responses/{response.id}").get_data(as_text=True)
    assert "1.250.000.000" in copy and "Kinh tế số, Xã hội số" in copy
    # Read-only after: the answer form sends back to the copy, a post changes nothing.
    assert client.get(url).status_code == 302
    before = table_state()
    assert _post(client, url, {**data, "version": str(response.version_id)},
                 f"/surveys/responses/{response.id}").status_code == 302
    assert not written(before, table_state())


def test_a_money_answer_in_words_is_refused_on_the_form(world, db, client):
    survey = _open_survey(world, db)
    response = db.session.scalar(sa.select(SurveyResponse).where(SurveyResponse.company_id == world["inside"].id))
    login(client, world["founder"])
    url = f"/surveys/responses/{response.id}/answer"
    refused = _post(client, url, {_field(survey, "revenue_total"): "một tỷ", "then": "save"})
    assert refused.status_code == 400
    db.session.refresh(response)
    assert response.status is ResponseStatus.INVITED


def test_another_founder_and_another_incubators_staff_meet_not_found(world, db, client, client_factory, make):
    survey = _open_survey(world, db)
    response = db.session.scalar(sa.select(SurveyResponse).where(SurveyResponse.company_id == world["inside"].id))
    other = make.user(Role.FOUNDER)
    make.member(company=make.company(), user=other)
    login(client, other)
    for url in (f"/surveys/responses/{response.id}/answer", f"/surveys/responses/{response.id}/submit",
                f"/surveys/responses/{response.id}"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/surveys/{survey.id}").status_code == 404
    hl = organisation.create("HL", "Vườn ươm Hòa Lạc", "Hòa Lạc incubator")
    db.session.commit()
    theirs = make.user(Role.STAFF, incubator=hl)
    client = client_factory()
    login(client, theirs)
    for url in (f"/surveys/{survey.id}", f"/surveys/responses/{response.id}", f"/surveys/{survey.id}/edit"):
        assert client.get(url).status_code == 404, url
    before = table_state()
    assert _post(client, f"/surveys/{survey.id}/close", {}, "/surveys/").status_code == 404
    assert _post(client, f"/surveys/responses/{response.id}/reopen", {"reason": "x"}, "/surveys/").status_code == 404
    assert not written(before, table_state())
    assert survey.id and "Khảo sát" not in client.get("/surveys/").get_data(as_text=True).split("<tbody>")[1]


def test_staff_reopen_a_submitted_response_and_officials_read_it(world, db, client, client_factory, make):
    survey = _open_survey(world, db)
    response = next(r for r in survey.responses if r.company_id == world["inside"].id)
    ids = {q.key: str(q.id) for q in survey.questions}
    services.save_draft(response, answers={ids["revenue_total"]: 5, ids["employees_total"]: 2,
                                           ids["employees_it"]: 1}, actor=world["founder"])
    services.submit(response, actor=world["founder"])
    db.session.commit()
    official = make.user(Role.OFFICIAL)
    login(client, official)
    page = f"/surveys/responses/{response.id}"
    html = client.get(page).get_data(as_text=True)
    assert world["inside"].name in html and 'id="reopen"' not in html
    assert client.get(f"/surveys/{survey.id}").status_code == 200
    client = client_factory()
    login(client, world["staff"])
    assert _post(client, f"{page}/reopen", {"reason": ""}, page).status_code == 400
    assert _post(client, f"{page}/reopen", {"reason": "Doanh thu ghi nhầm đơn vị"}, page).status_code == 302
    db.session.refresh(response)
    assert response.status is ResponseStatus.DRAFT


def test_staff_and_officials_reach_the_results_and_their_export_from_the_list_and_the_survey(world, db, client_factory,
                                                                                           make):
    draft = new_survey(world["staff"], year=YEAR + 1, opens_on=date(YEAR + 1, 12, 1),
                       deadline=date(YEAR + 2, 1, 31))
    survey = _open_survey(world, db)
    results, export = f"/surveys/{survey.id}/results", f"/surveys/{survey.id}/results.xlsx"
    for person in (world["staff"], make.user(Role.OFFICIAL)):
        client = client_factory()
        login(client, person)
        listing = client.get("/surveys/").get_data(as_text=True)
        row = re.search(rf'<tr data-survey="{survey.id}">(.*?)</tr>', listing, re.S).group(1)
        assert f'href="{results}"' in row and f'href="{export}"' in row
        draft_row = re.search(rf'<tr data-survey="{draft.id}">(.*?)</tr>', listing, re.S).group(1)
        assert "/results" not in draft_row  # a draft has no results yet
        page = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
        links = re.search(r'id="survey-results-links">(.*?)</p>', page, re.S).group(1)
        assert f'href="{results}"' in links and f'href="{export}"' in links
        assert client.get(results).status_code == 200
        got = client.get(export)
        assert got.status_code == 200 and got.headers["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        assert "survey-results-links" not in client.get(f"/surveys/{draft.id}").get_data(as_text=True)
    founder = client_factory()
    login(founder, world["founder"])
    assert client_factory().get(results).status_code in (302, 401)
    assert founder.get(results).status_code == 403 and founder.get(export).status_code == 403


def test_the_remind_command_sends_each_threshold_once(world, db, runner, app):
    survey = new_survey(world["staff"], opens_on=date(YEAR, 12, 1), deadline=date(YEAR + 1, 1, 31))
    services.open_survey(survey, actor=world["staff"], today=date(YEAR, 12, 1))
    db.session.commit()

    def run(day):
        result = runner.invoke(args=["surveys", "remind", "--today", day])
        assert result.exit_code == 0, result.output
        return result.output

    def count():
        return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.purpose == "survey_reminder"))

    assert "0 businesses reminded" in run("2027-01-23")
    # Only the business whose founder has a confirmed address is reminded; the 3 others are said apart.
    output = run("2027-01-24")
    assert "1 business reminded, 1 e-mails queued" in output
    assert "3 businesses due a reminder: no founder to write to" in output
    assert "0 businesses reminded" in run("2027-01-24") and count() == 1
    output = run("2027-01-30")
    assert "1 business reminded, 1 e-mails queued" in output and "3 businesses due" in output and count() == 2
    output = run("2027-01-31")
    assert "0 businesses reminded" in output and "no founder" not in output
    output = run("2027-02-01")
    assert "Survey 2026 closed" in output
    db.session.expire_all()
    assert db.session.get(Survey, survey.id).is_closed
    bad = runner.invoke(args=["surveys", "remind", "--today", "31/01/2027"])
    assert bad.exit_code != 0


def test_the_new_survey_form_proposes_a_year_without_a_survey(world, db, client):
    """One survey a year: the form proposed this year even when it had its survey, and saving it was refused."""
    login(client, world["staff"])
    this_year = local_today().year

    def proposed() -> str:
        html = client.get("/surveys/new").get_data(as_text=True)
        return re.search(r'name="year"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="year"', html).group(0)

    assert f'"{this_year}"' in proposed()
    new_survey(world["staff"], year=this_year, opens_on=date(this_year, 1, 5), deadline=date(this_year, 2, 28))
    db.session.commit()
    assert f'"{this_year + 1}"' in proposed()
    new_survey(world["staff"], year=this_year + 1, opens_on=date(this_year + 1, 1, 5),
               deadline=date(this_year + 1, 2, 28))
    db.session.commit()
    assert f'"{this_year + 2}"' in proposed()
