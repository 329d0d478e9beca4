"""The staff of HN2 see none of HN1's rows in any list, count, chart or export (issue 20, "Scoping that cannot
be forgotten"); nor do HN2's reviewers, mentors and fund managers, even those who also hold their role in HN1
and work in HN2.

The walk cannot miss a page: it takes every GET route of the permission matrix (which has a row for every route
of the application, ``test_every_route_has_a_row``), with the ids of HN2's own objects, each export in both
formats and each PDF in both languages, plus the drill-downs of HN2's targets. Each page is rendered once as
each person of HN2; then HN1 receives a great deal of work (rounds, applications, reviews, cohorts, residencies,
outcomes, services, mentoring sessions, pipeline entries, reports, agreements, reasons for rejection, and the
rows of a business that sits in both incubators), named and numbered so that it cannot be mistaken; each page
is rendered again. What a person of HN2 reads must be the same, word for word and figure for figure (a count
that moves from 3 to 5 is a leak too), once what varies on its own (CSRF tokens, nonces) is set aside:
spreadsheets are compared by their cells and PDFs by their text, not their bytes. And no mark of HN1's rows
may appear anywhere.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from incubator.applications.enums import ApplicationStatus
from incubator.auth.enums import Role
from incubator.auth.models import UserRole
from incubator.organisation import services as organisation
from incubator.organisation.current import use_incubator
from incubator.organisation.models import Incubator
from tests.helpers import login, post_form
from tests.test_permission_matrix import MATRIX, _objects, _url

# every page, twice, as five people; the two readings on one day in Hà Nội (pages carry today's date)
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("one_hanoi_day")]

# What HN1's rows are called and count: none of it may show to HN2's people.
MARK = "Rò Rỉ"  # in every name and text of HN1's rows
AMOUNT = Decimal("987654321")  # money of HN1's rows (revenue, funding, pipeline amounts)
MINUTES = 713  # HN1's mentoring sessions (11 h 53)
HOURS = Decimal("55.5")  # HN1's services
MARKERS = (MARK, "Ro Ri", "987.654.321", "987654321", "987,654,321", "HN1-RR")

DECIDED = (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.ACCEPTED, ApplicationStatus.REJECTED,
           ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED)
PEOPLE = ("staff", "reviewer", "mentor", "fund_manager", "staff_of_both")

_CSRF = re.compile(r'(name="[\w-]*csrf_token"[^>]*value=")[^"]+(")|(value=")[^"]+("[^>]*name="[\w-]*csrf_token")')
_NONCE = re.compile(r'nonce="[^"]+"')
_FEED_UPDATED = re.compile(r"<updated>[^<]*</updated>")
_TOKEN_IN_URL = re.compile(r"(csrf_token=)[^&\"']+")
_ROBOT_QUESTION = re.compile(r'(<input id="question" name="question" type="hidden" value=")[^"]+(">)|'
                             r'(?<=<label class="form-label" for="answer">)[^<]+')


def _normalised(response) -> str:
    """What a person reads of a response, with what varies from one request to the next set aside."""
    kind = response.mimetype or ""
    data = response.get_data()
    if kind == "application/pdf":
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(data))
        except PdfReadError:  # a stored stand-in (the matrix's finalised report keeps b"%PDF-1.4")
            return data.decode("latin-1")
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data))
        return "\n".join(f"[{sheet.title}] " + "\t".join("" if v is None else str(v) for v in row)
                         for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    if kind == "text/csv":
        return "\n".join("\t".join(row) for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    text = data.decode("utf-8", errors="replace")
    if kind == "application/atom+xml":  # a feed with no entry was updated "now"
        head, entry, rest = text.partition("<entry>")
        text = _FEED_UPDATED.sub("<updated>…</updated>", head) + entry + rest
    text = _CSRF.sub(lambda m: (m.group(1) or m.group(3)) + "…" + (m.group(2) or m.group(4)), text)
    text = _TOKEN_IN_URL.sub(r"\1…", text)
    text = _ROBOT_QUESTION.sub(r"\1…\2", text)  # the catalogue's contact form asks a new sum each time
    return _NONCE.sub('nonce="…"', text)


def _leaks(text: str) -> list[str]:
    return [marker for marker in MARKERS if marker in text]


# ---- The world ---------------------------------------------------------------------------------------------


def _hold_also_in(make, user, role: Role, incubator_id: int):
    user.role_rows.append(UserRole(role=role, incubator_id=incubator_id))
    return make._save(user)


def _hn2_world(make, db, hn1, hn2):
    """HN2 with one of everything (the permission matrix's objects) and its people, and a business that sits in
    both incubators (its HN2 rows now, its HN1 rows later)."""
    from incubator.cohorts.enums import ReportStatus as ProgressStatus
    from incubator.cohorts.enums import ServiceKind
    from incubator.cohorts.models import ProgressReport, ServiceDelivery, ServiceRecipient
    from incubator.funding.models import Consent, PipelineEntry
    from incubator.mentoring.enums import SessionStatus
    from incubator.mentoring.models import Agreement
    from incubator.partners.enums import PartnerKind
    from incubator.reports.models import PeriodicReport

    misa = make.partner(name="Công ty Cổ phần MISA")  # works with both incubators
    fund = make.partner(name="Quỹ Đầu tư Hai Nơi", kind=PartnerKind.FUND_MANAGER)
    people = {
        "staff": make.user(Role.STAFF, incubator=hn2, full_name="Cán Bộ Vườn Hai"),
        "staff_of_both": make.user(Role.STAFF, incubator=hn2, full_name="Cán Bộ Hai Vườn"),
        "reviewer": make.user(Role.REVIEWER, incubator=hn2, full_name="Chuyên Gia Hai Vườn"),
        "mentor": make.user(Role.MENTOR, incubator=hn2, partner=misa, full_name="Cố Vấn Hai Vườn"),
        "fund_manager": make.user(Role.FUND_MANAGER, incubator=hn2, partner=fund, full_name="Quản Lý Quỹ"),
    }
    for name, role in (("staff_of_both", Role.STAFF), ("reviewer", Role.REVIEWER), ("mentor", Role.MENTOR),
                       ("fund_manager", Role.FUND_MANAGER)):
        _hold_also_in(make, people[name], role, hn1)

    both = make.company(name="Công ty Cổ phần Hai Vườn Ươm")
    founder = make.user(full_name="Người Sáng Lập Hai Vườn")
    make.member(company=both, user=founder)
    from incubator.targets.models import Target

    new_target = make.target  # the city's targets exist already (ensure_default_targets): the matrix takes one
    make.target = lambda code=None, **kw: (db.session.scalar(sa.select(Target).where(
        Target.code == code, Target.incubator_id.is_(None))) or new_target(code=code, **kw))
    with use_incubator(hn2):
        ids = _objects(make)
        now = datetime.now(UTC)
        make.residency(company=both, starts_on=date(2024, 3, 1))
        make.outcome(company=both, decided_on=date(2025, 3, 31))
        intake_round = make.intake_round(name_vi="Đợt tuyển chọn của Vườn Hai", name_en="Round of HN2",
                                         opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=10))
        application = make.application(intake_round=intake_round, company=both, created_by=founder,
                                       status=ApplicationStatus.UNDER_REVIEW, reference="HN2-2026-0001",
                                       revenue=Decimal("120000000"), submitted_at=now - timedelta(days=1))
        stage = make.review_stage(intake_round=intake_round)
        entry = make.stage_entry(stage, application)
        make.review(make.assignment(entry, people["reviewer"]), values=[4, 3])
        cohort = make.cohort(name="Khóa ươm tạo của Vườn Hai")
        member = make.cohort_member(cohort, both)
        make._save(ProgressReport(member=member, period_start=date(2025, 1, 1), period_end=date(2025, 1, 31),
                                  due_on=date(2025, 2, 10), status=ProgressStatus.SUBMITTED,
                                  revenue=Decimal("50000000"), paying_customers=3, employees=6,
                                  funding_raised=Decimal("200000000"), submitted_at=now))
        mentoring = make.mentor_assignment(member, people["mentor"])
        make.mentoring_session(mentoring, minutes=90)
        make.mentoring_session(mentoring, minutes=120, status=SessionStatus.CONFIRMED,
                               starts_at=datetime(2025, 3, 20, 2, 0, tzinfo=UTC))
        make._save(ServiceDelivery(kind=ServiceKind.CONSULTING, title="Tư vấn pháp lý của Vườn Hai",
                                   delivered_on=date(2025, 4, 1), hours=Decimal("3"), provider=misa,
                                   recipients=[ServiceRecipient(company_id=both.id)]))
        make._save(Agreement(partner_id=misa.id, programme="Hợp tác của Vườn Hai", starts_on=date(2025, 1, 1),
                             mentoring_hours=40))
        make._save(PipelineEntry(partner_id=fund.id, company_id=both.id, stage_on=date(2025, 5, 1),
                                 amount=Decimal("300000000")))
        make._save(Consent(company_id=both.id, partner_id=fund.id, granted_by_id=founder.id))
        draft = make._save(PeriodicReport(period_label="2025", period_start=date(2025, 1, 1),
                                          period_end=date(2025, 12, 31)))
    ids.update(both_id=both.id, draft_report_id=draft.id, hn2_round_id=intake_round.id,
               hn2_stage_id=stage.id, hn2_cohort_id=cohort.id, hn2_member_id=member.id,
               hn2_application_id=application.id, hn2_assignment_id=mentoring.id, misa_id=misa.id,
               fund_id=fund.id)
    db.session.commit()
    return people, ids


def _hn1_work(make, db, hn1, people, ids):
    """A great deal of HN1's work, each name carrying MARK and each figure AMOUNT, MINUTES or HOURS; the
    business in both gets its HN1 rows; HN2's mentor, reviewer and fund manager (who hold their role in HN1
    too) get HN1 work of their own."""
    from incubator.cohorts.enums import ReportStatus as ProgressStatus
    from incubator.cohorts.enums import ServiceKind
    from incubator.cohorts.models import ProgressReport, ServiceDelivery, ServiceRecipient
    from incubator.companies.enums import MembershipStatus, ResidencyKind
    from incubator.companies.models import Company
    from incubator.funding.models import Consent, PipelineEntry
    from incubator.mentoring.enums import SessionStatus
    from incubator.mentoring.models import Agreement
    from incubator.outcomes.enums import Decision
    from incubator.partners.models import Partner
    from incubator.reports.enums import ReportStatus
    from incubator.reports.models import PeriodicReport

    both = db.session.get(Company, ids["both_id"])
    misa_id, fund_id = ids["misa_id"], ids["fund_id"]
    now = datetime.now(UTC)
    with use_incubator(hn1):
        founders = [make.user(full_name=f"Người Sáng Lập {MARK} {n}") for n in range(3)]
        theirs = [make.company(name=f"Công ty {MARK} Số {n}", is_it=n != 2) for n in range(3)]
        for company, founder in zip(theirs, founders, strict=True):
            make.member(company=company, user=founder)
        for n in range(2):
            intake_round = make.intake_round(name_vi=f"Đợt tuyển chọn {MARK} {n}", name_en=f"Round {MARK} {n}",
                                             opens_at=now - timedelta(days=5), closes_at=now + timedelta(days=9))
            stage = make.review_stage(intake_round=intake_round, name_vi=f"Vòng {MARK} {n}",
                                      name_en=f"Stage {MARK} {n}")
            for k, company in enumerate([both, *theirs]):
                application = make.application(
                    intake_round=intake_round, company=company, created_by=founders[0],
                    status=DECIDED[k % len(DECIDED)], reference=f"HN1-RR-{n}{k:03d}", revenue=AMOUNT,
                    capital=AMOUNT, employees=777, submitted_at=now - timedelta(hours=k + 1))
                entry = make.stage_entry(stage, application)
                make.review(make.assignment(entry, people["reviewer"]), values=[5, 5],
                            comment_for_applicant=f"Nhận xét {MARK}", private_note=f"Ghi chú {MARK}")
                make.assignment(entry, make.user(Role.REVIEWER, full_name=f"Chuyên Gia {MARK} {n}{k}"))
            make.rejection_reason(label_vi=f"Lý do {MARK} {n}", label_en=f"Reason {MARK} {n}")
        # HN1's own mentors, of partners that work with both incubators (a partner is one record city-wide: a
        # new one would be no row of HN1's).
        others = [make.user(Role.MENTOR, incubator=hn1, partner=db.session.get(Partner, partner_id),
                            full_name=f"Cố Vấn {MARK} {n}") for n, partner_id in enumerate((misa_id, misa_id))]
        for n in range(2):
            cohort = make.cohort(name=f"Khóa ươm tạo {MARK} {n}", starts_on=date(2025, 1, 1),
                                 ends_on=date(2026, 12, 31))
            for company in [both, *theirs]:
                member = make.cohort_member(cohort, company)
                for month in (1, 2, 3):
                    make._save(ProgressReport(
                        member=member, period_start=date(2025, month, 1), period_end=date(2025, month, 28),
                        due_on=date(2025, month + 1, 10), status=ProgressStatus.SUBMITTED, revenue=AMOUNT,
                        paying_customers=777, employees=777, funding_raised=AMOUNT,
                        funding_source=f"Quỹ {MARK}", highlights=f"Nổi bật {MARK}", submitted_at=now))
                assignment = make.mentor_assignment(member, people["mentor"])
                make.mentoring_session(assignment, minutes=MINUTES, place=f"Phòng {MARK}",
                                       notes=f"Ghi chú {MARK}", starts_at=datetime(2025, 4, 2, 2, 0, tzinfo=UTC))
                make.mentoring_session(assignment, minutes=MINUTES, status=SessionStatus.CONFIRMED,
                                       starts_at=datetime(2025, 3, 12, 2, 0, tzinfo=UTC))
                make.mentoring_session(make.mentor_assignment(member, others[n]), minutes=MINUTES,
                                       place=f"Phòng {MARK}")
        for company in [both, *theirs]:
            make.residency(company=company, kind=ResidencyKind.INCUBATED, starts_on=date(2023, 6, 1),
                           note=f"Hợp đồng {MARK}")
            make.residency(company=company, kind=ResidencyKind.SERVICE_TENANT, starts_on=date(2022, 1, 1),
                           ends_on=date(2022, 12, 31))
            make.outcome(company=company, decision=Decision.GRADUATED, decided_on=date(2025, 6, 30),
                         product=f"Sản phẩm {MARK}", evidence_text=f"Hợp đồng {MARK}",
                         pillars=("government", "economy", "society"))
            if company is not both:  # a fund has one entry per business, HN2's for the business in both
                make._save(PipelineEntry(partner_id=fund_id, company_id=company.id, stage_on=date(2025, 7, 1),
                                         amount=AMOUNT, notes=f"Ghi chú {MARK}"))
            make._save(Consent(company_id=company.id, partner_id=fund_id, granted_by_id=founders[0].id))
        for n in range(3):
            make._save(ServiceDelivery(kind=ServiceKind.TRAINING, title=f"Khóa học {MARK} {n}",
                                       delivered_on=date(2025, 4, 1 + n), hours=HOURS, provider_id=misa_id,
                                       note=f"Ghi chú {MARK}",
                                       recipients=[ServiceRecipient(company_id=c.id) for c in [both, *theirs]]))
        make._save(Agreement(partner_id=misa_id, programme=f"Chương trình {MARK}", starts_on=date(2024, 1, 1),
                             scope=f"Phạm vi {MARK}", mentoring_hours=777))
        make._save(Agreement(partner_id=fund_id, programme=f"Hợp tác quỹ {MARK}", starts_on=date(2024, 1, 1)))
        # A partner working with HN1 only (an agreement and a mentor there): a partner is one record city-wide, and
        # HN2's people neither list, export nor are offered it (partners.queries).
        only_hn1 = make.partner(name=f"Công ty Đối tác {MARK}", short_name=f"ĐT {MARK}",
                                contact_email="hoptac@ro-ri.example")
        make.user(Role.MENTOR, incubator=hn1, partner=only_hn1, full_name=f"Cố Vấn Đối Tác {MARK}")
        make._save(Agreement(partner_id=only_hn1.id, programme=f"Hợp tác riêng {MARK}", starts_on=date(2024, 6, 1),
                             scope=f"Phạm vi {MARK}", mentoring_hours=777))
        for n, status in enumerate((ReportStatus.DRAFT, ReportStatus.FINAL)):
            make._save(PeriodicReport(period_label="2025", period_start=date(2025, 1, 1),
                                      period_end=date(2025, 12, 31), status=status, number=f"{n + 7}/BC-{MARK}",
                                      shortcomings=f"Tồn tại {MARK}", snapshot={} if n else None,
                                      pdf_vi=b"%PDF-1.4" if n else None, pdf_en=b"%PDF-1.4" if n else None))
        # Businesses' requests to the city (issue 21) filed with HN1: its staff handle them.
        from incubator.requests.enums import PublicationConsent, RequestStatus
        from incubator.requests.models import BusinessRequest, RequestCategory

        category = db.session.scalars(sa.select(RequestCategory).order_by(RequestCategory.id)).first()
        for k, company in enumerate([both, *theirs]):
            make._save(BusinessRequest(
                number=f"HN1-RR-{k}", company_id=company.id, filed_by_id=founders[0].id, category_id=category.id,
                title=f"Kiến nghị {MARK} {k}", text=f"Nội dung {MARK}", consent=PublicationConsent.NAMED,
                status=RequestStatus.SUBMITTED, acknowledged_on=date(2026, 11, 2), due_on=date(2026, 11, 23),
                search_folded=f"kien nghi ro ri {k}"))
        # A founder asks for a business only HN1 has: HN1's staff decide (the register's rule).
        make.member(company=theirs[0], user=make.user(full_name=f"Người Hỏi {MARK}"),
                    status=MembershipStatus.PENDING)
        from incubator.targets.models import Target

        for target in db.session.scalars(sa.select(Target).where(Target.incubator_id == hn1)):
            target.threshold = Decimal("77")
            target.name_vi = f"{target.name_vi} {MARK}"
            target.name_en = f"{target.name_en} {MARK}"
    db.session.commit()


# ---- The walk ----------------------------------------------------------------------------------------------


def _urls(app, ids) -> list[tuple[str, str]]:
    """(endpoint, URL) of every GET route of the permission matrix with HN2's objects, each export in both
    formats, each PDF in both languages; and the pages of HN2's own objects and targets."""
    from incubator.targets.services import DEFAULT_TARGETS

    specs = []
    for (method, endpoint, params), _expected in MATRIX.items():
        if method != "GET":
            continue
        params = params or ""
        if "fmt=" in params:
            specs += [(endpoint, re.sub(r"fmt=\w+", f"fmt={fmt}", params)) for fmt in ("csv", "xlsx")]
        elif "lang=" in params:
            specs += [(endpoint, re.sub(r"lang=\w+", f"lang={lang}", params)) for lang in ("vi", "en")]
        else:
            specs.append((endpoint, params))
    specs += [
        ("startups.file", "company_id=both_id"), ("funding.startup", "company_id=both_id"),
        ("funding.consent", "company_id=both_id"), ("reports.report", "report_id=draft_report_id"),
        ("reports.pdf", "report_id=draft_report_id,lang=vi"), ("rounds.detail", "round_id=hn2_round_id"),
        ("round_applications.index", "round_id=hn2_round_id"),
        ("round_applications.export", "round_id=hn2_round_id,fmt=xlsx"),
        ("reviews.round_stages", "round_id=hn2_round_id"), ("reviews.stage", "stage_id=hn2_stage_id"),
        ("reviews.ranking", "stage_id=hn2_stage_id"), ("reviews.export_ranking", "stage_id=hn2_stage_id,fmt=csv"),
        ("reviews.assignments", "stage_id=hn2_stage_id"), ("cohorts.cohort", "cohort_id=hn2_cohort_id"),
        ("cohorts.export_members", "cohort_id=hn2_cohort_id,fmt=csv"),
        ("cohorts.export_reports", "cohort_id=hn2_cohort_id,fmt=xlsx"),
        ("mentoring.cohort", "cohort_id=hn2_cohort_id"),
        ("mentoring.new_session", "assignment_id=hn2_assignment_id"),
        ("applications.staff_view", "application_id=hn2_application_id"),
        ("partners.partner", "partner_id=misa_id"), ("partners.partner", "partner_id=fund_id"),
        ("companies.company", "company_id=both_id"),
    ]
    urls = [(endpoint, _url(app, endpoint, params, ids)) for endpoint, params in specs]
    for spec in DEFAULT_TARGETS:
        code = spec["code"]
        base = _url(app, "targets.explain", f"code={code}", {})
        for show in ("numerator", "denominator", "excluded", "count"):
            for extra in ("", "&as_of=31/12/2025", "&incubator=HN2"):
                urls.append(("targets.explain", f"{base}?show={show}{extra}"))
    # Lists searched and filtered: another query, the same rule.
    for endpoint, query in (("companies.index", "q=Số 0"), ("companies.index", "q=Công ty&is_it=1"),
                            ("companies.index", "kind=incubated&outcome=graduated"),
                            ("companies.export", "fmt=csv&q=Công ty"), ("companies.residencies", "kind=incubated"),
                            ("mentoring.sessions", f"partner={ids['misa_id']}&date_from=01/01/2025"),
                            ("mentoring.sessions", "status=confirmed"), ("services.index", "year=2025"),
                            ("services.index", "kind=training"), ("funding.board", f"partner={ids['fund_id']}"),
                            ("funding.pipeline", f"partner={ids['fund_id']}"),
                            ("requests.index", "q=kien nghi"), ("requests.index", "status=submitted&overdue=1"),
                            ("requests.index", "open=1&sort=due")):
        params = dict(part.split("=", 1) for part in query.split("&"))
        fmt = params.pop("fmt", None)
        base = _url(app, endpoint, f"fmt={fmt}" if fmt else None, {})
        urls.append((endpoint, base + "?" + "&".join(f"{k}={v}" for k, v in params.items())))
    dashboard = _url(app, "targets.dashboard", None, {})
    urls += [("targets.dashboard", f"{dashboard}?as_of={day}") for day in ("31/12/2025", "30/06/2025")]
    return list(dict.fromkeys(urls))


