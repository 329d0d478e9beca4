"""Bad input gets a clear answer, never a 5xx, and a refused form writes nothing (quality.md).

For every POST route of the application (walked from ``app.url_map``), the form is read from the page that
shows it, as a user allowed to use it (the role the permission matrix allows; a founder's own objects for
the routes where another founder gets a 404), and hypothesis posts generated values with a valid CSRF
token: empty, huge, NUL bytes and other control characters, emoji, negative and enormous numbers (beyond 32 and
64 bits), NaN, sNaN and infinities, far or impossible dates (the calendar's ends), broken UTF-8
percent-encodings, files that are not what they claim. Every answer must be
below 500, and an answer of 400 or more must leave every table as it was.

Every GET route is also requested with generated query parameters: no 5xx.

A new POST route joins the walk by itself when its form is on its own GET page; otherwise it needs a line in
SOURCES (the page that shows its form) or EXPLICIT (its fields, when no page shows them), and the test says so.
"""

from __future__ import annotations

import os
import secrets
import string
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import quote_plus, urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incubator.auth.enums import Role
from incubator.extensions import db as _db
from incubator.organisation.models import Incubator
from tests.helpers import PASSWORD, blank_pdf, tax_code
from tests.test_permission_matrix import LOGIN, MATRIX

pytestmark = pytest.mark.slow

PUBLIC_ENDPOINTS = {"static", "bootstrap.static"}

# POST routes whose form is shown on another page than their own GET: (page's endpoint, {url arguments}).
SOURCES = {
    "admin.revoke_invitation": ("admin.invitations", {}),
    "api_tokens.revoke": ("api_tokens.index", {}),
    "admin.deactivate": ("admin.user", {}),
    "admin.reactivate": ("admin.user", {"user_id": "inactive_user_id"}),
    "applications.upload": ("applications.edit", {}),
    "auth.set_language": ("auth.login", {}),
    "auth.resend_verification": ("auth.confirm_email", {}),
    "companies.approve_membership": ("companies.claims", {}),
    "companies.refuse_membership": ("companies.claims", {}),
    "companies.end_residency": ("companies.company", {}),
    "imports.preview": ("imports.index", {}),
    "mail.send": ("mail.message", {}),
    "rounds.add_document": ("rounds.setup", {}),
    "rounds.add_question": ("rounds.setup", {}),
    "rounds.extend": ("rounds.setup", {}),
    "mentoring.answer": ("mentoring.session", {}),
    "mentoring.calendar_token": ("mentoring.desk", {}),
    "mentoring.end_assignment": ("mentoring.cohort", {}),
    "partners.add_agreement": ("partners.partner", {}),
    "funding.move_stage": ("funding.board", {}),  # a form on each card of the board
    "reports.new": ("reports.index", {}),
    "reports.finalise": ("reports.report", {}),  # the draft
    "reports.prepare_pdf": ("reports.report", {}),  # the draft's PDF buttons
    "reports.prepare_city_pdf": ("reports.city", {}),
    "reports.render_again": ("reports.render", {"render_id": "failed_render_id"}),  # a failed render's page
    "reports.new_version": ("reports.report", {"report_id": "final_report_id"}),
    "reviews.confirm": ("reviews.assignment", {"assignment_id": "pending_assignment_id"}),
    "reviews.declare_conflict": ("reviews.assignment", {"assignment_id": "conflict_assignment_id"}),
    "reviews.remove_criterion": ("reviews.stage", {"stage_id": "next_stage_id"}),  # a stage not reviewed yet
    "reviews.new_criterion": ("reviews.new_criterion", {"stage_id": "next_stage_id"}),
    "reviews.add_panel": ("reviews.stage", {}),
    "reviews.remove_panel": ("reviews.stage", {}),
    "reviews.take": ("reviews.stage", {}),
    "reviews.remind": ("reviews.stage", {}),
    "reviews.auto_assign": ("reviews.assignments", {}),
    "reviews.withdraw_assignment": ("reviews.assignments", {}),
    "reviews.decide_many": ("reviews.ranking", {}),
    # Businesses' requests: the founder's forms show on the request's page when asked or answered; the staff's
    # actions on the page of a request just filed (its first, routing); the calendar's on the lists' page.
    "requests.add_information": ("requests.show", {"request_id": "asked_request_id"}),
    "requests.rate": ("requests.show", {"request_id": "answered_request_id"}),
    "requests.consent": ("requests.show", {}),
    "requests.act": ("requests.show", {}),
    "requests.add_day": ("requests.lists", {}),
    "requests.remove_day": ("requests.lists", {}),
    # Dialogue conferences: the staff's actions on the page of a conference begun and not yet held.
    "dialogue.act": ("dialogue.show", {}),
    # The yearly survey: the questions' editor and the opening on the page of a survey being prepared, the
    # closing on the page of the open one.
    "surveys.add_question": ("surveys.show", {}),
    "surveys.move_question": ("surveys.show", {}),
    "surveys.remove_question": ("surveys.show", {}),
    "surveys.open_survey": ("surveys.show", {}),
    "surveys.close": ("surveys.show", {"survey_id": "open_survey_id"}),
    # Certificates: staff delete a mistaken one from its edit page, verify or refuse a submission on its review.
    "certificates.delete": ("certificates.edit", {}),
    "certificates.verify": ("certificates.review", {}),
    "certificates.refuse": ("certificates.review", {}),
    "catalogue.contact": ("catalogue.product", {}),
    "catalogue.listing": ("catalogue.mine", {}),
    "catalogue.approve": ("catalogue.review", {}),
    "catalogue.refuse": ("catalogue.review", {}),
}

