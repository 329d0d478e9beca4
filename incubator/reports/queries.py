"""Read side of the periodic reports: what officials read (the finalised ones), without loading their PDFs."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import defer

from incubator.extensions import db
from incubator.reports.enums import ReportStatus
from incubator.reports.models import PeriodicReport


def latest_final() -> PeriodicReport | None:
    """The finalised report of the latest period (its latest version), its figures and PDFs left unread."""
    return db.session.scalar(
        sa.select(PeriodicReport).where(PeriodicReport.status == ReportStatus.FINAL)
        .options(defer(PeriodicReport.pdf_vi), defer(PeriodicReport.pdf_en), defer(PeriodicReport.snapshot))
        .order_by(PeriodicReport.period_end.desc(), PeriodicReport.version.desc(), PeriodicReport.id.desc())
        .limit(1))


def names_in_force(day, incubator_id: int | None = None) -> dict:
    """The names a report of the incubator ``incubator_id`` (None: the current one, else the first) dated ``day``
    prints, by language: {"vi": {"governing_body": …, "issuing_body": …, "place": …, "signer_title": …, "addressees":
    [...]}, "en": {…}}. Of the single names, the one in force that started last; the addressees in force, in
    their order. Read across the request's scope: a report of HL prints HL's names whoever renders it (an
    official of the network, or a command). One query."""
    from incubator.organisation.current import incubator_in_force
    from incubator.organisation.models import Incubator
    from incubator.reports.enums import SINGLE_KINDS, NameKind
    from incubator.reports.models import BodyName

    if incubator_id is None:  # the current incubator; none chosen (a visitor of the network): the first one's
        incubator_id = incubator_in_force() or db.session.scalar(sa.select(sa.func.min(Incubator.id)))
    rows = db.session.scalars(sa.select(BodyName).where(
        BodyName.incubator_id == incubator_id,
        BodyName.valid_from <= day, sa.or_(BodyName.valid_until.is_(None), BodyName.valid_until >= day))
        .execution_options(all_incubators=True)).all()
    result = {lang: {kind.value: "" for kind in SINGLE_KINDS} | {"addressees": []} for lang in ("vi", "en")}
    singles = sorted((r for r in rows if r.kind in SINGLE_KINDS), key=lambda r: (r.valid_from, r.id))
    for row in singles:  # the latest to start wins
        for lang, names in result.items():
            names[row.kind.value] = row.in_language(lang)
    for row in sorted((r for r in rows if r.kind is NameKind.ADDRESSEE), key=lambda r: (r.position, r.id)):
        for lang, names in result.items():
            names["addressees"].append(row.in_language(lang))
    return result


def all_names(incubator_id: int) -> list:
    """Every dated name of the incubator, by kind, then the newest first: the page where its staff keep them."""
    from incubator.reports.enums import NameKind
    from incubator.reports.models import BodyName

    in_the_heading_order = sa.case({kind.value: i for i, kind in enumerate(NameKind)}, value=BodyName.kind)
    return list(db.session.scalars(
        sa.select(BodyName).where(BodyName.incubator_id == incubator_id)
        .order_by(in_the_heading_order, BodyName.position, BodyName.valid_from.desc(), BodyName.id)))


def leading_number(number: str | None) -> int | None:
    """The number a report's number starts with ("03/BC-VƯTT" → 3), or None."""
    import re

    found = re.match(r"\s*(?:Số[:.]?\s*)?(\d{1,6})(?!\d)", number or "")
    return int(found.group(1)) if found else None


def next_number(incubator, year: int) -> str:
    """The number proposed for a new report of ``incubator`` issued in ``year``: 1 + the highest leading number
    among that incubator's reports issued that year (or, not yet issued, created that year), two digits as
    Decree 30 writes them, then the incubator's suffix: "03/BC-VƯTT". Read across the request's scope."""
    reports = db.session.execute(
        sa.select(PeriodicReport.number, PeriodicReport.issued_on, PeriodicReport.created_at)
        .where(PeriodicReport.incubator_id == incubator.id, PeriodicReport.number.is_not(None))
        .execution_options(all_incubators=True)).all()
    numbers = [leading_number(number) for number, issued_on, created_at in reports
               if (issued_on.year if issued_on is not None else created_at.year) == year]
    highest = max((n for n in numbers if n is not None), default=0)
    return f"{highest + 1:02d}/{incubator.number_suffix}"


def number_taken(report: PeriodicReport) -> PeriodicReport | None:
    """A finalised report of the same incubator, for another period, that carries this report's number (written
    as Decree 30 writes it: "5/BC-…" is "05/BC-…"); a new version of the same report keeps its number."""
    from incubator.reports.render import document_number

    wanted = document_number(report.number).casefold()
    finals = db.session.scalars(
        sa.select(PeriodicReport).where(PeriodicReport.incubator_id == report.incubator_id,
                                        PeriodicReport.status == ReportStatus.FINAL,
                                        PeriodicReport.id != report.id)
        .options(defer(PeriodicReport.pdf_vi), defer(PeriodicReport.pdf_en), defer(PeriodicReport.snapshot))
        .execution_options(all_incubators=True))
    for other in finals:
        same_period = (other.period_start, other.period_end) == (report.period_start, report.period_end)
        if not same_period and document_number(other.number).casefold() == wanted:
            return other
    return None


def first_year_with_data(today: date) -> int:
    """The first year the city's report can speak of: that of the earliest residency, cohort, intake round or
    incubator of the network (this year when there is none)."""
    from incubator.applications.models import IntakeRound
    from incubator.cohorts.models import Cohort
    from incubator.companies.models import Residency
    from incubator.organisation.models import Incubator
    from incubator.reports.periods import FIRST_YEAR

    years = [today.year]
    for column in (Residency.starts_on, Cohort.starts_on, IntakeRound.opens_at, Incubator.created_at):
        first = db.session.scalar(sa.select(sa.func.min(column)).execution_options(all_incubators=True))
        if first is not None:
            years.append(first.year)
    return max(min(years), FIRST_YEAR)
