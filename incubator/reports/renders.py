"""Reports' PDFs drawn in the background (issue 23: at the city's scale a report takes seconds to draw, too long
to hold a browser's page open).

A reader asks for a PDF on a report's page (``request_render``); the view commits and hands the render to
``dispatch``, which starts a worker thread in this server (``REPORT_RENDERS = "background"``, the default) or,
in tests and scripts (``"inline"``), draws it at once in the same request. The page the reader is sent to says
where it stands and refreshes itself until it is ready, then offers (and opens) the file.

- **Every server reaches it.** The render is a row and its PDF a file of the upload store (kind "renders"):
  asked on one server, drawn by that server's thread, downloaded through any. A finalised report's PDFs go
  into the report itself (``pdf_vi``, ``pdf_en``) as when they were drawn while finalising.
- **Once.** A second click while one is waiting or being drawn gets the same render; a worker takes a render
  with a conditional update (``claim``), so two workers never draw the same one.
- **Nothing lost.** A render whose worker died (a server restarted) stays "running": after ``STALE_AFTER`` it
  counts as failed, and asking again starts it afresh; ``flask --app incubator reports render`` draws whatever
  is waiting, for an installation that prefers a separate worker (cron, systemd timer).
- **Bounded.** When a render of a report (or of the city's period) in a language is done, the older ones of the
  same report and language are deleted with their files.
"""

from __future__ import annotations

import logging
import secrets
import threading
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from incubator import uploads
from incubator.db import utcnow
from incubator.extensions import db
from incubator.reports.enums import RenderKind, RenderStatus
from incubator.reports.models import PeriodicReport, ReportRender

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=15)
IN_PROGRESS = (RenderStatus.QUEUED, RenderStatus.RUNNING)


def is_stale(render: ReportRender, now=None) -> bool:
    """Waiting or drawing for longer than any render takes: its worker is gone."""
    now = now or utcnow()
    since = render.started_at or render.requested_at
    return render.status in IN_PROGRESS and now - since > STALE_AFTER


def _same(kind: RenderKind, lang: str, report_id: int | None, period: str | None):
    return sa.and_(ReportRender.kind == kind, ReportRender.lang == lang,
                   ReportRender.report_id.is_(None) if report_id is None else ReportRender.report_id == report_id,
                   ReportRender.period.is_(None) if period is None else ReportRender.period == period)


def request_render(kind: RenderKind, *, lang: str, actor, report: PeriodicReport | None = None,
                   period: str | None = None) -> ReportRender:
    """The render of this report (or of the city's ``period``) in ``lang``: the one already waiting or being
    drawn, else a new one, queued. Flushes; the caller commits, then calls ``dispatch``."""
    if lang not in ("vi", "en"):
        raise ValueError(f"Not a report language: {lang!r}.")
    if (kind is RenderKind.CITY) != (report is None) or (kind is RenderKind.CITY) != (period is not None):
        raise ValueError("A city render names a period and no report; a report's render names its report.")
    report_id = report.id if report is not None else None
    waiting = db.session.scalars(sa.select(ReportRender).where(_same(kind, lang, report_id, period),
                                                               ReportRender.status.in_(IN_PROGRESS))
                                 .order_by(ReportRender.id.desc())).first()
    if waiting is not None and not is_stale(waiting):
        return waiting
    render = ReportRender(kind=kind, lang=lang, report_id=report_id, period=period,
                          incubator_id=report.incubator_id if report is not None else None,
                          requested_by_id=getattr(actor, "id", None))
    db.session.add(render)
    db.session.flush()
    return render


def latest(kind: RenderKind, *, lang: str, report_id: int | None = None,
           period: str | None = None) -> ReportRender | None:
    return db.session.scalars(sa.select(ReportRender).where(_same(kind, lang, report_id, period))
                              .order_by(ReportRender.id.desc())).first()


