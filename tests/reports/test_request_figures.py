"""Part I of the periodic report counts the businesses' requests of its period and incubator (issue 21): on the
report's page, in its PDF (read back with pdftotext), kept by a finalised report, and in the city's report a
column per incubator and the city's; a report finalised before requests were counted still renders."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.reports import services as reports
from incubator.requests import services
from incubator.requests.enums import BodyKind, PublicationConsent, RequestKind
from incubator.requests.models import RequestCategory
from tests.conftest import require_or_skip
from tests.helpers import login, post_form

DUE = date(2026, 3, 23)  # of a request acknowledged on Monday 02/03/2026


def _text(pdf: bytes, tmp_path) -> str:
    require_or_skip(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text


def _requests(make, db):
    """Three requests of VUHN's first quarter of 2026: one answered on its due day (rated satisfied), one the
    day after, one withdrawn."""
    services.ensure_default_categories()
    company = make.company(name="Công ty Cổ phần Phần mềm Sông Hồng")
    founder = make.user(Role.FOUNDER)
    make.member(company=company, user=founder)
    staff, second = make.user(Role.STAFF), make.user(Role.STAFF)
    body = services.save_body(None, actor=staff, name_vi="Cục Thuế thành phố", name_en="City tax department",
                              kind=BodyKind.OTHER_DEPARTMENT)
    tax = db.session.scalar(sa.select(RequestCategory).where(RequestCategory.code == "tax_finance"))
    filed = [services.file(company, actor=founder, kind=RequestKind.REQUEST, category=tax, title=f"Kiến nghị {n}",
                           text="Đề nghị hướng dẫn hoàn thuế.", consent=PublicationConsent.NAMED,
                           today=date(2026, 3, 2)) for n in range(3)]
    for request, day in ((filed[0], DUE), (filed[1], date(2026, 3, 24))):
        services.route(request, body, actor=staff)
        services.draft_answer(request, actor=staff, text="Nộp hồ sơ trực tuyến.")
        services.approve_answer(request, actor=second, today=day)
    services.rate(filed[0], actor=founder, satisfied=True)
    services.withdraw(filed[2], actor=founder)
    db.session.commit()
    return staff


def test_the_reports_part_one_counts_the_requests_and_a_finalised_report_keeps_them(make, db, client_factory,
                                                                                     tmp_path):
    staff = _requests(make, db)
    report = reports.create(start=date(2026, 1, 1), end=date(2026, 3, 31), period_label="2026-Q1", actor=staff)
    db.session.commit()
    client = client_factory()
    login(client, staff)
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert 'id="requests-figures"' in page and "Cục Thuế thành phố" in page
    flat = re.sub(r"\s+", " ", _text(client.get(f"/reports/{report.id}.en.pdf").data, tmp_path))
    assert "9. Businesses' requests to the city" in flat
    assert ("Requests and complaints received: 3; answered: 2, of which on time: 1; overdue (not answered by "
            "their due date): 1.") in flat
    assert "Median time to answer: 21.5 calendar days from acknowledgement." in flat
    assert "Satisfaction: 1 of 1 answers rated (100.0 %)." in flat
    assert re.search(r"City tax department 2 2 1 1 21\.5 1 ?/ ?1", flat)  # by body, in English
    assert re.search(r"Tax and finance 3 2 1 1 21\.5 1 ?/ ?1", flat)  # by area
    vietnamese = re.sub(r"\s+", " ", _text(client.get(f"/reports/{report.id}.vi.pdf").data, tmp_path))
    assert re.search(r"Cục Thuế thành phố 2 2 1 1 21,5 1 ?/ ?1", vietnamese)

    assert post_form(client, f"/reports/{report.id}/finalise", {"version": str(report.version_id)}).status_code == 302
    db.session.expire_all()
    assert report.is_final and report.snapshot["requests"]["total"]["received"] == 3
    kept = re.sub(r"\s+", " ", _text(client.get(f"/reports/{report.id}.en.pdf").data, tmp_path))
    assert "Requests and complaints received: 3; answered: 2" in kept


def test_a_report_finalised_before_requests_were_counted_still_renders(make, db, client_factory):
    staff = _requests(make, db)
    report = reports.create(start=date(2026, 1, 1), end=date(2026, 3, 31), period_label="2026-Q1", actor=staff)
    db.session.commit()
    client = client_factory()
    login(client, staff)
    assert post_form(client, f"/reports/{report.id}/finalise", {"version": str(report.version_id)}).status_code == 302
    db.session.expire_all()
    report.snapshot = {k: v for k, v in report.snapshot.items() if k != "requests"}  # as kept before issue 21
    db.session.commit()
    response = client.get(f"/reports/{report.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="figures"' in page and 'id="requests-figures"' not in page


def test_the_citys_report_has_the_requests_of_each_incubator_and_the_city(make, db, login_as, tmp_path):
    from incubator.organisation import services as organisation

    _requests(make, db)
    organisation.create("HN2", "Vườn ươm Hà Nội 2", "Hà Nội incubator 2", actor=None)
    db.session.commit()
    client, _ = login_as(Role.OFFICIAL)
    page = client.get("/reports/city?year=2026&part=Q1").get_data(as_text=True)
    from tests.reports.test_incubator_reports import city_row

    assert city_row(page, "requests", "Kiến nghị, khiếu nại đã tiếp nhận") == ["0", "3", "3"]
    text = _text(client.get("/reports/city.pdf?year=2026&part=Q1&lang=en").data, tmp_path)
    assert "Businesses' requests to the city" in text
    for label, cells in (("Requests and complaints received", ["0", "3", "3"]), ("Answered on time", ["0", "1", "1"]),
                         ("Median calendar days to answer", ["—", "21.5", "21.5"])):
        line = next(line for line in text.splitlines() if line.strip().startswith(label))
        assert re.split(r"\s{2,}", line.strip()[len(label):].strip()) == cells, line
