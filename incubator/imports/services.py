"""Import the register (companies, residencies, graduation outcomes) from staff's spreadsheets.

Two readers, one for a folder of CSV files and one for an .xlsx workbook, produce the same tables; the
rest does not know where a row came from. The import is all or nothing and idempotent:

1. every row is validated against the register, against the other rows of the import and against the
   domain's bounds (incubator.bounds: no founding date in the future, no residency before 1990 …); any
   problem refuses the whole import, and every problem is reported with its file (or sheet), line and reason;
2. the changes are applied through the companies and outcomes services inside a SAVEPOINT; a DomainError
   raised there is reported with its row too, and the savepoint is rolled back;
3. a dry run rolls the savepoint back in any case and reports what would have been created and updated.

Rows are found by their natural keys: a company by its tax code, a residency by (tax code, kind, first
day), an outcome by (tax code, decision, date). An existing row is updated only where the spreadsheet
differs, so importing the same files twice changes nothing the second time. An empty cell in an optional
column (founded_on, sector, note, product, market_evidence, pillars, cohort) keeps what the register holds;
an empty end_date means the residency is still running.

Services flush and never commit: the caller (the CLI command, the request) commits once.
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from incubator import bounds
from incubator.audit import services as audit
from incubator.companies import services as companies
from incubator.companies import taxcode
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Company, Residency
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.i18n import fmt_date, parse_date
from incubator.outcomes import services as outcomes
from incubator.outcomes.enums import Decision, Pillar
from incubator.outcomes.models import GraduationOutcome

COMPANIES, RESIDENCIES, OUTCOMES = "companies", "residencies", "outcomes"
TABLES = (COMPANIES, RESIDENCIES, OUTCOMES)

# Columns each table must have (a cell may still be empty where the column allows it: end_date).
REQUIRED_COLUMNS = {
    COMPANIES: ("tax_code", "name", "is_it"),
    RESIDENCIES: ("tax_code", "kind", "start_date", "end_date"),
    OUTCOMES: ("tax_code", "decision", "decided_on"),
}
OPTIONAL_COLUMNS = {
    COMPANIES: ("founded_on", "sector"),
    RESIDENCIES: ("note",),
    OUTCOMES: ("product", "market_evidence", "pillars", "cohort"),
}

# The longest text each column may hold (the database columns' sizes).
MAX_LENGTH = {"name": 300, "sector": 200, "note": 1000, "product": 1000, "cohort": 200,
              "evidence_text": 2000, "evidence_url": 500}

TRUE_WORDS = frozenset({"yes", "true", "1", "có"})
FALSE_WORDS = frozenset({"no", "false", "0", "không"})

MAX_ROWS = 20_000  # per file or sheet
XLSX_NAME = "register.xlsx"


# ---- What the readers produce ------------------------------------------------------------------------------

@dataclass
class Problem:
    source: str  # the file (companies.csv) or the sheet (companies) the row is in
    line: int | None  # as a spreadsheet shows it: the header is line 1; None for the file as a whole
    reason: Any  # a translatable string

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.reason}"


@dataclass
class Row:
    line: int
    cells: dict[str, Any]  # lower-cased column name -> str, or date/datetime/number/bool from a workbook


@dataclass
class Table:
    name: str  # companies, residencies or outcomes
    source: str
    columns: set[str]
    rows: list[Row]
    header_line: int = 1


@dataclass
class Upload:
    """The tables of one import, whichever reader produced them, and the problems met reading them."""

    name: str  # what the audit log and the messages call it: the folder's or the workbook's name
    tables: dict[str, Table] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def _table_from_records(name: str, source: str, records, problems: list[Problem]) -> Table | None:
    """``records`` yields (line, list of cell values); the first non-empty record is the header."""
    header: list[str] | None = None
    header_line = 1
    rows: list[Row] = []
    for line, values in records:
        if all(_is_empty(v) for v in values):
            continue
        if header is None:
            header = [_normal_text(v).lower().lstrip("\ufeff").strip() for v in values]
            header_line = line
            continue
        if len(rows) >= MAX_ROWS:
            problems.append(Problem(source, None, _l("Too many rows: at most %(max)d in one file or sheet.",
                                                     max=MAX_ROWS)))
            return None
        cells: dict[str, Any] = {}
        for column, value in zip(header, values, strict=False):
            if column and column not in cells:
                cells[column] = value
        rows.append(Row(line, cells))
    if header is None:
        problems.append(Problem(source, None, _l("This file or sheet is empty.")))
        return None
    return Table(name, source, {c for c in header if c}, rows, header_line)


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_csv(data: bytes, name: str, source: str, problems: list[Problem]) -> Table | None:
    """A CSV file in UTF-8, with or without a byte-order mark; comma, semicolon or tab separated."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(source, None, _l(
            "This file is not in UTF-8: save it again as “CSV UTF-8 (comma delimited)”.")))
        return None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first.count) if first else ","

    def records():
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        # A record is one row of the spreadsheet, even when a quoted cell spans several lines of text.
        yield from enumerate(reader, start=1)

    try:
        return _table_from_records(name, source, records(), problems)
    except csv.Error as exc:
        problems.append(Problem(source, None, _l("This file cannot be read as CSV: %(error)s", error=str(exc))))
        return None


