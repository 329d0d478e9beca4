"""Each incubator's periodic report counts its own rows with its own targets (issue 20), whoever finalises it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from incubator.auth.enums import Role
from incubator.companies.enums import ResidencyKind
from incubator.organisation import services as organisation
from incubator.organisation.current import use_incubator
from incubator.organisation.models import Incubator
from incubator.organisation.scoping import scoped_to
from incubator.reports import services
from incubator.reports.figures import compute
from incubator.reports.models import PeriodicReport
from incubator.targets import queries as targets
from incubator.targets import services as target_services
from incubator.targets.enums import TargetKind
from tests.helpers import post_form

START, END = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def network(make, db):
    """VUHN with two incubated businesses, a cohort and a graduate; HN2 with one incubated business and one
    tenant, a cohort and no graduate; the city's ratio target at 70 %, HN2's own copy raised to 90 %; a draft
    report of 2025 in each."""
    make.target(code="IT70", kind=TargetKind.INCUBATED_IT_RATIO, threshold=Decimal("70"))
    make.target(code="GRAD10", kind=TargetKind.GRADUATE_COUNT, threshold=Decimal("10"),
                window_start=START, window_end=END)
    vuhn = db.session.scalar(sa.select(Incubator).where(Incubator.code == "VUHN"))
    target_services.copy_city_targets(vuhn)
    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", "Hà Nội incubator 2", actor=None)
    targets.by_code("IT70", hn2).threshold = Decimal("90")
    db.session.commit()
    reports = {}
    with use_incubator(vuhn):
        for name in ("Công ty VUHN Một", "Công ty VUHN Hai"):
            make.residency(company=make.company(name=name), starts_on=date(2024, 1, 1))
        make.cohort(name="Khóa của VUHN")
        make.outcome(company=make.company(name="Công ty VUHN Tốt nghiệp"), decided_on=date(2025, 5, 1))
        reports["VUHN"] = make._save(PeriodicReport(period_label="2025", period_start=START, period_end=END,
                                                    number="01/BC-VUHN"))
    with use_incubator(hn2):
        make.residency(company=make.company(name="Công ty HN2 Ươm"), starts_on=date(2024, 1, 1))
        make.residency(company=make.company(name="Công ty HN2 Thuê"), kind=ResidencyKind.SERVICE_TENANT,
                       starts_on=date(2024, 1, 1))
        make.cohort(name="Khóa của HN2")
        reports["HN2"] = make._save(PeriodicReport(period_label="2025", period_start=START, period_end=END,
                                                   number="01/BC-HN2"))
    db.session.commit()
    return {"vuhn": vuhn, "hn2": hn2, "reports": reports}


def _hn2_figures(figures: dict) -> None:
    assert [c["name"] for c in figures["cohorts"]] == ["Khóa của HN2"]
    assert figures["residencies"] == {"incubated:it": 1, "service_tenant:it": 1}
    assert figures["graduates"] == []
    ratio = figures["targets"]["startup_ratio"]
    assert (ratio["numerator"], ratio["denominator"], ratio["threshold"]) == (1, 2, 90.0)  # HN2's own target
    assert figures["targets"]["graduates"]["count"] == 0


def test_an_administrator_of_the_network_finalises_hn2s_report_with_hn2s_figures(network, login_as, make, db):
    from incubator.mail.models import OutboxMessage

    client, _ = login_as(Role.ADMIN)
    official = make.user(Role.OFFICIAL, locale="en")
    report = network["reports"]["HN2"]
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Khóa của HN2" in page and "Khóa của VUHN" not in page  # the draft shows HN2's figures too
    assert post_form(client, f"/reports/{report.id}/finalise", {"version": str(report.version_id)}).status_code == 302
    db.session.expire_all()
    report = db.session.get(PeriodicReport, report.id)
    assert report.is_final
    _hn2_figures(report.snapshot)
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_address == official.email))
    assert mail.subject == "Report 01/BC-HN2 of Hà Nội incubator 2 is finalised"
    assert "Hà Nội incubator 2 has finalised its report 01/BC-HN2" in mail.body_text


def test_finalising_inside_another_incubators_scope_still_counts_the_reports_own(network, make, db):
    """A person working in both incubators, VUHN chosen: HN2's report still counts HN2's rows only."""
    vuhn, hn2 = network["vuhn"], network["hn2"]
    actor = make.user(Role.OFFICIAL)
    report = network["reports"]["HN2"]
    with use_incubator(vuhn), scoped_to([vuhn.id, hn2.id]):
        services.finalise(report, actor=actor)
    _hn2_figures(report.snapshot)
    with use_incubator(vuhn), scoped_to([vuhn.id]):
        mine = compute(START, END, vuhn.id)
    assert [c["name"] for c in mine["cohorts"]] == ["Khóa của VUHN"]
    assert mine["residencies"] == {"incubated:it": 2}
    assert [g["company"] for g in mine["graduates"]] == ["Công ty VUHN Tốt nghiệp"]
    assert mine["targets"]["startup_ratio"]["threshold"] == 70.0


def test_with_one_incubator_the_report_counts_with_the_citys_targets_as_before(make, db):
    """A single incubator: its report's figures are what the whole installation's were (the city's targets)."""
    make.target(code="IT70", kind=TargetKind.INCUBATED_IT_RATIO, threshold=Decimal("70"))
    make.residency(company=make.company(name="Công ty Một Mình"), starts_on=date(2024, 1, 1))
    only = db.session.scalar(sa.select(Incubator))
    assert compute(START, END, only.id) == compute(START, END)


def test_each_incubator_numbers_its_reports_in_its_own_series(network, login_as, make, db):
    """Numbers are typed as the incubator's clerk gives them: HN2's first report may carry the number VUHN's
    first report carries; a reader of the network tells them apart by their incubator."""
    hn2_report = network["reports"]["HN2"]
    hn2_report.number = "01/BC-VUHN"
    db.session.commit()
    admin, _ = login_as(Role.ADMIN)
    for report in network["reports"].values():
        services.finalise(report, actor=make.user(Role.STAFF))
    db.session.commit()
    page = admin.get("/reports/").get_data(as_text=True)
    assert page.count("01/BC-VUHN") == 2
    assert '<td class="report-incubator">HN2</td>' in page and '<td class="report-incubator">VUHN</td>' in page
    assert "Vườn ươm Hà Nội 2" in admin.get(f"/reports/{hn2_report.id}").get_data(as_text=True)


def test_one_incubator_shows_no_incubator_on_its_reports(login_as, make, db):
    client, staff = login_as(Role.STAFF)
    report = services.create(start=START, end=END, period_label="2025", actor=staff, number="01/BC-TTĐT")
    db.session.commit()
    assert "report-incubator" not in client.get("/reports/").get_data(as_text=True)
    assert "report-incubator" not in client.get(f"/reports/{report.id}").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.ADMIN])
