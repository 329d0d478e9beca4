"""The dashboard, its drill-down lists and the CLI agree on every figure, at a constant number of queries."""

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from incubator.auth.enums import Role
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Company, Residency
from incubator.extensions import db as _db
from incubator.outcomes.enums import Decision
from incubator.outcomes.models import GraduationOutcome
from incubator.targets.enums import TargetKind
from tests.helpers import count_queries, nothing_written, tax_code

AS_OF = date(2025, 6, 30)
KINDS = list(ResidencyKind)


def seed(n: int, offset: int = 0) -> None:
    """n businesses of every sort at once (IT or not, residencies of each kind, some ended, outcomes good
    and bad), added in one transaction."""
    rows = []
    for i in range(offset, offset + n):
        company = Company(tax_code=tax_code(20000 + i), name=f"Công ty Thử Số {i}", is_it=i % 7 != 0)
        start = date(2023, 1, 1) + timedelta(days=(i * 37) % 700)
        end = None if i % 3 else start + timedelta(days=200 + i % 300)
        company.residencies.append(Residency(kind=KINDS[i % len(KINDS)], starts_on=start, ends_on=end))
        if i % 4 == 0:
            outcome = GraduationOutcome(decision=Decision.GRADUATED, decided_on=start + timedelta(days=150),
                                        evidence_text="Hợp đồng" if i % 8 else None)
            outcome.pillars = ["economy"] if i % 12 else []
            company.outcomes.append(outcome)
        rows.append(company)
    _db.session.add_all(rows)
    _db.session.commit()


@pytest.fixture
def targets(make):
    return (make.target(code="IT70", kind=TargetKind.INCUBATED_IT_RATIO, threshold=Decimal("70")),
            make.target(code="GRAD10", kind=TargetKind.GRADUATE_COUNT, threshold=Decimal("10"),
                        window_start=date(2024, 1, 1), window_end=date(2025, 12, 31)))


def _figure(html: str, show: str) -> int:
    match = re.search(rf'show={show}">(\d+)</a>', html)
    assert match, f"no {show} link on the dashboard"
    return int(match.group(1))


def _list_length(client, code: str, show: str) -> int:
    html = client.get(f"/targets/{code}/?as_of={AS_OF.isoformat()}&show={show}").get_data(as_text=True)
    body = html.split('<tbody>', 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr>") - body.count('class="text-muted">')


def test_dashboard_drill_down_and_cli_agree(login_as, runner, targets):
    seed(60)
    client, _ = login_as(Role.OFFICIAL)
    html = client.get(f"/targets/?as_of={AS_OF.isoformat()}").get_data(as_text=True)
    data = json.loads(runner.invoke(args=["targets", "--as-of", AS_OF.isoformat(), "--json"]).output)
    ratio, grads = data["startup_ratio"], data["graduates"]
    assert ratio["denominator"] > ratio["numerator"] > 0 and grads["count"] > 0

    assert _figure(html, "numerator") == ratio["numerator"] == _list_length(client, "IT70", "numerator")
    assert _figure(html, "denominator") == ratio["denominator"] == _list_length(client, "IT70", "denominator")
    assert _figure(html, "count") == grads["count"] == _list_length(client, "GRAD10", "count")
    assert f"{ratio['percent']:.1f}\xa0%".replace(".", ",") in html  # Vietnamese decimal comma
    assert _list_length(client, "GRAD10", "excluded") > 0 and _list_length(client, "IT70", "excluded") > 0


def test_dashboard_shows_both_targets_with_a_12_quarter_chart(login_as, targets):
    seed(12)
    client, _ = login_as(Role.STAFF)
    html = client.get(f"/targets/?as_of={AS_OF.isoformat()}").get_data(as_text=True)
    assert html.count("<svg") == 2
    labels = re.findall(r">(Quý \d)<tspan[^>]*>(\d{4})</tspan>", html)
    assert labels[:12] == [(f"Quý {q}", str(y)) for y, q in
                           [(2022, 3), (2022, 4), (2023, 1), (2023, 2), (2023, 3), (2023, 4), (2024, 1), (2024, 2),
                            (2024, 3), (2024, 4), (2025, 1), (2025, 2)]]  # twelve quarters ending at the date asked
    assert html.index("target-IT70") < html.index("target-GRAD10")


def test_dashboard_and_series_cost_the_same_queries_at_10_and_1000_businesses(login_as, targets):
    client, _ = login_as(Role.OFFICIAL)

    def measure():
        with count_queries() as counter:
            assert client.get(f"/targets/?as_of={AS_OF.isoformat()}").status_code == 200
        return counter.count

    seed(10)
    small = measure()
    seed(990, offset=10)
    assert measure() == small


def test_drill_down_costs_the_same_queries_at_10_and_1000_businesses(login_as, targets):
    client, _ = login_as(Role.OFFICIAL)

    def measure():
        counts = []
        for code, show in (("IT70", "denominator"), ("GRAD10", "excluded")):
            with count_queries() as counter:
                assert client.get(f"/targets/{code}/?as_of={AS_OF.isoformat()}&show={show}").status_code == 200
            counts.append(counter.count)
        return counts

    seed(10)
    small = measure()
    seed(990, offset=10)
    assert measure() == small


def test_an_unknown_date_falls_back_to_today_and_nonsense_is_harmless(login_as, targets):
    from incubator.db import utcnow
    from incubator.i18n import local_tz

    client, _ = login_as(Role.STAFF)
    today = utcnow().astimezone(local_tz()).date().strftime("%d/%m/%Y")
    for query in ("as_of=31/02/2025", "as_of=abc", "as_of=9999-12-31", "as_of=0001-01-01"):
        response = client.get(f"/targets/?{query}")
        assert response.status_code == 200, query
        assert f"Số liệu ngày {today}" in response.get_data(as_text=True), query
    assert "Số liệu ngày 30/06/2025" in client.get("/targets/?as_of=30/06/2025").get_data(as_text=True)
    assert client.get("/targets/IT70/?show=nonsense").status_code == 200
    assert client.get("/targets/NO-SUCH/").status_code == 404


def test_staff_edit_a_target_and_the_dashboard_follows(login_as, targets, db):
    from tests.helpers import post_form

    client, _ = login_as(Role.STAFF)
    page = client.get("/targets/GRAD10/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    response = post_form(client, "/targets/GRAD10/edit", {
        "code": "GRAD10", "name_vi": "10 doanh nghiệp tốt nghiệp", "name_en": "10 graduates",
        "kind": "graduate_count", "threshold": "12", "window_start": "2024-01-01", "window_end": "2025-12-31",
        "source_document": "Kế hoạch", "version": version}, token_from="/targets/GRAD10/edit")
    assert response.status_code == 302
    assert targets[1].threshold == Decimal("12")
    bad = post_form(client, "/targets/new", {"code": "X1", "name_vi": "a", "name_en": "a", "kind": "graduate_count",
                                             "threshold": "-1"}, token_from="/targets/new")
    assert bad.status_code == 400
    from incubator.audit.models import AuditEntry

    assert db.session.query(AuditEntry).filter_by(action="target.update").count() == 1


