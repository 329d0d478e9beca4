"""Every value in bounds (issue 16): a number the database cannot hold, a decimal that is no number, a control
character anywhere in the query string get a clear answer, never a 500.

Every id of the models is an INTEGER column (32 bits on PostgreSQL, where 2**31 already fails with "integer out
of range"; SQLite fails beyond 64 bits), so numbers are bounded by INTEGER's range where they are read: in a
path (404, by the ``int`` converter), in a query string or a posted id (read as no number, as "abc" is: a
filter's nonsense is ignored), in a form field (the form again, 400, with the field's message). The walk of
every route with such numbers is in tests/test_fuzz_paths.py.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.db import INTEGER_RANGE
from tests.helpers import csrf_token, post_form

HUGE = [2**31, 2**32, 2**63 - 1, 2**63, 2**64, 10**30]
NOT_NUMBERS = ["sNaN", "NaN", "Infinity", "-Infinity", "-sNaN", "snan", "inf", "-nan"]


# ---- Paths ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("number", HUGE)
def test_a_huge_id_in_a_path_is_404_even_anonymously(client, number):
    assert client.get(f"/rounds/{number}").status_code == 404
    assert client.get(f"/rounds/-{number}").status_code == 404


def test_a_huge_id_in_a_path_is_404_for_staff_on_pages_and_posts(login_as, make):
    staff, _ = login_as(Role.STAFF)
    intake_round = make.intake_round()
    token = csrf_token(staff, f"/rounds/{intake_round.id}/edit")
    for number in HUGE:
        assert staff.get(f"/register/{number}/edit").status_code == 404
        assert staff.get(f"/rounds/{number}/applications").status_code == 404
        assert staff.post(f"/rounds/{number}/edit", data={"csrf_token": token}).status_code == 404
        assert staff.post(f"/reviews/stages/{number}/panel/{number}/remove",
                          data={"csrf_token": token}).status_code == 404


def test_the_largest_id_an_integer_column_holds_is_an_ordinary_not_found(login_as):
    staff, _ = login_as(Role.STAFF)
    high = INTEGER_RANGE[1]
    assert staff.get(f"/register/{high}").status_code == 404
    assert staff.get(f"/rounds/{high}").status_code == 404


def test_every_int_in_a_route_is_bounded_by_the_id_columns_range(app):
    """The converter's bound is INTEGER's because every id is an INTEGER column: a wider id (BigInteger) would
    need a wider bound here."""
    from werkzeug.routing import IntegerConverter

    from incubator.extensions import db
    from incubator.web import IdConverter

    ids = [c for t in db.metadata.sorted_tables for c in t.primary_key.columns if isinstance(c.type, sa.Integer)]
    assert ids and all(type(c.type) is sa.Integer for c in ids)
    bounded = 0
    for rule in app.url_map.iter_rules():
        for converter in rule._converters.values():
            if isinstance(converter, IntegerConverter):
                assert isinstance(converter, IdConverter), rule.rule
                assert converter.max <= INTEGER_RANGE[1] and (converter.min or 0) >= INTEGER_RANGE[0], rule.rule
                bounded += 1
    assert bounded > 50


# ---- Query strings and posted ids -------------------------------------------------------------------------

@pytest.mark.parametrize("number", [2**31, 2**63, 10**30, -(2**63) - 1])
def test_a_huge_number_in_a_query_string_is_ignored_as_nonsense_never_a_500(login_as, make, number):
    """Filters ignore what cannot be right (?year=abc, ?year=3000): a number the database cannot hold is such
    nonsense, read as no number before any query sees it."""
    from datetime import date

    from incubator.cohorts.models import ServiceDelivery

    staff, _ = login_as(Role.STAFF)
    cohort = make.cohort()
    company = make.company()
    make._save(ServiceDelivery(kind="training", title="Khóa học kế toán", delivered_on=date(2025, 3, 1)))
    for url in ("/register/", "/register/outcomes", "/services/", "/audit/", "/mentoring/sessions",
                f"/mentoring/cohorts/{cohort.id}", f"/funding/startups/{company.id}"):
        for name in ("page", "year", "member", "partner"):
            response = staff.get(url, query_string={name: str(number)})
            assert response.status_code == 200, (url, name, response.status_code)
    # The filter is left out, as an unreadable one is: the service of 2025 is listed.
    for year in (str(number), "abc", "3000"):
        assert "Khóa học kế toán" in staff.get("/services/", query_string={"year": year}).get_data(as_text=True)
    assert "Khóa học kế toán" not in staff.get("/services/", query_string={"year": "2024"}).get_data(as_text=True)


def test_ordinary_and_unreadable_numbers_in_a_query_string_still_work(login_as):
    staff, _ = login_as(Role.STAFF)
    for value in ("2", "abc", "", str(INTEGER_RANGE[1]), str(10**30), "9" * 5000):
        assert staff.get("/register/", query_string={"page": value}).status_code == 200, value
        assert staff.get("/register/outcomes", query_string={"year": value}).status_code == 200, value


def test_a_huge_id_posted_by_a_button_is_never_a_500(login_as, make):
    """The calendar feed's button posts a company's id (request.form.get(..., type=int)); one beyond INTEGER is
    read as no id, as text is, and never reaches a query."""
    from incubator.web import Parameters

    mentor, _ = login_as(Role.MENTOR)
    for number in (2**31, 2**63, 10**30):
        response = post_form(mentor, "/mentoring/calendar", {"company_id": str(number)}, token_from="/mentoring/")
        assert response.status_code < 500, number
    values = Parameters([("id", str(2**31)), ("id", "7"), ("id", str(-(2**31) - 1)), ("n", str(2**63))])
    assert values.getlist("id", type=int) == [7] and values.get("n", type=int) is None
    assert values.get("n", 5, type=int) == 5 and values.get("id") == str(2**31)


# ---- Forms ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("number", [2**31, 2**63, 2**64, 10**30, -(2**63) - 1])
def test_a_huge_number_in_a_form_reshows_the_form_with_the_fields_message(login_as, make, db, number):
    from incubator.companies.models import Company

    staff, _ = login_as(Role.STAFF)
    company = make.company(employees=12)
    url = f"/register/{company.id}/edit"
    response = post_form(staff, url, {"tax_code": company.tax_code, "name": "Tên mới", "employees": str(number),
                                      "version": str(company.version_id)}, token_from=url)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Số phải nằm trong khoảng từ 0 đến 1000000." in page
    assert page.count("Số phải nằm trong khoảng") == 1  # one message, not one per check
    assert str(number) in page  # what was typed is kept
    db.session.expire_all()
    assert db.session.get(Company, company.id).employees == 12


@pytest.mark.parametrize("version", [str(2**63), str(10**30), "9" * 5000])
def test_a_huge_version_in_a_form_is_a_conflict_not_a_500(login_as, make, version):
    staff, _ = login_as(Role.STAFF)
    company = make.company()
    url = f"/register/{company.id}/edit"
    response = post_form(staff, url, {"tax_code": company.tax_code, "name": "Tên mới", "version": version},
                         token_from=url)
    assert response.status_code == 409


def test_an_integer_field_without_a_range_refuses_what_its_column_cannot_hold(app):
    """A form that declares WTForms' own IntegerField (and no NumberRange) gets the bounds all the same."""
    import wtforms
    from werkzeug.datastructures import MultiDict

    from incubator.forms import Form

    class Bare(Form):
        count = wtforms.IntegerField()
        share = wtforms.DecimalField()

    with app.test_request_context():
        for value, ok in ((str(INTEGER_RANGE[1]), True), (str(INTEGER_RANGE[0]), True), (str(2**31), False),
                          (str(-(2**31) - 1), False), (str(2**63), False), ("12", True)):
            form = Bare(MultiDict({"count": value, "share": "1.5"}), meta={"csrf": False})
            assert form.validate() is ok, value
            assert (form.count.data is not None) is ok
            if not ok:
                assert form.count.errors == ["Số phải nằm trong khoảng từ -2147483648 đến 2147483647."]
        for value in NOT_NUMBERS:
            form = Bare(MultiDict({"count": "1", "share": value}), meta={"csrf": False})
            assert not form.validate() and form.share.data is None
            assert form.share.errors == ["Hãy nhập một số."], value


