"""Checking the rows of an import against the register's rules, before anything is planned or written.

Each table must have its columns; each row's cells are checked as the services would check them (lengths,
the domain's bounds from incubator.bounds, the known choices, the tax code's check digit), and every
problem is reported with its row rather than when the row is applied, so that one run lists them all. Rows
of residencies are checked against each other and against the register with the register's own rule for
overlapping periods (companies.services.periods_overlap). A certificate's row meets the rules every door of
the register applies to a certificate (certificates.services.check_fields).
"""

from __future__ import annotations

from collections.abc import Container
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from incubator import bounds
from incubator.certificates import services as certificates
from incubator.certificates.models import CertificateStandard
from incubator.companies import services as companies
from incubator.companies import taxcode
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Residency
from incubator.errors import DomainError
from incubator.imports import reading
from incubator.imports.reading import CERTIFICATES, COMPANIES, OUTCOMES, RESIDENCIES, CellError, Row, Table
from incubator.outcomes.enums import Decision, Pillar

# Columns each table must have (a cell may still be empty where the column allows it: end_date).
REQUIRED_COLUMNS = {
    COMPANIES: ("tax_code", "name", "is_it"),
    RESIDENCIES: ("tax_code", "kind", "start_date", "end_date"),
    OUTCOMES: ("tax_code", "decision", "decided_on"),
    CERTIFICATES: ("tax_code", "standard", "level", "issued_on", "expires_on", "issuer", "number"),
}
OPTIONAL_COLUMNS = {
    COMPANIES: ("founded_on", "sector"),
    RESIDENCIES: ("note",),
    OUTCOMES: ("product", "market_evidence", "pillars", "cohort"),
    CERTIFICATES: ("revoked_on",),
}

# The longest text each column may hold (the database columns' sizes).
MAX_LENGTH = {"name": 300, "sector": 200, "note": 1000, "product": 1000, "cohort": 200,
              "evidence_text": 2000, "evidence_url": 500, "standard": 60, "issuer": 300, "number": 100}

UNKNOWN_COMPANY = _l("Unknown company: no company with this tax code in the register or in the companies of "
                     "this import.")


def missing_columns(table: Table) -> list[str]:
    return [c for c in REQUIRED_COLUMNS[table.name] if c not in table.columns]


# ---- Cells -------------------------------------------------------------------------------------------------

def text(row: Row, column: str, max_length: int | None = None) -> str:
    value = reading.normal_text(row.cells.get(column))
    if any(ord(c) < 32 and c not in "\t\r\n" for c in value):
        raise CellError(_l("This text contains invisible control characters; remove them."))
    limit = max_length or MAX_LENGTH.get(column)
    if limit and len(value) > limit:
        raise CellError(_l("%(column)s is too long: at most %(max)d characters.", column=column, max=limit))
    return value


def day(row: Row, column: str, required: bool, rule: bounds.DateRule | None = None) -> date | None:
    """The cell's date, within ``rule``'s bounds: the ones the service would apply, reported here with the row
    (every row's problems in one run) rather than when the row is applied."""
    value = reading.cell_date(row, column, required)
    if rule is not None:
        try:
            rule.check(value, column)
        except DomainError as exc:
            raise CellError(_l("%(column)s: %(reason)s", column=column, reason=exc.message)) from None
    return value


def tax_code(row: Row, registered: Container[str]) -> str:
    """The row's tax code, normalised; a code already in the register (``registered``) is accepted as it is
    (staff may have recorded one that fails the check digit, with a note)."""
    raw = reading.tax_code_text(row)
    code = taxcode.normalise(raw)
    if code in registered:
        return code
    try:
        return taxcode.validate(raw)
    except taxcode.TaxCodeError as exc:
        raise CellError(exc.reason) from exc


# ---- Rows --------------------------------------------------------------------------------------------------
# Each returns the row's values (but its tax code) and the reasons to refuse it, in the order they are shown.

def company_row(row: Row) -> tuple[dict[str, Any], list]:
    values, reasons = {}, []
    for column, read in (("name", lambda r: text(r, "name")), ("is_it", lambda r: reading.yes_no(r, "is_it")),
                         ("founded_on", lambda r: day(r, "founded_on", False, bounds.FOUNDING)),
                         ("sector", lambda r: text(r, "sector"))):
        try:
            values[column] = read(row)
        except CellError as exc:
            reasons.append(exc.reason)
    if not reasons and not values["name"]:
        reasons.append(_l("The company's name is missing."))
    return values, reasons


def residency_row(row: Row) -> tuple[dict[str, Any], list]:
    """kind, starts_on, ends_on and note."""
    values: dict[str, Any] = {"kind": None, "starts_on": None, "ends_on": None, "note": ""}
    reasons = []
    kind_text = reading.normal_text(row.cells.get("kind"))
    try:
        values["kind"] = ResidencyKind(reading.word(kind_text))
    except ValueError:
        reasons.append(_l("Unknown kind “%(value)s”: write one of %(choices)s.", value=kind_text[:40],
                          choices=", ".join(k.value for k in ResidencyKind)))
    for column, key in (("start_date", "starts_on"), ("end_date", "ends_on"), ("note", "note")):
        try:
            if column == "note":
                values[key] = text(row, column)
            else:
                values[key] = day(row, column, column == "start_date", bounds.PROGRAMME)
        except CellError as exc:
            reasons.append(exc.reason)
    starts_on, ends_on = values["starts_on"], values["ends_on"]
    if starts_on and ends_on and ends_on < starts_on:
        reasons.append(_l("The last day cannot be before the first day."))
    return values, reasons


