"""The periodic report: its PDF carries the targets' figures with Vietnamese intact; it fetches nothing a
user typed; a finalised report keeps its figures."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.companies.enums import ResidencyKind
from incubator.reports import services
from incubator.reports.enums import ReportStatus
from incubator.reports.models import PeriodicReport
from incubator.targets.enums import TargetKind
from tests.conftest import require_or_skip
from tests.helpers import post_form

PDFTOTEXT = shutil.which("pdftotext")


def _text(pdf: bytes, tmp_path) -> str:
    require_or_skip(PDFTOTEXT is not None, "pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def demo(runner):
    assert runner.invoke(args=["demo", "--no-upgrade"]).exit_code == 0


def test_the_pdf_of_a_seeded_period_holds_every_figure_of_the_targets_command(demo, runner, tmp_path):
    """The demo's main incubator's report prints that incubator's figures with its own targets."""
    output = tmp_path / "q4.pdf"
    result = runner.invoke(args=["report", "--incubator", "VUHN", "--period", "2025-Q4", "--output", str(output)])
    assert result.exit_code == 0, result.output
    text = _text(output.read_bytes(), tmp_path)
    figures = json.loads(runner.invoke(args=["targets", "--incubator", "VUHN", "--as-of", "2025-12-31",
                                             "--json"]).output)
    ratio, grads = figures["startup_ratio"], figures["graduates"]
    assert f"{ratio['numerator']} / {ratio['denominator']}" in text
    assert f"{ratio['percent']:.1f}".replace(".", ",") + " %" in text
    assert str(grads["count"]) in text and str(grads["threshold"]) in text
    for phrase in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO",
                   "quý IV năm 2025", "Nơi nhận", "Doanh nghiệp đang ươm tạo"):
        assert phrase in text, phrase
    english = tmp_path / "q4-en.pdf"
    result = runner.invoke(args=["report", "--incubator", "VUHN", "--period", "2025-Q4", "--lang", "en",
                                 "--output", str(english)])
    assert result.exit_code == 0
    assert "SOCIALIST REPUBLIC OF VIET NAM" in _text(english.read_bytes(), tmp_path)


def test_periods_and_bad_arguments(runner, tmp_path):
    from incubator.reports.periods import parse_period

    assert parse_period("2025-H1") == (date(2025, 1, 1), date(2025, 6, 30), "half")
    assert parse_period("2024-Q1")[1] == date(2024, 3, 31)
    for bad in ("2025-Q5", "25", "2025-H3", "", "9999"):
        with pytest.raises(ValueError):
            parse_period(bad)
    assert runner.invoke(args=["report", "--period", "2025-Q5", "--output", str(tmp_path / "x.pdf")]).exit_code == 2
    assert runner.invoke(args=["report", "--from", "2025-02-01", "--to", "2025-01-01",
                               "--output", str(tmp_path / "x.pdf")]).exit_code == 2


