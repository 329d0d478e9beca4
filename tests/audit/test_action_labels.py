"""Every action the code writes to the audit log has a label people can read."""

import re
from enum import Enum
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


def test_a_state_in_words_follows_the_language_of_each_request(app):
    """The table of states is built once; its labels are still translated for each request, not frozen."""
    from flask_babel import force_locale

    from incubator.audit.enums import _state_members, state_label

    with app.test_request_context():
        assert state_label("under_review", "applications") == "Đang đánh giá"  # Vietnamese by default
        with force_locale("en"):
            assert state_label("under_review", "applications") == "Under review"
            assert state_label("graduated", "graduation_outcomes") == "Graduated"
        assert state_label("under_review", "applications") == "Đang đánh giá"
    with app.test_request_context(), force_locale("en"):
        assert state_label("draft", "applications") == "Draft"
    assert _state_members.cache_info().currsize == 1
    # What the cache holds are enum members, never labels already put into one language.
    assert all(isinstance(m, Enum) for members in _state_members().values() for m in members.values())


def test_the_audit_log_shows_states_in_the_readers_language(app, login_as, make):
    make.audit_entry(action="application.submit", object_type="applications", object_id="7",
                     from_state="draft", to_state="under_review")
    vietnamese, _ = login_as(Role.STAFF)
    english, _ = login_as(Role.STAFF, locale="en")
    for _round in range(2):  # each reader in their own language, whoever asked first
        assert "<td>Bản nháp</td><td>Đang đánh giá</td>" in vietnamese.get("/audit/").get_data(as_text=True)
        assert "<td>Draft</td><td>Under review</td>" in english.get("/audit/").get_data(as_text=True)
    export = english.get("/audit/export.csv")
    assert export.status_code == 200 and "Under review" in export.get_data(as_text=True)
