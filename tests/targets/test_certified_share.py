"""The third target, the certified share (issue 22, acceptance 1): at the edges of its rules, in the service (the
figure, the quarterly series and the drill-down agree), on the dashboard, in the periodic report's PDF and in
`flask targets --json`; per incubator and city-wide (a business certified in two incubators counts once).

Share at d = IT businesses of the 70 % target's denominator at d holding, at d, a verified certificate of a
recognised standard (CMMI at level 2 to 5) issued on or before d, expiring on or after d or never, not revoked
before d ÷ that denominator (domain.md, "A third target")."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale

from incubator.auth.enums import Role
from incubator.certificates.enums import CertificateStatus
from incubator.certificates.models import Certificate
from incubator.certificates.services import record_certificate, standard_by_code, standard_for_code
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Company, Residency
from incubator.extensions import db as _db
from incubator.organisation import services as organisation
from incubator.organisation.queries import by_code
from incubator.targets import queries, services
from incubator.targets.enums import TargetKind
from tests.conftest import require_or_skip
from tests.helpers import count_queries, tax_code

D = date(2025, 6, 30)  # the day asked about
BEFORE, AFTER = D - timedelta(days=1), D + timedelta(days=1)


@pytest.fixture
def city(make):
    """The city's three targets, as the plans set them."""
    return (make.target(code="IT70", kind=TargetKind.INCUBATED_IT_RATIO, threshold=Decimal("70")),
            make.target(code="GRAD10", kind=TargetKind.GRADUATE_COUNT, threshold=Decimal("10"),
                        window_start=date(2024, 1, 1), window_end=date(2025, 12, 31)),
            make.target(code="CERT5", kind=TargetKind.CERTIFIED_SHARE, threshold=Decimal("5")))


def _certify(company, code="ISO 9001", *, issued_on=date(2024, 1, 1), **fields):
    standard = standard_by_code(code) or standard_for_code(code)[0]
    return record_certificate(company, standard_id=standard.id, issued_on=issued_on,
                              number=fields.pop("number", f"{code}-{company.id}-{issued_on:%Y%m%d}"), **fields)


def _business(make, name, *, is_it=True, starts_on=date(2024, 1, 1), ends_on=None, **kw):
    company = make.company(name=name, is_it=is_it)
    make.residency(company=company, starts_on=starts_on, ends_on=ends_on, **kw)
    return company


@pytest.fixture
def edges(make, db, city):
    """One business for each edge of the rules, all in VUHN since 2024 unless said otherwise."""
    made = {}
    made["issued"] = _business(make, "Công ty Cấp Đúng Ngày")
    _certify(made["issued"], issued_on=D, expires_on=date(2028, 6, 30))
    made["expiring"] = _business(make, "Công ty Hết Hạn Đúng Ngày")
    _certify(made["expiring"], "ISO/IEC 27001", issued_on=date(2022, 7, 1), expires_on=D)
    made["revoked_before"] = _business(make, "Công ty Thu Hồi Hôm Trước")
    _certify(made["revoked_before"], revoked_on=BEFORE)
    made["revoked_on"] = _business(make, "Công ty Thu Hồi Đúng Ngày")
    _certify(made["revoked_on"], "ISO/IEC 20000-1", revoked_on=D)
    made["level1"] = _business(make, "Công ty CMMI Mức Một")
    _certify(made["level1"], "CMMI", level=1)
    made["unrecognised"] = _business(make, "Công ty ISO Môi Trường")
    _certify(made["unrecognised"], "ISO 14001")
    made["not_it"] = _business(make, "Công ty May Mặc", is_it=False)
    _certify(made["not_it"])
    made["gone"] = _business(make, "Công ty Đã Rời Đi", ends_on=date(2025, 3, 31))
    _certify(made["gone"])
    made["elsewhere"] = make.company(name="Công ty Ngoài Vườn")  # certified, never in the incubator
    _certify(made["elsewhere"])
    made["twice"] = _business(make, "Công ty Hai Chứng Chỉ")
    _certify(made["twice"], "CMMI", level=3)
    _certify(made["twice"], "ISO 9001", issued_on=date(2024, 5, 1))
    made["waiting"] = _business(make, "Công ty Chờ Xác Minh")
    db.session.add(Certificate(company_id=made["waiting"].id, standard_id=standard_by_code("ISO 9001").id,
                               number="CHO-1", issued_on=date(2024, 1, 1), status=CertificateStatus.SUBMITTED))
    made["none"] = _business(make, "Công ty Chưa Có Chứng Chỉ")
    made["future"] = _business(make, "Công ty Cấp Ngày Mai")
    _certify(made["future"], issued_on=AFTER)
    made["expired"] = _business(make, "Công ty Hết Hạn Hôm Trước")
    _certify(made["expired"], issued_on=date(2022, 6, 29), expires_on=BEFORE)
    db.session.commit()
    return made


