"""A partner's tax code is its own: a second partner with it is refused with the form."""

from incubator.auth.enums import Role
from tests.helpers import post_form


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