def read_folder(folder: Path, name: str | None = None) -> Upload:
    """companies.csv, residencies.csv, outcomes.csv (any may be missing; names are case-insensitive)."""
    upload = Upload(name or folder.name)
    files = {p.name.lower(): p for p in sorted(folder.iterdir()) if p.is_file()}
    for table in TABLES:
        path = files.get(f"{table}.csv")
        if path is None:
            continue
        result = read_csv(path.read_bytes(), table, path.name, upload.problems)
        if result is not None:
            upload.tables[table] = result
    if not upload.tables and not upload.problems:
        upload.problems.append(Problem(upload.name, None, _l(
            "No file to import: expected companies.csv, residencies.csv or outcomes.csv.")))
    return upload


def read_xlsx(data: bytes | Path, name: str) -> Upload:
    """A workbook whose sheets are named companies, residencies, outcomes (any may be missing)."""
    from openpyxl import load_workbook

    upload = Upload(name)
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a file that is not a workbook
        upload.problems.append(Problem(name, None, _l("This file is not a readable .xlsx workbook.")))
        return upload
    try:
        sheets = {ws.title.strip().lower(): ws for ws in workbook.worksheets}
        for table in TABLES:
            ws = sheets.get(table)
            if ws is None:
                continue
            records = enumerate((list(r) for r in ws.iter_rows(min_row=1, values_only=True)), start=1)
            result = _table_from_records(table, ws.title, records, upload.problems)
            if result is not None:
                upload.tables[table] = result
    except Exception:  # a broken part of the archive shows only while reading it
        upload.problems.append(Problem(name, None, _l("This file is not a readable .xlsx workbook.")))
        return upload
    finally:
        workbook.close()
    if not upload.tables and not upload.problems:
        upload.problems.append(Problem(name, None, _l(
            "The workbook has no sheet named companies, residencies or outcomes.")))
    return upload


def read_path(path: Path) -> Upload:
    """The command line's PATH: a folder of CSV files, or an .xlsx workbook."""
    path = Path(path)
    name = os.fsencode(path.name).decode("utf-8", "replace")  # a name in bytes that are not UTF-8, shown
    if path.is_dir():
        return read_folder(path, name)
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(path.read_bytes(), name)
    upload = Upload(name)
    upload.problems.append(Problem(name, None, _l(
        "Give a folder holding companies.csv, residencies.csv and outcomes.csv, or an .xlsx workbook.")))
    return upload


# ---- Cells -------------------------------------------------------------------------------------------------

