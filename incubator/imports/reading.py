"""Reading the register's spreadsheets: a folder of CSV files or an .xlsx workbook, into tables of rows.

Two readers, one for a folder of CSV files and one for an .xlsx workbook, produce the same tables; the rest
of the import does not know where a row came from. A cell is read here as what it says (text in NFC, a date
written DD/MM/YYYY or YYYY-MM-DD, yes or no); whether that is allowed is checking's business.
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

from incubator.i18n import parse_date

COMPANIES, RESIDENCIES, OUTCOMES, CERTIFICATES = "companies", "residencies", "outcomes", "certificates"
TABLES = (COMPANIES, RESIDENCIES, OUTCOMES, CERTIFICATES)

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
    name: str  # companies, residencies, outcomes or certificates
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
            header = [normal_text(v).lower().lstrip("\ufeff").strip() for v in values]
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
    """companies.csv, residencies.csv, outcomes.csv, certificates.csv (any may be missing; names are
    case-insensitive)."""
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
            "No file to import: expected companies.csv, residencies.csv, outcomes.csv or certificates.csv.")))
    return upload


def read_xlsx(data: bytes | Path, name: str) -> Upload:
    """A workbook whose sheets are named companies, residencies, outcomes, certificates (any may be missing)."""
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
            "The workbook has no sheet named companies, residencies, outcomes or certificates.")))
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
        "Give a folder holding companies.csv, residencies.csv, outcomes.csv and certificates.csv, or an .xlsx "
        "workbook.")))
    return upload


# ---- Cells -------------------------------------------------------------------------------------------------

class CellError(ValueError):
    """A cell that cannot be read or is not allowed; ``reason`` is a translatable string for the row."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


def normal_text(value) -> str:
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


def cell_date(row: Row, column: str, required: bool) -> date | None:
    """A date cell: a workbook's date, or text written DD/MM/YYYY or YYYY-MM-DD (as incubator.i18n reads it)."""
    value = row.cells.get(column)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = normal_text(value)
    if not text:
        if required:
            raise CellError(_l("%(column)s is missing: write the date as DD/MM/YYYY or YYYY-MM-DD.", column=column))
        return None
    parsed = parse_date(text) if isinstance(value, str) else None
    if parsed is None:
        raise CellError(_l("%(column)s “%(value)s” is not a date: write DD/MM/YYYY or YYYY-MM-DD.",
                           column=column, value=text[:40]))
    return parsed


def yes_no(row: Row, column: str) -> bool:
    value = row.cells.get(column)
    if isinstance(value, bool):
        return value
    text = normal_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(_l("%(column)s “%(value)s” is not yes or no: write yes/no, true/false, 1/0 or có/không.",
                       column=column, value=text[:40]))


def tax_code_text(row: Row) -> str:
    value = row.cells.get("tax_code")
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        # A spreadsheet that took the code for a number dropped its leading zero; a code has 10 digits.
        return f"{int(value):010d}"
    return normal_text(value)


def word(text: str) -> str:
    """A choice as its code: "Service tenant" and "service-tenant" are service_tenant."""
    return text.strip().lower().replace(" ", "_").replace("-", "_")


def whole_number(row: Row, column: str) -> int | None:
    """A whole-number cell (a workbook's 3 or 3.0, or the text "3"); None when empty."""
    value = row.cells.get(column)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            return int(value)
    else:
        text = normal_text(value)
        if not text:
            return None
        if text.isascii() and text.isdigit():
            return int(text)
    raise CellError(_l("%(column)s “%(value)s” is not a whole number.", column=column,
                       value=normal_text(value)[:40]))
