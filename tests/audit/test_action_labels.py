"""Every action the code writes to the audit log has a label people can read."""

import re
from pathlib import Path

import incubator
from incubator.audit.enums import ACTION_LABELS
from incubator.auth.enums import Role


def test_every_recorded_action_has_a_label():
    package = Path(incubator.__file__).parent
    codes = set()
    for path in package.rglob("*.py"):
        codes.update(re.findall(r'record\(\s*"([a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) > 30  # the search itself works
    assert sorted(codes - set(ACTION_LABELS)) == []


def test_states_are_shown_in_words_on_the_log_and_in_its_export(app, login_as, make):
    from incubator.audit.enums import state_label

    make.audit_entry(action="application.submit", object_type="applications", object_id="7",
                     from_state="draft", to_state="under_review")
    make.audit_entry(action="residency.create", object_type="residencies", to_state="2025-01-01 – …")
    client, _ = login_as(Role.STAFF)
    page = client.get("/audit/").get_data(as_text=True)
    assert "<td>Bản nháp</td><td>Đang đánh giá</td>" in page
    assert "2025-01-01 – …" in page  # a state that is no enumeration's stays as written
    assert "under_review" not in page
    with app.test_request_context():
        assert state_label("under_review", "applications") == "Đang đánh giá"
        assert state_label("active", "users") == "active" and state_label(None) == ""