class CellError(ValueError):
    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def _normal_text(value) -> str:
    """A cell as text: NFC (what a keyboard types; some tools write Vietnamese decomposed), stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _text(row: Row, column: str, max_length: int | None = None) -> str:
    value = _normal_text(row.cells.get(column))
    if any(ord(c) < 32 and c not in "\t\r\n" for c in value):
        raise CellError(_l("This text contains invisible control characters; remove them."))
    limit = max_length or MAX_LENGTH.get(column)
    if limit and len(value) > limit:
        raise CellError(_l("%(column)s is too long: at most %(max)d characters.", column=column, max=limit))
    return value


def _date(row: Row, column: str, required: bool, rule: bounds.DateRule | None = None) -> date | None:
    """The cell's date, within ``rule``'s bounds: the ones the service would apply, reported here with the row
    (every row's problems in one run) rather than when the row is applied."""
    day = _cell_date(row, column, required)
    if rule is not None:
        try:
            rule.check(day, column)
        except DomainError as exc:
            raise CellError(_l("%(column)s: %(reason)s", column=column, reason=exc.message)) from None
    return day


def _cell_date(row: Row, column: str, required: bool) -> date | None:
    value = row.cells.get(column)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _normal_text(value)
    if not text:
        if required:
            raise CellError(_l("%(column)s is missing: write the date as DD/MM/YYYY or YYYY-MM-DD.", column=column))
        return None
    parsed = parse_date(text) if isinstance(value, str) else None
    if parsed is None:
        raise CellError(_l("%(column)s “%(value)s” is not a date: write DD/MM/YYYY or YYYY-MM-DD.",
                           column=column, value=text[:40]))
    return parsed


def _yes_no(row: Row, column: str) -> bool:
    value = row.cells.get(column)
    if isinstance(value, bool):
        return value
    text = _normal_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(_l("%(column)s “%(value)s” is not yes or no: write yes/no, true/false, 1/0 or có/không.",
                       column=column, value=text[:40]))


def _tax_code_text(row: Row) -> str:
    value = row.cells.get("tax_code")
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        # A spreadsheet that took the code for a number dropped its leading zero; a code has 10 digits.
        return f"{int(value):010d}"
    return _normal_text(value)


def _word(text: str) -> str:
    return text.strip().lower().replace(" ", "_").replace("-", "_")


# ---- The plan: what the import would change ----------------------------------------------------------------

@dataclass
class Change:
    table: str
    source: str
    line: int
    action: str  # "create" or "update"
    tax_code: str
    description: str
    changed: list[str] = field(default_factory=list)  # the spreadsheet's column names (updates)
    values: dict = field(default_factory=dict)  # the arguments of the service
    target: Any = None  # the existing object of an update


@dataclass
class ImportResult:
    name: str
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # table -> file or sheet
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def created(self) -> int:
        return sum(c["created"] for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c["updated"] for c in self.counts.values())

    def changes_of(self, table: str) -> list[Change]:
        return [c for c in self.changes if c.table == table]


def _chunks(values, size: int = 500):
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i:i + size]


