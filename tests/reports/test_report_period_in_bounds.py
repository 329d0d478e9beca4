"""A report for a period at the ends of the calendar is refused, back to the list with nothing made (found by
tests/test_fuzz_forms.py)."""

from incubator.auth.enums import Role
from tests.helpers import post_form


def test_a_report_for_a_period_at_the_ends_of_the_calendar_is_refused(login_as, db):
    """Its figures' day boundaries, computed in Hà Nội time, overflowed: the report's page gave a 500."""
    from incubator.reports.models import PeriodicReport

    staff, _ = login_as(Role.STAFF)
    for start, end in (("0001-01-01", "9999-12-31"), ("9999-12-01", "9999-12-31"), ("1999-12-01", "2000-01-31")):
        response = post_form(staff, "/reports/new", {"start": start, "end": end}, token_from="/reports/")
        assert response.status_code < 500
        assert response.headers.get("Location", "/reports/") == "/reports/"  # back to the list, nothing made
    assert db.session.query(PeriodicReport).count() == 0
    response = post_form(staff, "/reports/new", {"start": "2025-01-01", "end": "2025-06-30"}, token_from="/reports/")
    assert response.status_code == 302 and staff.get(response.headers["Location"]).status_code == 200