# Routes for one particular person among those the matrix lets through (the world's founder owns the startup,
# its mentor logged the session, its fund manager has the startup's consent).
ROLES = {
    "auth.resend_verification": "unconfirmed",  # a person whose address is not confirmed yet
    "auth.confirm_email": "unconfirmed",
    "mentoring.session": "mentor",
    "mentoring.answer": "founder",  # the founder confirms or disputes the session
    "funding.startup": "fund_manager",
    "funding.move_stage": "fund_manager",  # the world's startup is in its fund's pipeline
    "reviews.assignment": "reviewer",  # the world's reviewer scores their own assignment
    "reviews.confirm": "reviewer",
    "reviews.declare_conflict": "reviewer",
    "dialogue.register": "founder",  # the world's business is invited to the world's conference
    "dialogue.show": "staff",  # a conference is its incubator's staff's (a founder's 404 is not "another's")
    "dialogue.edit": "staff",
    "dialogue.act": "staff",
    # A survey is its incubator's staff's (a founder's 404 is not "another's"); its response is the owner's.
    **{f"surveys.{name}": "staff" for name in ("show", "edit", "add_question", "edit_question", "move_question",
                                                "remove_question", "open_survey", "invite", "close", "reopen")},
}

# POST routes that no page shows as a form: (fields taken from another route's form, or listed; reason).
EXPLICIT = {
    "applications.autosave": ("applications.edit", "the draft form's script posts the draft form here"),
    "imports.apply": ({"token": ["a" * 32]}, "its form appears only after a preview of uploaded files"),
    "auth.logout": ({}, "the form is in the menu of a logged-in person; logging out is tried as anyone"),
    "applications.review": ({}, "the submit button shows only on a complete draft; the world's draft is not"),
    "applications.withdraw": ({"reason": [""]}, "the withdraw button shows only once the draft is submitted"),
    "applications.judge_novelty": ({"met": ["yes", "no"], "note": [""], "version": ["1"]},
                                   "the judgement shows only on a submitted application; the world's is a draft"),
    "rounds.remove_question": ({}, "the button shows only while the round has no application; the world's has"),
    "companies.verify": ({"version": ["1"]}, "the button shows only on a business not yet verified; the world's is"),
    "home.switch_incubator": ({"incubator_id": ["1"]}, "the switcher shows only with several incubators"),
    # Taking in another incubator's business or partner needs a second incubator; in the world's single one the
    # business and the partner are already seen: the page sends staff to their own (nothing written).
    "companies.take_in": ({"kind": ["incubated", "service_tenant", ""], "starts_on": ["2025-01-01", ""],
                           "ends_on": [""], "note": [""]}, "its form shows only for another incubator's business"),
    "partners.take_in": ({"programme": [""], "starts_on": ["2025-01-01"], "ends_on": [""]},
                         "its form shows only for another incubator's partner found by the new partner form"),
    "surveys.invite": ({}, "the button shows only when a business got a residency since the survey opened"),
    "surveys.submit": ({}, "the button shows only once every required question is answered; the world's are not"),
    "surveys.reopen": ({"reason": ["", "Doanh thu ghi nhầm đơn vị"]},
                       "the form shows only on submitted answers; the world's are not submitted"),
    "survey_results.proposal_request": ({"category": ["1", "", "0"]},
                                        "the button shows only beside a submitted proposal; the world's response is "
                                        "not submitted"),
}

# Tables a refused request may still write: failed logins are counted, and sessions live in the database.
WRITTEN_EVEN_WHEN_REFUSED = {"login_attempts", "web_sessions"}

# Query parameters the list pages read (request.args), besides the fields of their own filter forms.
QUERY_PARAMETERS = ["q", "page", "status", "role", "is_it", "kind", "outcome", "next", "action", "actor",
                    "object_type", "object_id", "date_from", "date_to", "to", "as_of", "show", "eligibility",
                    "sort", "dir", "undecided", "year", "member", "partner", "decision", "state"]