COUNTED = {"issued", "expiring", "revoked_on", "twice"}
IN_DENOMINATOR = COUNTED | {"revoked_before", "level1", "unrecognised", "waiting", "none", "future", "expired"}


def _names(made, keys) -> set[str]:
    return {made[k].name for k in keys}


def _agree(target, day):
    """The figure, the series' figure and the drill-down's lists at ``day`` agree; returns the lists' names."""
    figure = queries.certified(target, day)
    (point,) = queries.certified_series(target, [day])
    lists = queries.explain_certified(target, day)
    assert (point.numerator, point.denominator) == (figure.numerator, figure.denominator)
    assert (len(lists["numerator"]), len(lists["denominator"])) == (figure.numerator, figure.denominator)
    for key in ("numerator", "denominator", "excluded"):  # each business once in each list
        assert len({e.company.id for e in lists[key]}) == len(lists[key]), key
    assert not {e.company.id for e in lists["numerator"]} & {e.company.id for e in lists["excluded"]}
    return figure, {key: {e.company.name for e in entries} for key, entries in lists.items()}


# ---- The service ---------------------------------------------------------------------------------------------

def test_each_edge_counts_as_the_rules_say(city, edges):
    cert5 = city[2]
    figure, names = _agree(cert5, D)
    assert names["numerator"] == _names(edges, COUNTED)
    assert names["denominator"] == _names(edges, IN_DENOMINATOR)
    assert (figure.numerator, figure.denominator, figure.percent) == (4, 11, Decimal("36.4"))
    assert figure.met is True
    # Every business of the incubator not in the numerator is excluded with its reason; one never in it is not.
    assert names["excluded"] == _names(edges, (IN_DENOMINATOR - COUNTED) | {"not_it", "gone"})


def test_the_day_before_and_after(city, edges):
    cert5 = city[2]
    _figure, names = _agree(cert5, BEFORE)  # not issued yet; revoked that day, expiring that day: still held
    assert names["numerator"] == _names(edges, {"expiring", "revoked_before", "revoked_on", "twice", "expired"})
    _figure, names = _agree(cert5, AFTER)  # expired; revoked the day before; issued that day
    assert names["numerator"] == _names(edges, {"issued", "twice", "future"})


def test_the_reasons_say_why(city, edges):
    lists = queries.explain_certified(city[2], D)
    why = {e.company.name: " ".join(str(r) for r in e.reasons) for e in lists["excluded"]}
    expected = {
        "revoked_before": "revoked on 29/06/2025", "level1": "CMMI level 1: maturity level 1 is not appraised",
        "unrecognised": "ISO 14001: standard not recognised", "waiting": "waiting for verification",
        "none": "No certificate recorded", "future": "not yet issued (issued on 01/07/2025)",
        "expired": "expired on 29/06/2025", "not_it": "Not an IT business", "gone": "Residency ended on 31/03/2025",
    }
    with force_locale("en"):
        why = {e.company.name: " ".join(str(r) for r in e.reasons) for e in lists["excluded"]}
        for key, phrase in expected.items():
            assert phrase in why[edges[key].name], (key, why[edges[key].name])
        counted = {e.company.name: e for e in lists["numerator"]}
        twice = counted[edges["twice"].name]
        assert [c.label for c in twice.certificates] == ["CMMI level 3", "ISO 9001"]
        assert "valid 01/01/2024 – no expiry" in str(twice.reasons[0])
        assert "valid 30/06/2025 – 30/06/2028" in str(counted[edges["issued"].name].reasons[0])
        assert str(twice.reasons[1]) == \
            f"ISO 9001, no. ISO 9001-{edges['twice'].id}-20240501, valid 01/05/2024 – no expiry"
    # A certificate without a number: its reason says nothing of one.
    unnumbered = _certify(edges["none"], "ISO/IEC 20000-1", number=None)
    with force_locale("en"):
        assert str(queries.certificate_reason(unnumbered)) == "ISO/IEC 20000-1, valid 01/01/2024 – no expiry"