def test_an_empty_incubator_shows_no_verdict(login_as, targets):
    client, _ = login_as(Role.OFFICIAL)
    html = client.get("/targets/?as_of=2025-06-30").get_data(as_text=True)
    section = html.split('id="target-IT70"', 1)[1].split("</section>", 1)[0]
    assert "Chưa có số liệu" in section and "Chưa đạt" not in section


def test_a_ratio_target_takes_no_window(login_as, targets):
    from tests.helpers import post_form

    client, _ = login_as(Role.STAFF)
    with nothing_written():
        response = post_form(client, "/targets/new", {
            "code": "IT80", "name_vi": "Tỷ lệ 80", "name_en": "Ratio 80", "kind": "incubated_it_ratio",
            "threshold": "80", "window_start": "2024-01-01"}, token_from="/targets/new")
        assert response.status_code == 400


def test_a_graduate_counted_on_a_pdf_alone_shows_it_and_officials_can_open_it(login_as, targets, make, app):
    from pathlib import Path

    company = make.company(name="Công ty Chỉ Có PDF")
    pdf = Path(app.instance_path) / "uploads" / "evidence"
    pdf.mkdir(parents=True, exist_ok=True)
    (pdf / ("a" * 32 + ".pdf")).write_bytes(b"%PDF-1.4 test")
    outcome = make.outcome(company=company, evidence_text=None, evidence_file="a" * 32 + ".pdf",
                           evidence_filename="hop-dong.pdf", decided_on=date(2025, 3, 3))
    client, _ = login_as(Role.OFFICIAL)
    html = client.get("/targets/GRAD10/?as_of=2025-06-30&show=count").get_data(as_text=True)
    assert "Công ty Chỉ Có PDF" in html and f"/register/outcomes/{outcome.id}/evidence" in html
    download = client.get(f"/register/outcomes/{outcome.id}/evidence")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")


def test_remembered_figures_follow_every_change_of_what_they_count(login_as, targets, make):
    """The dashboard remembers its series while the register is unchanged: a second view runs fewer queries,
    and any change (a new residency, an end date, a business no longer IT, an outcome, a deletion) shows at
    once."""
    from incubator.outcomes.services import record_outcome

    client, _ = login_as(Role.OFFICIAL)
    url = f"/targets/?as_of={AS_OF.isoformat()}"

    def figures():
        html = client.get(url).get_data(as_text=True)
        return _figure(html, "numerator"), _figure(html, "denominator"), _figure(html, "count")

    seed(20)
    first = figures()
    with count_queries() as cold:
        client.get(url.replace("06-30", "06-29"))
    with count_queries() as warm:
        client.get(url.replace("06-30", "06-29"))
    assert warm.count < cold.count
    startup = make.company(is_it=True)
    residency = make.residency(company=startup, kind=ResidencyKind.INCUBATED, starts_on=date(2024, 1, 1))
    assert figures() == (first[0] + 1, first[1] + 1, first[2])
    residency.ends_on = date(2025, 6, 29)
    _db.session.commit()
    assert figures() == first
    residency.ends_on = None
    _db.session.commit()
    assert figures()[:2] == (first[0] + 1, first[1] + 1)
    startup.is_it = False
    _db.session.commit()
    assert figures() == first
    startup.is_it = True
    record_outcome(startup, decision=Decision.GRADUATED, decided_on=date(2025, 1, 10), pillars=["economy"],
                   evidence_text="Hợp đồng với UBND quận")
    _db.session.commit()
    assert figures() == (first[0] + 1, first[1] + 1, first[2] + 1)
    _db.session.delete(residency)
    _db.session.commit()
    assert figures() == (first[0], first[1], first[2] + 1)
