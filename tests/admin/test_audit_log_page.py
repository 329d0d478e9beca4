"""The audit log's page: staff browse and filter it; no route changes it."""

from incubator.auth.enums import Role


def test_staff_browse_and_filter_the_log(login_as, make):
    client, _staff = login_as(Role.STAFF)
    make.audit_entry(action="residency.end", object_type="residencies", object_id="7", actor_email="a@x.example")
    make.audit_entry(action="user.deactivate", object_type="users", object_id="9", actor_email="b@x.example")
    end, deactivate = '<td title="residency.end">', '<td title="user.deactivate">'  # rows of the table
    html = client.get("/audit/?action=residency").get_data(as_text=True)
    assert end in html and deactivate not in html
    html = client.get("/audit/?object_type=users&object_id=9").get_data(as_text=True)
    assert deactivate in html and end not in html
    html = client.get("/audit/?actor=b%40x").get_data(as_text=True)
    assert deactivate in html and end not in html
    # Nonsense in the filters is ignored, never a server error.
    for query in ("date_from=31/02/2025", "date_to=9999-12-31", "page=-5", "page=abc", "page=99999999999999999999",
                  "actor=%F0%9F%98%80", "action=" + "x" * 5000):
        assert client.get(f"/audit/?{query}").status_code == 200, query
    assert client.get("/audit/?action=%00").status_code == 400


def test_the_log_has_no_route_that_changes_it(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("audit."):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule
