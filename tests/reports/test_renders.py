"""Reports' PDFs drawn in the background (issue 23): at the city's scale a report takes seconds to draw, so the
page's button asks for it, a worker draws it, and the page the reader is sent to says where it stands, then
opens it. Through the doors people use: the buttons, the render's page, the file, the command."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.db import utcnow
from incubator.organisation import services as organisation
from incubator.reports import renders, services
from incubator.reports.enums import RenderKind, RenderStatus
from incubator.reports.models import PeriodicReport, ReportRender
from incubator.uploads.stores import StoredFile
from tests.helpers import post_form


@pytest.fixture
def draft(make, db):
    staff = make.user(Role.STAFF)
    report = services.create(actor=staff, period_label="2025", start=date(2025, 1, 1), end=date(2025, 12, 31),
                             number="07/BC-VƯTT", shortcomings="Thiếu mặt bằng cho các nhóm khởi nghiệp mới.")
    db.session.commit()
    return report


def _ask(client, report, lang="vi"):
    return post_form(client, f"/reports/{report.id}/pdf", {"lang": lang}, token_from=f"/reports/{report.id}")


def _render_id(response) -> int:
    assert response.status_code == 302, response.status_code
    return int(re.search(r"/reports/renders/(\d+)$", response.headers["Location"]).group(1))


def test_a_drafts_pdf_is_drawn_by_a_thread_while_its_page_says_so_then_opens(draft, login_as, app, db,
                                                                             monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_RENDERS", "background")  # as in production: a thread of the server
    client, _ = login_as(Role.STAFF)
    assert f'action="/reports/{draft.id}/pdf"' in client.get(f"/reports/{draft.id}").get_data(as_text=True)
    render_id = _render_id(_ask(client, draft))
    deadline = time.monotonic() + 120
    while True:
        page = client.get(f"/reports/renders/{render_id}?waited=1").get_data(as_text=True)
        if 'id="render-download"' in page or time.monotonic() > deadline:
            break
        assert f'http-equiv="refresh" content="2;url=/reports/renders/{render_id}?waited=1"' in page
        assert "role=\"status\"" in page
        time.sleep(0.3)
    assert "The PDF is ready." in page or "Tệp PDF đã sẵn sàng." in page, page[-3000:]
    # Reached through the page's own refresh, it opens the file by itself; the button leads there too.
    file_url = f"/reports/renders/{render_id}.pdf"
    assert f'content="0;url={file_url}"' in page and f'href="{file_url}"' in page
    response = client.get(file_url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "filename=bao-cao-2025-v1-vi.pdf" in response.headers["Content-Disposition"]
    db.session.expire_all()
    render = db.session.get(ReportRender, render_id)
    assert render.status is RenderStatus.DONE and render.size == len(response.data) and render.seconds > 0


def test_with_a_separate_worker_the_page_waits_and_the_command_draws_it(draft, login_as, app, db, runner,
                                                                        monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_RENDERS", "worker")
    client, _ = login_as(Role.STAFF)
    render_id = _render_id(_ask(client, draft, "en"))
    assert _render_id(_ask(client, draft, "en")) == render_id  # a second click: the same render, not a second
    page = client.get(f"/reports/renders/{render_id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and 'id="render-download"' not in page
    assert client.get(f"/reports/renders/{render_id}.pdf").status_code == 404  # not drawn yet
    result = runner.invoke(args=["renders", "run"])
    assert result.exit_code == 0 and "1 PDF(s) drawn" in result.output, result.output
    page = client.get(f"/reports/renders/{render_id}").get_data(as_text=True)
    assert 'id="render-download"' in page and 'http-equiv="refresh"' not in page  # not reached by refreshing
    assert client.get(f"/reports/renders/{render_id}.pdf").data.startswith(b"%PDF")
    assert runner.invoke(args=["renders", "run"]).output.strip() == "0 PDF(s) drawn"


def test_a_newer_pdf_of_the_same_report_replaces_the_older_and_its_file(draft, login_as, app, db):
    client, _ = login_as(Role.STAFF)  # inline in tests: drawn within the request
    first = _render_id(_ask(client, draft))
    stored = db.session.get(ReportRender, first).stored_name
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile).where(StoredFile.name == stored)) == 1
    second = _render_id(_ask(client, draft))
    assert second != first
    db.session.expire_all()
    assert db.session.get(ReportRender, first) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile).where(StoredFile.name == stored)) == 0
    assert client.get(f"/reports/renders/{second}.pdf").data.startswith(b"%PDF")


def test_a_failed_or_abandoned_render_says_so_and_is_asked_again(draft, login_as, app, db, monkeypatch):
    client, _ = login_as(Role.STAFF)

    def broken(render):
        raise RuntimeError("the fonts are missing")

    monkeypatch.setattr(renders, "_draw", broken)
    failed = _render_id(_ask(client, draft))
    page = client.get(f"/reports/renders/{failed}").get_data(as_text=True)
    assert 'id="render-again"' in page and "the fonts are missing" in page and 'http-equiv="refresh"' not in page
    monkeypatch.undo()
    monkeypatch.setitem(app.config, "REPORT_RENDERS", "inline")
    again = post_form(client, f"/reports/renders/{failed}/again", {}, token_from=f"/reports/renders/{failed}")
    assert client.get(f"/reports/renders/{_render_id(again)}.pdf").data.startswith(b"%PDF")

    # A worker that died (the server restarted) leaves its render "running": after a while it counts as failed,
    # asking again makes a new one, and a worker may take the old one over.
    monkeypatch.setitem(app.config, "REPORT_RENDERS", "worker")
    abandoned = _render_id(_ask(client, draft, "en"))
    db.session.execute(sa.update(ReportRender).where(ReportRender.id == abandoned).values(
        status=RenderStatus.RUNNING, started_at=utcnow() - renders.STALE_AFTER - timedelta(minutes=1)))
    db.session.commit()
    page = client.get(f"/reports/renders/{abandoned}").get_data(as_text=True)
    assert 'id="render-again"' in page and 'http-equiv="refresh"' not in page
    assert _render_id(_ask(client, draft, "en")) != abandoned
    assert renders.claim(abandoned) is True
    db.session.rollback()


def test_finalising_at_scale_keeps_the_pdfs_drawn_afterwards_from_the_frozen_figures(draft, login_as, app, db,
                                                                                    runner, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_RENDERS", "worker")
    client, _ = login_as(Role.STAFF)
    response = post_form(client, f"/reports/{draft.id}/finalise", {"version": str(draft.version_id)},
                         token_from=f"/reports/{draft.id}")
    assert response.status_code == 302
    db.session.expire_all()
    report = db.session.get(PeriodicReport, draft.id)
    assert report.is_final and report.snapshot and report.pdf_vi is None  # not drawn inside the request
    waiting = client.get(f"/reports/{draft.id}.vi.pdf")  # the kept PDF, still being drawn: its render's page
    assert waiting.status_code == 302 and "/reports/renders/" in waiting.headers["Location"]
    assert runner.invoke(args=["renders", "run"]).output.strip() == "2 PDF(s) drawn"
    db.session.expire_all()
    report = db.session.get(PeriodicReport, draft.id)
    assert report.pdf_vi.startswith(b"%PDF") and report.pdf_en.startswith(b"%PDF")
    page = client.get(f"/reports/{draft.id}").get_data(as_text=True)
    assert f'href="/reports/{draft.id}.vi.pdf"' in page  # kept: a plain link now
    assert client.get(f"/reports/{draft.id}.en.pdf").data == report.pdf_en


def test_only_those_who_may_read_the_report_see_its_render(draft, login_as, make, db):
    staff, _ = login_as(Role.STAFF)
    render_id = _render_id(_ask(staff, draft))
    hl = organisation.create("HL", "Vườn ươm Hòa Lạc", "Hòa Lạc incubator")
    db.session.commit()
    other, _ = login_as(Role.STAFF, incubator=hl.id)
    official, _ = login_as(Role.OFFICIAL)
    founder, _ = login_as(Role.FOUNDER)
    for client, status in ((other, 404), (official, 404), (founder, 403)):  # a draft: its incubator's staff only
        assert client.get(f"/reports/renders/{render_id}").status_code == status
        assert client.get(f"/reports/renders/{render_id}.pdf").status_code == status
    assert post_form(official, f"/reports/{draft.id}/pdf", {"lang": "vi"},
                     token_from="/reports/").status_code == 404  # a draft's PDF is staff's
    city = post_form(official, "/reports/city/pdf", {"year": "2025", "part": "year", "lang": "vi"},
                     token_from="/reports/city?year=2025&part=year")
    city_id = _render_id(city)
    assert official.get(f"/reports/renders/{city_id}.pdf").data.startswith(b"%PDF")
    assert staff.get(f"/reports/renders/{city_id}").status_code == 404  # the city's report: officials, admins
    assert db.session.get(ReportRender, city_id).kind is RenderKind.CITY
