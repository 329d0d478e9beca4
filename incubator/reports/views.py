"""Periodic reports to the Department: list, draft, finalise, new version, PDF in Vietnamese or English."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from incubator.auth.forms import ConfirmForm
from incubator.auth.permissions import is_staff, require
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.reports import renders, services
from incubator.reports.enums import RenderKind, RenderStatus
from incubator.reports.forms import NewReportForm, ReportForm
from incubator.reports.models import PeriodicReport, ReportRender
from incubator.reports.permissions import can_read_city_report, can_read_reports
from incubator.web import form_status, save_form

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.app_template_filter("report_period")
def report_period(report) -> str:
    """The report's period in words ("Quý II năm 2025", "6 tháng đầu năm 2025"), not its code ("2025-Q2")."""
    from incubator.reports.render import period_title

    return period_title(report)


@bp.app_template_filter("report_days")
def report_days(value) -> str:
    """A number of days: whole as it is ("11"), a median between two days with its half ("21,5"); "—" none."""
    from incubator.reports.city import fmt_days

    return fmt_days(value)


@bp.app_template_filter("in_language")
def in_language(row: dict) -> str:
    """A row kept in both languages ({"name_vi", "name_en"}) named in the current one ("" when unnamed)."""
    from incubator.i18n import localised

    return localised(row.get("name_vi"), row.get("name_en"))


def _list(form: NewReportForm, status: int = 200):
    reports = db.session.scalars(sa.select(PeriodicReport).order_by(PeriodicReport.period_end.desc(),
                                                                    PeriodicReport.version.desc()))
    if not is_staff(current_user):
        reports = [r for r in reports if r.is_final]  # officials read what was issued
    from incubator.organisation.current import several_incubators

    city = several_incubators() and can_read_city_report(current_user)  # the consolidated report of the network
    return render_template("reports/index.html", reports=list(reports), form=form, city=city), status


@bp.route("/")
@require(can_read_reports)
def index():
    return _list(NewReportForm(formdata=None))


@bp.route("/new", methods=["POST"])
@require(is_staff)
def new():
    """A report for the period chosen (a year, a half, a quarter, or two dates); refused, the list and the form
    again with what was chosen and the reason at its field."""
    form = NewReportForm()
    if form.validate_on_submit():
        try:
            label, start, end = form.period()
            report = services.create(actor=current_user, period_label=label, start=start, end=end)
        except ValueError:
            form.part.errors = [*form.part.errors, _("Choose a year and a part of it, or two dates in order.")]
        except DomainError as exc:
            (form.end if form.chosen_part() == "dates" else form.part).errors.append(exc.message)
        else:
            return redirect(url_for("reports.report", report_id=report.id))
    return _list(form, 400)