# Small, so that the file runs in about a minute; FUZZ_EXAMPLES=200 searches longer on demand.
POST_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 15))
GET_EXAMPLES = max(POST_EXAMPLES // 4, 1)


# ---- Generated values -------------------------------------------------------------------------------------


FAR_DATES = ["0001-01-01", "9999-12-31", "10000-01-01", "-0001-01-01", "2025-02-30", "2025-13-01", "31/12/2025",
             "1900-01-01", "2100-12-31", "0001-01-01T00:00", "9999-12-31T23:59", "2025-06-31T25:61",
             "1970-01-01T00:00", "99999-01-01T00:00", "01/01/0001", "31/12/9999", "0001-01-02", "9999-12-30"]
NUMBERS = ["-1", "-0", "0", "-1250000000", "1e309", "-1e309", "NaN", "inf", "0x10", "1.250.000.000",
           "-1.250.000.000 ₫", "١٢٣", "9" * 40, "-" + "9" * 40, "2147483648", "9223372036854775808", "1_000"]
# Beyond what the databases hold (PostgreSQL's INTEGER, every id: 32 bits; 64 bits; NUMERIC(18, 0) for money),
# and decimals that are no number (Python's Decimal reads them all).
BEYOND = [str(2**31 - 1), str(2**31), str(-(2**31) - 1), str(2**32), str(2**63 - 1), str(2**63), str(2**64),
          str(-(2**63)), str(-(2**63) - 1), str(10**18), str(10**30), "9" * 5000,
          "sNaN", "-sNaN", "snan", "NaN", "-NaN", "Infinity", "-Infinity", "+inf", "1e-999999999", "1E+999999"]
EMOJI = ["😀", "👩‍💻🇻🇳", "🏳️‍🌈" * 50, "Công ty 🚀 Số 1", "\u202e\u200b\ufeff"]

text_values = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.integers(min_value=300, max_value=20_000).map(lambda n: "x" * n),  # huge: longer than any limit (5000)
    st.integers(min_value=1, max_value=8_000).map(lambda n: "ư" * n),
    st.text(max_size=20).map(lambda s: s + "\x00" + s),  # a NUL byte
    st.sampled_from(["\x01\x02", "a\x1bb", "\r\n\r\n", "   ", "\t"]),
    st.sampled_from(EMOJI),
    st.sampled_from(NUMBERS),
    st.sampled_from(BEYOND),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.one_of(st.integers(min_value=2**31 - 2, max_value=2**64 + 2), st.integers(max_value=-(2**31) + 1)).map(str),
    st.sampled_from(FAR_DATES),
    st.sampled_from(["javascript:alert(1)", "http://", "https://" + "a" * 600 + ".vn", "file:///etc/passwd",
                     "<script>alert(1)</script>", "' OR 1=1 --", "%00", "../../etc/passwd"]),
)
broken_utf8 = st.binary(min_size=1, max_size=12).map(lambda b: b"\xff" + b + b"\xc3")  # never valid UTF-8
any_value = st.one_of(text_values, broken_utf8)
PDF = blank_pdf()
files = st.one_of(
    st.just(b""), st.binary(max_size=200), st.just(b"%PDF-1.7\n%broken"), st.just(b"\x89PNG\r\n\x1a\n"),
    st.just(b"tax_code,name\n0101234567,\xff\xfe\n"), st.just(PDF),
)
filenames = st.text(alphabet=string.ascii_letters + "ưđ😀 .-_/\\", max_size=30).map(lambda s: s or "x")


# Values a person would type, by the input's type and by words in the field's name: most fields of an
# example get one of these (or what the page itself offers), so that the few corrupted ones reach the rules
# behind the form instead of stopping at the first empty required field.
PLAUSIBLE_BY_KIND = {
    "date": ["2025-06-30", "2024-01-01"], "datetime-local": ["2026-01-15T09:00", "2027-03-01T17:00"],
    "number": ["12", "1"], "email": ["nguoi.moi@vuonuom.example"], "url": ["https://vuonuom.example/san-pham"],
    "password": [PASSWORD], "checkbox": ["y"], "text": ["Công ty TNHH Ươm Mầm", "12"],
    "textarea": ["Phần mềm quản lý\nhai dòng"],
}
PLAUSIBLE_BY_NAME = {"tax_code": [tax_code(77)], "email": ["nguoi.moi@vuonuom.example"], "password": [PASSWORD],
                     "confirm": [PASSWORD], "current": [PASSWORD], "website": ["https://vuonuom.example"],
                     "url": ["https://vuonuom.example/bang-chung"], "opens_at": ["2026-01-15T09:00"],
                     "closes_at": ["2027-03-01T17:00"]}
CSV = f"tax_code,name,is_it\n{tax_code(78)},Công ty TNHH Nhập Khẩu,yes\n".encode()
OMIT = object()


def _plausible(field: Field) -> list:
    """What the page offers (a filled-in value, the options), else a value a person would type."""
    if field.kind == "file":
        return [("cong-ty.csv", CSV)] if field.name == "files" else [("ke-hoach.pdf", PDF)]
    offered = [v for v in field.values if v.strip()]  # an empty textarea's page offers only its newline
    by_name = [v for key, values in PLAUSIBLE_BY_NAME.items() if key in field.name for v in values]
    return offered or by_name or PLAUSIBLE_BY_KIND.get(field.kind, [""])


def _corrupt(field: Field):
    if field.kind == "file":
        return st.tuples(filenames, files)
    return st.one_of(st.just(OMIT), any_value)


@st.composite
def form_values(draw, fields: dict):
    """Every field plausible but a few (none to three) corrupted or left out, sometimes an unexpected one."""
    names = sorted(fields)
    corrupted = draw(st.sets(st.sampled_from(names), max_size=min(3, len(names)))) if names else set()
    values = {}
    for name in names:
        value = draw(_corrupt(fields[name]) if name in corrupted else st.sampled_from(_plausible(fields[name])))
        if value is not OMIT:
            values[name] = value
    if draw(st.integers(0, 4)) == 0 or not names:
        extra = draw(st.sampled_from(["unexpected", "version", "csrf_token_x", "id", "__proto__", "q"]))
        values.setdefault(extra, draw(any_value))
    return values


