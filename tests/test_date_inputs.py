"""Dates are typed and shown as dd/mm/yyyy (times HH:mm, Hà Nội) in both languages, whatever the browser's
language (issue 18): the fields are text boxes read on the server; what cannot be a day is refused at its field."""

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.i18n import UnreadableDate, parse_date, read_date, read_datetime, read_time
from tests.helpers import post_form, tax_code


@pytest.mark.parametrize(("text", "day"), [
    ("31/12/2025", date(2025, 12, 31)), ("1/2/2026", date(2026, 2, 1)), ("01/02/2026", date(2026, 2, 1)),
    (" 05/06/2026 ", date(2026, 6, 5)), ("31.12.2025", date(2025, 12, 31)), ("31-12-2025", date(2025, 12, 31)),
    ("31122025", date(2025, 12, 31)),  # a phone's numeric keypad has no slash
    ("2025-12-31", date(2025, 12, 31)), ("29/02/2024", date(2024, 2, 29)), ("", None), ("   ", None),
])
def test_a_day_is_read_day_first_as_written_here_or_in_iso(text, day):
    assert read_date(text) == day


@pytest.mark.parametrize(("text", "reason"), [
    ("31/02/2026", "no_such_day"), ("29/02/2025", "no_such_day"), ("12/31/2025", "no_such_day"),  # month first
    ("00/01/2025", "no_such_day"), ("1/2/25", "short_year"), ("01/02/025", "short_year"), ("010225", "short_year"),
    ("hôm qua", "format"), ("2025/12/31", "format"), ("31/12/20255", "format"), ("31/12/2025 10:00", "format"),
])
def test_what_is_not_a_day_is_refused_saying_why(text, reason):
    with pytest.raises(UnreadableDate) as caught:
        read_date(text)
    assert caught.value.reason == reason
    assert parse_date(text) is None  # a query string's filter: ignored, not an error page


def test_a_day_and_time_is_read_as_the_pages_print_it_or_day_first_or_iso():
    expected = datetime(2026, 3, 31, 17, 0)
    for text in ("17:00 31/03/2026", "31/03/2026 17:00", "17h 31/3/2026", "2026-03-31T17:00", "2026-03-31 17:00:00"):
        assert read_datetime(text) == expected, text
    for text, reason in (("31/03/2026", "no_time"), ("25:00 31/03/2026", "format"), ("17:00 31/02/2026", "no_such_day"),
                         ("17:00 31/03/26", "short_year"), ("ngày mai lúc 5 giờ", "format")):
        with pytest.raises(UnreadableDate) as caught:
            read_datetime(text)
        assert caught.value.reason == reason, text
    assert [read_time(t) for t in ("14:30", "9:05", "9h30", "9h", "0930")] == [
        time(14, 30), time(9, 5), time(9, 30), time(9, 0), time(9, 30)]
    for text in ("24:00", "9:60", "2 PM", "9:5"):
        with pytest.raises(UnreadableDate):
            read_time(text)


@pytest.fixture
def staff(login_as):
    client, _ = login_as(Role.STAFF)
    return client


@pytest.fixture
def staff_en(login_as):
    """Staff reading in English: the messages are asserted in the language whose words the tests can rely on
    before the catalogues are updated; the days are the same in both languages."""
    client, _ = login_as(Role.STAFF, locale="en")
    return client


def _founding(staff, text, n):
    return post_form(staff, "/register/new", {"tax_code": tax_code(n), "name": f"Công ty TNHH Ngày {n}", "is_it": "y",
                                              "founded_on": text}, token_from="/register/new")


def test_a_business_founded_on_a_day_typed_as_dd_mm_yyyy_is_registered_and_shown_back_so(staff, db):
    from incubator.companies.models import Company

    response = _founding(staff, "12/02/2021", 171701)
    assert response.status_code == 302
    company = db.session.scalar(sa.select(Company).where(Company.tax_code == tax_code(171701)))
    assert company.founded_on == date(2021, 2, 12)  # the 12th of February, not the 2nd of December
    page = staff.get(f"/register/{company.id}/edit").get_data(as_text=True)
    assert 'value="12/02/2021"' in page and 'placeholder="dd/mm/yyyy"' in page and 'type="date"' not in page
    assert 'data-datepicker="date"' in page and 'inputmode="numeric"' in page


