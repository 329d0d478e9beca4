"""A mentor's profile takes only the topics it offers: a value that is none of the boxes is refused."""

from incubator.auth.enums import Role
from tests.helpers import post_form


def test_a_checkbox_value_that_is_none_of_the_boxes_is_refused(login_as, db):
    """Optional() used to clear the "not a valid choice" error of an empty value, and the service then failed."""
    from incubator.mentoring.models import MentorProfile

    mentor, _ = login_as(Role.MENTOR)
    for topics in ("", "khong-phai-chu-de"):
        response = post_form(mentor, "/mentoring/profile", {"topics": topics, "languages": "vi", "capacity": "3"},
                             token_from="/mentoring/profile")
        assert response.status_code == 400
    assert db.session.query(MentorProfile).count() == 0
    response = post_form(mentor, "/mentoring/profile", {"topics": "product", "languages": "vi", "capacity": "3"},
                         token_from="/mentoring/profile")
    assert response.status_code == 302