# ---- Forms as the pages show them -------------------------------------------------------------------------

class Field:
    def __init__(self, name: str, kind: str):
        self.name, self.kind, self.values = name, kind, []


class FormsOnPage(HTMLParser):
    """Every <form method="post"> of a page: its action, encoding and fields, with the values it offers."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = self._select = self._textarea = None

    def _field(self, name: str, kind: str) -> Field:
        fields = self._form["fields"]
        if name not in fields:
            fields[name] = Field(name, kind)
        return fields[name]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "",
                          "multipart": "multipart" in (a.get("enctype") or ""), "fields": {}}
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            self._select.values.append(a.get("value", ""))
        elif self._form is None or not a.get("name") or a.get("name") == "csrf_token":
            return
        elif tag in ("input", "button"):
            kind = (a.get("type") or "text").lower()
            field = self._field(a["name"], "file" if kind == "file" else kind)
            if kind not in ("file",):
                field.values.append(a.get("value") or ("y" if kind in ("checkbox", "radio") else ""))
        elif tag == "select":
            self._select = self._field(a["name"], "select")
        elif tag == "textarea":
            self._textarea = self._field(a["name"], "textarea")
            self._textarea.values.append("")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.values[-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _forms(html: str) -> list[dict]:
    parser = FormsOnPage()
    parser.feed(html)
    return parser.forms


def _csrf(html: str) -> str | None:
    import re

    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', html)
    return (match.group(1) or match.group(2)) if match else None


# ---- Bodies, encoded by hand so that broken bytes reach the server as they are ----------------------------

def _bytes(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")


def _urlencoded(fields: dict) -> bytes:
    return "&".join(f"{quote_plus(name)}={quote_plus(_bytes(value))}" for name, value in fields.items()).encode()


def _multipart(fields: dict) -> tuple[bytes, str]:
    boundary = "----fuzz" + secrets.token_hex(8)
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'.encode()
        if isinstance(value, tuple):
            filename, content = value
            safe = filename.replace('"', "").replace("\r", "").replace("\n", "")
            head += f'; filename="{safe}"\r\nContent-Type: application/octet-stream'.encode()
            parts.append(head + b"\r\n\r\n" + content + b"\r\n")
        else:
            parts.append(head + b"\r\n\r\n" + _bytes(value) + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


# ---- The world the forms act on ---------------------------------------------------------------------------

class World:
    """One of everything: a founder who owns a company, its draft application, its cohort membership, the
    mentor who logged a session with it and the fund manager it lets see it; the round's review stage with its
    panel, a reviewer's assignments (one confirmed with a draft review, two still to declare) and another
    reviewer's submitted review; and a client per role."""

    def __init__(self, make, client_factory):
        self.make, self.client_factory, self.clients = make, client_factory, {}
        # Built in one transaction: the factories flush instead of committing each row (a commit per row
        # expires and reloads everything, and the world is built for every one of some two hundred tests).
        make._save = lambda obj: (_db.session.add(obj), _db.session.flush(), obj)[-1]
        try:
            self._build(make)
            _db.session.commit()
        finally:
            del make._save

    def _build(self, make):
        from incubator.applications.enums import ApplicationStatus, QuestionKind
        from incubator.applications.models import RoundDocument, RoundQuestion
        from incubator.auth.enums import TokenPurpose
        from incubator.auth.models import AccountToken
        from incubator.cohorts.models import ServiceDelivery, ServiceRecipient
        from incubator.companies.enums import MembershipStatus
        from incubator.db import utcnow
        from incubator.funding.models import Consent
        from incubator.mail.models import OutboxStatus
        from incubator.reports.enums import ReportStatus
        from incubator.reports.models import PeriodicReport
        from incubator.reviews.enums import AssignmentStatus
        from incubator.security import new_token, token_hash

        self.owner = make.user(Role.FOUNDER)
        self.unconfirmed = make.user(Role.FOUNDER, email_verified_at=None)  # the resend and address forms show
        company = make.company(founded_on=date.today() - timedelta(days=500))
        make.member(company=company, user=self.owner)
        residency = make.residency(company=company)
        outcome = make.outcome(company=company)
        now = datetime.now(UTC)
        intake_round = make.intake_round(opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=20))
        questions = []
        for position, kind in enumerate(QuestionKind, start=1):
            choices = ([{"value": "a", "label_vi": "Một", "label_en": "One"},
                        {"value": "b", "label_vi": "Hai", "label_en": "Two"}]
                       if "choice" in kind.value else [])
            questions.append(make._save(RoundQuestion(
                round=intake_round, kind=kind, position=position, label_vi=f"Câu {position}",
                label_en=f"Question {position}", required=position == 1, max_length=500, choices=choices)))
        document = make._save(RoundDocument(round=intake_round, name_vi="Kế hoạch", name_en="Plan"))
        application = make.application(intake_round=intake_round, company=company, created_by=self.owner)
        target_user = make.user(Role.REVIEWER)
        inactive = make.user(Role.MENTOR, active=False)
        self.invitation_token, invitation = make.invitation()
        self.reset_token = new_token()
        make._save(AccountToken(purpose=TokenPurpose.PASSWORD_RESET, token_hash=token_hash(self.reset_token),
                                email=target_user.email, user=target_user, payload={},
                                expires_at=utcnow() + timedelta(hours=2)))
        message = make.outbox_message(status=OutboxStatus.FAILED, last_error="timeout")
        other_founder = make.user(Role.FOUNDER)
        membership = make.member(company=company, user=other_founder, status=MembershipStatus.PENDING)
        city_target = make.target(code="IT70")
        cohort_member = make.cohort_member(make.cohort(), company)  # the owner writes its progress reports
        service = make._save(ServiceDelivery(kind="training", title="Khóa học", delivered_on=residency.starts_on,
                                             recipients=[ServiceRecipient(company_id=company.id)]))
        self.mentor = make.user(Role.MENTOR)  # mentors the owner's startup, and logged a session with it
        mentor_assignment = make.mentor_assignment(cohort_member, self.mentor)
        session = make.mentoring_session(mentor_assignment)
        self.fund_manager = make.user(Role.FUND_MANAGER)  # the owner's startup lets its fund see it
        make._save(Consent(company_id=company.id, partner_id=self.fund_manager.partner_id, granted_by_id=self.owner.id))
        from incubator.funding.models import PipelineEntry
        from incubator.mentoring.models import Agreement

        agreement = make._save(Agreement(partner_id=self.mentor.partner_id, programme="Hợp tác 2025",
                                         starts_on=date(2025, 1, 1), mentoring_hours=100))
        pipeline_entry = make._save(PipelineEntry(partner_id=self.fund_manager.partner_id, company_id=company.id,
                                                  stage_on=date(2025, 5, 2)))
        draft_report = make._save(PeriodicReport(period_label="2025", period_start=date(2025, 1, 1),
                                                 period_end=date(2025, 12, 31)))
        final_report = make._save(PeriodicReport(period_label="2024", period_start=date(2024, 1, 1),
                                                 period_end=date(2024, 12, 31), status=ReportStatus.FINAL,
                                                 number="1/BC", snapshot={}, pdf_vi=PDF, pdf_en=PDF))
        from incubator.reports.enums import NameKind
        from incubator.reports.models import BodyName

        body_name = make._save(BodyName(kind=NameKind.ADDRESSEE, name_vi="Lưu: VT", name_en="Archives",
                                        valid_from=date(2025, 1, 1)))
        # The review: two stages (so that an application can advance), the first with a panel, entries under
        # review and a submitted application waiting to be taken in; the second not reviewed yet.
        stage = make.review_stage(intake_round=intake_round)
        next_stage = make.review_stage(intake_round=intake_round, position=2)
        make.application(intake_round=intake_round, status=ApplicationStatus.SUBMITTED, reference="VU-2026-0900")
        self.reviewer = make.user(Role.REVIEWER)
        entry = make.stage_entry(stage)  # to decide, and scored
        review_assignment = make.assignment(entry, self.reviewer)  # no conflict declared: a draft review
        make.review(review_assignment, submitted=False)
        make.review(make.assignment(entry, make.user(Role.REVIEWER)))  # another reviewer's, submitted
        pending = make.assignment(make.stage_entry(stage), self.reviewer, status=AssignmentStatus.ASSIGNED)
        conflict = make.assignment(make.stage_entry(stage), self.reviewer, status=AssignmentStatus.ASSIGNED)
        reason = make.rejection_reason()
        request_ids = self._requests(make, company)
        request_ids.update(self._surveys(make, company))
        from incubator.db import utcnow
        from incubator.reports.enums import RenderKind, RenderStatus
        from incubator.reports.models import ReportRender
        from incubator.uploads.stores import StoredFile

        drawn = make._save(StoredFile(kind="renders", name="1" * 32 + ".pdf", content=b"%PDF-1.4\n%%EOF\n", size=15,
                                      media_type="application/pdf"))
        request_ids["render_id"] = make._save(ReportRender(
            kind=RenderKind.DRAFT, report_id=draft_report.id, lang="vi", incubator_id=draft_report.incubator_id,
            status=RenderStatus.DONE, stored_name=drawn.name, started_at=utcnow(), finished_at=utcnow())).id
        request_ids["failed_render_id"] = make._save(ReportRender(  # its page offers to try again
            kind=RenderKind.DRAFT, report_id=draft_report.id, lang="en", incubator_id=draft_report.incubator_id,
            status=RenderStatus.FAILED, error="OSError: out of space")).id
        self.objects = {
            **request_ids,
            "stage_id": stage.id, "next_stage_id": next_stage.id, "criterion_id": stage.criteria[0].id,
            "entry_id": entry.id, "assignment_id": review_assignment.id, "pending_assignment_id": pending.id,
            "conflict_assignment_id": conflict.id, "reason_id": reason.id,
            "report_id": draft_report.id, "final_report_id": final_report.id, "name_id": body_name.id,
            "cohort_id": cohort_member.cohort_id, "member_id": cohort_member.id, "service_id": service.id,
            "mentor_assignment_id": mentor_assignment.id, "session_id": session.id,
            "partner_id": self.mentor.partner_id, "pipeline_entry_id": pipeline_entry.id,
            "agreement_id": agreement.id,
            "user_id": target_user.id, "inactive_user_id": inactive.id, "token_id": invitation.id,
            "message_id": message.id, "company_id": company.id, "residency_id": residency.id,
            "outcome_id": outcome.id, "code": city_target.code, "tax_code": company.tax_code,
            "membership_id": membership.id,
            "round_id": intake_round.id, "question_id": questions[0].id, "application_id": application.id,
            "document_id": document.id, "token": "khong-phai-ma-that-" + "x" * 24,
            "incubator_id": _db.session.scalar(sa.select(sa.func.min(Incubator.id))),  # its record's page
            **self._certificates(make, company),
            **self._catalogue(make, company),
            "api_token_id": self._api_token(make),
        }

    def _catalogue(self, make, company) -> dict:
        """The owner's product in the catalogue, approved and listed, with a change waiting for staff."""
        from incubator.catalogue import services as catalogue
        from incubator.catalogue.models import ProductGroup

        catalogue.ensure_default_groups()
        group = _db.session.scalar(sa.select(ProductGroup).order_by(ProductGroup.id))
        data = {"name_vi": "Cổng dịch vụ công phường", "summary_vi": "Nộp hồ sơ trực tuyến", "audience_vi": "Phường",
                "pillar": "government", "group_id": group.id}
        entry = catalogue.create_entry(company, data, actor=self.owner)
        catalogue.approve(entry, actor=make.user(Role.STAFF))
        catalogue.propose_change(entry, dict(data, name_vi="Cổng dịch vụ công"), actor=self.owner)
        _db.session.commit()
        return {"product_id": entry.id, "waiting_product_id": entry.id, "product_slug": entry.slug,
                "group_id": group.id}

    def _certificates(self, make, company) -> dict:
        """A certificate the owner submitted for its business, waiting for staff (its PDF not stored), and the
        standard it is of."""
        from incubator.certificates.enums import CertificateStatus
        from incubator.certificates.models import Certificate
        from incubator.certificates.services import standard_by_code

        standard = standard_by_code("ISO/IEC 27001")
        certificate = make._save(Certificate(company_id=company.id, standard=standard, number="ISMS-1",
                                             issued_on=date(2025, 1, 2), expires_on=date(2028, 1, 1),
                                             status=CertificateStatus.SUBMITTED, submitted_by_id=self.owner.id))
        return {"certificate_id": certificate.id, "standard_id": standard.id}

    def _requests(self, make, company) -> dict:
        """The owner's business's requests: one just filed (with an attachment), one waiting for information, one
        answered; a body, the categories, a day of this year's calendar."""
        from incubator.i18n import local_today
        from incubator.requests import queries as request_queries
        from incubator.requests import services as requests
        from incubator.requests.enums import BodyKind, CalendarDayKind
        from incubator.requests.models import RequestAttachment

        requests.ensure_default_categories()
        staff, second = make.user(Role.STAFF), make.user(Role.STAFF)
        category = request_queries.categories()[0]
        body = requests.save_body(None, actor=staff, name_vi="Phòng Quản lý", kind=BodyKind.DEPARTMENT_UNIT)

        def filed():
            return requests.file(company, actor=self.owner, kind="request", category=category, title="Kiến nghị",
                                 text="Nội dung", consent="anonymised")

        first, asked, answered = filed(), filed(), filed()
        attachment = make._save(RequestAttachment(request_id=first.id, stored_name="khong-co-tep.pdf",
                                                  original_name="tep.pdf", size=1, uploaded_by_id=self.owner.id))
        requests.ask_information(asked, actor=staff, question="Bổ sung giấy tờ")
        requests.draft_answer(answered, actor=staff, text="Trả lời")
        requests.approve_answer(answered, actor=second)
        day = requests.add_calendar_day(date(local_today().year, 1, 2), CalendarDayKind.DAY_OFF, actor=staff)
        # A dialogue conference begun an hour ago, still planned: the first request on its agenda, its business
        # invited (so the owner registers), every form of the staff's page showing but the minutes'.
        from incubator.dialogue import services as dialogue

        conference = dialogue.plan(actor=staff, title="Hội nghị đối thoại", chair="Chủ trì", place="Hội trường",
                                   starts_at=datetime.now(UTC) - timedelta(hours=1), bodies=[body])
        dialogue.add_item(conference, first, actor=staff)
        dialogue.invite(conference, actor=staff)
        return {"request_id": first.id, "asked_request_id": asked.id, "answered_request_id": answered.id,
                "attachment_id": attachment.id, "category_id": category.id, "body_id": body.id, "day_id": day.id,
                "conference_id": conference.id}

    def _surveys(self, make, company) -> dict:
        """A survey of next year being prepared (with a question staff added), and this year's survey open, the
        owner's business invited (its response not answered yet)."""
        from incubator.applications.enums import QuestionKind
        from incubator.i18n import local_today
        from incubator.surveys import services as surveys
        from incubator.surveys.enums import SurveyStatus
        from incubator.surveys.models import Survey

        staff, today = make.user(Role.STAFF), local_today()
        draft = surveys.create_survey(actor=staff, year=today.year + 1, title_vi="Khảo sát năm sau",
                                      title_en="Next year's survey", opens_on=date(today.year + 1, 1, 10),
                                      deadline=date(today.year + 1, 3, 31))
        question = surveys.add_question(draft, actor=staff, kind=QuestionKind.TEXT, label_vi="Trang web",
                                        label_en="Website")
        # On top of the demonstration (tests/test_readable_text.py), this year's survey is the demo's, open: the
        # owner's business, given its residency since, is invited as staff invite a business added late.
        current = _db.session.scalar(sa.select(Survey).where(Survey.year == today.year))
        if current is None:
            current = surveys.create_survey(actor=staff, year=today.year, title_vi="Khảo sát năm nay",
                                            title_en="This year's survey", opens_on=today,
                                            deadline=today + timedelta(days=30))
            responses = surveys.open_survey(current, actor=staff, today=today)
        else:
            assert current.status is SurveyStatus.OPEN, "the demonstration's survey of this year is open"
            responses = surveys.invite_added_since(current, actor=staff)
        _db.session.commit()
        return {"survey_id": draft.id, "survey_question_id": question.id, "open_survey_id": current.id,
                "survey_response_id": next(r.id for r in responses if r.company_id == company.id)}

    @staticmethod
    def _api_token(make) -> int:
        """An official's API token (an administrator may revoke it)."""
        from incubator.api import services as api_services

        return api_services.create_token(make.user(Role.OFFICIAL), "Hệ thống của Sở").token.id

    def client(self, role: str):
        if role not in self.clients:
            client = self.client_factory()
            own = {"founder": self.owner, "mentor": self.mentor, "fund_manager": self.fund_manager,
                   "reviewer": self.reviewer, "unconfirmed": self.unconfirmed}
            if role in own:
                _log_in(client, own[role])
            elif role != "anonymous":
                _log_in(client, self.make.user(Role(role)))
            self.clients[role] = client
        return self.clients[role]

    def url(self, app, endpoint: str, spec: str | None, overrides: dict | None = None) -> str:
        from flask import url_for

        values = {}
        for name in (spec or "").split(","):
            if "=" in name:
                key, value = name.split("=", 1)
                values[key] = self.objects.get(value, value)
            elif name:
                values[name] = self.objects[name]
        for key, value in (overrides or {}).items():
            values[key] = self.objects.get(value, value)
        if endpoint == "auth.reset_password":
            values["token"] = self.reset_token
        elif endpoint == "auth.accept_invitation":
            values["token"] = self.invitation_token
        with app.test_request_context():
            return url_for(endpoint, **values)


