"""A review stage closing at the ends of the calendar is refused with the form (found by tests/test_fuzz_forms.py)."""

from incubator.auth.enums import Role
from tests.helpers import post_form


def test_a_review_stage_closing_at_the_ends_of_the_calendar_is_refused_with_the_form(login_as, make, db):
    """0001-01-01T00:00 in Hà Nội is before year 1 in UTC: moving it overflowed (a 500)."""
    staff, _ = login_as(Role.STAFF)
    stage = make.review_stage()
    closes_at = stage.closes_at
    url = f"/reviews/stages/{stage.id}/edit"
    for typed in ("0001-01-01T00:00", "9999-12-31T23:59", "1989-12-31T23:59", "2101-01-01T00:00"):
        response = post_form(staff, url, {"name_vi": "Vòng một", "name_en": "Round one", "closes_at": typed,
                                          "reviewers_per_application": "3", "spread_threshold": "25",
                                          "version": str(stage.version_id)}, token_from=url)
        assert response.status_code == 400, typed
        assert "Vòng một" in response.get_data(as_text=True)  # what was typed is kept
    db.session.refresh(stage)
    assert stage.closes_at == closes_at and stage.name_vi != "Vòng một"
