"""The API's resources (issue 24): the register, rounds, cohorts, mentoring hours, finalised reports and
published answers give the interface's figures (a round's counts, mentoring hours by partner and month, a
business's certificates), and what the token's owner could see there, never more: a token without the
resource's scope is refused (403), another incubator's object is not found (404)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from incubator.applications import queries as application_queries
from incubator.applications.enums import ApplicationStatus
from incubator.auth.enums import Role
from incubator.certificates.enums import CertificateStatus
from incubator.certificates.models import Certificate, CertificateStandard
from incubator.certificates.queries import company_certificates, standing
from incubator.cohorts import queries as cohort_queries
from incubator.i18n import fmt_decimal, local_today
from incubator.mentoring import queries as mentoring_queries
from incubator.mentoring.enums import SessionStatus
from incubator.organisation import services as organisation
from incubator.reports.enums import ReportStatus
from incubator.reports.models import PeriodicReport

PROBLEM = "application/problem+json"


def _ok(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    return response.get_json()


def _all(client, url: str) -> list[dict]:
    """Every item of a list, following its `next` links."""
    items = []
    while url:
        body = _ok(client.get(url))
        items += body["items"]
        url = body["next"].removeprefix("http://localhost") if body["next"] else None
    return items


# ---- A round's counts ---------------------------------------------------------------------------------------

def test_a_rounds_counts_are_its_applications_page_counts(api, make, db, login_as):
    intake_round = make.intake_round()
    statuses = ([ApplicationStatus.DRAFT] * 2 + [ApplicationStatus.SUBMITTED] * 3 + [ApplicationStatus.ACCEPTED]
                + [ApplicationStatus.WITHDRAWN] + [ApplicationStatus.REJECTED] * 2)
    for status in statuses:
        make.application(intake_round=intake_round, status=status)
    make.application(status=ApplicationStatus.SUBMITTED)  # another round's
    client = api()
    got = _ok(client.get(f"/api/v1/rounds/{intake_round.id}"))
    counts = application_queries.counts_by_status(intake_round.id, db)  # what the page of applications shows
    assert got["applications"] == {s.value: counts.get(s, 0) for s in ApplicationStatus}
    assert got["applications"] == {"draft": 2, "submitted": 3, "under_review": 0, "accepted": 1, "waitlisted": 0,
                                   "rejected": 2, "withdrawn": 1}
    assert got["submitted"] == application_queries.submitted_total(counts) == 6  # drafts and withdrawn left out
    assert got["name_vi"] == intake_round.name_vi and got["open_now"] is True and got["incubator"] == "VUHN"
    listed = {r["id"]: r for r in _all(client, "/api/v1/rounds?limit=1")}
    assert listed[intake_round.id] == got and len(listed) == 2
    # As the staff's page of the round's applications says them.
    staff, _user = login_as(Role.STAFF)
    html = staff.get(f"/rounds/{intake_round.id}/applications").get_data(as_text=True)
    assert int(re.search(r'id="submitted-total">(\d+)', html).group(1)) == got["submitted"]
    assert {status: int(n) for status, n in re.findall(r'status=(\w+)">[^<:]*: (\d+)</a>', html)} == \
        {status: n for status, n in got["applications"].items() if n}


# ---- Mentoring hours by partner and month -------------------------------------------------------------------

def test_mentoring_hours_are_the_hours_page_and_each_partners_page(api, make, db, login_as, app):
    first = make.mentor_assignment()
    second = make.mentor_assignment()
    march, april = datetime(2025, 3, 10, 2, 0, tzinfo=UTC), datetime(2025, 4, 2, 2, 0, tzinfo=UTC)
    make.mentoring_session(assignment=first, starts_at=march, minutes=90, status=SessionStatus.CONFIRMED)
    make.mentoring_session(assignment=first, starts_at=march, minutes=45, status=SessionStatus.CONFIRMED)
    make.mentoring_session(assignment=first, starts_at=april, minutes=60, status=SessionStatus.CONFIRMED)
    make.mentoring_session(assignment=first, starts_at=april, minutes=600, status=SessionStatus.DISPUTED)
    make.mentoring_session(assignment=second, starts_at=april, minutes=30, status=SessionStatus.CONFIRMED)
    make.mentoring_session(assignment=second, starts_at=april, minutes=120, status=SessionStatus.HELD)
    # 23:30 on 31/03 in Hà Nội (16:30 UTC): March's, as the pages count by Hà Nội's months.
    make.mentoring_session(assignment=second, starts_at=datetime(2025, 3, 31, 16, 30, tzinfo=UTC), minutes=15,
                           status=SessionStatus.CONFIRMED)
    body = _ok(api().get("/api/v1/mentoring/hours"))
    rows = {(r["partner_id"], r["month"]): r for r in body["items"]}
    p1, p2 = first.mentor.partner_id, second.mentor.partner_id
    assert {k: (r["minutes"], r["sessions"]) for k, r in rows.items()} == {
        (p1, "2025-03"): (135, 2), (p1, "2025-04"): (60, 1), (p2, "2025-03"): (15, 1), (p2, "2025-04"): (30, 1)}
    assert rows[(p1, "2025-03")]["hours"] == 2.25 and rows[(p1, "2025-03")]["partner_name"] == first.mentor.partner.name
    # The staff's hours page (mentoring.queries.hours) and each partner's page count the same.
    staff, _user = login_as(Role.STAFF)
    page = mentoring_queries.hours()
    assert body["total_hours"] == round(page.total, 2) == 4.0 and body["sessions"] == page.sessions == 5
    for partner in (first.mentor.partner, second.mentor.partner):
        months = dict(mentoring_queries.partner_page(partner, local_today())["months"])
        assert {r["month"]: r["hours"] for r in body["items"] if r["partner_id"] == partner.id} == \
               {month: round(h, 2) for month, h in months.items()}
        assert sum(r["hours"] for r in body["items"] if r["partner_id"] == partner.id) == \
               pytest.approx(page.by_partner[partner.id])
        # As the partner's page shows them to staff (its table of months, hours written as the page writes them).
        html = staff.get(f"/partners/{partner.id}").get_data(as_text=True)
        table = html[html.index('id="by-month"'):]
        shown = {f"{year}-{month}": hours for month, year, hours in
                 re.findall(r'<td>(\d\d)/(\d{4})</td><td class="text-end">([\d.,]+)</td>',
                            table[:table.index("</table>")])}
        with app.test_request_context():
            assert shown == {r["month"]: fmt_decimal(r["minutes"] / 60) for r in body["items"]
                             if r["partner_id"] == partner.id}
        assert len(shown) == 2
    april_only = _ok(api().get("/api/v1/mentoring/hours?from=2025-04-01&to=2025-04-30"))
    assert {(r["partner_id"], r["month"]) for r in april_only["items"]} == {(p1, "2025-04"), (p2, "2025-04")}
    assert april_only["from"] == "2025-04-01" and april_only["total_hours"] == 1.5
    _problem(api().get("/api/v1/mentoring/hours?from=2025-04-30&to=2025-04-01"), 400)
    _problem(api().get("/api/v1/mentoring/hours?from=30/04/2025"), 400)


# ---- A business's certificates, residencies, outcomes -----------------------------------------------------

def _standard(db, code, recognised=True, has_levels=False) -> CertificateStandard:
    """The standard of this code (the list staff keep may hold it already), as the test needs it."""
    from incubator.certificates.models import code_key

    standard = db.session.scalar(sa.select(CertificateStandard).where(CertificateStandard.code_key == code_key(code)))
    if standard is None:
        standard = CertificateStandard(code=code, name_vi=f"Tiêu chuẩn {code}", name_en=f"Standard {code}")
        db.session.add(standard)
    standard.recognised, standard.has_levels = recognised, has_levels
    db.session.commit()
    return standard


def test_a_business_s_certificates_are_those_on_its_file_with_whether_they_count(api, make, db):
    company = make.company()
    make.residency(company=company)
    iso = _standard(db, "ISO/IEC 27001")
    cmmi = _standard(db, "CMMI", has_levels=True)
    other = _standard(db, "ISO 9001", recognised=False)
    today = local_today()
    rows = [Certificate(company=company, standard=iso, issued_on=date(2024, 5, 1), number="IS 123",
                        issuer="BSI", status=CertificateStatus.VERIFIED),
            Certificate(company=company, standard=cmmi, level=1, issued_on=date(2024, 6, 1),
                        status=CertificateStatus.VERIFIED),
            Certificate(company=company, standard=cmmi, level=3, issued_on=date(2022, 6, 1),
                        expires_on=date(2023, 6, 1), status=CertificateStatus.VERIFIED),
            Certificate(company=company, standard=other, issued_on=date(2024, 1, 1), status=CertificateStatus.VERIFIED),
            Certificate(company=company, standard=iso, issued_on=date(2025, 1, 1),
                        status=CertificateStatus.SUBMITTED)]
    db.session.add_all(rows)
    db.session.add(Certificate(company=make.company(), standard=iso, issued_on=date(2024, 1, 1)))
    db.session.commit()
    client = api()
    got = _all(client, f"/api/v1/businesses/{company.id}/certificates?limit=2")
    on_file = company_certificates(company.id)  # what the business's page lists
    assert sorted(c["id"] for c in got) == sorted(c.id for c in on_file) and len(got) == 5
    by_id = {c["id"]: c for c in got}
    for certificate in on_file:
        held = standing(certificate, today)
        assert (by_id[certificate.id]["counts"], by_id[certificate.id]["why_not"]) == (held.counts, held.reason)
    assert [by_id[c.id]["counts"] for c in rows] == [True, False, False, False, False]
    first = by_id[rows[0].id]
    assert (first["standard"], first["number"], first["issuer"], first["issued_on"], first["expires_on"],
            first["status"], first["recognised"]) == ("ISO/IEC 27001", "IS 123", "BSI", "2024-05-01", None,
                                                      "verified", True)
    assert by_id[rows[2].id]["level"] == 3 and by_id[rows[2].id]["expires_on"] == "2023-06-01"
    assert _ok(client.get(f"/api/v1/certificates/{rows[0].id}")) == first
    assert len(_all(client, "/api/v1/certificates")) == 6
    business = _ok(client.get(f"/api/v1/businesses/{company.id}"))
    assert (business["tax_code"], business["name"], business["is_it"], business["kind"], business["residencies"]) \
        == (company.tax_code, company.name, True, "incubated", 1)


def test_residencies_and_outcomes_say_their_incubator_dates_and_evidence(api, make, db):
    company = make.company(is_it=False)
    ended = make.residency(company=company, starts_on=date(2023, 1, 1), ends_on=date(2023, 12, 31))
    running = make.residency(company=company, starts_on=date(2024, 1, 1))
    outcome = make.outcome(company=company, pillars=("government", "society"), evidence_url="https://vd.vn/hd")
    client = api()
    residencies = _all(client, f"/api/v1/businesses/{company.id}/residencies?limit=1")
    assert residencies == [
        {"id": ended.id, "business_id": company.id, "incubator": "VUHN", "kind": "incubated",
         "starts_on": "2023-01-01", "ends_on": "2023-12-31", "active_today": False},
        {"id": running.id, "business_id": company.id, "incubator": "VUHN", "kind": "incubated",
         "starts_on": "2024-01-01", "ends_on": None, "active_today": True}]
    got = _ok(client.get(f"/api/v1/outcomes/{outcome.id}"))
    assert got == {"id": outcome.id, "business_id": company.id, "business_name": company.name, "incubator": "VUHN",
                   "cohort_name": None, "decision": "graduated", "decided_on": "2025-06-30", "product": None,
                   "pillars": ["government", "society"], "evidence_text": "Hợp đồng với khách hàng",
                   "evidence_url": "https://vd.vn/hd", "evidence_file": None}
    assert _ok(client.get(f"/api/v1/businesses/{company.id}"))["graduated_on"] == "2025-06-30"
    assert [b["id"] for b in _all(client, "/api/v1/businesses?is_it=false")] == [company.id]
    assert [b["id"] for b in _all(client, f"/api/v1/businesses?tax_code={company.tax_code}")] == [company.id]
    assert _all(client, "/api/v1/outcomes?decision=failed") == []


# ---- Cohorts, reports, answers ------------------------------------------------------------------------------

def test_cohorts_give_their_dates_and_the_cohorts_page_member_counts(api, make):
    cohort = make.cohort(starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    for _ in range(3):
        make.cohort_member(cohort=cohort)
    empty = make.cohort()
    listed = {c["id"]: c for c in _all(api(), "/api/v1/cohorts")}
    shown = {c.id: n for c, n in cohort_queries.cohorts_with_counts()}  # the cohorts' page
    assert {i: c["members"] for i, c in listed.items()} == shown == {cohort.id: 3, empty.id: 0}
    assert listed[cohort.id]["starts_on"] == "2025-01-01" and listed[cohort.id]["ends_on"] == "2025-12-31"


def _report(db, status=ReportStatus.FINAL, incubator_id=None, **kw) -> PeriodicReport:
    report = PeriodicReport(number=kw.pop("number", "12/BC-VƯTT"), period_label="2025-Q2",
                            period_start=date(2025, 4, 1), period_end=date(2025, 6, 30), status=status,
                            finalised_at=datetime(2025, 7, 5, 3, 0, tzinfo=UTC) if status is ReportStatus.FINAL
                            else None, **({"incubator_id": incubator_id} if incubator_id else {}), **kw)
    db.session.add(report)
    db.session.commit()
    return report


def test_only_finalised_reports_are_given_with_the_links_to_their_pdfs(api, db, login_as):
    final = _report(db)
    draft = _report(db, status=ReportStatus.DRAFT, number=None)
    client = api()
    assert [r["id"] for r in _all(client, "/api/v1/reports")] == [final.id]
    got = _ok(client.get(f"/api/v1/reports/{final.id}"))
    assert got["pdf"] == {"vi": f"http://localhost/api/v1/reports/{final.id}/pdf/vi",
                          "en": f"http://localhost/api/v1/reports/{final.id}/pdf/en", "ready": False}  # being drawn
    waiting = client.get(got["pdf"]["vi"].removeprefix("http://localhost"))
    _problem(waiting, 503)
    assert waiting.headers["Retry-After"] == "10"
    final.pdf_vi, final.pdf_en = b"%PDF-1.7 vi", b"%PDF-1.7 en"
    db.session.commit()
    assert _ok(client.get(f"/api/v1/reports/{final.id}"))["pdf"]["ready"] is True
    assert _all(client, "/api/v1/reports")[0]["pdf"]["ready"] is True
    opened = client.get(got["pdf"]["en"].removeprefix("http://localhost"))  # with the token alone
    assert opened.status_code == 200 and opened.mimetype == "application/pdf" and opened.data == b"%PDF-1.7 en"
    assert opened.headers["ETag"] and "filename=\"bao-cao-2025-q2-v1-en.pdf\"" in opened.headers["Content-Disposition"]
    assert client.get(got["pdf"]["en"].removeprefix("http://localhost"),
                      headers={"If-None-Match": opened.headers["ETag"]}).status_code == 304
    official, _user = login_as(Role.OFFICIAL)  # the interface's download holds the same file, signed in
    assert official.get(f"/reports/{final.id}.en.pdf").data == opened.data
    _problem(client.get(f"/api/v1/reports/{final.id}/pdf/fr"), 404)
    _problem(client.get(f"/api/v1/reports/{draft.id}/pdf/vi"), 404)
    assert (got["number"], got["period"], got["version"], got["finalised_at"][:10]) == \
        ("12/BC-VƯTT", "2025-Q2", 1, "2025-07-05")
    _problem(client.get(f"/api/v1/reports/{draft.id}"), 404)  # officials never read a draft


@pytest.mark.slow
def test_answers_are_exactly_the_public_pages(api_world, api, client):
    from markupsafe import escape

    from incubator.requests import queries
    from incubator.requests.enums import PublicationConsent
    from incubator.requests.models import BusinessRequest

    db = api_world
    published = list(db.session.scalars(queries.published_answers()).unique())
    assert published, "the demonstration publishes answers"
    got = {a["number"]: a for a in _all(api(), "/api/v1/answers?limit=2")}
    assert set(got) == {r.number for r in published}
    for request in published:
        shown = queries.public_view(request)
        answer = got[request.number]
        assert (answer["title"], answer["question"], answer["business"], answer["answer"], answer["working_days"]) \
            == (shown.title, shown.question, shown.business, shown.answer, shown.working_days)
        if request.consent is PublicationConsent.ANONYMISED:
            assert answer["business"] is None and request.company.name not in str(answer)
    html = client.get("/requests/answers/").get_data(as_text=True)
    assert all(str(escape(a["title"])) in html for a in got.values())
    hidden = db.session.scalar(sa.select(BusinessRequest).where(BusinessRequest.number.not_in(list(got))))
    assert hidden is not None
    _problem(api().get(f"/api/v1/answers/{hidden.number}"), 404)


# ---- The catalogue ----------------------------------------------------------------------------------------

def _product_fields(db, **data) -> dict:
    from incubator.catalogue import services
    from incubator.catalogue.models import ProductGroup

    services.ensure_default_groups()
    group = db.session.scalar(sa.select(ProductGroup).where(ProductGroup.code == "FINTECH"))
    return {"name_vi": "Ví điện tử Phường Xã", "name_en": "Ward wallet", "summary_vi": "Thu phí bằng mã QR",
            "summary_en": "Fees by QR code", "audience_vi": "UBND phường", "audience_en": "Ward committees",
            "pillar": "government", "group_id": group.id, "on_market_since": date(2024, 3, 1),
            "public_customers": "UBND phường Dịch Vọng Hậu", "website": "https://vi.example.vn", **data}


def _product(make, db, company, **data):
    """An entry of the business, approved by staff (listed, as the business consents by default)."""
    from incubator.catalogue import services

    entry = services.create_entry(company, _product_fields(db, **data), actor=make.user(Role.FOUNDER))
    services.approve(entry, actor=make.user(Role.STAFF))
    db.session.commit()
    return entry


def test_the_products_are_exactly_the_public_catalogues(api, make, db):
    from incubator.catalogue import queries, services

    company = make.company()
    make.residency(company=company)
    iso = _standard(db, "ISO/IEC 27001")
    db.session.add(Certificate(company=company, standard=iso, issued_on=date(2024, 1, 1), expires_on=date(2099, 1, 1)))
    db.session.commit()
    shown = _product(make, db, company)
    waiting = services.create_entry(company, {**_product_fields(db), "name_vi": "Chưa duyệt"},
                                    actor=make.user(Role.FOUNDER))
    unlisted = _product(make, db, company, name_vi="Không niêm yết")
    services.set_listed(unlisted, False, actor=make.user(Role.STAFF))
    db.session.commit()
    client = api()
    got = _all(client, "/api/v1/products?limit=1")
    assert [p["id"] for p in got] == [e.id for e in db.session.scalars(queries.listed_products())] == [shown.id]
    product = _ok(client.get(f"/api/v1/products/{shown.id}"))
    assert product == got[0]
    assert (product["name_vi"], product["pillar"], product["business"], product["incubators"],
            product["on_market_since"]) == ("Ví điện tử Phường Xã", "government", company.name, ["VUHN"],
                                           "2024-03-01")
    assert product["certificates"] == [{"standard": "ISO/IEC 27001", "level": None, "expires_on": "2099-01-01"}]
    assert product["url"] == f"http://localhost/catalogue/{shown.id}-{shown.slug}"
    for hidden in (waiting, unlisted):
        _problem(client.get(f"/api/v1/products/{hidden.id}"), 404)
    assert _all(client, "/api/v1/products?q=vi dien tu&pillar=government") == got
    assert _all(client, "/api/v1/products?pillar=economy") == []
    assert _all(client, "/api/v1/products?group=NO-SUCH-GROUP") == []


# ---- What a token may read --------------------------------------------------------------------------------

PATHS = {
    "register": ["/api/v1/businesses", "/api/v1/businesses/{business}", "/api/v1/businesses/{business}/residencies",
                 "/api/v1/businesses/{business}/certificates", "/api/v1/outcomes", "/api/v1/outcomes/{outcome}",
                 "/api/v1/certificates", "/api/v1/certificates/{certificate}"],
    "rounds": ["/api/v1/rounds", "/api/v1/rounds/{round}"],
    "cohorts": ["/api/v1/cohorts", "/api/v1/cohorts/{cohort}"],
    "mentoring": ["/api/v1/mentoring/hours"],
    "reports": ["/api/v1/reports", "/api/v1/reports/{report}"],
    "answers": ["/api/v1/answers", "/api/v1/answers/KN-2026-0001"],
    "catalogue": ["/api/v1/products", "/api/v1/products/{product}"],
}


@pytest.fixture
def two_incubators(make, db):
    """A business, a round, a cohort, an outcome, a certificate and a report in VUHN, and the same in HL."""
    from incubator.organisation.current import use_incubator

    hl = organisation.create("HL", "Vườn ươm Hòa Lạc", "Hoa Lac incubator")
    db.session.commit()
    iso = _standard(db, "ISO/IEC 27001")
    world = {}
    from incubator.organisation.models import Incubator

    vuhn = db.session.scalar(sa.select(Incubator).where(Incubator.code == "VUHN"))
    for code, incubator_id in (("VUHN", vuhn.id), ("HL", hl.id)):
        with use_incubator(incubator_id):
            company = make.company()
            make.residency(company=company, incubator_id=incubator_id)
            outcome = make.outcome(company=company, incubator_id=incubator_id)
            certificate = Certificate(company=company, standard=iso, issued_on=date(2024, 1, 1))
            db.session.add(certificate)
            db.session.commit()
            world[code] = {"business": company.id, "product": _product(make, db, company).id,
                           "outcome": outcome.id, "certificate": certificate.id,
                           "round": make.intake_round(incubator_id=incubator_id).id,
                           "cohort": make.cohort(incubator_id=incubator_id).id,
                           "report": _report(db, incubator_id=incubator_id, number=f"1/BC-{code}").id}
    world["hl"] = hl.id
    return world


def test_a_token_without_the_resource_s_scope_is_refused(api, new_token, two_incubators):
    ids = two_incubators["VUHN"]
    for scope, paths in PATHS.items():
        others = [s for s in PATHS if s != scope] + ["incubators", "targets"]
        refused, granted = api(new_token(resources=others)), api(new_token(resources=[scope]))
        for path in paths:
            url = path.format(**ids)
            body = _problem(refused.get(url), 403)
            assert scope in body["detail"]
            if not url.endswith("KN-2026-0001"):
                assert granted.get(url).status_code == 200, url


def test_another_incubator_s_objects_are_not_found(api, new_token, two_incubators):
    vuhn, hl = two_incubators["VUHN"], two_incubators["HL"]
    limited = api(new_token(incubator_ids=[two_incubators["hl"]]))
    for paths in PATHS.values():
        for path in paths:
            if "{" not in path:
                continue
            _problem(limited.get(path.format(**vuhn)), 404)
            assert limited.get(path.format(**hl)).status_code == 200, path
    # Its lists hold its incubator's rows only; a token of every incubator reads both.
    for path, key in (("/api/v1/businesses", "business"), ("/api/v1/products", "product"),
                      ("/api/v1/outcomes", "outcome"), ("/api/v1/certificates", "certificate"),
                      ("/api/v1/rounds", "round"),
                      ("/api/v1/cohorts", "cohort"), ("/api/v1/reports", "report")):
        assert [item["id"] for item in _all(limited, path)] == [hl[key]], path
        assert {item["id"] for item in _all(api(), path)} == {hl[key], vuhn[key]}, path



def test_a_nul_in_a_text_parameter_or_a_path_is_a_problem_not_an_error(api):
    """(PostgreSQL refuses NUL in a string: the site refuses it before any query.)"""
    client = api()
    for url in ("/api/v1/answers?q=a%00b", "/api/v1/products?q=%00", "/api/v1/businesses?tax_code=0101%00"):
        _problem(client.get(url), 400)
    assert client.get("/api/v1/answers/KN-2026%000001").status_code in (400, 404)


def test_a_page_of_a_list_costs_the_same_queries_for_one_row_or_several(api, make, db):
    from tests.helpers import count_queries

    iso = _standard(db, "ISO/IEC 27001")

    def one_of_each():
        company = make.company()
        make.residency(company=company)
        make.outcome(company=company)
        db.session.add(Certificate(company=company, standard=iso, issued_on=date(2024, 1, 1)))
        make.application(status=ApplicationStatus.SUBMITTED)
        make.cohort_member()
        _product(make, db, company)
        db.session.commit()

    paths = ["/api/v1/businesses", "/api/v1/outcomes", "/api/v1/certificates", "/api/v1/rounds", "/api/v1/cohorts",
             "/api/v1/products"]
    client = api()

    def costs() -> dict[str, int]:
        found = {}
        for path in paths:
            with count_queries() as counter:
                _ok(client.get(path))
            found[path] = counter.count
        return found

    one_of_each()
    once = costs()
    for _ in range(3):
        one_of_each()
    assert costs() == once