class _Planner:
    """Validates every row against the register and the other rows, and plans the changes."""

    def __init__(self, upload: Upload):
        self.upload = upload
        self.problems: list[Problem] = []
        self.changes: list[Change] = []
        self.counts = {t: {"created": 0, "updated": 0, "unchanged": 0} for t in upload.tables}
        self.tables: dict[str, Table] = {}
        for name, table in upload.tables.items():
            missing = [c for c in REQUIRED_COLUMNS[name] if c not in table.columns]
            if missing:
                self.problems.append(Problem(table.source, table.header_line, _l(
                    "Missing column: %(columns)s.", columns=", ".join(missing))))
            self.tables[name] = table
        self._load_register()

    def problem(self, table: Table, row: Row, reason) -> None:
        self.problems.append(Problem(table.source, row.line, reason))

    # What the register holds already, in a fixed number of queries.
    def _load_register(self) -> None:
        codes = set()
        for table in self.tables.values():
            for row in table.rows:
                codes.add(taxcode.normalise(_tax_code_text(row)))
        codes.discard("")
        self.companies: dict[str, Company] = {}
        for chunk in _chunks(codes):
            for company in db.session.scalars(sa.select(Company).where(Company.tax_code.in_(chunk))):
                self.companies[company.tax_code] = company
        ids = [c.id for c in self.companies.values()]
        self.residencies: dict[tuple[str, ResidencyKind], list[Residency]] = defaultdict(list)
        self.outcomes: dict[tuple[str, Decision, date], GraduationOutcome] = {}
        by_id = {c.id: c for c in self.companies.values()}
        for chunk in _chunks(ids):
            for r in db.session.scalars(sa.select(Residency).where(Residency.company_id.in_(chunk))):
                self.residencies[(by_id[r.company_id].tax_code, r.kind)].append(r)
            for o in db.session.scalars(sa.select(GraduationOutcome).where(GraduationOutcome.company_id.in_(chunk))):
                self.outcomes[(by_id[o.company_id].tax_code, o.decision, o.decided_on)] = o

    def _code(self, row: Row) -> str:
        """The row's tax code, normalised; a code already in the register is accepted as it is (staff may
        have recorded one that fails the check digit, with a note)."""
        raw = _tax_code_text(row)
        code = taxcode.normalise(raw)
        if code in self.companies:
            return code
        try:
            return taxcode.validate(raw)
        except taxcode.TaxCodeError as exc:
            raise CellError(exc.reason) from exc

    def plan(self) -> None:
        # The codes of this import's company rows, even rows refused for another reason: a residency or an
        # outcome of such a company is not also reported as of an "unknown company".
        self.new_codes: set[str] = set()
        if COMPANIES in self.tables and "tax_code" in self.tables[COMPANIES].columns:
            self._plan_companies(self.tables[COMPANIES])
        if RESIDENCIES in self.tables and self._has_columns(RESIDENCIES):
            self._plan_residencies(self.tables[RESIDENCIES])
        if OUTCOMES in self.tables and self._has_columns(OUTCOMES):
            self._plan_outcomes(self.tables[OUTCOMES])
        order = {t: i for i, t in enumerate(TABLES)}
        source_order = {t.source: order[t.name] for t in self.tables.values()}
        self.problems.sort(key=lambda p: (source_order.get(p.source, -1), p.source, p.line or 0))

    def _has_columns(self, name: str) -> bool:
        return all(c in self.tables[name].columns for c in REQUIRED_COLUMNS[name])

    def _known(self, code: str) -> bool:
        return code in self.companies or code in self.new_codes

    # ---- companies
    def _plan_companies(self, table: Table) -> None:
        complete = self._has_columns(COMPANIES)
        seen: dict[str, int] = {}
        for row in table.rows:
            try:
                code = self._code(row)
            except CellError as exc:
                self.problem(table, row, exc.reason)
                continue
            self.new_codes.add(code)
            if code in seen:
                self.problem(table, row, _l("The same tax code is already on line %(line)d.", line=seen[code]))
                continue
            seen[code] = row.line
            if not complete:
                continue
            values, ok = {}, True
            for column, read in (("name", lambda r: _text(r, "name")), ("is_it", lambda r: _yes_no(r, "is_it")),
                                 ("founded_on", lambda r: _date(r, "founded_on", False, bounds.FOUNDING)),
                                 ("sector", lambda r: _text(r, "sector"))):
                try:
                    values[column] = read(row)
                except CellError as exc:
                    self.problem(table, row, exc.reason)
                    ok = False
            if ok and not values["name"]:
                self.problem(table, row, _l("The company's name is missing."))
                ok = False
            if not ok:
                continue
            self._plan_company(table, row, code, values)

    def _plan_company(self, table: Table, row: Row, code: str, values: dict) -> None:
        fields = {"name": values["name"], "is_it": values["is_it"]}
        # An empty optional cell keeps what the register holds.
        if values["founded_on"] is not None:
            fields["founded_on"] = values["founded_on"]
        if values["sector"]:
            fields["sector"] = values["sector"]
        description = f"{code} {values['name']}"
        company = self.companies.get(code)
        if company is None:
            self._add(Change(COMPANIES, table.source, row.line, "create", code, description,
                             values={"tax_code": code, **fields}))
            return
        changed = {k: v for k, v in fields.items() if getattr(company, k) != v}
        if not changed:
            self.counts[COMPANIES]["unchanged"] += 1
            return
        self._add(Change(COMPANIES, table.source, row.line, "update", code, description, changed=list(changed),
                         values=changed, target=company))

    # ---- residencies
    def _plan_residencies(self, table: Table) -> None:
        planned: dict[tuple[str, ResidencyKind], list[tuple[Row, date, date | None, str]]] = defaultdict(list)
        for row in table.rows:
            reasons = []
            code = kind = starts_on = ends_on = None
            note = ""
            try:
                code = self._code(row)
            except CellError as exc:
                reasons.append(exc.reason)
            kind_text = _normal_text(row.cells.get("kind"))
            try:
                kind = ResidencyKind(_word(kind_text))
            except ValueError:
                reasons.append(_l("Unknown kind “%(value)s”: write one of %(choices)s.", value=kind_text[:40],
                                  choices=", ".join(k.value for k in ResidencyKind)))
            for column in ("start_date", "end_date", "note"):
                try:
                    if column == "start_date":
                        starts_on = _date(row, column, True, bounds.PROGRAMME)
                    elif column == "end_date":
                        ends_on = _date(row, column, False, bounds.PROGRAMME)
                    else:
                        note = _text(row, column)
                except CellError as exc:
                    reasons.append(exc.reason)
            if starts_on and ends_on and ends_on < starts_on:
                reasons.append(_l("The last day cannot be before the first day."))
            if code and not self._known(code):
                reasons.append(_l("Unknown company: no company with this tax code in the register or in the "
                                  "companies of this import."))
            for reason in reasons:
                self.problem(table, row, reason)
            if not reasons:
                planned[(code, kind)].append((row, starts_on, ends_on, note))
        for (code, kind), rows in planned.items():
            existing = {r.starts_on: r for r in self.residencies.get((code, kind), [])}
            if not self._check_overlaps(table, code, kind, rows, existing):
                continue
            for row, starts_on, ends_on, note in rows:
                self._plan_residency(table, row, code, kind, starts_on, ends_on, note, existing.get(starts_on))

    def _check_overlaps(self, table, code, kind, rows, existing) -> bool:
        """The register as it would be after the import must have no two residencies of the same kind that
        share a day: between rows of the file, and between a row and a residency it does not update."""
        periods = [(starts_on, ends_on, row) for row, starts_on, ends_on, _note in rows]
        keys = {starts_on for _row, starts_on, _e, _n in rows}
        periods += [(r.starts_on, r.ends_on, r) for start, r in existing.items() if start not in keys]
        periods.sort(key=lambda p: (p[0], p[2].line if isinstance(p[2], Row) else 0))
        ok = True
        reported: set[int] = set()
        for i, (_start_a, end_a, a) in enumerate(periods):
            for start_b, _end_b, b in periods[i + 1:]:
                if end_a is not None and end_a < start_b:
                    continue  # sorted by first day: b starts after a ends
                rows_in_pair = [p for p in (a, b) if isinstance(p, Row)]
                if not rows_in_pair:
                    continue  # both already in the register: not this import's doing
                ok = False
                if len(rows_in_pair) == 2:
                    row, other = (a, b) if a.line > b.line else (b, a)
                else:
                    row = rows_in_pair[0]
                    other = b if row is a else a
                if row.line in reported:
                    continue
                reported.add(row.line)
                if isinstance(other, Row):
                    self.problem(table, row, _l(
                        "This period overlaps another residency of the same kind on line %(line)d.",
                        line=other.line))
                else:
                    self.problem(table, row, _l(
                        "This period overlaps another residency of the same kind (%(kind)s from %(start)s to "
                        "%(end)s).", kind=kind.label, start=fmt_date(other.starts_on),
                        end=fmt_date(other.ends_on) or _l("now")))
        return ok

    def _plan_residency(self, table, row, code, kind, starts_on, ends_on, note, residency) -> None:
        description = f"{code} {kind.label} {fmt_date(starts_on)} – {fmt_date(ends_on) or '…'}"
        if residency is None:
            self._add(Change(RESIDENCIES, table.source, row.line, "create", code, description,
                             values={"kind": kind, "starts_on": starts_on, "ends_on": ends_on, "note": note or None}))
            return
        changed = []
        if residency.ends_on != ends_on:
            changed.append("end_date")
        if note and residency.note != note:
            changed.append("note")
        if not changed:
            self.counts[RESIDENCIES]["unchanged"] += 1
            return
        self._add(Change(RESIDENCIES, table.source, row.line, "update", code, description, changed=changed,
                         values={"kind": kind, "starts_on": starts_on, "ends_on": ends_on,
                                 "note": note or residency.note},
                         target=residency))

    # ---- outcomes
    def _plan_outcomes(self, table: Table) -> None:
        seen: dict[tuple, int] = {}
        for row in table.rows:
            reasons = []
            code = decision = decided_on = None
            try:
                code = self._code(row)
            except CellError as exc:
                reasons.append(exc.reason)
            decision_text = _normal_text(row.cells.get("decision"))
            try:
                decision = Decision(_word(decision_text))
            except ValueError:
                reasons.append(_l("Unknown decision “%(value)s”: write one of %(choices)s.",
                                  value=decision_text[:40], choices=", ".join(d.value for d in Decision)))
            try:
                decided_on = _date(row, "decided_on", True, bounds.DECISION)
            except CellError as exc:
                reasons.append(exc.reason)
            values = {}
            for column in ("product", "market_evidence", "cohort"):
                limit = 2000 if column == "market_evidence" else None
                try:
                    values[column] = _text(row, column, limit)
                except CellError as exc:
                    reasons.append(exc.reason)
            evidence = values.get("market_evidence", "")
            if evidence.lower().startswith(("http://", "https://")) and len(evidence) > MAX_LENGTH["evidence_url"]:
                reasons.append(_l("%(column)s is too long: at most %(max)d characters.", column="market_evidence",
                                  max=MAX_LENGTH["evidence_url"]))
            pillars = []
            for word in _normal_text(row.cells.get("pillars")).replace(",", ";").split(";"):
                if not word.strip():
                    continue
                try:
                    pillars.append(Pillar(_word(word)))
                except ValueError:
                    reasons.append(_l("Unknown pillar “%(value)s”: write government, economy or society, "
                                      "separated by “;”.", value=word.strip()[:40]))
            if code and not self._known(code):
                reasons.append(_l("Unknown company: no company with this tax code in the register or in the "
                                  "companies of this import."))
            if not reasons:
                key = (code, decision, decided_on)
                if key in seen:
                    reasons.append(_l("The same decision on the same day is already on line %(line)d.",
                                      line=seen[key]))
                seen.setdefault(key, row.line)
            for reason in reasons:
                self.problem(table, row, reason)
            if not reasons:
                self._plan_outcome(table, row, code, decision, decided_on, values, pillars)

    def _plan_outcome(self, table, row, code, decision, decided_on, values, pillars) -> None:
        fields = {}
        if values["product"]:
            fields["product"] = values["product"]
        evidence = values["market_evidence"]
        if evidence:
            key = "evidence_url" if evidence.lower().startswith(("http://", "https://")) else "evidence_text"
            fields[key] = evidence
        if values["cohort"]:
            fields["cohort_name"] = values["cohort"]
        description = f"{code} {decision.label} {fmt_date(decided_on)}"
        outcome = self.outcomes.get((code, decision, decided_on))
        if outcome is None:
            self._add(Change(OUTCOMES, table.source, row.line, "create", code, description,
                             values={"decision": decision, "decided_on": decided_on, "pillars": pillars, **fields}))
            return
        column_of = {"product": "product", "evidence_url": "market_evidence", "evidence_text": "market_evidence",
                     "cohort_name": "cohort"}
        changed = {k: v for k, v in fields.items() if getattr(outcome, k) != v}
        if pillars and set(outcome.pillars) != set(pillars):
            changed["pillars"] = pillars
        if not changed:
            self.counts[OUTCOMES]["unchanged"] += 1
            return
        columns = list(dict.fromkeys(column_of.get(k, k) for k in changed))
        self._add(Change(OUTCOMES, table.source, row.line, "update", code, description, changed=columns,
                         values=changed, target=outcome))

    def _add(self, change: Change) -> None:
        self.changes.append(change)
        self.counts[change.table]["created" if change.action == "create" else "updated"] += 1