def test_an_amount_of_money_may_be_as_large_as_its_column(app):
    from werkzeug.datastructures import MultiDict

    from incubator.forms import Form, MoneyField

    class Amount(Form):
        amount = MoneyField()

    with app.test_request_context():
        for value, ok in (("150.000.000.000.000", True), ("999999999999999999", True), ("10" + "0" * 18, False)):
            form = Amount(MultiDict({"amount": value}), meta={"csrf": False})
            assert form.validate() is ok, value


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_target_threshold_that_is_no_number_is_refused_with_the_fields_message(login_as, db, value):
    from incubator.targets.models import Target

    staff, _ = login_as(Role.STAFF)
    response = post_form(staff, "/targets/new", {"code": "IT70", "name_vi": "Tỷ lệ", "name_en": "Ratio",
                                                 "kind": "graduate_count", "threshold": value},
                         token_from="/targets/new")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Hãy nhập một số." in page and value in page
    assert db.session.query(Target).count() == 0


def test_hours_of_a_service_that_are_no_number_are_refused(login_as, make, db):
    from incubator.cohorts.models import ServiceDelivery

    staff, _ = login_as(Role.STAFF)
    company = make.company()
    make.cohort_member(make.cohort(), company)
    for value in ("sNaN", "Infinity", "NaN"):
        response = post_form(staff, "/services/new", {"kind": "training", "title": "Khóa học", "hours": value,
                                                      "delivered_on": "2025-06-30", "recipients": str(company.id)},
                             token_from="/services/new")
        assert response.status_code == 400, value
        assert "Hãy nhập một số." in response.get_data(as_text=True)
    assert db.session.query(ServiceDelivery).count() == 0


