"""Read side of the periodic reports: what officials read (the finalised ones), without loading their PDFs."""

from __future__ import annotations

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


def names_in_force(day) -> dict:
    """The names a report dated ``day`` prints, by language: {"vi": {"governing_body": …, "issuing_body": …,
    "place": …, "signer_title": …, "addressees": [...]}, "en": {…}}. Of the single names, the one in force that
    started last; the addressees in force, in their order. One query."""
    from incubator.reports.enums import SINGLE_KINDS, NameKind
    from incubator.reports.models import BodyName

    rows = db.session.scalars(sa.select(BodyName).where(
        BodyName.valid_from <= day, sa.or_(BodyName.valid_until.is_(None), BodyName.valid_until >= day))).all()
    result = {lang: {kind.value: "" for kind in SINGLE_KINDS} | {"addressees": []} for lang in ("vi", "en")}
    singles = sorted((r for r in rows if r.kind in SINGLE_KINDS), key=lambda r: (r.valid_from, r.id))
    for row in singles:  # the latest to start wins
        for lang, names in result.items():
            names[row.kind.value] = row.in_language(lang)
    for row in sorted((r for r in rows if r.kind is NameKind.ADDRESSEE), key=lambda r: (r.position, r.id)):
        for lang, names in result.items():
            names["addressees"].append(row.in_language(lang))
    return result


def all_names() -> list:
    """Every dated name, by kind, then the newest first: the page where staff keep them."""
    from incubator.reports.enums import NameKind
    from incubator.reports.models import BodyName

    in_the_heading_order = sa.case({kind.value: i for i, kind in enumerate(NameKind)}, value=BodyName.kind)
    return list(db.session.scalars(sa.select(BodyName).order_by(in_the_heading_order, BodyName.position,
                                                                BodyName.valid_from.desc(), BodyName.id)))
