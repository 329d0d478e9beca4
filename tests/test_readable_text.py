"""No Vietnamese page, export or log shows a code where a person reads words (issue 18, acceptance 2).

The world is the demonstration's data (loaded by `flask demo`, through the services, so its audit log is
the one real use writes) with one of everything on top (the form fuzzer's world, which the permission matrix's
routes need) and an audit entry of each kind the demonstration does not write. Every GET route of the
permission matrix that answers 200 is requested as the role that may open it, every export in both formats,
and their VISIBLE text (tags, scripts, styles and attributes stripped; spreadsheet cells) must not hold:

- a value of an enumeration (``LabelledEnum``): ``under_review``, ``staff``, ``final`` …;
- an action code of the audit log (``report.finalise``);
- a table's name (``periodic_reports``);
- an ISO date (``2027-01-01``): people read 01/01/2027.

Codes are compared as whole tokens, so a word that merely contains one ("reviewer" in an address) passes. In a
spreadsheet, a date is a date cell: a text cell that is only a date (01/01/2027) fails too.
"""

from __future__ import annotations

import csv
import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa

from incubator.enums import LabelledEnum
from incubator.extensions import db as _db
from tests.test_fuzz_forms import ROLES as OWN_ROLES
from tests.test_fuzz_forms import World, _role_for
from tests.test_permission_matrix import MATRIX

pytestmark = pytest.mark.slow

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PERIOD_CODE = re.compile(r"\b\d{4}-(?:Q[1-4]|H[12])\b")  # a report's period as stored: people read "quý II năm 2025"
DATE_TEXT = re.compile(r"\d{2}/\d{2}/\d{4}( \d{2}:\d{2})?")
TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[a-z][a-z0-9_]*)*")


def _enum_values() -> set[str]:
    values, classes = set(), list(LabelledEnum.__subclasses__())
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        values.update(str(m.value) for m in cls)
    return values


def forbidden() -> dict[str, str]:
    """code -> what it is. Every code is lower case; the text's tokens are compared with case kept, so
    "Email" or "IT" in a sentence are not the code "email"."""
    import incubator.models  # noqa: F401 - every table registered

    codes = dict.fromkeys(_enum_values(), "enum value")
    from incubator.audit import labels

    codes.update(dict.fromkeys((code for states in labels._STATES.values() for code in states), "state code"))
    codes.update(dict.fromkeys(_db.metadata.tables, "table name"))
    codes.update(dict.fromkeys(labels.registered_actions(), "action code"))
    return codes