def _log_in(client, user) -> None:
    """The server-side session a login gives, without checking the password: argon2 is slow by design and
    this file logs someone in for nearly every route (logging in is tested in tests/auth)."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


@pytest.fixture
def world(make, client_factory):
    return World(make, client_factory)


def _row_counts(db) -> dict[str, int]:
    tables = [t for t in _db.metadata.sorted_tables if t.name not in WRITTEN_EVEN_WHEN_REFUSED]
    counts = db.session.execute(sa.select(*[
        sa.select(sa.func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables])).one()
    return dict(zip([t.name for t in tables], counts, strict=True))


# ---- Which routes, as whom --------------------------------------------------------------------------------

def _excluded(rule) -> bool:
    return rule.endpoint in PUBLIC_ENDPOINTS


def _rules(app, method: str) -> list[str]:
    return sorted({rule.endpoint for rule in app.url_map.iter_rules() if method in rule.methods
                   and not _excluded(rule)})


def _matrix_rows(method: str, endpoint: str) -> list[tuple[str | None, dict]]:
    return [(params, expected) for (m, e, params), expected in MATRIX.items() if m == method and e == endpoint]


PREFERENCE = ["anonymous", "staff", "admin", "founder", "official", "reviewer", "mentor", "fund_manager"]


def _role_for(expected: dict) -> str:
    """Someone the matrix lets through; a 404 for founders means "another founder's": its owner is used."""
    if expected.get("founder") == 404:
        return "founder"
    allowed = [r for r in PREFERENCE if expected.get(r) not in (403, LOGIN)]
    assert allowed, f"nobody may use this route: {expected}"
    return allowed[0]


def _route(app, world, method: str, endpoint: str) -> tuple[str, str | None]:
    """(role, url spec) for a route, from its first row in the permission matrix."""
    rows = _matrix_rows(method, endpoint)
    assert rows, f"{method} {endpoint} has no row in tests/test_permission_matrix.py"
    params, expected = rows[0]
    return ROLES.get(endpoint) or _role_for(expected), params


class FoundForm:
    """A route's form as its page shows it: who posts it, where, its fields; re-read after a save, so that
    a version carried by the form follows the record instead of every later post answering 409."""

    def __init__(self, app, world, endpoint: str):
        self.app, self.world, self.endpoint = app, world, endpoint
        self.role, params = _route(app, world, "POST", endpoint)
        self.client = world.client(self.role)
        self.page_url = None
        explicit = EXPLICIT.get(endpoint)
        if explicit is not None and isinstance(explicit[0], dict):
            self.url, self.multipart = world.url(app, endpoint, params), False
            self.fields = {name: _field_with(name, values) for name, values in explicit[0].items()}
            return
        # The route whose form is read: its own, or (autosave) the one whose form it receives.
        self.form_endpoint = explicit[0] if explicit else endpoint
        source, overrides = SOURCES.get(self.form_endpoint, (self.form_endpoint, {}))
        source_params = params if source == self.form_endpoint else \
            next((p for p, _ in _matrix_rows("GET", source)), None)
        self.page_url = world.url(app, source, source_params, overrides)
        action, self.fields, self.multipart = self._read()
        self.url = world.url(app, endpoint, params) if explicit else action

    def _read(self, required: bool = True):
        response = self.client.get(self.page_url)
        assert response.status_code == 200, f"{self.page_url} as {self.role}: {response.status_code}"
        adapter = self.app.url_map.bind("localhost")
        for form in _forms(response.get_data(as_text=True)):
            if form["method"] != "post":
                continue
            action = urlsplit(form["action"]).path or urlsplit(self.page_url).path
            try:
                found, _args = adapter.match(action, method="POST")
            except Exception:  # noqa: S112 - a form that posts elsewhere is not this route's
                continue
            if found == self.form_endpoint:
                return action, form["fields"], form["multipart"]
        if not required:
            return None
        raise AssertionError(
            f"no form posting to {self.endpoint} on {self.page_url} as {self.role}: add the page that shows it "
            "to SOURCES, or its fields to EXPLICIT, in tests/test_fuzz_forms.py")

    def refresh_versions(self) -> None:
        versions = [name for name in self.fields if name.endswith("version")]
        if not versions or self.page_url is None or self.client.get(self.page_url).status_code != 200:
            return
        found = self._read(required=False)  # after a save, the form may be gone (an ended residency)
        if found is None:
            return
        _action, fields, _multipart = found
        for name in versions:
            if name in fields:
                self.fields[name].values = fields[name].values


def _field_with(name: str, values: list) -> Field:
    field = Field(name, "hidden")
    field.values = list(values)
    return field


# ---- The tests --------------------------------------------------------------------------------------------

def _endpoints(method: str) -> list[str]:
    """Read at collection, from an application of its own (the test database does not exist yet)."""
    from incubator import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return _rules(app, method)


FUZZ_SETTINGS = {"deadline": None, "database": None,
                 "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example]}


@pytest.mark.parametrize("endpoint", _endpoints("POST"))
def test_generated_form_values_never_give_a_5xx_and_a_refusal_writes_nothing(endpoint, app, world, db):
    form = FoundForm(app, world, endpoint)
    client, url, role = form.client, form.url, form.role
    token = _csrf(client.get(world.url(app, "auth.forgot_password", None)).get_data(as_text=True))

    counts = [_row_counts(db)]  # as they stand before each post

    @settings(max_examples=POST_EXAMPLES, **FUZZ_SETTINGS)
    @given(values=form_values(form.fields))
    def post(values):
        payload = {"csrf_token": token, **values}
        before = counts[-1]
        if form.multipart or any(isinstance(v, tuple) for v in payload.values()):
            body, content_type = _multipart(payload)
        else:
            body, content_type = _urlencoded(payload), "application/x-www-form-urlencoded"
        response = client.post(url, data=body, content_type=content_type)
        assert response.status_code < 500, f"POST {url} as {role}: {response.status_code}"
        counts.append(_row_counts(db))
        if response.status_code >= 400:
            after = counts[-1]
            grown = {t: (before[t], after[t]) for t in before if after[t] != before[t]}
            assert not grown, f"POST {url} as {role} answered {response.status_code} but wrote rows: {grown}"
        else:
            form.refresh_versions()

    post()


@pytest.mark.parametrize("endpoint", _endpoints("GET"))
def test_generated_query_parameters_never_give_a_5xx(endpoint, app, world):
    rows = _matrix_rows("GET", endpoint)
    assert rows, f"GET {endpoint} has no row in tests/test_permission_matrix.py"
    params, expected = rows[0]
    role = ROLES.get(endpoint) or _role_for(expected)
    client = world.client(role)
    url = world.url(app, endpoint, params)
    page = client.get(url)
    assert page.status_code < 500
    own = [name for form in _forms(page.get_data(as_text=True)) if form["method"] == "get"
           for name in form["fields"]] if page.mimetype == "text/html" else []
    names = st.one_of(st.sampled_from(sorted(set(QUERY_PARAMETERS + own))), st.text(min_size=1, max_size=10))
    query = st.lists(st.tuples(names, any_value), max_size=5)

    @settings(max_examples=GET_EXAMPLES, **FUZZ_SETTINGS)
    @given(pairs=query)
    def get(pairs):
        query_string = "&".join(f"{quote_plus(_bytes(k))}={quote_plus(_bytes(v))}" for k, v in pairs)
        response = client.get(url, query_string=query_string)
        assert response.status_code < 500, f"GET {url}?{query_string[:300]} as {role}: {response.status_code}"

    get()


def test_every_post_route_is_fuzzed_or_excluded_with_a_reason(app):
    """The walk covers every POST route; POST-only routes say where their form is."""
    for endpoint in _rules(app, "POST"):
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        assert "GET" in rule.methods or endpoint in SOURCES or endpoint in EXPLICIT, (
            f"{endpoint}: say in SOURCES which page shows its form, or list its fields in EXPLICIT")