def _walk(clients, urls) -> dict[tuple[str, str, str], tuple[int, str]]:
    seen = {}
    for person, client in clients.items():
        for endpoint, url in urls:
            response = client.get(url)
            seen[(person, endpoint, url)] = (response.status_code, _normalised(response))
    return seen


@pytest.fixture
def network(app, make, db):
    """HN1 (the installation's first incubator, VUHN) and HN2, with the city's targets (each incubator its copies)
    and the categories of businesses' requests."""
    from incubator.requests.services import ensure_default_categories
    from incubator.targets.services import ensure_default_targets

    hn1 = db.session.scalar(sa.select(Incubator).where(Incubator.code == "VUHN"))
    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", "Hà Nội incubator 2")
    ensure_default_targets()
    ensure_default_categories()
    db.session.commit()
    return hn1.id, hn2.id


def test_the_people_of_hn2_read_the_same_pages_whatever_hn1_does(app, make, db, client_factory, network):
    hn1, hn2 = network
    people, ids = _hn2_world(make, db, hn1, hn2)
    clients = {}
    for person in PEOPLE:
        client = client_factory()
        login(client, people[person])
        if person != "staff":  # they hold their role in HN1 too, whose id comes first: they switch to HN2
            assert post_form(client, "/incubator", {"incubator_id": hn2}, token_from="/account").status_code == 302
        assert '<span id="current-incubator">HN2</span>' in client.get("/account").get_data(as_text=True) \
            or person == "staff", person
        clients[person] = client
    urls = _urls(app, ids)
    before = _walk(clients, urls)

    # The walk reads what these people may read: each page the matrix opens to the role opens here too.
    role_of = {"staff": "staff", "staff_of_both": "staff", "reviewer": "reviewer", "mentor": "mentor",
               "fund_manager": "fund_manager"}
    closed = []
    for person in PEOPLE:
        for (method, endpoint, params), expected in MATRIX.items():
            if method == "GET" and expected[role_of[person]] == 200 and not re.search(r"fmt=|lang=", params or ""):
                url = _url(app, endpoint, params, ids)
                if before[(person, endpoint, url)][0] != 200:
                    closed.append(f"{person} {url}: {before[(person, endpoint, url)][0]}")
    assert not closed, "HN2's people could not open: " + ", ".join(closed)
    # ... and sees HN2's own work there: the business in both on each one's desk.
    for person, endpoint in (("staff", "startups.file"), ("reviewer", "reviews.desk"), ("mentor", "mentoring.desk"),
                             ("fund_manager", "funding.board"), ("staff_of_both", "cohorts.cohort")):
        pages = [text for (who, at, _url), (_status, text) in before.items() if (who, at) == (person, endpoint)]
        assert any("Hai Vườn Ươm" in text for text in pages), person
    opened = sum(1 for status, _ in before.values() if status == 200)
    assert opened > 150, opened
    leaked = [f"{person} {url}: {marker}" for (person, _e, url), (_s, text) in before.items()
              for marker in _leaks(text)]
    assert not leaked, leaked  # the markers are not in HN2's world by chance

    _hn1_work(make, db, hn1, people, ids)
    after = _walk(clients, urls)

    failures = []
    for key, (status, text) in after.items():
        person, endpoint, url = key
        was_status, was_text = before[key]
        problems = []
        if status != was_status:
            problems.append(f"status {was_status} -> {status}")
        elif text != was_text:
            diff = [line for line in difflib.unified_diff(was_text.splitlines(), text.splitlines(), lineterm="",
                                                          n=0) if line[:1] in "+-" and line[:3] not in ("+++", "---")]
            problems.append("changed:\n      " + "\n      ".join(diff[:12]))
        problems += [f"shows {marker!r}" for marker in _leaks(text)]
        if problems:
            failures.append(f"{person} GET {url} ({endpoint}): " + "; ".join(problems))
    assert not failures, f"{len(failures)} pages of HN2 show HN1's rows:\n" + "\n".join(failures)


