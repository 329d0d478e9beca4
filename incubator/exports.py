"""Every list a person can see exports to a spreadsheet, with the filters of the page applied: XLSX with real
dates and numbers, and CSV in UTF-8 with a BOM so that Excel reads Vietnamese right.

A view builds the rows with the same query as its page (so the export has exactly the rows and columns the
person may see there) and hands them to :func:`response`. Cells are plain Python values; each format writes
them its own way (a date is a date cell in XLSX and dd/mm/yyyy in CSV)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from flask import Response
from flask_babel import gettext as _

from incubator.i18n import fmt_date, fmt_datetime, local_today, local_tz

FORMAT_RULE = "<any(csv, xlsx):fmt>"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60


class Month(date):
    """A month (a monthly report's period) as a spreadsheet keeps it: a date cell, its first day, shown
    mm/yyyy; mm/yyyy in CSV."""

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month, 1)


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def _local(moment: datetime) -> datetime:
    return moment.astimezone(local_tz()).replace(tzinfo=None) if moment.tzinfo else moment


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime):
        return fmt_datetime(value)
    if isinstance(value, Month):
        return value.strftime("%m/%Y")
    if isinstance(value, date):
        return fmt_date(value)
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def to_csv(header, body) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_cell(h) for h in header])
    for line in body:
        writer.writerow([_csv_cell(v) for v in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, bool):
        value = yes_no(value)
    elif isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, _local(value))
        cell.number_format = "DD/MM/YYYY HH:MM"
        return cell
    elif isinstance(value, date):
        cell = WriteOnlyCell(sheet, date(value.year, value.month, value.day))
        cell.number_format = "MM/YYYY" if isinstance(value, Month) else "DD/MM/YYYY"
        return cell
    elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "#,##0" if value == int(value) else "#,##0.00"
        return cell
    cell = WriteOnlyCell(sheet, None if value is None else value)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def _width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return max((len(part) for part in str(value).splitlines()), default=0)


def to_xlsx(header, body, title: str = "list") -> bytes:
    return to_xlsx_sheets([(title, header, body)])


def _write_sheet(workbook, title: str, header, body) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    body = [list(line) for line in body]
    sheet = workbook.create_sheet(title=title[:31] or "list")
    widths = [_width(h) for h in header]
    for line in body:
        for i, value in enumerate(line[:len(widths)]):
            widths[i] = max(widths[i], _width(value))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, width + 2)
    sheet.freeze_panes = "A2"
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(body) + 1}"
    bold = Font(bold=True)
    header_cells = []
    for h in header:
        cell = _xlsx_cell(sheet, str(h))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for line in body:
        sheet.append([_xlsx_cell(sheet, v) for v in line])


def to_xlsx_sheets(sheets) -> bytes:
    """A workbook of several sheets, each ``(title, header, body)`` written as :func:`to_xlsx` writes one."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, header, body in sheets:
        _write_sheet(workbook, title, header, body)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def response(fmt: str, basename: str, header, body, title: str = "list") -> Response:
    """The file to download: ``basename-YYYY-MM-DD.csv`` or ``.xlsx`` (basename in ASCII)."""
    day = local_today().isoformat()
    name = f"{basename}-{day}.{fmt}"
    if fmt == "csv":
        data, mimetype = to_csv(header, body), "text/csv"  # Flask adds "; charset=utf-8" to a text type
    else:
        data, mimetype = to_xlsx(header, body, title), XLSX_MIMETYPE
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                     "Cache-Control": "private, no-store"})


def sheets_response(basename: str, sheets) -> Response:
    """An XLSX file of several sheets (``[(title, header, body)]``) to download, named as :func:`response`
    names one."""
    name = f"{basename}-{local_today().isoformat()}.xlsx"
    return Response(to_xlsx_sheets(sheets), mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "private, no-store"})
