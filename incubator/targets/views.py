import time
from datetime import date

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from incubator.auth.permissions import can_edit_targets, can_read_targets, require
from incubator.extensions import db
from incubator.i18n import fmt_number, fmt_percent, local_today, parse_date
from incubator.organisation import queries as organisation_queries
from incubator.organisation.models import Incubator
from incubator.targets import charts, queries, services
from incubator.targets.enums import TargetKind
from incubator.targets.forms import TargetForm
from incubator.targets.models import Target
from incubator.web import form_status, save_form

bp = Blueprint("targets", __name__, url_prefix="/targets")


EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


def _shown_targets():
    """The rows these pages show and edit (queries.incubator_in_view): the city's, or with several incubators
    those of the incubator a limited reader works in. (Each incubator's rows beside the city's: the dashboard's
    tables, ``queries.side_by_side``, and the drill-down's ``?incubator=``.)"""
    owner = queries.incubator_in_view()
    return db.select(Target).where(Target.incubator_id.is_(None) if owner is None else Target.incubator_id == owner)


def _as_of():
    """The date asked for (dd/mm/yyyy or yyyy-mm-dd); today when none or an impossible one is given."""
    asked = parse_date(request.args.get("as_of"))
    if asked is None or not EARLIEST <= asked <= LATEST:
        return local_today()
    return asked


def _as_of_read(as_of) -> bool:
    """Whether the day shown is the one typed (or none was): otherwise the field says why it was not used."""
    return not (request.args.get("as_of") or "").strip() or parse_date(request.args.get("as_of")) == as_of


def _chart(target, points):
    if target.is_ratio:
        data = [(charts.quarter_label(p.as_of), charts.to_float(p.percent),
                 fmt_percent(p.percent)) for p in points]
        maximum = charts.share_maximum([p.percent for p in points], target.threshold) \
            if target.is_certified_share else 100
        return charts.bar_chart(data, threshold=float(target.threshold), maximum=maximum, unit=" %",
                                title=target.name, threshold_label=_("Target %(n)s %%", n=fmt_number(target.threshold)))
    data = [(charts.quarter_label(p.as_of), float(p.count), str(p.count)) for p in points]
    return charts.bar_chart(data, threshold=float(target.threshold), maximum=float(target.threshold), unit="",
                            title=target.name, threshold_label=_("Target %(n)s", n=fmt_number(target.threshold)))


@bp.route("/")
@require(can_read_targets)
def dashboard():
    as_of = _as_of()
    days = queries.last_quarter_ends(as_of)
    cards = []
    in_view = queries.incubator_in_view()
    # Officials and administrators with several incubators: each incubator's figure beside the city's.
    if queries.city_dashboard():
        targets, incubators = queries.city_and_incubators(as_of, days)
    else:
        targets, incubators = queries.all_targets(in_view), {}
    quarters = [charts.quarter_label(d) for d in days]
    for target in targets:
        figure, points = queries.figure_and_series(target, as_of, days)
        card = {"target": target, "figure": figure, "points": points, "chart": _chart(target, points),
                "incubators": incubators.get(target.code)}
        if card["incubators"]:
            card["side_by_side"] = _side_by_side(card, as_of, quarters)
        cards.append(card)
    # Whose figures these are: the incubator's of a reader limited to theirs (None: the city's).
    incubator = db.session.get(Incubator, in_view) if in_view is not None else None
    return render_template("targets/dashboard.html", cards=cards, as_of=as_of, as_of_read=_as_of_read(as_of),
                           quarters=quarters, incubator=incubator)


# Each city target's table of every incubator beside the city, rendered once and remembered for as long as its
# figures are (queries.figure_and_series: the same state of what the targets count, a minute at most): with ten
# incubators the tables are most of the page's work, and they change only when their figures, names or targets do.
_RENDERED: dict[tuple, tuple[float, Markup]] = {}


