"""The report as an A4 PDF through WeasyPrint (incubator.pdf: the fetcher serves only the package's own static
files, so text typed by users can make the PDF fetch nothing)."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from incubator.pdf import StaticOnlyFetcher, html_to_pdf


def period_phrase(report) -> str:
    """"quý II năm 2025", "6 tháng đầu năm 2025", "năm 2025" — or the dates — in the current language."""
    from flask_babel import gettext as _

    from incubator.i18n import fmt_date
    from incubator.reports.periods import roman

    start, end, label = report.period_start, report.period_end, report.period_label or ""
    if label.endswith(("-Q1", "-Q2", "-Q3", "-Q4")):
        return _("quarter %(q)s of %(year)s", q=roman(int(label[-1])), year=start.year)
    if label.endswith("-H1"):
        return _("the first half of %(year)s", year=start.year)
    if label.endswith("-H2"):
        return _("the second half of %(year)s", year=start.year)
    if label.isdigit():
        return _("the year %(year)s", year=start.year)
    return _("from %(start)s to %(end)s", start=fmt_date(start), end=fmt_date(end))


def place_and_date(day, lang: str) -> str:
    if day is None:
        return ""
    if lang == "vi":
        return f"Hà Nội, ngày {day:%d} tháng {day:%m} năm {day:%Y}"
    return f"Hà Nội, {day.day} {day:%B %Y}"


def document_html(report, figures: dict, lang: str) -> str:
    from incubator.reports.charts import charts

    with force_locale(lang):
        return render_template("reports/document.html", report=report, f=figures, lang=lang,
                               charts=charts(figures), period=period_phrase(report),
                               place_date=place_and_date(report.issued_on, lang))


def render_pdf(report, figures: dict, lang: str, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    return html_to_pdf(document_html(report, figures, lang), fetcher)
