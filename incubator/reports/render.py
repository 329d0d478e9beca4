"""The report as an A4 PDF through WeasyPrint. The fetcher serves only the package's own static files: text
typed by users (an <img src="file:///etc/passwd"> in a narrative) can make the PDF fetch nothing."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class StaticOnlyFetcher(URLFetcher):
    def __init__(self, root: Path, **kwargs):
        super().__init__(**kwargs)
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("file://"):
            path = Path(url[len("file://"):].split("?")[0]).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"not fetched: {url[:100]}")


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
    static = Path(current_app.static_folder)
    fetcher = fetcher or StaticOnlyFetcher(static)
    html = document_html(report, figures, lang)
    return HTML(string=html, base_url=static.as_uri() + "/", url_fetcher=fetcher).write_pdf()