def test_the_drill_down_reads_certificates_in_a_constant_number_of_queries(make, city):
    def measure():
        with count_queries() as counter:
            lists = queries.explain_certified(city[2], D)
        return counter.count, len(lists["denominator"])

    for i in range(3):
        _certify(_business(make, f"Công ty Nhỏ {i}"))
    _db.session.commit()
    small, seen = measure()
    assert seen == 3
    companies = [Company(tax_code=tax_code(40000 + i), name=f"Công ty Lớn {i}", is_it=True) for i in range(200)]
    for company in companies:
        company.residencies.append(Residency(kind=ResidencyKind.INCUBATED, starts_on=date(2024, 1, 1)))
    _db.session.add_all(companies)
    _db.session.flush()
    iso = standard_by_code("ISO 9001")
    _db.session.add_all(Certificate(company_id=c.id, standard_id=iso.id, issued_on=date(2024, 1, 1),
                                    status=CertificateStatus.VERIFIED) for c in companies[::2])
    _db.session.commit()
    _db.session.expire_all()
    assert measure() == (small, 203)


# ---- Per incubator and city-wide -----------------------------------------------------------------------------

@pytest.fixture
def network(db, make, city):
    """VUHN and HN2 with their copies of the city's targets:
    - A (IT, ISO 9001): in VUHN and in HN2, certified: counts in both, once in the city;
    - B (IT, no certificate): in VUHN;
    - C (IT, CMMI 3): in HN2;
    - N (not IT, ISO 9001): in VUHN."""
    vuhn = by_code("VUHN")
    services.copy_city_targets(vuhn)
    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", actor=None)
    db.session.commit()
    a, b, c = make.company(name="Công ty A"), make.company(name="Công ty B"), make.company(name="Công ty C")
    n = make.company(name="Công ty N", is_it=False)
    make.residency(company=a, starts_on=date(2024, 1, 1), incubator_id=vuhn.id)
    make.residency(company=a, starts_on=date(2024, 6, 1), incubator_id=hn2.id)
    make.residency(company=b, starts_on=date(2024, 1, 1), incubator_id=vuhn.id)
    make.residency(company=c, starts_on=date(2024, 3, 1), incubator_id=hn2.id)
    make.residency(company=n, starts_on=date(2024, 1, 1), incubator_id=vuhn.id)
    _certify(a)
    _certify(c, "CMMI", level=3)
    _certify(n)
    db.session.commit()
    return {"vuhn": vuhn.id, "hn2": hn2.id}


def test_each_incubator_counts_its_own_and_the_city_each_business_once(network):
    expected = {None: (2, 3), network["vuhn"]: (1, 2), network["hn2"]: (2, 2)}
    for owner, (numerator, denominator) in expected.items():
        target = queries.by_code("CERT5", owner)
        figure, names = _agree(target, D)
        assert (figure.numerator, figure.denominator) == (numerator, denominator), owner
    _figure, names = _agree(queries.by_code("CERT5"), D)
    assert names["numerator"] == {"Công ty A", "Công ty C"} and "Công ty N" in names["excluded"]
    # Read from within one incubator's scope, the city's row still counts the network.
    from incubator.organisation.scoping import scoped_to

    with scoped_to([network["hn2"]]):
        assert (queries.certified(queries.by_code("CERT5"), D).numerator,
                len(queries.explain_certified(queries.by_code("CERT5"), D)["numerator"])) == (2, 2)


def test_the_command_prints_the_certified_share_city_wide_and_per_incubator(runner, network):
    def run(*args):
        result = runner.invoke(args=["targets", "--as-of", D.isoformat(), "--json", *args])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    city, vuhn, hn2 = run(), run("--incubator", "VUHN"), run("--incubator", "HN2")
    assert city.keys() == {"as_of", "startup_ratio", "graduates", "certified_share"}
    assert city["certified_share"] == {"numerator": 2, "denominator": 3, "percent": 66.7, "threshold": 5.0,
                                       "met": True, "target": "CERT5"}
    assert city["certified_share"].keys() == city["startup_ratio"].keys()
    assert all(type(city["certified_share"][k]) is type(city["startup_ratio"][k]) for k in city["startup_ratio"])
    assert (vuhn["certified_share"]["numerator"], vuhn["certified_share"]["denominator"]) == (1, 2)
    assert (hn2["certified_share"]["numerator"], hn2["certified_share"]["denominator"]) == (2, 2)
    text = runner.invoke(args=["targets", "--as-of", D.isoformat()]).output
    assert "Certified IT businesses: 2 / 3 = 66.7 % (threshold 5 %): met" in text