# The audit log and the outbox: each entry and message carries its incubator (organisation/placing.py), so what
# HN1's staff did and the e-mail HN1's work sends show to none of HN2's staff on /audit/, its exports, the staff's
# home ("recent changes") and /outbox/.
LOG_AND_MAIL = ("/audit/", "/audit/export.csv", "/audit/export.xlsx", "/outbox/", "/home/staff")


def test_the_staff_of_hn2_read_none_of_hn1s_audit_log_or_email(make, db, client_factory, network):
    from incubator.audit import services as audit

    hn1, hn2 = network
    client = client_factory()
    login(client, make.user(Role.STAFF, incubator=hn2))
    before = {url: _normalised(client.get(url)) for url in LOG_AND_MAIL}
    with use_incubator(hn1):
        cohort = make.cohort(name=f"Khóa ươm tạo {MARK}")
        audit.record("cohort.create", cohort, actor=make.user(Role.STAFF, incubator=hn1), to_state="created")
        make.outbox_message(to_address="sanglap.rori@vuonuom.example", subject=f"Kết quả xét tuyển {MARK}")
        db.session.commit()
    after = {url: _normalised(client.get(url)) for url in LOG_AND_MAIL}
    assert [url for url in LOG_AND_MAIL if after[url] != before[url] or _leaks(after[url])] == []