@bp.route("/<int:report_id>", methods=["GET", "POST"])
@require(can_read_reports)
def report(report_id):
    report = db.get_or_404(PeriodicReport, report_id)
    if not report.is_final and not is_staff(current_user):
        abort(404)
    form = ReportForm(obj=report if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = report.version_id
    if request.method == "POST" and not is_staff(current_user):
        abort(403)
    done = save_form(form, lambda: services.update(report, actor=current_user, version=form.version.data,
                                                   **{k: getattr(form, k).data for k in ReportForm.FIELDS}),
                     message=_("Saved."), to=url_for("reports.report", report_id=report.id))
    if done:
        return done
    from flask_babel import get_locale

    from incubator.reports.charts import charts
    from incubator.reports.figures import compute
    from incubator.reports.render import report_names

    # A finalised report shows what it kept (nothing, if it kept no figures); a draft, the figures of now.
    # The report's incubator's figures, whoever reads it.
    figures = ((report.snapshot or None) if report.is_final
               else compute(report.period_start, report.period_end, report.incubator_id))
    names = report_names(report).get("en" if str(get_locale()) == "en" else "vi") or {}  # what empty fields print
    return render_template("reports/report.html", report=report, form=form, f=figures, names=names,
                           charts=charts(figures) if figures else []), form_status(form)


@bp.route("/<int:report_id>/finalise", methods=["POST"])
@require(is_staff)
def finalise(report_id):
    report = db.get_or_404(PeriodicReport, report_id)
    if ConfirmForm().validate_on_submit():
        later = current_app.config.get("REPORT_RENDERS") != "inline"  # at the city's scale, seconds each
        try:
            services.finalise(report, actor=current_user, version=request.form.get("version"), pdfs_later=later)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            ids = [renders.request_render(RenderKind.FINAL, lang=lang, actor=current_user, report=report).id
                   for lang in ("vi", "en")] if later else []
            db.session.commit()
            for render_id in ids:
                renders.dispatch(render_id)
            flash(_("Report finalised: its figures and PDFs are kept as they are now."), "success")
    return redirect(url_for("reports.report", report_id=report.id))


@bp.route("/<int:report_id>/new-version", methods=["POST"])
@require(is_staff)
def new_version(report_id):
    report = db.get_or_404(PeriodicReport, report_id)
    if ConfirmForm().validate_on_submit():
        try:
            copy = services.new_version(report, actor=current_user)
        except DomainError as exc:
            flash(str(exc.message), "danger")
        else:
            return redirect(url_for("reports.report", report_id=copy.id))
    return redirect(url_for("reports.report", report_id=report.id))


@bp.route("/<int:report_id>.<any(vi, en):lang>.pdf")
@require(can_read_reports)
def pdf(report_id, lang):
    from incubator.reports.figures import compute
    from incubator.reports.render import render_pdf

    report = db.get_or_404(PeriodicReport, report_id)
    if report.is_final:
        data = report.pdf_vi if lang == "vi" else report.pdf_en
        if data is None:  # finalised a moment ago: its PDFs are being drawn
            return _render_page_of(RenderKind.FINAL, lang, report)
    elif is_staff(current_user):
        data = render_pdf(report, compute(report.period_start, report.period_end, report.incubator_id),
                          lang)  # a draft: live figures
    else:
        abort(404)
    name = f"bao-cao-{report.period_label.lower()}-v{report.version}-{lang}.pdf"
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


# ---- PDFs drawn in the background (reports.renders) --------------------------------------------------------

@bp.route("/<int:report_id>/pdf", methods=["POST"])
@require(can_read_reports)
def prepare_pdf(report_id):
    """The page's PDF button: a finalised report's kept PDF at once; else (a draft: staff) drawn in the
    background, the reader sent to the page that says when it is ready."""
    report = db.get_or_404(PeriodicReport, report_id)
    if not report.is_final and not is_staff(current_user):
        abort(404)
    lang = request.form.get("lang")
    if lang not in ("vi", "en") or not ConfirmForm().validate_on_submit():
        abort(400)
    if report.is_final and (report.pdf_vi if lang == "vi" else report.pdf_en) is not None:
        return redirect(url_for("reports.pdf", report_id=report.id, lang=lang))
    return _render_page_of(RenderKind.FINAL if report.is_final else RenderKind.DRAFT, lang, report)


@bp.route("/city/pdf", methods=["POST"])
@require(can_read_city_report)
def prepare_city_pdf():
    """The city page's PDF button, for the period chosen there: drawn in the background."""
    from incubator.i18n import local_today
    from incubator.reports.forms import PeriodForm
    from incubator.reports.queries import first_year_with_data

    today = local_today()
    form = PeriodForm(request.form, today=today, first_year=first_year_with_data(today))
    lang = request.form.get("lang")
    if lang not in ("vi", "en") or not ConfirmForm().validate_on_submit():
        abort(400)
    render = renders.request_render(RenderKind.CITY, lang=lang, actor=current_user, period=form.code())
    db.session.commit()
    renders.dispatch(render.id)
    return redirect(url_for("reports.render", render_id=render.id))


def _render_page_of(kind: RenderKind, lang: str, report: PeriodicReport):
    """Ask for the report's render (the one in progress, else a new one) and send the reader to its page."""
    render = renders.request_render(kind, lang=lang, actor=current_user, report=report)
    db.session.commit()
    renders.dispatch(render.id)
    return redirect(url_for("reports.render", render_id=render.id))


def _render_or_404(render_id: int) -> ReportRender:
    """A render its reader may see: the city's, for readers of the city's report; a report's, for those who
    may read that report (its incubator's staff, a draft's staff only; officials): others get 404."""
    render = db.get_or_404(ReportRender, render_id)
    if render.kind is RenderKind.CITY:
        if not can_read_city_report(current_user):
            abort(404)
        return render
    report = db.session.get(PeriodicReport, render.report_id)  # scoped: another incubator's is None
    if report is None or (render.kind is RenderKind.DRAFT and not is_staff(current_user)):
        abort(404)
    return render


@bp.route("/renders/<int:render_id>")
@require(can_read_reports)
def render(render_id):
    """Where a PDF stands: waiting, being drawn (the page refreshes itself), ready (and, reached by that
    refresh, opened), or failed (ask again)."""
    render = _render_or_404(render_id)
    stale = renders.is_stale(render)
    ready = render.status is RenderStatus.DONE
    file_url = url_for("reports.render_file", render_id=render.id) if ready else None
    if ready and render.kind is RenderKind.FINAL:
        file_url = url_for("reports.pdf", report_id=render.report_id, lang=render.lang)
    return render_template("reports/render.html", render=render, stale=stale, ready=ready, file_url=file_url,
                           waited=request.args.get("waited") == "1",
                           again_form=ConfirmForm(formdata=None))


@bp.route("/renders/<int:render_id>.pdf")
@require(can_read_reports)
def render_file(render_id):
    from incubator import uploads

    render = _render_or_404(render_id)
    if render.status is not RenderStatus.DONE or render.kind is RenderKind.FINAL:
        abort(404)
    if render.kind is RenderKind.CITY:
        name = f"bao-cao-tong-hop-{render.period.lower()}-{render.lang}.pdf"
    else:
        report = render.report
        name = f"bao-cao-{report.period_label.lower()}-v{report.version}-{render.lang}.pdf"
    return uploads.send_upload("renders", render.stored_name, name)


@bp.route("/renders/<int:render_id>/again", methods=["POST"])
@require(can_read_reports)
def render_again(render_id):
    """A failed (or abandoned) render asked for again: a new one of the same."""
    old = _render_or_404(render_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if old.kind is RenderKind.CITY:
        render = renders.request_render(old.kind, lang=old.lang, actor=current_user, period=old.period)
    else:
        render = renders.request_render(old.kind, lang=old.lang, actor=current_user, report=old.report)
    db.session.commit()
    renders.dispatch(render.id)
    return redirect(url_for("reports.render", render_id=render.id))


@bp.route("/city")
@require(can_read_city_report)
def city():
    """For a period (?period=2025, 2025-H1, 2025-Q2; the last quarter ended by default), each incubator's part I
    figures with its own targets beside the city's, as the tables of the city's PDF (reports.city), and each
    incubator's part I below."""
    from types import SimpleNamespace

    from incubator.i18n import local_today
    from incubator.reports.city import part_one, tables
    from incubator.reports.forms import PeriodForm
    from incubator.reports.periods import parse_period
    from incubator.reports.queries import first_year_with_data
    from incubator.reports.render import period_title

    today = local_today()
    # chosen in words; the last quarter ended by default; the years from the first with data
    form = PeriodForm(request.args, today=today, first_year=first_year_with_data(today))
    period = form.code()
    start, end, _kind = parse_period(period)
    title = period_title(SimpleNamespace(period_label=period, period_start=start, period_end=end))
    data = part_one(start, end)
    return render_template("reports/city.html", form=form, title=title, data=data, tables=tables(data))


@bp.route("/city.pdf")
@require(can_read_city_report)
def city_pdf():
    """The city's consolidated report for the period chosen as on its page, an A4 PDF in the language asked
    (``?lang=vi`` or ``en``) or else the interface's: each incubator's part I figures and the city's."""
    from flask_babel import get_locale

    from incubator.i18n import local_today
    from incubator.reports.city import render_pdf
    from incubator.reports.forms import PeriodForm
    from incubator.reports.periods import parse_period
    from incubator.reports.queries import first_year_with_data

    today = local_today()
    form = PeriodForm(request.args, today=today, first_year=first_year_with_data(today))
    period = form.code()
    start, end, _kind = parse_period(period)
    lang = request.args.get("lang")
    if lang not in ("vi", "en"):
        lang = "en" if str(get_locale()) == "en" else "vi"
    data = render_pdf(start, end, period, lang, today=local_today())
    name = f"bao-cao-tong-hop-{period.lower()}-{lang}.pdf"
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@bp.route("/names", methods=["GET", "POST"])
@require(is_staff)
def names():
    """The dated names reports print (bodies, addressees, place, signer's title), and a form to add one."""
    from incubator.organisation.current import current_incubator
    from incubator.reports.forms import NameForm
    from incubator.reports.queries import all_names

    incubator = current_incubator()  # staff keep their incubator's names (the one they work in)
    form = NameForm()
    done = save_form(form, lambda: services.save_name(None, actor=current_user,
                                                      **{k: getattr(form, k).data for k in NameForm.FIELDS}),
                     message=_("Saved."), to=url_for("reports.names"))
    if done:
        return done
    return render_template("reports/names.html", names=all_names(incubator.id), form=form,
                           incubator=incubator), form_status(form)


@bp.route("/names/<int:name_id>", methods=["GET", "POST"])
@require(is_staff)
def edit_name(name_id):
    from incubator.reports.forms import NameForm
    from incubator.reports.models import BodyName

    name = db.get_or_404(BodyName, name_id)
    form = NameForm(obj=name if request.method == "GET" else None)
    if request.method == "GET":
        form.version.data = name.version_id
    done = save_form(form, lambda: services.save_name(name, actor=current_user, version=form.version.data,
                                                      **{k: getattr(form, k).data for k in NameForm.FIELDS}),
                     message=_("Saved."), to=url_for("reports.names"))
    if done:
        return done
    return render_template("reports/name.html", name=name, form=form), form_status(form)
