"""Exports of a filtered list: CSV in UTF-8 with a BOM (so spreadsheet programs read Vietnamese right)
and XLSX."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _

from incubator.i18n import fmt_datetime


def rows(applications, questions) -> tuple[list[str], list[list]]:
    header = [_("Reference"), _("Business"), _("Tax code"), _("IT"), _("Status"), _("Eligibility"),
              _("Submitted at"), _("Employees"), _("Revenue of the last year (VND)"), _("Total capital (VND)")]
    header += [q.label for q in questions]
    body = []
    for a in applications:
        answers = a.answers or {}
        line = [a.reference or "", a.company.name, a.company.tax_code, _("Yes") if a.company.is_it else _("No"),
                str(a.status.label), a.eligibility_summary or "", fmt_datetime(a.submitted_at),
                a.employees, int(a.revenue) if a.revenue is not None else None,
                int(a.capital) if a.capital is not None else None]
        for q in questions:
            value = answers.get(str(q.id))
            line.append(", ".join(map(str, value)) if isinstance(value, list) else value)
        body.append(line)
    return header, body


def to_csv(header, body) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for line in body:
        writer.writerow(["" if v is None else v for v in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header, body, title: str = "list") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for line in body:
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