def outcome_row(row: Row) -> tuple[dict[str, Any], list]:
    """decision, decided_on, product, market_evidence, cohort and pillars (a list)."""
    values: dict[str, Any] = {"decision": None, "decided_on": None}
    reasons = []
    decision_text = reading.normal_text(row.cells.get("decision"))
    try:
        values["decision"] = Decision(reading.word(decision_text))
    except ValueError:
        reasons.append(_l("Unknown decision “%(value)s”: write one of %(choices)s.",
                          value=decision_text[:40], choices=", ".join(d.value for d in Decision)))
    try:
        values["decided_on"] = day(row, "decided_on", True, bounds.DECISION)
    except CellError as exc:
        reasons.append(exc.reason)
    for column in ("product", "market_evidence", "cohort"):
        limit = 2000 if column == "market_evidence" else None
        try:
            values[column] = text(row, column, limit)
        except CellError as exc:
            reasons.append(exc.reason)
    evidence = values.get("market_evidence", "")
    if evidence.lower().startswith(("http://", "https://")) and len(evidence) > MAX_LENGTH["evidence_url"]:
        reasons.append(_l("%(column)s is too long: at most %(max)d characters.", column="market_evidence",
                          max=MAX_LENGTH["evidence_url"]))
    pillars = []
    for word in reading.normal_text(row.cells.get("pillars")).replace(",", ";").split(";"):
        if not word.strip():
            continue
        try:
            pillars.append(Pillar(reading.word(word)))
        except ValueError:
            reasons.append(_l("Unknown pillar “%(value)s”: write government, economy or society, "
                              "separated by “;”.", value=word.strip()[:40]))
    values["pillars"] = pillars
    return values, reasons


def certificate_row(row: Row) -> tuple[dict[str, Any], list]:
    """standard (the code as written), level, issued_on, expires_on, revoked_on, issuer and number. Whether
    they make a certificate (dates in order, a level where the standard has levels) is
    :func:`certificate_rules`, once the standard is known."""
    values: dict[str, Any] = {"standard": "", "level": None, "issued_on": None, "expires_on": None,
                              "revoked_on": None, "issuer": "", "number": ""}
    reasons = []
    readers = (("standard", lambda r: text(r, "standard")),
               ("level", lambda r: reading.whole_number(r, "level")),
               ("issued_on", lambda r: day(r, "issued_on", True)),
               ("expires_on", lambda r: day(r, "expires_on", False)),
               ("revoked_on", lambda r: day(r, "revoked_on", False)),
               ("issuer", lambda r: text(r, "issuer")),
               ("number", lambda r: text(r, "number")))
    for column, read in readers:
        try:
            values[column] = read(row)
        except CellError as exc:
            reasons.append(exc.reason)
            values[column] = _UNREADABLE
    if values["standard"] == "":
        reasons.insert(0, _l("The certificate's standard is missing."))
    return values, reasons


_UNREADABLE = object()  # a cell that could not be read: its reason is given, the rules do not look at it
CERTIFICATE_FIELDS = ("level", "issued_on", "expires_on", "revoked_on")


def certificate_rules(values: dict[str, Any], standard: CertificateStandard) -> list:
    """The rules a certificate meets whichever door it comes in by (certificates.services.check_fields), for a
    row whose cells could all be read: its reason, named by the spreadsheet's column, or none."""
    if any(values[key] is _UNREADABLE for key in CERTIFICATE_FIELDS):
        return []
    try:
        certificates.check_fields({key: values[key] for key in CERTIFICATE_FIELDS}, standard)
    except DomainError as exc:
        column = "standard" if exc.field == "standard_id" else exc.field
        return [_l("%(column)s: %(reason)s", column=column, reason=exc.message)]
    return []


# ---- Between rows ------------------------------------------------------------------------------------------

def overlaps(periods: list[tuple[Row, date, date | None]], residencies: list[Residency]) -> list[tuple[Row, Any]]:
    """The register as it would be after the import must have no two residencies of the same kind that share a
    day, by the register's own rule (companies.services.periods_overlap): between rows of the file, and between
    a row and a residency of the register that no row updates. ``periods`` are the rows (row, first day, last
    day) of one company and kind, ``residencies`` the register's of that company and kind that no row updates.
    Returns (row, reason) for each row at fault, once per row; two residencies already in the register that
    overlap are not this import's doing."""
    items: list[tuple[date, date | None, Row | Residency]] = [(s, e, row) for row, s, e in periods]
    items += [(r.starts_on, r.ends_on, r) for r in residencies]
    items.sort(key=lambda p: (p[0], p[2].line if isinstance(p[2], Row) else 0))
    found: list[tuple[Row, Any]] = []
    reported: set[int] = set()
    for i, (start_a, end_a, a) in enumerate(items):
        for start_b, end_b, b in items[i + 1:]:
            if not companies.periods_overlap(start_a, end_a, start_b, end_b):
                continue
            rows_in_pair = [p for p in (a, b) if isinstance(p, Row)]
            if not rows_in_pair:
                continue  # both already in the register: not this import's doing
            if len(rows_in_pair) == 2:
                row, other = (a, b) if a.line > b.line else (b, a)
            else:
                row = rows_in_pair[0]
                other = b if row is a else a
            if row.line in reported:
                continue
            reported.add(row.line)
            if isinstance(other, Row):
                found.append((row, _l("This period overlaps another residency of the same kind on line %(line)d.",
                                      line=other.line)))
            else:
                found.append((row, companies.overlap_reason(other)))
    return found
