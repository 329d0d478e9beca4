"""Finalised periodic reports to the Department (scope ``reports``): what officials read in the interface (the
finalised ones, never a draft), their metadata and their PDFs (``/reports/{id}/pdf/{lang}``, read with the
token; the same files as the interface's downloads), of the incubators the token may read; another's is not
found."""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa
from flask import Response
from sqlalchemy.orm import defer

from incubator.api.framework import ApiError, Page, PageArgs, page_of, paginate, resource_blueprint
from incubator.api.resources.reading import incubator_codes, not_found, require
from incubator.extensions import db
from incubator.reports.enums import ReportStatus
from incubator.reports.models import PeriodicReport
from incubator.reports.permissions import can_read_reports

blp = resource_blueprint("reports", scope="reports", import_name=__name__,
                         description="Finalised periodic reports to the Department, with links to their PDFs.")

WHAT = "the periodic reports"


class ReportPdfSchema(ma.Schema):
    vi = ma.fields.String(required=True, metadata={"description": "The Vietnamese PDF, read with the token "
                                                                  "(/api/v1/reports/{id}/pdf/vi)."})
    en = ma.fields.String(required=True, metadata={"description": "The English PDF, read with the token."})
    ready = ma.fields.Boolean(required=True, metadata={"description": "Both are drawn (a report finalised a moment "
                                                                      "ago: its link shows where drawing stands)."})


class ReportSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    incubator = ma.fields.String(required=True, metadata={"description": "The incubator's code."})
    number = ma.fields.String(required=True, allow_none=True, metadata={"description": "Số: 12/BC-VƯTT"})
    period = ma.fields.String(required=True, metadata={"description": "2025-Q2, 2025-H1, 2025 or custom."})
    period_start = ma.fields.Date(required=True)
    period_end = ma.fields.Date(required=True)
    issued_on = ma.fields.Date(required=True, allow_none=True)
    version = ma.fields.Integer(required=True)
    supersedes_id = ma.fields.Integer(required=True, allow_none=True,
                                      metadata={"description": "The report this version replaces, or null."})
    finalised_at = ma.fields.DateTime(required=True, allow_none=True)
    pdf = ma.fields.Nested(ReportPdfSchema, required=True)


def _finalised() -> sa.Select:
    """Finalised reports, their figures and PDFs left unread (as reports.queries reads them)."""
    return (sa.select(PeriodicReport).where(PeriodicReport.status == ReportStatus.FINAL)
            .options(defer(PeriodicReport.pdf_vi), defer(PeriodicReport.pdf_en), defer(PeriodicReport.snapshot)))


def _drawn(reports: list[PeriodicReport]) -> set[int]:
    """The ids of those whose two PDFs are drawn, the PDFs left unread: one query."""
    if not reports:
        return set()
    return set(db.session.scalars(sa.select(PeriodicReport.id).where(
        PeriodicReport.id.in_([r.id for r in reports]), PeriodicReport.pdf_vi.is_not(None),
        PeriodicReport.pdf_en.is_not(None))))


def _report(report: PeriodicReport, codes: dict, drawn: set[int]) -> dict:
    from incubator.urls import external_url

    return {"id": report.id, "incubator": codes[report.incubator_id], "number": report.number,
            "period": report.period_label, "period_start": report.period_start, "period_end": report.period_end,
            "issued_on": report.issued_on, "version": report.version, "supersedes_id": report.supersedes_id,
            "finalised_at": report.finalised_at,
            "pdf": {**{lang: external_url("api_reports.get_report_pdf", report_id=report.id, lang=lang)
                       for lang in ("vi", "en")}, "ready": report.id in drawn}}


@blp.route("/reports")
@blp.arguments(PageArgs, location="query", as_kwargs=True)
@blp.response(200, page_of(ReportSchema))
def list_reports(**args):
    """The finalised reports of the incubators the token may read, by id."""
    require(can_read_reports, WHAT)
    page = paginate(_finalised(), PeriodicReport.id, args)
    codes, drawn = incubator_codes(), _drawn(page.items)
    return Page([_report(r, codes, drawn) for r in page.items], page.next)


@blp.route("/reports/<int:report_id>")
@blp.response(200, ReportSchema)
def get_report(report_id: int):
    """One finalised report (a draft is not found)."""
    require(can_read_reports, WHAT)
    report = db.session.scalar(_finalised().where(PeriodicReport.id == report_id))
    if report is None:
        raise not_found("finalised report")
    return _report(report, incubator_codes(), _drawn([report]))


PDF_SCHEMA = {"type": "string", "format": "binary"}


@blp.route("/reports/<int:report_id>/pdf/<string:lang>")
@blp.response(200, PDF_SCHEMA, content_type="application/pdf",
              description="The report's PDF as it was finalised (the same file as the interface's download).")
def get_report_pdf(report_id: int, lang: str):
    """A finalised report's PDF in Vietnamese (``vi``) or English (``en``): 503 with Retry-After while it is
    still being drawn (a report finalised a moment ago)."""
    require(can_read_reports, WHAT)
    if lang not in ("vi", "en"):
        raise not_found("report language (vi or en)")
    column = PeriodicReport.pdf_vi if lang == "vi" else PeriodicReport.pdf_en
    found = db.session.execute(  # the one file asked for, beside what names it
        sa.select(PeriodicReport.period_label, PeriodicReport.version, column)
        .where(PeriodicReport.id == report_id, PeriodicReport.status == ReportStatus.FINAL)).first()
    if found is None:
        raise not_found("finalised report")
    period_label, version, data = found
    if data is None:
        raise ApiError(503, "The report's PDF is still being drawn: ask again in a few seconds.",
                       {"Retry-After": "10"})
    name = f"bao-cao-{period_label.lower()}-v{version}-{lang}.pdf"
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})