class VisibleText(HTMLParser):
    """The text a person sees: no tag, attribute, script or style. What a page shows as code (``<code>``,
    ``<kbd>``: a command to run, a column or a value to type in an import file) is the literal a person must
    type, so it is left out too; the audit log shows no such element (tests/audit)."""

    HIDDEN = {"script", "style", "template", "code", "kbd"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.english: list[list] = []  # [tag, depth] of each element marked lang="en" still open

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        # Text marked as English on a page in Vietnamese (a name's English version, lang="en") is the person's
        # writing in that language, not a code.
        if tag != "html" and dict(attrs).get("lang") == "en":
            self.english.append([tag, 1])
            self.hidden += 1
            return
        for marked in self.english:
            if marked[0] == tag:
                marked[1] += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        for marked in reversed(self.english):
            if marked[0] == tag:
                marked[1] -= 1
                if marked[1] == 0:
                    self.english.remove(marked)
                    self.hidden = max(self.hidden - 1, 0)
                break

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


EMAIL = re.compile(r"[^\s@,;:()<>]+@[^\s@,;:()<>]+")


def problems(text: str, codes: dict[str, str]) -> list[str]:
    text = EMAIL.sub(" ", text)  # an address is a name: admin@vuonuom.example is no role's code
    found = [f"ISO date {m.group(0)!r}" for m in ISO_DATE.finditer(text)]
    found += [f"period code {m.group(0)!r}" for m in PERIOD_CODE.finditer(text)]
    for token in set(TOKEN.findall(text)):
        if token in codes:
            found.append(f"{codes[token]} {token!r}")
        elif "." in token:
            found += [f"{codes[part]} {part!r}" for part in token.split(".") if codes.get(part) == "action code"]
    return found


def _cells(response, fmt: str) -> list:
    if fmt == "csv":
        return [cell for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig"))) for cell in row]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.data)).active
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row]


# An audit entry of each kind the demonstration does not write, as the services write them (codes, ISO dates).
# (action, object type, object id, label, from, to)
ENTRIES = [
    ("report.finalise", "periodic_reports", "1", "15/BC-VUCNTT", None, "final"),
    ("report.create", "periodic_reports", "1", "2027-Q1", None, None),
    ("residency.create", "residencies", "3", "Công ty Ươm", None, "incubated 2027-01-01–…"),
    ("residency.end", "residencies", "3", "Công ty Ươm", "incubated 2027-01-01–…", "incubated 2027-01-01–2027-06-30"),
    ("round.extend", "intake_rounds", "2", "Đợt 1", "2027-03-01T10:00:00+00:00", "2027-03-08T10:00:00+00:00"),
    ("user.create", "users", "5", "a@vuonuom.example", None, "admin,staff"),
    ("user.roles", "users", "5", None, "staff", "fund_manager"),
    ("user.deactivate", "users", "5", None, "active", "inactive"),
    ("user.verify_email", "users", "5", None, "unverified", "verified"),
    ("invitation.revoke", "account_tokens", "4", None, "pending", "revoked"),
    ("company.create", "companies", "6", None, None, "registered"),
    ("company.verify", "companies", "6", None, "unverified", "verified"),
    ("membership.decide", "company_members", "7", None, "pending", "approved"),
    ("outcome.create", "graduation_outcomes", "8", None, None, "graduated"),
    ("cohort.leave", "cohort_members", "9", None, "active", "extended"),
    ("review.decision", "review_stage_entries", "10", None, None, "advance"),
    ("review.assignment.recuse", "review_assignments", "11", None, "assigned", "recused"),
    ("session.status", "mentoring_sessions", "12", None, "held", "disputed"),
    ("register.import", "register", None, "so-dang-ky.xlsx", None, "imported"),
    ("calendar.token", "calendar_tokens", None, None, None, None),
    ("application.status", "applications", "13", None, "under_review", "waitlisted"),
]


@pytest.fixture
def world(app, runner, make, client_factory):
    result = runner.invoke(args=["demo", "--no-upgrade"])
    assert result.exit_code == 0, result.output
    from incubator.organisation.current import use_incubator
    from incubator.organisation.models import Incubator
    from incubator.targets.models import Target

    new_target = make.target  # the demonstration holds the city's targets already: the world takes its own
    make.target = lambda code=None, **kw: (_db.session.scalar(sa.select(Target).where(Target.code == code))
                                           or new_target(code=code, **kw))
    # The demo holds two incubators (issue 20): the world's rows, like its people's roles, are VUHN's.
    # Its audit entries too: staff limited to VUHN read VUHN's entries (and not the installation's).
    with use_incubator(_db.session.scalar(sa.select(Incubator).where(Incubator.code == "VUHN"))):
        for action, object_type, object_id, label, before, after in ENTRIES:
            make.audit_entry(action=action, object_type=object_type, object_id=object_id, object_label=label,
                             from_state=before, to_state=after)
        return World(make, client_factory)


def _gets():
    """(endpoint, url spec, role, whether the matrix says 200) for every GET row, as the first role it lets
    through."""
    rows = []
    for (method, endpoint, params), expected in MATRIX.items():
        if method != "GET" or endpoint in ("auth.verify_email", "auth.reset_password", "auth.accept_invitation"):
            continue  # their tokens are refused here (400): nothing of the world to read
        if all(status != 200 for status in expected.values()):
            continue
        role = OWN_ROLES.get(endpoint) or _role_for(expected)
        rows.append((endpoint, params, role, expected.get(role) == 200))
    return rows


def test_the_forbidden_codes_are_found_and_words_pass(app):
    codes = forbidden()
    assert {"under_review", "report.finalise", "periodic_reports", "staff", "final"} <= set(codes)
    assert problems("Đang đánh giá · 01/01/2027 · Báo cáo định kỳ số 1", codes) == []
    assert problems("chuyengia@vuonuom.example Email IT", codes) == []
    found = problems("report.finalise periodic_reports #1 under_review 2027-01-01", codes)
    assert len(found) == 4, found


def _walk(app, world, codes: dict[str, str]) -> tuple[set[str], list[str]]:
    """(the URLs read, what was found on them)."""
    failures = []
    seen = set()
    for endpoint, params, role, expected_ok in _gets():
        client = world.client(role)
        formats = ["csv", "xlsx"] if params and "fmt=" in params else [None]
        for fmt in formats:
            spec = re.sub(r"fmt=\w+", f"fmt={fmt}", params) if fmt else params
            try:
                url = world.url(app, endpoint, spec)
            except KeyError:  # an object the form fuzzer's world does not make yet
                continue
            response = client.get(url)
            if response.status_code != 200:
                if expected_ok:
                    failures.append(f"{url} (as {role}): {response.status_code}, not 200")
                continue
            seen.add(url)
            kind = response.mimetype
            if fmt or kind == "text/csv" or "spreadsheetml" in kind:
                cells = _cells(response, fmt or ("csv" if kind == "text/csv" else "xlsx"))
                text = " ".join(str(c) for c in cells if isinstance(c, str))
                if fmt == "xlsx":
                    failures += [f"{url}: a date as text {c!r}" for c in cells
                                 if isinstance(c, str) and DATE_TEXT.fullmatch(c)]
            elif kind == "text/html":
                text = visible_text(response.get_data(as_text=True))
                if os.environ.get("READABLE_TEXT_DUMP"):  # to look at what a page shows
                    name = re.sub(r"\W+", "_", url)
                    Path(os.environ["READABLE_TEXT_DUMP"], name + ".html").write_text(response.get_data(as_text=True))
            else:
                continue  # PDFs, calendars and files: read elsewhere (tests/reports, tests/mentoring)
            failures += [f"{url} (as {role}): {p}" for p in sorted(set(problems(text, codes)))]
    return seen, failures


def test_no_vietnamese_page_export_or_log_shows_a_code_or_an_iso_date(app, world):
    seen, failures = _walk(app, world, forbidden())
    assert len(seen) > 60 and {"/audit/", "/audit/export.xlsx", "/register/export.xlsx"} <= seen  # the walk walked
    assert not failures, "\n".join(failures)


def test_no_english_page_export_or_log_shows_a_compound_code_or_an_iso_date(app, world):
    """In English, "staff" or "final" are words; codes made of several (under_review, report.finalise,
    periodic_reports) and ISO dates are not."""
    from incubator.auth.models import User

    _db.session.execute(sa.update(User).values(locale="en"))  # the world's people read English
    new_user = world.make.user
    world.make.user = lambda *roles, **kw: new_user(*roles, **{"locale": "en", **kw})  # and those logged in later
    _db.session.commit()
    codes = {code: what for code, what in forbidden().items() if "_" in code or "." in code}
    seen, failures = _walk(app, world, codes)
    assert "/audit/" in seen and "Periodic report no. 1" in visible_text(world.client("staff").get("/audit/")
                                                                         .get_data(as_text=True))
    assert not failures, "\n".join(failures)
