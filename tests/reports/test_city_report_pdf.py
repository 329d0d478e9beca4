"""The city's consolidated report as a PDF (issue 20): each incubator's part I figures with its own targets, and
the city's column, which counts a business sitting in two incubators once; read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.companies.enums import ResidencyKind
from incubator.organisation import services as organisation
from incubator.organisation.current import use_incubator
from incubator.organisation.models import Incubator
from incubator.targets import queries as targets
from incubator.targets import services as target_services
from incubator.targets.enums import TargetKind
from tests.conftest import require_or_skip
from tests.helpers import post_form

PDFTOTEXT = shutil.which("pdftotext")
START, END = date(2025, 1, 1), date(2025, 12, 31)


def _text(pdf: bytes, tmp_path) -> str:
    require_or_skip(PDFTOTEXT is not None, "pdftotext (poppler-utils) is not installed")
    path = tmp_path / "city.pdf"
    path.write_bytes(pdf)
    return subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def _row(text: str, label: str) -> list[str]:
    """The cells of the first table row starting with ``label`` (columns VUHN, HN2, city)."""
    for line in text.splitlines():
        if line.strip().startswith(label):
            return re.split(r"\s{2,}", line.strip()[len(label):].strip())
    raise AssertionError(f"no row {label!r} in:\n{text}")


@pytest.fixture
def network(make, db):
    """VUHN and HN2 with the city's targets (70 %, 10 graduates in 2025) copied to each, HN2's ratio raised to
    90 %. "Công ty Chung" is incubated in both and graduated in both; VUHN also incubates "Công ty VUHN Một";
    HN2 also houses "Công ty HN2 Thuê", an IT service tenant."""
    make.target(code="IT70", kind=TargetKind.INCUBATED_IT_RATIO, threshold=Decimal("70"))
    make.target(code="GRAD10", kind=TargetKind.GRADUATE_COUNT, threshold=Decimal("10"),
                window_start=START, window_end=END)
    vuhn = db.session.scalar(sa.select(Incubator).where(Incubator.code == "VUHN"))
    target_services.copy_city_targets(vuhn)
    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", "Hà Nội incubator 2", actor=None)
    targets.by_code("IT70", hn2).threshold = Decimal("90")
    db.session.commit()
    shared = make.company(name="Công ty Chung")
    with use_incubator(vuhn):
        make.residency(company=shared, starts_on=date(2024, 1, 1))
        make.residency(company=make.company(name="Công ty VUHN Một"), starts_on=date(2024, 1, 1))
        make.outcome(company=shared, decided_on=date(2025, 5, 1), product="Phần mềm Chung")
        make.cohort(name="Khóa của VUHN")
    with use_incubator(hn2):
        make.residency(company=shared, starts_on=date(2024, 3, 1))
        make.residency(company=make.company(name="Công ty HN2 Thuê"), kind=ResidencyKind.SERVICE_TENANT,
                       starts_on=date(2024, 1, 1))
        make.outcome(company=shared, decided_on=date(2025, 8, 1), product="Phần mềm Chung")
    db.session.commit()
    return {"vuhn": vuhn, "hn2": hn2}


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.ADMIN])
def test_the_citys_pdf_holds_each_incubators_figures_and_the_citys_counting_a_business_once(
        network, login_as, role, tmp_path):
    client, _ = login_as(role)
    page = client.get("/reports/city?year=2025&part=year").get_data(as_text=True)
    assert 'action="/reports/city/pdf"' in page and 'name="part" value="year"' in page  # asked for on the page
    # The page's button: drawn in the background (at once in tests), the reader sent to its page, then the file.
    asked = post_form(client, "/reports/city/pdf", {"year": "2025", "part": "year", "lang": "en"},
                      token_from="/reports/city?year=2025&part=year")
    assert asked.status_code == 302 and "/reports/renders/" in asked.headers["Location"]
    ready = client.get(asked.headers["Location"]).get_data(as_text=True)
    file_url = re.search(r'id="render-download" href="([^"]+)"', ready).group(1)
    response = client.get(file_url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "filename=bao-cao-tong-hop-2025-en.pdf" in response.headers["Content-Disposition"]
    direct = client.get("/reports/city.pdf?year=2025&part=year&lang=en")  # the address scripts use, drawn at once
    assert direct.status_code == 200 and _text(direct.data, tmp_path) == _text(response.data, tmp_path)
    text = _text(response.data, tmp_path)
    flat = re.sub(r"\s+", " ", text)
    assert "Consolidated results of the network of Hà Nội innovation ICT business incubators in the year 2025" in flat
    assert re.search(r"^\s*HN2\s+VUHN\s+City\s*$", text, re.M)  # a column per incubator, then the city's
    # Businesses: HN2 has 2 IT businesses, VUHN 2; the city 3, "Công ty Chung" counted once (not 4).
    assert _row(text, "In all (each business once)") == ["2", "2", "3"]
    # Incubated IT startups: HN2 1 of 2 with its own 90 %, VUHN 2 of 2 with its 70 %; the city 2 of 3 with 70 %.
    assert re.search(r"1 / 2 = 50\.0 %\s+2 / 2 = 100\.0 %\s+2 / 3 = 66\.7 %", text)
    assert _row(text, "Threshold") == ["90 %", "70 %", "70 %"]
    # Graduated in both incubators: one graduate in each incubator's column, one in the city's (not 2).
    assert _row(text, "Startups graduated") == ["1", "1", "1"]
    assert text.count("Công ty Chung") == 1  # listed once, with both incubators, at its first graduation
    assert re.search(r"Công ty Chung\s+VUHN, HN2\s+Phần mềm Chung\s+Digital economy\s+01/05/2025", text)
    assert "a business in two incubators is one in the city's column, which is therefore not the sum" in flat
    assert "The city's column is the sum of the incubators' columns." in flat  # under the intake's table
    assert _row(text, "Cohorts running") == ["0", "1", "1"]


def test_the_citys_pdf_follows_the_interface_language_when_none_is_asked(network, login_as, tmp_path):
    client, _ = login_as(Role.OFFICIAL)  # Vietnamese by default
    response = client.get("/reports/city.pdf?year=2025&part=Q2")
    assert response.status_code == 200
    assert 'filename="bao-cao-tong-hop-2025-q2-vi.pdf"' in response.headers["Content-Disposition"]
    text = _text(response.data, tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "VUHN" in text and "HN2" in text
    flat = re.sub(r"\s+", " ", text)
    assert ("Tổng hợp kết quả hoạt động của mạng lưới vườn ươm doanh nghiệp công nghệ thông tin đổi mới sáng tạo "
            "thành phố Hà Nội quý II năm 2025") in flat
    assert "Toàn thành phố" in flat and "không phải là tổng các cột của các vườn ươm" in flat


def test_the_citys_pdf_is_issued_in_the_name_of_the_networks_first_incubator(network, login_as, make, tmp_path):
    """The heading and the addressees are those of VUHN (every installation's first incubator, whose operator
    compiles the network's report for the Department) in force on the period's last day; not HN2's."""
    from incubator.reports.enums import NameKind
    from incubator.reports.models import BodyName

    for incubator, issuer, addressee in ((network["vuhn"], "Trung tâm Điều phối Mạng lưới", "Sở Khoa học và Công nghệ"),
                                         (network["hn2"], "Ban Quản lý Vườn ươm Hai", "Ủy ban nhân dân Quận Hai")):
        with use_incubator(incubator):
            for kind, name in ((NameKind.ISSUING_BODY, issuer), (NameKind.ADDRESSEE, addressee)):
                make._save(BodyName(kind=kind, name_vi=name, name_en=name, valid_from=date(2020, 1, 1)))
            make._save(BodyName(kind=NameKind.ISSUING_BODY, name_vi=f"{issuer} (cũ)", name_en=f"{issuer} (old)",
                                valid_from=date(2020, 1, 1), valid_until=date(2024, 12, 31)))
    client, _ = login_as(Role.OFFICIAL)
    text = re.sub(r"\s+", " ", _text(client.get("/reports/city.pdf?year=2025&part=Q4").data, tmp_path))
    assert "TRUNG TÂM ĐIỀU PHỐI MẠNG" in text and "- Sở Khoa học và Công nghệ." in text
    assert "VƯỜN ƯƠM HAI" not in text and "Quận Hai" not in text and "(CŨ)" not in text


def test_staff_do_not_read_the_citys_pdf(network, login_as, client):
    staff, _ = login_as(Role.STAFF)
    assert staff.get("/reports/city.pdf").status_code == 403