# ---- Applying ----------------------------------------------------------------------------------------------

def _apply(changes: list[Change], problems: list[Problem], actor, known: dict[str, Company]) -> None:
    """Through the services, in the order that keeps every intermediate state valid: companies first;
    residency updates (which only move last days) before new residencies."""
    companies_by_code: dict[str, Company] = dict(known)
    failed: set[str] = set()

    def run(change: Change, call) -> Any:
        try:
            return call()
        except DomainError as exc:
            problems.append(Problem(change.source, change.line, exc.message))
            return None

    for change in changes:
        if change.table != COMPANIES:
            continue
        if change.action == "create":
            company = run(change, lambda c=change: companies.create_company(actor=actor, **c.values))
        else:
            company = run(change, lambda c=change: companies.update_company(c.target, actor=actor, **c.values))
        if company is None:
            failed.add(change.tax_code)
        else:
            companies_by_code[change.tax_code] = company

    def company_of(code: str) -> Company | None:
        return None if code in failed else companies_by_code.get(code)

    residency_changes = sorted((c for c in changes if c.table == RESIDENCIES), key=lambda c: c.action != "update")
    for change in residency_changes:
        if change.action == "update":
            run(change, lambda c=change: companies.update_residency(c.target, actor=actor, **c.values))
        elif (company := company_of(change.tax_code)) is not None:
            run(change, lambda c=change, co=company: companies.add_residency(co, actor=actor, **c.values))
    for change in changes:
        if change.table != OUTCOMES:
            continue
        if change.action == "update":
            run(change, lambda c=change: outcomes.update_outcome(c.target, actor=actor, **c.values))
        elif (company := company_of(change.tax_code)) is not None:
            run(change, lambda c=change, co=company: outcomes.record_outcome(co, actor=actor, **c.values))


def import_register(upload: Upload, *, dry_run: bool = False, actor=None) -> ImportResult:
    """Validate everything, then apply inside a savepoint: all rows or none. Flushes, never commits."""
    result = ImportResult(upload.name, dry_run, problems=list(upload.problems),
                          sources={name: t.source for name, t in upload.tables.items()})
    planner = _Planner(upload)
    planner.plan()
    result.problems += planner.problems
    result.changes, result.counts = planner.changes, planner.counts
    if result.problems:
        return result
    savepoint = db.session.begin_nested()
    try:
        _apply(result.changes, result.problems, actor, planner.companies)
    except Exception:
        savepoint.rollback()
        raise
    if result.problems or dry_run:
        savepoint.rollback()
        return result
    savepoint.commit()
    audit.record("register.import", object_type="register", label=upload.name, to_state="imported",
                 details={"files": sorted(result.sources.values()), "counts": result.counts}, actor=actor)
    result.applied = True
    return result
