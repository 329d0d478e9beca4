"""A startup is admitted by its tax code: a crafted value that names none is refused with the reason and the form."""

from incubator.auth.enums import Role
from tests.helpers import post_form


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