def test_the_citys_report_lists_each_incubators_figures_and_the_citys(network, login_as, role):
    client, _ = login_as(role)
    assert 'id="city-report-link"' in client.get("/reports/").get_data(as_text=True)
    response = client.get("/reports/city?year=2025&part=year")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    cohorts = city_row(page, "cohorts", "Khóa ươm tạo đang diễn ra")
    assert cohorts == ["1", "1", "2"]  # HN2, VUHN, the city
    # HN2's ratio with its own 90 % target, VUHN's with its 70 %; the city's over both (3 of 4 IT businesses).
    ratio = city_row(page, "targets", "Tỷ lệ doanh nghiệp CNTT khởi nghiệp được ươm tạo trên tổng số doanh "
                     "nghiệp CNTT hoạt động trong Vườn ươm")
    assert ratio == ["1 / 2 = 50,0\xa0%", "2 / 2 = 100,0\xa0%", "3 / 4 = 75,0\xa0%"]
    assert "Khóa của HN2" in page and "Khóa của VUHN" in page  # each incubator's part I below
    # The period is chosen in words (a year and a part of it); what no choice offers falls back to the last
    # quarter ended, and the page never shows a period's code.
    fallback = client.get("/reports/city?year=2025&part=Q9")
    assert fallback.status_code == 200 and '<option selected value="Q' in fallback.get_data(as_text=True)
    assert "2025-Q" not in fallback.get_data(as_text=True)


def test_staff_of_one_incubator_do_not_read_the_citys_report(network, login_as):
    client, _ = login_as(Role.STAFF)
    assert 'id="city-report-link"' not in client.get("/reports/").get_data(as_text=True)
    assert client.get("/reports/city").status_code == 403


def city_row(page: str, key: str, label: str) -> list[str]:
    """The cells (each incubator's, then the city's) of the row ``label`` in the city page's table ``key``."""
    import html as html_module
    import re as re_module

    table = page[page.index(f'id="city-{key}"'):]
    table = table[:table.index("</table>")]
    for row in table.split("<tr>")[1:]:
        heading = re_module.search(r"<th[^>]*>(.*?)</th>", row, re_module.S)
        if heading and html_module.unescape(heading.group(1)).strip() == label:
            cells = re_module.findall(r"<td[^>]*>(.*?)</td>", row, re_module.S)
            return [html_module.unescape(c).strip() for c in cells]
    raise AssertionError(f"no row {label!r} in city-{key}")


def _year_options(page: str) -> list[int]:
    import re

    select = page[page.index('name="year"'):]
    return [int(y) for y in re.findall(r'<option[^>]*value="(\d{4})"', select[:select.index("</select>")])]


def test_the_citys_report_offers_the_years_from_the_first_with_data_to_this_year(network, login_as, make, db):
    from incubator.i18n import local_today

    client, _ = login_as(Role.OFFICIAL)
    this_year = local_today().year
    hn2 = db.session.scalar(sa.select(Incubator).where(Incubator.code == "HN2"))
    make.residency(kind=ResidencyKind.INCUBATED, starts_on=date(2021, 3, 1), incubator_id=hn2.id)
    years = _year_options(client.get("/reports/city").get_data(as_text=True))
    assert years == list(range(this_year, 2020, -1))
    # A year outside them falls back to the last quarter ended.
    assert 'value="2020"' not in client.get("/reports/city?year=2020&part=year").get_data(as_text=True)