def test_the_command_at_the_edges(runner, edges):
    data = json.loads(runner.invoke(args=["targets", "--as-of", D.isoformat(), "--json"]).output)
    assert data["certified_share"] == {"numerator": 4, "denominator": 11, "percent": 36.4, "threshold": 5.0,
                                       "met": True, "target": "CERT5"}
    nobody = json.loads(runner.invoke(args=["targets", "--as-of", "2020-01-01", "--json"]).output)
    assert nobody["certified_share"]["percent"] is None and nobody["certified_share"]["met"] is False


# ---- The dashboard -------------------------------------------------------------------------------------------

def _link(html: str, code: str, show: str, incubator: str | None = None) -> int:
    where = rf"[^\"]*incubator={incubator}" if incubator else ""
    match = re.search(rf'/targets/{code}/\?[^"]*show={show}{where}[^"]*">(\d+)</a>', html)
    assert match, f"no {show} link of {code}"
    return int(match.group(1))


def _rows(client, code: str, show: str, incubator: str | None = None) -> list[str]:
    query = f"as_of={D.isoformat()}&show={show}" + (f"&incubator={incubator}" if incubator else "")
    html = client.get(f"/targets/{code}/?{query}").get_data(as_text=True)
    body = html.split('id="explained"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"<[^>]+>", "", row.split("</td>", 1)[0]).strip() for row in body.split("<tr>")[1:]
            if 'class="text-muted"' not in row.split("</td>", 1)[0]]


def test_the_dashboard_shows_the_share_and_its_lists(login_as, edges):
    client, _user = login_as(Role.OFFICIAL, locale="en")
    html = client.get(f"/targets/?as_of={D.isoformat()}").get_data(as_text=True)
    card = html.split('id="target-CERT5"', 1)[1].split("</section>", 1)[0]
    assert _link(card, "CERT5", "numerator") == 4 and _link(card, "CERT5", "denominator") == 11
    assert "36.4\xa0%" in card and "certified IT businesses (numerator)" in card
    assert "at least 5\xa0%" in card or "at least 5 %" in card
    assert "Met" in card and card.count("<svg") == 1
    assert html.index("target-IT70") < html.index("target-GRAD10") < html.index("target-CERT5")
    assert set(_rows(client, "CERT5", "numerator")) == _names(edges, COUNTED)
    assert set(_rows(client, "CERT5", "denominator")) == _names(edges, IN_DENOMINATOR)
    assert set(_rows(client, "CERT5", "excluded")) == _names(edges, (IN_DENOMINATOR - COUNTED) | {"not_it", "gone"})
    page = client.get(f"/targets/CERT5/?as_of={D.isoformat()}&show=numerator").get_data(as_text=True)
    assert "Numerator: certified IT businesses" in page
    assert "CMMI level 3" in page and "ISO/IEC 27001" in page and "Valid 01/07/2022 – 30/06/2025" in page
    excluded = client.get(f"/targets/CERT5/?as_of={D.isoformat()}&show=excluded").get_data(as_text=True)
    assert "revoked on 29/06/2025" in excluded and "waiting for verification" in excluded


def test_the_dashboard_at_the_day_after(login_as, edges):
    client, _user = login_as(Role.STAFF)
    html = client.get(f"/targets/?as_of={AFTER.isoformat()}").get_data(as_text=True)
    card = html.split('id="target-CERT5"', 1)[1].split("</section>", 1)[0]
    assert (_link(card, "CERT5", "numerator"), _link(card, "CERT5", "denominator")) == (3, 11)
    assert "doanh nghiệp CNTT đạt chứng chỉ (tử số)" in card  # in Vietnamese, the interface's language
    page = client.get(f"/targets/CERT5/?as_of={AFTER.isoformat()}&show=excluded").get_data(as_text=True)
    assert "ISO 9001: bị thu hồi ngày 29/06/2025" in page and "ISO/IEC 27001: hết hiệu lực ngày 30/06/2025" in page