def test_a_narrative_cannot_make_the_pdf_fetch_anything(make, db, app, tmp_path):
    from pathlib import Path

    from incubator.reports.figures import compute
    from incubator.reports.render import StaticOnlyFetcher, render_pdf

    staff = make.user(Role.STAFF)
    report = services.create(actor=staff, period_label="2025", start=date(2025, 1, 1), end=date(2025, 12, 31),
                             shortcomings='<img src="file:///etc/passwd"> <a href="http://example.com/x">x</a> '
                                          '<img src="http://169.254.169.254/latest">',
                             recommendations="<link rel=stylesheet href='file:///etc/hostname'>")
    fetcher = StaticOnlyFetcher(Path(app.static_folder))
    pdf = render_pdf(report, compute(report.period_start, report.period_end), "vi", fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert fetcher.refused == []  # typed text is escaped: it is never markup, so nothing is even asked for
    text = _text(pdf, tmp_path)
    assert '<img src="file:///etc/passwd">' in text.replace("\n", " ") or "file:///etc/passwd" in text
    # And were markup to reach the renderer, the fetcher refuses anything outside the package's static files.
    from weasyprint import HTML

    HTML(string='<img src="file:///etc/passwd"><img src="http://example.com/a.png">',
         base_url=Path(app.static_folder).as_uri() + "/", url_fetcher=fetcher).write_pdf()
    assert fetcher.refused == ["file:///etc/passwd", "http://example.com/a.png"]


def test_a_finalised_report_keeps_its_figures_when_the_data_changes(demo, login_as, make, db, tmp_path):
    client, _ = login_as(Role.STAFF)
    assert post_form(client, "/reports/new", {"year": "2025", "part": "Q4"}).status_code == 302
    report = db.session.scalar(sa.select(PeriodicReport))
    page = f"/reports/{report.id}"
    assert post_form(client, page, {"number": "15/BC-TTĐT", "issued_on": "2026-01-10",
                                    "shortcomings": "Số doanh nghiệp CNTT thuê dịch vụ tăng nhanh hơn dự kiến.",
                                    "signer_position": "Giám đốc", "signer_name": "Nguyễn Văn Minh",
                                    "version": str(report.version_id)}).status_code == 302
    db.session.expire_all()
    assert post_form(client, f"{page}/finalise", {"version": str(report.version_id)}).status_code == 302
    db.session.expire_all()
    assert report.is_final
    before_text = _text(client.get(f"/reports/{report.id}.vi.pdf").data, tmp_path)
    snapshot = json.dumps(report.snapshot, sort_keys=True)

    # The data behind it changes: a new IT business moves in on 01/10/2025.
    make.residency(company=make.company(name="Công ty Mới Vào Sau"), starts_on=date(2025, 10, 1),
                   incubator_id=report.incubator_id)
    db.session.expire_all()
    assert json.dumps(report.snapshot, sort_keys=True) == snapshot
    assert _text(client.get(f"/reports/{report.id}.vi.pdf").data, tmp_path) == before_text
    # A finalised report cannot be edited; a new version computes the figures again.
    assert post_form(client, page, {"number": "khác", "version": str(report.version_id)}).status_code == 400
    assert post_form(client, f"{page}/new-version", {}).status_code == 302
    latest = db.session.scalar(sa.select(PeriodicReport).order_by(PeriodicReport.id.desc()))
    assert latest.version == 2 and latest.supersedes_id == report.id and not latest.is_final
    official, _ = login_as(Role.OFFICIAL)
    listing = official.get("/reports/").get_data(as_text=True)
    assert "15/BC-TTĐT" in listing and official.get(f"/reports/{latest.id}").status_code == 404


def test_the_companies_list_exports_the_rows_the_user_sees_in_vietnamese(login_as, make):
    import io

    from openpyxl import load_workbook

    client, _ = login_as(Role.STAFF)
    make.residency(company=make.company(name="Công ty TNHH Dữ liệu Đô thị Thăng Long", is_it=True))
    make.company(name="Công ty Cổ phần Nông sản Đồng Tháp", is_it=False)
    response = client.get("/register/export.xlsx?is_it=yes")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Doanh nghiệp" and len(rows) == 2
    assert rows[1][0] == "Công ty TNHH Dữ liệu Đô thị Thăng Long" and rows[1][5] == "Doanh nghiệp đang ươm tạo"
    csv = client.get("/register/export.csv").data
    assert csv.startswith(b"\xef\xbb\xbf") and "Nông sản Đồng Tháp".encode() in csv


def test_the_report_page_shows_the_figures_before_finalising_and_the_snapshot_after(login_as, make, db):
    """Staff check the figures on the page before they finalise; afterwards the page shows what was kept."""
    client, staff = login_as(Role.STAFF)
    make.target(code="TL", kind=TargetKind.INCUBATED_IT_RATIO)
    make.residency(company=make.company(name="Công ty Cổ phần Đầu Tiên"), starts_on=date(2025, 1, 1))
    report = services.create(start=date(2025, 1, 1), end=date(2025, 3, 31), period_label="2025-Q1", actor=staff,
                             number="03/BC-TTĐT")
    db.session.commit()
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert 'id="figures"' in page and "1 / 1 = 100,0\xa0%" in page and "<svg" in page
    make.residency(company=make.company(name="Công ty Thuê Dịch Vụ"), kind=ResidencyKind.SERVICE_TENANT,
                   starts_on=date(2025, 2, 1))
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "1 / 2 = 50,0\xa0%" in page  # a draft follows the data
    assert post_form(client, f"/reports/{report.id}/finalise", {"version": str(report.version_id)}).status_code == 302
    db.session.expire_all()
    assert report.is_final
    make.residency(company=make.company(name="Công ty Vào Sau"), starts_on=date(2025, 3, 1))
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "1 / 2 = 50,0\xa0%" in page and "1 / 3" not in page  # a finalised report shows its snapshot


def test_the_reports_list_and_page_name_the_period_in_words_not_its_code(login_as, db):
    report = PeriodicReport(period_label="2025-Q2", period_start=date(2025, 4, 1), period_end=date(2025, 6, 30),
                            status=ReportStatus.DRAFT)
    db.session.add(report)
    db.session.commit()
    client, _ = login_as(Role.STAFF)
    for url in ("/reports/", f"/reports/{report.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "Quý II năm 2025" in html, url
        assert "2025-Q2" not in re.sub(r"<[^>]+>", " ", html), url  # attributes aside


def test_a_report_reads_each_target_once_and_its_remembered_series_follows_the_data(make, db, app):
    """A report reads its targets in one query and each target's figure on the period's last day with its
    series, in the series' query (remembered, as on the dashboard, while nothing the targets count changes): a
    second report of the same data runs fewer queries, and every figure is the one counted afresh, before and
    after a change."""
    from incubator.reports.figures import compute
    from incubator.targets import queries as targets
    from tests.helpers import count_queries

    ratio_target = make.target(code="TL", kind=TargetKind.INCUBATED_IT_RATIO)
    graduate_target = make.target(code="TN", kind=TargetKind.GRADUATE_COUNT)
    first = make.company(name="Công ty Cổ phần Đầu Tiên")
    make.residency(company=first, starts_on=date(2025, 1, 1))
    make.residency(company=make.company(name="Công ty Thuê Dịch Vụ"), kind=ResidencyKind.SERVICE_TENANT,
                   starts_on=date(2025, 2, 1))
    make.outcome(company=first, decided_on=date(2025, 5, 5))
    start, end = date(2025, 4, 1), date(2025, 6, 30)

    def report_figures():
        with app.app_context(), count_queries() as counted:  # a request or command of its own
            figures = compute(start, end)
        return figures, counted

    def fresh():
        return (targets.ratio(ratio_target, end).numerator, targets.ratio(ratio_target, end).denominator,
                targets.graduates(graduate_target, end).count)

    def shown(figures):
        ratio, graduates = figures["targets"]["startup_ratio"], figures["targets"]["graduates"]
        return ratio["numerator"], ratio["denominator"], graduates["count"]

    cold, cold_queries = report_figures()
    warm, warm_queries = report_figures()
    assert shown(cold) == shown(warm) == fresh() == (1, 2, 1)
    assert cold["series"] == warm["series"] and cold["series"][-1]["percent"] == 50.0
    assert warm_queries.count < cold_queries.count
    assert sum(bool(re.search(r"\bFROM targets\b", statement)) for statement in cold_queries.statements) == 1
    make.residency(company=make.company(name="Công ty Vào Sau"), starts_on=date(2025, 3, 1))
    changed, _ = report_figures()
    assert shown(changed) == fresh() == (2, 3, 1) and changed["series"][-1]["percent"] == round(200 / 3, 1)