# ---- Control characters in the query string -----------------------------------------------------------------

@pytest.mark.parametrize("query_string", ["q=a&q=%00", "q=a&q=b%01c", "%00=1", "a%0Ab=1", "q=a&x%1F=", "q=%7F%00",
                                          "q=%7F", "q=%C2%85", "q=%E2%80%A8", "q=abc%E2%80%AEgnp.exe", "%C2%9B=1"])
def test_a_control_character_in_any_value_or_key_of_the_query_string_is_400(login_as, client, query_string):
    assert client.get("/login", query_string=query_string).status_code == 400
    staff, _ = login_as(Role.STAFF)
    assert staff.get("/register/", query_string=query_string).status_code == 400


def test_a_query_string_without_control_characters_is_served(login_as):
    staff, _ = login_as(Role.STAFF)
    assert staff.get("/register/", query_string="q=a&q=b&is_it=1").status_code == 200


@pytest.mark.parametrize("value", ["1e-999999999", "1E+999999", "1E+30", "0.000000000000000000000000000001"])
def test_a_decimal_beyond_what_its_column_reads_is_rounded_or_refused_never_a_500(login_as, db, value):
    """PostgreSQL cannot read 1e-999999999 into a NUMERIC column at all: the form rounds it to the column's
    places (0.00), as the column would; a number too long to round is refused with the field's message."""
    from decimal import Decimal

    from incubator.targets.models import Target

    staff, _ = login_as(Role.STAFF)
    response = post_form(staff, "/targets/new", {"code": "G10", "name_vi": "Tốt nghiệp", "name_en": "Graduates",
                                                 "kind": "graduate_count", "threshold": value},
                         token_from="/targets/new")
    assert response.status_code < 500
    # The city's row (the only incubator gets its own copy of a city target added, the same values).
    target = db.session.query(Target).filter(Target.incubator_id.is_(None)).one_or_none()
    if Decimal(value) < 1:
        assert target is None or target.threshold == 0
    else:
        assert response.status_code == 400 and target is None
        assert "Số phải nằm trong khoảng từ 0 đến 1000000." in response.get_data(as_text=True)


def _integer_fields(form_class):
    """(name, field class, its minimum and maximum, its NumberRange validators) of a form class's integer fields,
    as Form.Meta.bind_field binds them."""
    import wtforms
    from wtforms.fields.core import UnboundField

    from incubator.forms import _BOUNDED

    for name in dir(form_class):
        unbound = getattr(form_class, name, None)
        if not isinstance(unbound, UnboundField) or not issubclass(unbound.field_class, wtforms.IntegerField):
            continue
        field_class = _BOUNDED.get(unbound.field_class, unbound.field_class)
        validators = unbound.kwargs.get("validators") or (unbound.args[1] if len(unbound.args) > 1 else [])
        yield (name, field_class, unbound.kwargs.get("minimum", field_class.minimum),
               unbound.kwargs.get("maximum", field_class.maximum),
               [v for v in validators if isinstance(v, wtforms.validators.NumberRange)])