@pytest.mark.parametrize(("typed", "message"), [
    ("31/02/2021", "There is no day 31/02/2021: write the day, then the month, then the year (dd/mm/yyyy)."),
    ("12/02/21", "Write the year with its four digits: dd/mm/yyyy."),
    ("ngày 12 tháng 2", "Enter the date as dd/mm/yyyy, for example 31/12/2025."),
    ("02/31/2021", "There is no day 02/31/2021"),  # month first, as an English browser would have it
])
def test_a_day_that_cannot_be_read_is_refused_at_its_field_with_what_was_typed(staff_en, db, typed, message):
    from incubator.companies.models import Company

    response = _founding(staff_en, typed, 171702)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Company)) == 0
    feedback = page.split('id="founded_on-feedback"', 1)[1].split("</div></div>", 1)[0]
    assert message in feedback, feedback
    assert f'value="{typed}"' in page  # kept as typed


def test_english_pages_write_and_read_days_the_same_way(staff_en, db):
    from incubator.companies.models import Company

    assert _founding(staff_en, "03/04/2021", 171704).status_code == 302
    company = db.session.scalar(sa.select(Company).where(Company.tax_code == tax_code(171704)))
    assert company.founded_on == date(2021, 4, 3)  # the 3rd of April
    page = staff_en.get(f"/register/{company.id}/edit").get_data(as_text=True)
    assert '<html lang="en">' in page and 'value="03/04/2021"' in page