def claim(render_id: int) -> bool:
    """Take the render for this worker: True when it was waiting (or stale) and is now this worker's."""
    now = utcnow()
    result = db.session.execute(
        sa.update(ReportRender).where(ReportRender.id == render_id, sa.or_(
            ReportRender.status == RenderStatus.QUEUED,
            sa.and_(ReportRender.status == RenderStatus.RUNNING, ReportRender.started_at < now - STALE_AFTER)))
        .values(status=RenderStatus.RUNNING, started_at=now, error=None)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def _draw(render: ReportRender) -> bytes:
    """The PDF's bytes, drawn as ``flask report`` draws them: in the report's incubator, with its figures (a
    draft's of now, a finalised report's as frozen), or the city's of the period."""
    from incubator.i18n import local_today

    if render.kind is RenderKind.CITY:
        from incubator.reports import city
        from incubator.reports.periods import parse_period

        start, end, _kind = parse_period(render.period)
        return city.render_pdf(start, end, render.period, render.lang, today=local_today())
    from incubator.organisation.current import use_incubator
    from incubator.organisation.scoping import scoped_to
    from incubator.reports.figures import compute
    from incubator.reports.render import render_pdf

    report = db.session.get(PeriodicReport, render.report_id)
    with use_incubator(report.incubator_id), scoped_to({report.incubator_id}):
        figures = (report.snapshot if render.kind is RenderKind.FINAL
                   else compute(report.period_start, report.period_end, report.incubator_id))
        return render_pdf(report, figures, render.lang)


def finish(render: ReportRender, data: bytes) -> None:
    """Keep the drawn PDF (in the store, or a finalised report's own column) and let older ones of the same go."""
    if render.kind is RenderKind.FINAL:
        report = db.session.get(PeriodicReport, render.report_id)
        column = "pdf_vi" if render.lang == "vi" else "pdf_en"
        if getattr(report, column) is None:  # drawn once from the frozen figures; never redrawn over
            setattr(report, column, data)
    else:
        stored = uploads.CheckedPdf(f"{secrets.token_hex(16)}.pdf", "report.pdf", data)
        stored.save("renders")
        render.stored_name = stored.stored_name
    render.size = len(data)
    render.status = RenderStatus.DONE
    render.finished_at = utcnow()
    db.session.flush()
    older = db.session.scalars(sa.select(ReportRender).where(
        _same(render.kind, render.lang, render.report_id, render.period), ReportRender.id < render.id,
        ReportRender.status.not_in(IN_PROGRESS))).all()
    for old in older:
        db.session.delete(old)  # its stored file goes with it (uploads' references)
    db.session.flush()


def run(render_id: int) -> bool:
    """Claim, draw and keep one render, committing each step (a job's own transactions, as a command's): True
    when this worker drew it. A failure is kept on the render with its reason, and logged."""
    if not claim(render_id):
        db.session.rollback()
        return False
    db.session.commit()
    render = db.session.get(ReportRender, render_id)
    try:
        data = _draw(render)
        finish(render, data)
        db.session.commit()
    except Exception as exc:  # any failure is the render's, told on its page
        db.session.rollback()
        log.exception("Report render %s failed", render_id)
        render = db.session.get(ReportRender, render_id)
        render.status = RenderStatus.FAILED
        render.finished_at = utcnow()
        render.error = f"{type(exc).__name__}: {exc}"[:500]
        db.session.commit()
    return True


def run_waiting(limit: int | None = None) -> int:
    """Draw the renders waiting (and those whose worker is gone), oldest first: how many were drawn."""
    now = utcnow()
    ids = list(db.session.scalars(sa.select(ReportRender.id).where(sa.or_(
        ReportRender.status == RenderStatus.QUEUED,
        sa.and_(ReportRender.status == RenderStatus.RUNNING, ReportRender.started_at < now - STALE_AFTER)))
        .order_by(ReportRender.id).limit(limit)))
    db.session.rollback()
    return sum(1 for render_id in ids if run(render_id))


def dispatch(render_id: int) -> None:
    """Start drawing a committed render: a thread of this server (``REPORT_RENDERS = "background"``), or at once
    in this request (``"inline"``: tests, scripts), or not at all (``"worker"``: ``flask reports render``
    draws it)."""
    mode = current_app.config.get("REPORT_RENDERS", "background")
    if mode == "inline":
        run(render_id)
    elif mode == "background":
        app = current_app._get_current_object()
        threading.Thread(target=_in_thread, args=(app, render_id), name=f"report-render-{render_id}",
                         daemon=True).start()


def _in_thread(app, render_id: int) -> None:
    with app.app_context():
        try:
            run(render_id)
        finally:
            db.session.remove()
