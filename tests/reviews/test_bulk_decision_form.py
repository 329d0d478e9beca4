"""The ranking's bulk decision (issue 17, items left open): a refused one shows the form again with what was
ticked and chosen; ticks apply to the page shown, and the page says so when there are several."""

from __future__ import annotations

import re

import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.mail.models import OutboxMessage
from tests.helpers import nothing_written, post_form
from tests.reviews.test_decisions import _entries


def _checked(html) -> set[int]:
    return {int(v) for v in re.findall(r'name="entries" value="(\d+)"[^>]*\bchecked\b', html)}


def test_a_bulk_decision_without_a_decision_comes_back_with_the_ticks_and_the_texts(login_as, make, db):
    client, _ = login_as(Role.STAFF)
    stage = make.review_stage()
    entries = _entries(make, stage, 4)
    url = f"/reviews/stages/{stage.id}/ranking"
    response = post_form(client, f"/reviews/stages/{stage.id}/decisions",
                         {"entries": [str(entries[0].id), str(entries[2].id)], "decision": "", "reason": "",
                          "reason_text": "Hồ sơ chưa đủ thuyết phục"}, token_from=url)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert _checked(html) == {entries[0].id, entries[2].id}
    assert "Hồ sơ chưa đủ thuyết phục" in html
    assert 'id="decision-feedback"' in html  # the field at fault, with its message
    db.session.expire_all()
    assert all(e.decision is None for e in entries)


def test_a_rejection_without_reason_comes_back_with_the_ticks_and_nothing_is_decided(login_as, make, db):
    client, _ = login_as(Role.STAFF)
    stage = make.review_stage()
    entries = _entries(make, stage, 3)
    url = f"/reviews/stages/{stage.id}/ranking"
    response = post_form(client, f"/reviews/stages/{stage.id}/decisions",
                         {"entries": [str(e.id) for e in entries[:2]], "decision": "reject", "reason": "",
                          "reason_text": ""}, token_from=url)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert _checked(html) == {entries[0].id, entries[1].id}
    assert re.search(r'<option selected value="reject">|<option value="reject" selected>', html)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_nothing_ticked_says_so_beside_the_form(login_as, make):
    client, _ = login_as(Role.STAFF)
    stage = make.review_stage()
    _entries(make, stage, 2)
    url = f"/reviews/stages/{stage.id}/ranking"
    with nothing_written():
        response = post_form(client, f"/reviews/stages/{stage.id}/decisions", {"decision": "waitlist"}, token_from=url)
        assert response.status_code == 400
    assert 'id="entries-feedback"' in response.get_data(as_text=True)


def test_ticks_apply_to_the_page_shown_and_the_page_says_so(login_as, make, db):
    client, _ = login_as(Role.STAFF)
    stage = make.review_stage()
    entries = _entries(make, stage, 52)  # 50 a page
    first = client.get(f"/reviews/stages/{stage.id}/ranking").get_data(as_text=True)
    assert 'id="ticks-this-page"' in first
    second_url = f"/reviews/stages/{stage.id}/ranking?page=2&sort=company&dir=asc"
    second = client.get(second_url).get_data(as_text=True)
    assert 'id="ticks-this-page"' in second
    on_second = [int(v) for v in re.findall(r'name="entries" value="(\d+)"', second)]
    assert len(on_second) == 2
    # the form comes back to the same page, sort and order
    assert f'action="/reviews/stages/{stage.id}/decisions?' in second
    response = post_form(client, f"/reviews/stages/{stage.id}/decisions?page=2&sort=company&dir=asc",
                         {"entries": [str(i) for i in on_second], "decision": "waitlist"}, token_from=second_url)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "page=2" in location and "sort=company" in location
    db.session.expire_all()
    assert sum(e.decision is not None for e in entries) == 2


def test_one_page_says_nothing_about_pages(login_as, make):
    client, _ = login_as(Role.STAFF)
    stage = make.review_stage()
    _entries(make, stage, 2)
    assert 'id="ticks-this-page"' not in client.get(f"/reviews/stages/{stage.id}/ranking").get_data(as_text=True)
