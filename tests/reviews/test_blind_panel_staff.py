"""A stage can keep the staff on its panel blind to the ranking until they have submitted their own reviews
(issue 17, an item left open)."""

from __future__ import annotations

import pytest

from incubator.auth.enums import Role
from incubator.reviews.permissions import can_see_ranking, reviews_due
from tests.helpers import post_form


@pytest.fixture
def case(make, login_as):
    stage = make.review_stage(blind_panel_staff=True)
    entry = make.stage_entry(stage)
    client, staff = login_as(Role.STAFF, full_name="Cán bộ Ngô Thị Hoa")
    own = make.assignment(entry, staff)
    other = make.assignment(entry, make.user(Role.REVIEWER, full_name="Chuyên gia Tạ Văn Nam"))
    make.review(other, values=[5, 4])
    return {"stage": stage, "entry": entry, "client": client, "staff": staff, "own": own, "other": other}


def test_staff_with_reviews_due_on_a_blind_stage_do_not_see_the_ranking(case):
    stage, client, staff = case["stage"], case["client"], case["staff"]
    assert reviews_due(staff, stage) == 1 and not can_see_ranking(staff, stage)
    page = client.get(f"/reviews/stages/{stage.id}/ranking")
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert 'id="blind"' in html and "VU-2026" not in html
    assert client.get(f"/reviews/stages/{stage.id}/ranking.xlsx").status_code == 403
    assert client.get(f"/reviews/entries/{case['entry'].id}/decide").status_code == 403
    decided = post_form(client, f"/reviews/stages/{stage.id}/decisions",
                        {"entries": str(case["entry"].id), "decision": "accept"},
                        token_from=f"/reviews/stages/{stage.id}")
    assert decided.status_code == 403
    # nor the other reviewer's score on the application's page
    file = client.get(f"/applications/{case['entry'].application_id}/file").get_data(as_text=True)
    assert "Chuyên gia Tạ Văn Nam" not in file


def test_once_their_reviews_are_submitted_the_ranking_opens(case, make):
    make.review(case["own"], values=[3, 3])
    stage, client = case["stage"], case["client"]
    assert reviews_due(case["staff"], stage) == 0
    assert client.get(f"/reviews/stages/{stage.id}/ranking").status_code == 200
    file = client.get(f"/applications/{case['entry'].application_id}/file").get_data(as_text=True)
    assert "Chuyên gia Tạ Văn Nam" in file


def test_staff_off_the_panel_and_stages_not_blind_see_it_as_before(case, make, login_as):
    stage = case["stage"]
    client, _ = login_as(Role.STAFF)
    assert client.get(f"/reviews/stages/{stage.id}/ranking").status_code == 200
    open_stage = make.review_stage()
    make.assignment(make.stage_entry(open_stage), case["staff"])
    assert case["client"].get(f"/reviews/stages/{open_stage.id}/ranking").status_code == 200


def test_the_setting_is_a_field_of_the_stage_form(make, login_as, db):
    stage = make.review_stage()
    client, _ = login_as(Role.STAFF)
    page = f"/reviews/stages/{stage.id}/edit"
    assert 'name="blind_panel_staff"' in client.get(page).get_data(as_text=True)
    data = {"name_vi": stage.name_vi, "name_en": stage.name_en, "reviewers_per_application": "3",
            "closes_at": "2030-01-01T17:00", "spread_threshold": "25", "blind_panel_staff": "y",
            "version": stage.version_id}
    response = post_form(client, page, data, token_from=page)
    assert response.status_code == 302, response.get_data(as_text=True).split("<form")[-1][:3000]
    db.session.expire_all()
    assert stage.blind_panel_staff is True
    assert 'id="blind-note"' in client.get(f"/reviews/stages/{stage.id}").get_data(as_text=True)