def test_no_integer_field_refuses_by_its_columns_bounds_a_number_its_range_allows(app, make):
    """A field whose NumberRange allows more than INTEGER holds says how wide its column is (MoneyField,
    minimum/maximum): otherwise a valid amount (3 000 000 000 đồng) would be refused."""
    from wtforms.validators import NumberRange

    from incubator.applications.answer_forms import answer_form
    from incubator.applications.enums import QuestionKind
    from incubator.applications.models import RoundQuestion
    from incubator.forms import Form

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    checked = 0
    for form_class in set(subclasses(Form)):
        for name, _field, low, high, ranges in _integer_fields(form_class):
            for number_range in ranges:
                assert number_range.min is None or number_range.min >= low, (form_class, name)
                assert number_range.max is None or number_range.max <= high, (form_class, name)
                checked += 1
    assert checked > 20
    intake_round = make.intake_round()
    for position, kind in enumerate((QuestionKind.NUMBER, QuestionKind.MONEY), start=1):
        make._save(RoundQuestion(round=intake_round, kind=kind, position=position, label_vi=f"Câu {position}",
                                 label_en=f"Question {position}"))
    with app.test_request_context():
        form = answer_form(intake_round, meta={"csrf": False})
        fields = [f for f in form if hasattr(f, "maximum")]
        assert len(fields) >= 5  # employees, revenue, capital and the two questions
        for field in fields:
            for number_range in (v for v in field.validators if isinstance(v, NumberRange)):
                assert field.minimum <= number_range.min and number_range.max <= field.maximum, field.name


def test_a_blank_number_is_left_to_optional_and_required_as_before(app, login_as, make, db):
    """The bounded fields stop at a number they refuse, not at a blank one: Optional() lets it through (a
    business saved without its employees), InputRequired() asks for it."""
    import wtforms
    from werkzeug.datastructures import MultiDict
    from wtforms.validators import InputRequired, Optional

    from incubator.companies.models import Company
    from incubator.forms import Form, MoneyField

    class Numbers(Form):
        optional = wtforms.IntegerField(validators=[Optional()])
        money = MoneyField(validators=[Optional()])
        share = wtforms.DecimalField(places=2, validators=[Optional()])
        required = wtforms.IntegerField(validators=[InputRequired(message="Nhập số.")])

    with app.test_request_context():
        form = Numbers(MultiDict({"optional": "", "money": " ", "share": "", "required": "3"}), meta={"csrf": False})
        assert form.validate(), form.errors
        form = Numbers(MultiDict({"optional": "", "money": "", "share": "", "required": ""}), meta={"csrf": False})
        assert not form.validate() and "Nhập số." in form.required.errors and list(form.errors) == ["required"]

    staff, _ = login_as(Role.STAFF)
    company = make.company(employees=12)
    url = f"/register/{company.id}/edit"
    response = post_form(staff, url, {"tax_code": company.tax_code, "name": company.name, "employees": "",
                                      "version": str(company.version_id)}, token_from=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Company, company.id).employees is None


@pytest.mark.parametrize("text", ["Công ty\x7f", "Công ty\u0085Số", "Công ty\u2028Số", "Công ty \u202egnp.exe"])
def test_a_name_with_an_invisible_control_character_is_refused_with_the_form_kept(login_as, db, text):
    """DEL, the C1 controls, the line separator and the bidirectional overrides are refused like NUL: a name
    that displays otherwise than it is stored cannot enter the register."""
    from incubator.companies.models import Company

    staff, _ = login_as(Role.STAFF)
    response = post_form(staff, "/register/new", {"tax_code": "0100109106", "name": text, "is_it": "y"},
                         token_from="/register/new")
    assert response.status_code == 400
    assert "ký tự điều khiển" in response.get_data(as_text=True)
    assert db.session.query(Company).count() == 0