def test_a_rounds_times_are_typed_and_shown_as_hh_mm_dd_mm_yyyy_in_hanoi(staff_en, db):
    from incubator.applications.models import IntakeRound
    from tests.applications.test_rounds import ROUND

    staff = staff_en
    response = post_form(staff, "/rounds/new", {**ROUND, "opens_at": "08:00 01/03/2026",
                                                "closes_at": "31/03/2026 17:00"}, token_from="/rounds/new")
    assert response.status_code == 302
    intake_round = db.session.query(IntakeRound).one()
    assert intake_round.opens_at == datetime(2026, 3, 1, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
    assert intake_round.closes_at == datetime(2026, 3, 31, 10, 0, tzinfo=UTC)
    page = staff.get(f"/rounds/{intake_round.id}/edit").get_data(as_text=True)
    assert 'value="08:00 01/03/2026"' in page and 'value="17:00 31/03/2026"' in page
    response = post_form(staff, f"/rounds/{intake_round.id}/edit", {**ROUND, "closes_at": "31/03/2026"},
                         token_from=f"/rounds/{intake_round.id}/edit")
    assert response.status_code == 400
    assert "Give the time as well: HH:mm dd/mm/yyyy" in response.get_data(as_text=True)


def test_a_mentors_session_is_logged_with_a_day_typed_dd_mm_yyyy_and_a_24_hour_time(make, db, login_as):
    from incubator.mentoring.models import MentoringSession

    mentor_client, mentor = login_as(Role.MENTOR, partner=make.partner(), locale="en")
    assignment = make.mentor_assignment(make.cohort_member(make.cohort()), mentor)
    url = f"/mentoring/assignments/{assignment.id}/sessions/new"
    response = post_form(mentor_client, url, {"starts_on": "10/03/2025", "starts_time": "14h30", "minutes": "60",
                                               "mode": "in_person", "place": "Phòng họp"}, token_from=url)
    assert response.status_code == 302
    session = db.session.scalar(sa.select(MentoringSession))
    assert session.starts_at == datetime(2025, 3, 10, 7, 30, tzinfo=UTC)
    page = mentor_client.get(f"/mentoring/sessions/{session.id}").get_data(as_text=True)
    assert 'value="10/03/2025"' in page and 'value="14:30"' in page and 'type="time"' not in page
    response = post_form(mentor_client, url, {"starts_on": "10/03/2025", "starts_time": "2 PM", "minutes": "60",
                                              "mode": "in_person"}, token_from=url)
    assert response.status_code == 400
    assert "Enter the time as HH:mm on the 24-hour clock" in response.get_data(as_text=True)


def test_the_lists_filters_and_the_dashboard_read_and_write_dd_mm_yyyy(staff, login_as):
    page = staff.get("/targets/?as_of=31/12/2025").get_data(as_text=True)
    assert 'name="as_of"' in page and 'value="31/12/2025"' in page and "31/12/2025" in page
    assert 'value="31/12/2025"' in staff.get("/targets/?as_of=2025-12-31").get_data(as_text=True)
    page = staff.get("/targets/?as_of=31/02/2025").get_data(as_text=True)  # no such day: today's figures,
    assert 'aria-invalid="true"' in page and 'id="as_of-error"' in page  # and the field says why
    page = staff.get("/mentoring/sessions?date_from=1/1/2025&date_to=31/12/2025").get_data(as_text=True)
    assert 'value="01/01/2025"' in page and 'value="31/12/2025"' in page and 'type="date"' not in page
    admin, _ = login_as(Role.ADMIN)
    page = admin.get("/audit/?date_from=01/01/2025").get_data(as_text=True)
    assert 'value="01/01/2025"' in page and 'type="date"' not in page


# ---- A report's period, chosen ----------------------------------------------------------------------------

def test_a_reports_period_is_chosen_and_keeps_its_code(staff_en, db):
    from incubator.reports.models import PeriodicReport

    staff = staff_en
    page = staff.get("/reports/").get_data(as_text=True)
    assert 'name="year"' in page and 'name="part"' in page and "Quarter II (April to June)" in page
    assert "2025-Q2" not in page  # nothing to type as a code
    for year, part, code, start, end in (("2025", "Q2", "2025-Q2", date(2025, 4, 1), date(2025, 6, 30)),
                                         ("2025", "H1", "2025-H1", date(2025, 1, 1), date(2025, 6, 30)),
                                         ("2024", "year", "2024", date(2024, 1, 1), date(2024, 12, 31))):
        assert post_form(staff, "/reports/new", {"year": year, "part": part}, token_from="/reports/").status_code == 302
        report = db.session.scalar(sa.select(PeriodicReport).order_by(PeriodicReport.id.desc()).limit(1))
        assert (report.period_label, report.period_start, report.period_end) == (code, start, end)
    response = post_form(staff, "/reports/new", {"year": "2025", "part": "dates", "start": "01/07/2025",
                                                 "end": "15/08/2025"}, token_from="/reports/")
    assert response.status_code == 302
    report = db.session.scalar(sa.select(PeriodicReport).order_by(PeriodicReport.id.desc()).limit(1))
    assert (report.period_label, report.period_start, report.period_end) == ("custom", date(2025, 7, 1),
                                                                            date(2025, 8, 15))


def test_a_reports_period_refused_says_why_at_its_field_and_keeps_the_choice(staff_en, db):
    from incubator.reports.models import PeriodicReport

    staff = staff_en
    cases = (({"year": "2025", "part": "Q2", "start": "01/07/2025"}, "part", "choose “Between two dates”"),
             ({"year": "2025", "part": "dates", "start": "01/07/2025"}, "end", "Enter both dates"),
             ({"year": "2025", "part": "dates", "start": "15/08/2025", "end": "01/07/2025"}, "end", ""),
             ({"year": "1999", "part": "Q1"}, "year", ""), ({"year": "2025", "part": "Q5"}, "part", ""))
    for data, field, words in cases:
        response = post_form(staff, "/reports/new", data, token_from="/reports/")
        page = response.get_data(as_text=True)
        assert response.status_code == 400, data
        feedback = page.split(f'id="{field}-feedback"', 1)[1].split("</div></div>", 1)[0]
        assert 'invalid-feedback' in page.split(f'id="{field}-feedback"', 1)[0][-80:] and words in feedback, data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PeriodicReport)) == 0


def test_the_new_reports_choice_starts_at_the_last_quarter_ended():
    from incubator.reports.forms import last_quarter

    assert last_quarter(date(2026, 12, 2)) == (2026, "Q3")
    assert last_quarter(date(2026, 2, 10)) == (2025, "Q4")
    assert last_quarter(date(2026, 4, 1)) == (2026, "Q1")


@pytest.mark.parametrize("blank", ["\r", "  ", "\t\n"])
def test_a_required_day_or_time_given_only_spaces_is_asked_for(app, blank):
    """A line break alone got past InputRequired() and reached the service as None (a 500 on a session)."""
    from werkzeug.datastructures import MultiDict
    from wtforms.validators import InputRequired

    from incubator.forms import DateField, Form, TimeField

    class Both(Form):
        day = DateField("Day", validators=[InputRequired(message="Enter the date.")])
        hour = TimeField("Hour", validators=[InputRequired(message="Enter the time.")])

    with app.test_request_context(method="POST"):
        form = Both(formdata=MultiDict({"day": blank, "hour": blank}), meta={"csrf": False})
        assert not form.validate()
        assert form.errors == {"day": ["Enter the date."], "hour": ["Enter the time."]}
