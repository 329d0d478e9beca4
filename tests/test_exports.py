"""The headers of every list export: one charset on CSV, none on XLSX, always a download."""

from __future__ import annotations

from flask import url_for

from incubator.auth.enums import Role
from incubator.exports import XLSX_MIMETYPE


def test_every_csv_export_says_charset_utf_8_once_and_xlsx_has_none(app, login_as, make):
    staff = login_as(Role.STAFF)[0]
    mentor = login_as(Role.MENTOR)[0]
    admin = login_as(Role.ADMIN)[0]
    entry = make.stage_entry()
    values = {"cohort_id": make.cohort().id, "stage_id": entry.stage.id, "round_id": entry.stage.round.id}
    exports = [(rule.endpoint, {a: values[a] for a in rule.arguments if a != "fmt"})
               for rule in app.url_map.iter_rules() if "fmt" in rule.arguments]
    assert len(exports) >= 10
    for endpoint, arguments in exports:
        client = {"mentoring.export_my_sessions": mentor, "admin.export_users": admin}.get(endpoint, staff)
        with app.test_request_context():
            csv_url, xlsx_url = (url_for(endpoint, fmt=f, **arguments) for f in ("csv", "xlsx"))
        csv = client.get(csv_url)
        assert csv.status_code == 200, csv_url
        assert csv.headers["Content-Type"] == "text/csv; charset=utf-8", csv_url
        assert csv.headers["Content-Disposition"].startswith("attachment;"), csv_url
        xlsx = client.get(xlsx_url)
        assert xlsx.status_code == 200, xlsx_url
        assert xlsx.headers["Content-Type"] == XLSX_MIMETYPE, xlsx_url
        assert xlsx.headers["Content-Disposition"].startswith("attachment;"), xlsx_url
