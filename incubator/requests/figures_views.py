"""The figures of businesses' requests (issue 21), for staff: per quarter of a year, received, answered,
answered on time, overdue, median days to answer and satisfaction, in total, by area and by body.

A blueprint of its own (``/requests/figures``) beside the requests' pages; the counting is
``queries.figures`` (what each figure means is written there)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from incubator.auth.permissions import is_staff, require
from incubator.i18n import local_today
from incubator.requests import queries

bp = Blueprint("request_figures", __name__, url_prefix="/requests/figures")


@bp.route("/")
@require(is_staff)
def index():
    """?year=2026 (this year by default): a table of the quarters and the year, then each quarter's figures by
    area and by body. The requests of the incubator the member of staff works in (scoping)."""
    today = local_today()
    year = request.args.get("year", type=int) or today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    quarters = queries.figures_by_quarter(year, today=today)
    whole_year = queries.figures(quarters[0][1].start, quarters[-1][1].end, today=today)
    years = list(range(today.year, min(today.year - 5, year) - 1, -1))
    return render_template("requests/figures.html", year=year, years=years, quarters=quarters,
                           whole_year=whole_year, today=today)