def test_the_city_dashboard_sets_each_incubator_beside_the_city(login_as, network):
    client, _user = login_as(Role.OFFICIAL, locale="en")
    html = client.get(f"/targets/?as_of={D.isoformat()}").get_data(as_text=True)
    table = html.split('id="incubators-CERT5"', 1)[1].split("</table>", 1)[0]
    assert "Certified IT businesses" in table
    rows = {m.group(1): m.group(2) for m in re.finditer(r'data-incubator="(\w+)"(.*?)</tr>', table, re.S)}
    assert (_link(rows["VUHN"], "CERT5", "numerator"), _link(rows["VUHN"], "CERT5", "denominator")) == (1, 2)
    assert (_link(rows["HN2"], "CERT5", "numerator"), _link(rows["HN2"], "CERT5", "denominator")) == (2, 2)
    assert (_link(rows["city"], "CERT5", "numerator"), _link(rows["city"], "CERT5", "denominator")) == (2, 3)
    assert 'id="series-CERT5"' in html
    assert set(_rows(client, "CERT5", "numerator", "city")) == {"Công ty A", "Công ty C"}
    assert set(_rows(client, "CERT5", "numerator", "VUHN")) == {"Công ty A"}
    # Staff of HN2 read HN2's.
    staff, _user = login_as(Role.STAFF, incubator=network["hn2"])
    mine = staff.get(f"/targets/?as_of={D.isoformat()}").get_data(as_text=True)
    card = mine.split('id="target-CERT5"', 1)[1].split("</section>", 1)[0]
    assert (_link(card, "CERT5", "numerator"), _link(card, "CERT5", "denominator")) == (2, 2)


def test_a_change_to_a_certificate_or_a_standard_shows_at_once(login_as, edges, db):
    """The dashboard remembers its series while nothing it counts changes: a certificate recorded, revoked,
    or a standard no longer recognised shows on the next view."""
    client, _user = login_as(Role.OFFICIAL)

    def figure():
        html = client.get(f"/targets/?as_of={D.isoformat()}").get_data(as_text=True)
        card = html.split('id="target-CERT5"', 1)[1].split("</section>", 1)[0]
        return _link(card, "CERT5", "numerator"), _link(card, "CERT5", "denominator")

    assert figure() == (4, 11)
    certificate = _certify(edges["none"])
    db.session.commit()
    assert figure() == (5, 11)
    certificate.revoked_on = date(2025, 1, 1)
    db.session.commit()
    assert figure() == (4, 11)
    standard_by_code("ISO 14001").recognised = True
    db.session.commit()
    assert figure() == (5, 11)


def test_the_dashboard_costs_the_same_queries_with_more_certificates(login_as, city):
    client, _user = login_as(Role.OFFICIAL)

    def measure():
        counts = []
        for url in (f"/targets/?as_of={D.isoformat()}", f"/targets/CERT5/?as_of={D.isoformat()}&show=excluded"):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    def seed(n, offset):
        iso = standard_by_code("ISO 9001")
        companies = [Company(tax_code=tax_code(50000 + i), name=f"Công ty {i}", is_it=i % 5 != 0)
                     for i in range(offset, offset + n)]
        for i, company in enumerate(companies):
            company.residencies.append(Residency(kind=ResidencyKind.INCUBATED,
                                                      starts_on=date(2024, 1, 1) + timedelta(days=i % 500)))
        _db.session.add_all(companies)
        _db.session.flush()
        _db.session.add_all(Certificate(company_id=c.id, standard_id=iso.id, issued_on=date(2023, 1, 1),
                                        expires_on=date(2025, 1, 1) if i % 3 else None,
                                        status=CertificateStatus.VERIFIED) for i, c in enumerate(companies))
        _db.session.commit()

    seed(10, 0)
    small = measure()
    seed(300, 10)
    assert measure() == small


def test_a_small_shares_chart_tops_at_20_or_40_per_cent(login_as, make, city, db):
    from incubator.targets.charts import share_maximum

    assert [share_maximum(values, 5) for values in ([3, None], [10.5], [20.1], [36.4], [63.6], [])] == \
        [20, 20, 40, 40, 100, 20]
    assert share_maximum([], 70) == 100
    for i in range(10):  # one certified business in ten: 10 %
        company = _business(make, f"Công ty Mười {i}")
        if i == 0:
            _certify(company)
    db.session.commit()
    client, _user = login_as(Role.OFFICIAL)
    html = client.get(f"/targets/?as_of={D.isoformat()}").get_data(as_text=True)
    card = html.split('id="target-CERT5"', 1)[1].split("</section>", 1)[0]
    assert ">20 %</text>" in card and ">100 %</text>" not in card


