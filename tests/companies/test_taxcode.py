"""Tax codes: 10 digits with a check digit, or 10 + "-" + 3 for a branch; refused with the reason."""

import pytest
from flask_babel import force_locale
from flask_wtf import FlaskForm
from wtforms import StringField

from incubator.companies import services, taxcode
from incubator.companies.models import Company
from incubator.errors import DomainError

REAL_EXAMPLES = ["0100109106", "0100047516", "0101243150"]


@pytest.mark.parametrize("code", REAL_EXAMPLES)
def test_real_tax_codes_pass(code):
    assert taxcode.validate(code) == code


@pytest.mark.parametrize("code", [c + "-001" for c in REAL_EXAMPLES])
def test_branch_codes_pass(code):
    assert taxcode.is_valid(code)


def test_spaces_and_dots_that_people_type_are_removed():
    assert taxcode.validate(" 0100.109.106 ") == "0100109106"


@pytest.mark.parametrize("code", ["0100109107", "0100047510", "0101243151", "1234567890"])
def test_wrong_check_digit_is_refused(code):
    with pytest.raises(taxcode.TaxCodeError):
        taxcode.validate(code)


@pytest.mark.parametrize("code", ["", "010010910", "01001091060", "0100109106-01", "01001O9106", "0100109106_001"])
def test_wrong_shape_is_refused(code):
    assert not taxcode.is_valid(code)


def test_a_remainder_of_zero_never_validates():
    # Find nine digits whose weighted sum is a multiple of 11: no tenth digit can make them valid.
    first_nine = next(f"{n:09d}" for n in range(10**8, 10**9) if taxcode.check_digit(f"{n:09d}") is None)
    assert not any(taxcode.is_valid(first_nine + str(d)) for d in range(10))


class CompanyForm(FlaskForm):
    class Meta:
        csrf = False

    tax_code = StringField(validators=[taxcode.TaxCode()])


@pytest.mark.parametrize("locale, words", [("vi", "chữ số kiểm tra"), ("en", "check digit")])
def test_failing_check_digit_is_refused_with_a_message_in_each_language(app, locale, words):
    from werkzeug.datastructures import MultiDict

    with app.test_request_context(), force_locale(locale):
        form = CompanyForm(formdata=MultiDict({"tax_code": "0100109107"}))
        assert not form.validate()
        message = form.tax_code.errors[0]
        assert words in message
        good = CompanyForm(formdata=MultiDict({"tax_code": "0100109106"}))
        assert good.validate()


def test_service_refuses_a_bad_code_unless_staff_note_the_registry_issued_it(db):
    with pytest.raises(DomainError) as refused:
        services.create_company(tax_code="0100109107", name="Công ty Sai Mã", is_it=True)
    assert refused.value.field == "tax_code"
    company = services.create_company(tax_code="0100109107", name="Công ty Mã Đặc Biệt", is_it=True,
                                      tax_code_note="Cục Thuế xác nhận mã này bằng văn bản số 12/CT")
    assert company.tax_code_note.startswith("Cục Thuế")
    assert db.session.query(Company).count() == 1


def test_service_refuses_a_duplicate_code(db):
    services.create_company(tax_code="0100109106", name="Công ty Một", is_it=True)
    with pytest.raises(DomainError):
        services.create_company(tax_code="0100109106", name="Công ty Hai", is_it=False)
