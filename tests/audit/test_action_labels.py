"""Every action the code writes to the audit log has a label people can read."""

import re
from pathlib import Path

import incubator
from incubator.audit.labels import registered_actions
from incubator.auth.enums import Role


def test_every_recorded_action_has_a_label(app):
    """Each domain registers the words for the actions it records (its audit_labels.py)."""
    package = Path(incubator.__file__).parent
    codes = set()
    for path in package.rglob("*.py"):
        codes.update(re.findall(r'record\(\s*"([a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) > 30  # the search itself works
    assert sorted(codes - set(registered_actions())) == []


def test_states_are_shown_in_words_on_the_log_and_in_its_export(app, login_as, make):
    from incubator.audit.labels import state_label

    make.audit_entry(action="application.submit", object_type="applications", object_id="7",
                     from_state="draft", to_state="under_review")
    make.audit_entry(action="residency.create", object_type="residencies", to_state="incubated 2025-01-01–…")
    client, _ = login_as(Role.STAFF)
    page = client.get("/audit/").get_data(as_text=True)
    assert "<td>Bản nháp</td><td>Đang đánh giá</td>" in page
    assert "<td>Doanh nghiệp đang ươm tạo 01/01/2025–…</td>" in page  # a residency's kind and period, in words
    assert "under_review" not in page and "2025-01-01" not in page
    with app.test_request_context():
        assert state_label("under_review", "applications") == "Đang đánh giá"
        assert state_label("active", "users") == "Đang hoạt động" and state_label(None) == ""
        assert state_label("admin,staff", "users") == "Quản trị viên, Cán bộ Vườn ươm"
        assert state_label("final", "periodic_reports") == "Đã hoàn tất"
        assert state_label("staff@vuonuom.example", "users") == "staff@vuonuom.example"  # an address, no role
        assert state_label("Kế hoạch kinh doanh", "applications") == "Kế hoạch kinh doanh"  # no state: as written
        assert state_label("2026-12-02T03:00:00+00:00", "intake_rounds") == "10:00 02/12/2026"  # in Hà Nội time


def test_a_state_in_words_follows_the_language_of_each_request(app):
    """The registry is filled once at start-up; its words are still translated for each request, not frozen."""
    from flask_babel import force_locale

    from incubator.audit import labels
    from incubator.audit.labels import object_text, state_label

    with app.test_request_context():
        assert state_label("under_review", "applications") == "Đang đánh giá"  # Vietnamese by default
        assert object_text("periodic_reports", "1") == "Báo cáo định kỳ số 1"
        with force_locale("en"):
            assert state_label("under_review", "applications") == "Under review"
            assert state_label("graduated", "graduation_outcomes") == "Graduated"
            assert object_text("periodic_reports", "1") == "Periodic report no. 1"
        assert state_label("under_review", "applications") == "Đang đánh giá"
    with app.test_request_context(), force_locale("en"):
        assert state_label("draft", "applications") == "Draft"
    # What the registry holds are enum members and lazy strings, never words already put into one language.
    held = [*labels._OBJECTS.values(), *(w for states in labels._STATES.values() for w in states.values())]
    assert held and not any(type(w) is str for w in held)


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


def test_the_log_names_objects_and_actions_in_words_in_its_filter_rows_and_export(login_as, make):
    """"Báo cáo định kỳ số 1", "đã hoàn tất": no table name, action code or state value is what people read."""
    make.audit_entry(action="report.finalise", object_type="periodic_reports", object_id="1",
                     object_label="15/BC-VUCNTT", to_state="final")
    client, _ = login_as(Role.STAFF)
    page = client.get("/audit/").get_data(as_text=True)
    assert "Báo cáo định kỳ số 1" in page and '<td title="report.finalise">Hoàn tất báo cáo định kỳ</td>' in page
    assert '<option value="periodic_reports">Báo cáo định kỳ</option>' in page  # the filter lists nouns
    assert "<td>Đã hoàn tất</td>" in page and "<code>" not in page  # nothing shown as a code
    visible = re.sub(r"<[^>]+>", " ", page)
    for code in ("periodic_reports", "report.finalise", "final "):
        assert code not in visible
    filtered = client.get("/audit/?object_type=periodic_reports").get_data(as_text=True)
    assert "Báo cáo định kỳ số 1" in filtered
    export = client.get("/audit/export.csv").get_data(as_text=True)
    assert "Báo cáo định kỳ số 1" in export and "Đã hoàn tất" in export
    assert "periodic_reports" not in export and "report.finalise" not in export


def test_a_draft_report_recorded_by_its_period_code_reads_as_its_period_in_words(login_as, make):
    make.audit_entry(action="report.create", object_type="periodic_reports", object_id="2", object_label="2027-Q1")
    make.audit_entry(action="report.create", object_type="periodic_reports", object_id="3", object_label="2026-H2")
    client, _ = login_as(Role.STAFF)
    page = client.get("/audit/").get_data(as_text=True)
    assert "Quý I năm 2027" in page and "6 tháng cuối năm 2026" in page and "2027-Q1" not in page
    export = client.get("/audit/export.csv").get_data(as_text=True)
    assert "Quý I năm 2027" in export and "2027-Q1" not in export
    english, _ = login_as(Role.STAFF, locale="en")
    assert "Quarter I of 2027" in english.get("/audit/").get_data(as_text=True)


def test_the_audit_package_imports_no_domain():
    """audit/ is below every domain: they register their words with it (design.md's layers)."""
    package = Path(incubator.__file__).parent
    domains = {p.name for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()} - {"audit"}
    for path in (package / "audit").glob("*.py"):
        imported = re.findall(r"^\s*(?:from|import) incubator\.(\w+)", path.read_text(encoding="utf-8"), re.M)
        assert not set(imported) & domains, f"{path.name} imports {set(imported) & domains}"


def test_the_object_filter_lists_nouns_in_vietnamese_alphabetical_order(app):
    from incubator.audit.labels import object_choices

    with app.test_request_context():
        assert object_choices(["users", "applications", "reviews", "periodic_reports"]) == [
            ("periodic_reports", "Báo cáo định kỳ"), ("reviews", "Đánh giá"), ("applications", "Hồ sơ"),
            ("users", "Tài khoản")]