def test_the_threshold_is_edited_as_a_percentage(login_as, city, db):
    from tests.helpers import post_form

    client, _user = login_as(Role.STAFF)
    target = city[2]
    url = "/targets/CERT5/edit"
    form = {"code": "CERT5", "name_vi": target.name_vi, "name_en": target.name_en, "kind": "certified_share",
            "threshold": "150", "version": str(target.version_id)}
    refused = post_form(client, url, form, token_from=url)
    assert refused.status_code == 400  # a percentage is 0 to 100
    form["threshold"] = "7.5"
    form["window_start"] = "01/01/2024"
    assert post_form(client, url, form, token_from=url).status_code == 400  # a share has no window
    del form["window_start"]
    assert post_form(client, url, form, token_from=url).status_code == 302
    db.session.refresh(target)
    assert target.threshold == Decimal("7.5")


def test_the_officials_home_shows_the_third_target(login_as, city, edges):
    client, _user = login_as(Role.OFFICIAL, locale="en")
    html = client.get("/home/official").get_data(as_text=True)
    for target in city:
        assert target.name_en in html
    assert "3 / 11" in html and "27.3\xa0%" in html  # today: issued, twice, and the one issued on 01/07/2025


# ---- The periodic report -------------------------------------------------------------------------------------

def _pdf_text(pdf: bytes, tmp_path, layout: bool = True) -> str:
    """The PDF's text on one line: laid out as printed (a table's row on a line), or in reading order (a
    cell's text together, however it wraps)."""
    require_or_skip(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", text)


def test_the_report_prints_the_share_and_the_certified_businesses(make, db, login_as, edges, tmp_path):
    from incubator.reports import services as reports
    from tests.helpers import post_form

    client, staff = login_as(Role.STAFF)
    report = reports.create(start=date(2025, 4, 1), end=D, period_label="2025-Q2", actor=staff)
    db.session.commit()
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert 'id="certified-share"' in page and 'id="certified-businesses"' in page
    pdf = client.get(f"/reports/{report.id}.en.pdf").data
    assert "IT businesses holding CMMI or ISO/IEC certificates 4 / 11 = 36.4 % 5 % Yes" in _pdf_text(pdf, tmp_path)
    english = _pdf_text(pdf, tmp_path, layout=False)
    for key in COUNTED:
        assert edges[key].name in english, key
    # Nor the certified businesses outside the denominator: not IT, gone before the day, never in the incubator.
    for key in (IN_DENOMINATOR - COUNTED) | {"not_it", "gone", "elsewhere"}:
        assert edges[key].name not in english, key
    assert "CMMI 3 CMMI-" in english and "01/07/2022 – 30/06/2025" in english and "no expiry" in english
    vietnamese = client.get(f"/reports/{report.id}.vi.pdf").data
    assert "4 / 11 = 36,4 %" in _pdf_text(vietnamese, tmp_path)
    assert "Doanh nghiệp CNTT đạt chứng chỉ CMMI hoặc ISO/IEC" in _pdf_text(vietnamese, tmp_path, layout=False)
    assert edges["twice"].name in _pdf_text(vietnamese, tmp_path, layout=False)

    assert post_form(client, f"/reports/{report.id}/finalise", {"version": str(report.version_id)}).status_code == 302
    db.session.expire_all()
    kept = report.snapshot
    assert kept["targets"]["certified_share"]["numerator"] == 4
    assert {b["company"] for b in kept["certified"]} == _names(edges, COUNTED)
    # A later certificate does not change the finalised report.
    _certify(edges["none"])
    db.session.commit()
    again = client.get(f"/reports/{report.id}.en.pdf").data
    assert "4 / 11 = 36.4 %" in _pdf_text(again, tmp_path)
    assert edges["none"].name not in _pdf_text(again, tmp_path, layout=False)


def test_a_report_finalised_before_the_third_target_still_renders(make, db, login_as, edges, tmp_path):
    """A snapshot kept before the certified share was counted (no key for it, none in the series, no list):
    the report's page and a PDF rendered from it show the two targets it kept, and nothing of the third."""
    from incubator.reports import services as reports
    from incubator.reports.render import render_pdf
    from tests.helpers import post_form

    client, staff = login_as(Role.STAFF, locale="en")
    report = reports.create(start=date(2025, 4, 1), end=D, period_label="2025-Q2", actor=staff)
    db.session.commit()
    assert post_form(client, f"/reports/{report.id}/finalise", {"version": str(report.version_id)}).status_code == 302
    db.session.expire_all()
    old = {k: v for k, v in report.snapshot.items() if k != "certified"}
    old["targets"] = {k: v for k, v in old["targets"].items() if k != "certified_share"}
    old["series"] = [{k: v for k, v in point.items() if k != "certified"} for point in old["series"]]
    report.snapshot = old
    db.session.commit()
    response = client.get(f"/reports/{report.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Incubated IT startups among the IT businesses" in page
    assert 'id="certified-share"' not in page and 'id="certified-businesses"' not in page
    assert page.count("<svg") == 2
    text = _pdf_text(render_pdf(report, old, "en"), tmp_path)
    assert "Incubated IT startups among the IT businesses" in text and "CMMI or ISO/IEC" not in text


def test_the_citys_report_sets_each_incubators_share_beside_the_citys(login_as, network, tmp_path):
    client, _user = login_as(Role.OFFICIAL, locale="en")
    page = client.get("/reports/city?year=2025&part=year").get_data(as_text=True)
    table = page.split('id="city-targets"', 1)[1].split("</table>", 1)[0]
    assert "IT businesses holding CMMI or ISO/IEC certificates" in table
    cells = re.findall(r'<td class="text-end[^"]*">([^<]*)</td>', table.split("CMMI or ISO/IEC certificates", 1)[1])
    # HN2: A and C of 2; VUHN: A of A and B; the city: A (in both, once) and C of 3.
    assert cells[:3] == ["2 / 2 = 100.0\xa0%", "1 / 2 = 50.0\xa0%", "2 / 3 = 66.7\xa0%"]
    pdf = client.get("/reports/city.pdf?year=2025&part=year&lang=en").data
    text = _pdf_text(pdf, tmp_path)
    assert re.search(r"2 / 2 = 100\.0 % 1 / 2 = 50\.0 % 2 / 3 = 66\.7 %", text)
    assert re.search(r"Threshold 5 ?% 5 ?% 5 ?% Met Yes Yes Yes", text)
    reading = _pdf_text(pdf, tmp_path, layout=False)
    assert re.search(r"IT businesses holding CMMI or ISO/ ?IEC certificates", reading)
    # The city's certified businesses, each once with the incubators that count it; N (not IT) and B are not.
    assert re.search(r"Công ty A HN2, VUHN ISO 9001 — ISO 9001-\d+-20240101 01/01/2024 – no expiry", reading)
    assert re.search(r"Công ty C HN2 CMMI 3 CMMI-\d+-20240101", reading)
    assert reading.count("Công ty A") == 1 and "Công ty N" not in reading and "Công ty B" not in reading


def test_the_commands_text_writes_every_date_dd_mm_yyyy(runner, network):
    """The heading's date was dd/mm/yyyy but the graduates' window ISO on the next line."""
    text = runner.invoke(args=["targets", "--as-of", D.isoformat()]).output
    assert f"Targets on {D:%d/%m/%Y}" in text
    assert re.search(r"Graduates \d{2}/\d{2}/\d{4} – \d{2}/\d{2}/\d{4}: ", text), text
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), text


@pytest.mark.parametrize("days_after", [-400, -1, 0, 1, 200])
def test_the_reports_numerator_read_alone_is_the_drill_downs(edges, days_after):
    """A report reads the certified businesses in one query of their certificates (``certified_numerator``),
    not through the drill-down's every business with its reasons: the same businesses in the same order, with
    the same certificates, at each edge of the rules, for the city's target and the incubator's copy."""
    day = D + timedelta(days=days_after)
    services.copy_city_targets(by_code("VUHN"))
    _db.session.commit()
    for target in (queries.first_of_kind(TargetKind.CERTIFIED_SHARE),
                   queries.first_of_kind(TargetKind.CERTIFIED_SHARE, by_code("VUHN"))):
        explained = [(e.company.id, [c.id for c in e.certificates])
                     for e in queries.explain_certified(target, day)["numerator"]]
        alone = [(company.id, [c.id for c in certificates])
                 for company, certificates in queries.certified_numerator(target, day)]
        assert alone == explained, (target, day)
    assert days_after != 0 or len(alone) == 4