def _side_by_side(card: dict, as_of: date, quarters: list[str]) -> Markup:
    target = card["target"]
    key = (queries.data_state(), str(get_locale()), request.script_root, as_of, tuple(quarters), target.id,
           target.version_id, target.name,
           tuple((row.incubator.id, row.incubator.code, row.incubator.name,
                  row.target and (row.target.id, row.target.version_id)) for row in card["incubators"]))
    now = time.monotonic()
    remembered = _RENDERED.get(key)
    if remembered is not None and now - remembered[0] < queries.REMEMBER_SECONDS:
        return remembered[1]
    # An .html template is autoescaped: what it renders is markup already.
    html = Markup(render_template("targets/_side_by_side.html", card=card, as_of=as_of, quarters=quarters))  # noqa: S704
    if len(_RENDERED) >= 64:
        _RENDERED.clear()
    _RENDERED[key] = (now, html)
    return html


LISTS = {TargetKind.INCUBATED_IT_RATIO: ("numerator", "denominator", "excluded"),
         TargetKind.GRADUATE_COUNT: ("count", "excluded"),
         TargetKind.CERTIFIED_SHARE: ("numerator", "denominator", "excluded")}


@bp.route("/<code>/")
@require(can_read_targets)
def explain(code):
    target, incubator = _explained(code)
    as_of = _as_of()
    show = request.args.get("show")
    if show not in LISTS[target.kind]:
        show = LISTS[target.kind][0]
    if target.kind is TargetKind.INCUBATED_IT_RATIO:
        lists = queries.explain_ratio(as_of, target)
    elif target.kind is TargetKind.CERTIFIED_SHARE:
        lists = queries.explain_certified(target, as_of)
    else:
        lists = queries.explain_graduates(target, as_of)
    return render_template("targets/explain.html", target=target, figure=queries.figure(target, as_of),
                           as_of=as_of, show=show, lists=lists, tabs=LISTS[target.kind], incubator=incubator,
                           asked=incubator.code if incubator else ("city" if _asked() else None))


def _explained(code):
    """The target row whose businesses the drill-down lists, and its incubator (None: the city's). Without
    ``?incubator=`` the row the dashboard shows (``_shown_targets``); with ``?incubator=city`` the city's, and
    with an incubator's code that incubator's copy: any of them for a reader of the whole network, only their
    own for a reader limited to theirs (another incubator's, or the city's over the others' businesses: 404)."""
    asked = _asked()
    if not asked:
        return db.first_or_404(_shown_targets().filter_by(code=code)), None
    owner = queries.incubator_in_view()
    if asked.lower() == "city":
        if owner is not None:
            abort(404)
        return _or_404(queries.by_code(code)), None
    incubator = _or_404(organisation_queries.by_code(asked))
    if owner is not None and incubator.id != owner:
        abort(404)
    return _or_404(queries.by_code(code, incubator)), incubator


def _asked() -> str:
    return (request.args.get("incubator") or "").strip()


def _or_404(found):
    if found is None:
        abort(404)
    return found


@bp.route("/manage")
@require(can_edit_targets)
def manage():
    return render_template("targets/manage.html", targets=queries.all_targets(queries.incubator_in_view()))


@bp.route("/new", methods=["GET", "POST"])
@require(can_edit_targets)
def new():
    form = TargetForm()
    done = save_form(form, lambda: services.create_target(actor=current_user, incubator_id=queries.incubator_in_view(),
                                                          **_fields(form)),
                     message=_("Target saved."), to=url_for("targets.manage"))
    return done or (render_template("targets/form.html", form=form, target=None), form_status(form))


@bp.route("/<code>/edit", methods=["GET", "POST"])
@require(can_edit_targets)
def edit(code):
    target = db.first_or_404(_shown_targets().filter_by(code=code))
    form = TargetForm(obj=target)
    if request.method == "GET":
        form.kind.data = target.kind.value
        form.version.data = target.version_id
    done = save_form(form, lambda: services.update_target(target, actor=current_user, version=form.version.data,
                                                          **_fields(form)),
                     message=_("Target saved."), to=url_for("targets.manage"))
    return done or (render_template("targets/form.html", form=form, target=target), form_status(form))


def _fields(form) -> dict:
    names = ("code", "name_vi", "name_en", "kind", "threshold", "window_start", "window_end", "source_document")
    fields = {name: getattr(form, name).data for name in names}
    fields["source_document"] = fields["source_document"] or None
    if fields["kind"] not in {k.value for k in TargetKind}:
        abort(400)
    return fields
