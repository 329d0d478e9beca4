"""The report as an A4 PDF through WeasyPrint (incubator.pdf: the fetcher serves only the package's own static
files, so text typed by users can make the PDF fetch nothing), laid out as Decree 30/2020/NĐ-CP (Appendix I)
asks of an administrative document.

The names of bodies are data with dates (reports.models.BodyName): a report prints those in force on its
period's last day, and a finalised report those it was issued with (kept on it when finalised)."""

from __future__ import annotations

import re

from flask import render_template
from flask_babel import force_locale

from incubator.pdf import StaticOnlyFetcher, html_to_pdf

ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")


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


def period_title(report) -> str:
    """The period in words as a title or a cell begins: "Quý II năm 2025", "Từ 01/01/2025 đến 31/03/2025"."""
    phrase = period_phrase(report)
    return phrase[:1].upper() + phrase[1:]


def place_and_date(day, lang: str, place: str = "Hà Nội") -> str:
    """"Hà Nội, ngày 05 tháng 02 năm 2025", "Hà Nội, ngày 10 tháng 7 năm 2025": Decree 30 writes a leading zero
    only before days below 10 and the months 1 and 2. In English: "Hà Nội, 10 July 2025"."""
    if day is None:
        return ""
    prefix = f"{place}, " if place else ""
    if lang == "vi":
        month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
        return f"{prefix}ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{prefix}{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"


def document_number(number: str | None) -> str:
    """The number as typed, with the zero Decree 30 puts before a number below 10 ("5/BC-…" → "05/BC-…")."""
    number = (number or "").strip()
    return re.sub(r"^(\d)(?=/)", r"0\1", number)


def addressee_lines(lines: list[str]) -> list[str]:
    """Each addressee on its line after a dash, ending with a semicolon, the last with a full stop."""
    names = [re.sub(r"^[-–•+\s]+|[\s;,.]+$", "", line) for line in lines]
    names = [n for n in names if n]
    return [f"- {n}{'.' if i == len(names) - 1 else ';'}" for i, n in enumerate(names)]


def narrative(report) -> dict:
    """Parts II–IV as staff wrote them, a paragraph per line ("…" when a part is empty)."""
    return {key: [line.strip() for line in (getattr(report, key) or "").splitlines() if line.strip()] or ["…"]
            for key in ("shortcomings", "next_tasks", "recommendations")}


def keep_together(name: str) -> str:
    """A place's name is not split over two lines of the heading ("HÀ" at the end of one, "NỘI" alone below)."""
    return (name or "").replace("Hà Nội", "Hà\u00a0Nội")


def report_names(report) -> dict:
    """Both languages' names for this report: those it was issued with, or its incubator's in force at its
    period's end (a report of HL prints HL's names, whoever renders it)."""
    from incubator.reports.queries import names_in_force

    if report.is_final and report.names:
        return report.names
    return names_in_force(report.period_end, report.incubator_id)


def logo_uri(report) -> str | None:
    """The report's incubator's logo as a data: URI (the PDF's fetcher opens no stored file), or None."""
    import base64

    from incubator.extensions import db
    from incubator.organisation.models import Incubator
    from incubator.uploads import read_image

    incubator = db.session.get(Incubator, report.incubator_id)
    found = read_image("logos", incubator.logo if incubator is not None else None)
    if found is None:
        return None
    data, mimetype = found
    return f"data:{mimetype};base64,{base64.b64encode(data).decode('ascii')}"


def incubator_name(report, lang: str) -> str | None:
    """With several incubators, the name of the report's incubator its title prints (as it was named when the
    report was finalised); with one, None: the title reads as it always has."""
    from incubator.extensions import db
    from incubator.organisation.current import several_incubators
    from incubator.organisation.models import Incubator

    if not several_incubators():
        return None
    kept = (report.names or {}).get("incubator") if report.is_final else None
    if kept is None:
        incubator = db.session.get(Incubator, report.incubator_id)
        kept = {"name_vi": incubator.name_vi, "name_en": incubator.name_en}
    return (kept.get("name_en") if lang == "en" else None) or kept.get("name_vi")


def document_html(report, figures: dict, lang: str) -> str:
    from incubator.reports.charts import charts

    names = report_names(report).get(lang) or {}
    typed = (report.recipients or "").splitlines()
    with force_locale(lang):
        return render_template("reports/document.html", report=report, f=figures, lang=lang,
                               keep_together=keep_together,
                               charts=charts(figures, font="Liberation Serif, Times New Roman, serif"),
                               period=period_phrase(report), names=names, narrative=narrative(report),
                               logo=logo_uri(report), incubator_name=incubator_name(report, lang),
                               number=document_number(report.number),
                               addressees=addressee_lines(typed or names.get("addressees") or []),
                               signer_title=report.signer_position or names.get("signer_title") or "",
                               place_date=place_and_date(report.issued_on, lang, names.get("place") or ""))


def render_pdf(report, figures: dict, lang: str, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    return html_to_pdf(document_html(report, figures, lang), fetcher)
