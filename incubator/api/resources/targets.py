"""The targets: their figures at a date (?as_of=), their quarterly series, and the businesses behind each
figure with the reasons they count or not — computed by the same functions as the dashboard and `flask targets
--json` (incubator/targets/queries.py). The city's targets when no incubator is named (a token reading the
whole network), else the incubator's own copies."""

from __future__ import annotations

from datetime import date

import marshmallow as ma
from flask_login import current_user

from incubator.api.framework import ApiError, PageArgs, incubator_asked, page_of, paginate_items, resource_blueprint
from incubator.auth.permissions import can_read_targets
from incubator.i18n import local_today
from incubator.targets import queries
from incubator.targets.enums import TargetKind

blp = resource_blueprint("targets", scope="targets", import_name=__name__,
                         description="The city's targets and each incubator's, their figures, quarterly series and "
                                     "the businesses behind each figure.")

EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)
LISTS = {TargetKind.INCUBATED_IT_RATIO: ("numerator", "denominator", "excluded"),
         TargetKind.GRADUATE_COUNT: ("count", "excluded"),
         TargetKind.CERTIFIED_SHARE: ("numerator", "denominator", "excluded")}
ALL_LISTS = ("numerator", "denominator", "count", "excluded")


# ---- Query parameters -----------------------------------------------------------------------------------

class WhereArgs(ma.Schema):
    as_of = ma.fields.Date(validate=ma.validate.Range(min=EARLIEST, max=LATEST),
                           metadata={"description": "The date of the figures, YYYY-MM-DD (default: today in "
                                                    "Hà Nội)."})
    incubator = ma.fields.String(validate=ma.validate.Length(min=1, max=10),
                                 metadata={"description": "An incubator's code: its figures with its own targets "
                                                          "(default: the city's, each business counted once)."})


class SeriesArgs(WhereArgs):
    quarters = ma.fields.Integer(load_default=12, validate=ma.validate.Range(min=1, max=40),
                                 metadata={"description": "How many quarter ends, up to as_of (default 12)."})


class BusinessesArgs(WhereArgs, PageArgs):
    list = ma.fields.String(required=True, validate=ma.validate.OneOf(ALL_LISTS),
                            metadata={"description": "numerator, denominator or excluded (a ratio); count or "
                                                     "excluded (the graduates)."})


# ---- Schemas --------------------------------------------------------------------------------------------

class TargetFigureSchema(ma.Schema):
    target = ma.fields.String(required=True, metadata={"description": "The target's code (IT70, GRAD10, CERT5)."})
    name_vi = ma.fields.String(required=True)
    name_en = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"description": "incubated_it_ratio, graduate_count or "
                                                                    "certified_share."})
    threshold = ma.fields.Float(required=True, metadata={"description": "A percentage (ratios) or a count."})
    window_start = ma.fields.Date(required=True, allow_none=True)
    window_end = ma.fields.Date(required=True, allow_none=True)
    numerator = ma.fields.Integer(required=True, allow_none=True, metadata={"description": "Ratios only."})
    denominator = ma.fields.Integer(required=True, allow_none=True, metadata={"description": "Ratios only."})
    percent = ma.fields.Float(required=True, allow_none=True,
                              metadata={"description": "Ratios only; null when the denominator is 0."})
    count = ma.fields.Integer(required=True, allow_none=True, metadata={"description": "Counts only."})
    met = ma.fields.Boolean(required=True)


class FiguresSchema(ma.Schema):
    as_of = ma.fields.Date(required=True)
    incubator = ma.fields.String(required=True, allow_none=True,
                                 metadata={"description": "The incubator's code; null: the city's."})
    targets = ma.fields.List(ma.fields.Nested(TargetFigureSchema), required=True)


class PointSchema(ma.Schema):
    date = ma.fields.Date(required=True)
    numerator = ma.fields.Integer(required=True, allow_none=True)
    denominator = ma.fields.Integer(required=True, allow_none=True)
    percent = ma.fields.Float(required=True, allow_none=True)
    count = ma.fields.Integer(required=True, allow_none=True)
    met = ma.fields.Boolean(required=True)


class TargetSeriesSchema(ma.Schema):
    target = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    threshold = ma.fields.Float(required=True)
    points = ma.fields.List(ma.fields.Nested(PointSchema), required=True)


class SeriesSchema(ma.Schema):
    as_of = ma.fields.Date(required=True)
    incubator = ma.fields.String(required=True, allow_none=True)
    quarters = ma.fields.List(ma.fields.Date(), required=True, metadata={"description": "The quarter ends, oldest "
                                                                                       "first."})
    targets = ma.fields.List(ma.fields.Nested(TargetSeriesSchema), required=True)


class CompanyRefSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    tax_code = ma.fields.String(required=True, allow_none=True)
    is_it = ma.fields.Boolean(required=True)


class ResidencyRefSchema(ma.Schema):
    incubator = ma.fields.String(required=True, metadata={"description": "The incubator's code."})
    kind = ma.fields.String(required=True)
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(required=True, allow_none=True)


class OutcomeRefSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    incubator = ma.fields.String(required=True)
    decision = ma.fields.String(required=True)
    decided_on = ma.fields.Date(required=True)
    product = ma.fields.String(required=True, allow_none=True)
    pillars = ma.fields.List(ma.fields.String(), required=True)
    has_evidence = ma.fields.Boolean(required=True)


class CertificateRefSchema(ma.Schema):
    standard = ma.fields.String(required=True)
    level = ma.fields.Integer(required=True, allow_none=True)
    number = ma.fields.String(required=True, allow_none=True)
    issued_on = ma.fields.Date(required=True)
    expires_on = ma.fields.Date(required=True, allow_none=True)
    status = ma.fields.String(required=True)


class ExplainedSchema(ma.Schema):
    company = ma.fields.Nested(CompanyRefSchema, required=True)
    reasons = ma.fields.List(ma.fields.String(), required=True,
                             metadata={"description": "Why it counts, or why not (in the token owner's language)."})
    residencies = ma.fields.List(ma.fields.Nested(ResidencyRefSchema), required=True)
    outcome = ma.fields.Nested(OutcomeRefSchema, required=True, allow_none=True)
    certificates = ma.fields.List(ma.fields.Nested(CertificateRefSchema), required=True)


ExplainedPageSchema = page_of(ExplainedSchema)


# ---- Turning the queries' figures into the schemas' data --------------------------------------------------

def _number(value) -> float | int:
    return int(value) if value == value.to_integral() else float(value)


def _point(figure) -> dict:
    if isinstance(figure, queries.RatioFigure):
        return {"numerator": figure.numerator, "denominator": figure.denominator,
                "percent": float(figure.percent) if figure.percent is not None else None, "count": None,
                "met": figure.met}
    return {"numerator": None, "denominator": None, "percent": None, "count": figure.count, "met": figure.met}


def _figure(target, as_of: date) -> dict:
    return {"target": target.code, "name_vi": target.name_vi, "name_en": target.name_en, "kind": target.kind.value,
            "threshold": _number(target.threshold), "window_start": target.window_start,
            "window_end": target.window_end, **_point(queries.figure(target, as_of))}


def _where(args: dict):
    if not can_read_targets(current_user):  # the dashboard's rule, for the token's owner
        raise ApiError(403, "The token's owner may not read the targets.")
    incubator = incubator_asked(args.get("incubator"))
    return incubator, args.get("as_of") or local_today()


@blp.route("/targets")
@blp.arguments(WhereArgs, location="query", as_kwargs=True)
@blp.response(200, FiguresSchema)
def figures(**args):
    """Each target's figure at a date: the city's targets, or an incubator's own (as the dashboard and
    `flask targets --json`)."""
    incubator, as_of = _where(args)
    targets = queries.all_targets(incubator)
    return {"as_of": as_of, "incubator": incubator.code if incubator else None,
            "targets": [_figure(t, as_of) for t in targets]}


@blp.route("/targets/series")
@blp.arguments(SeriesArgs, location="query", as_kwargs=True)
@blp.response(200, SeriesSchema)
def series(**args):
    """Each target's figure at the last quarter ends up to a date (the dashboard's charts)."""
    incubator, as_of = _where(args)
    days = queries.last_quarter_ends(as_of, args["quarters"])
    result = []
    for target in queries.all_targets(incubator):
        _figure_now, points = queries.figure_and_series(target, as_of, days)
        result.append({"target": target.code, "kind": target.kind.value, "threshold": _number(target.threshold),
                       "points": [{"date": p.as_of, **_point(p)} for p in points]})
    return {"as_of": as_of, "incubator": incubator.code if incubator else None, "quarters": days,
            "targets": result}


def _incubator_codes() -> dict[int, str]:
    import sqlalchemy as sa

    from incubator.extensions import db
    from incubator.organisation.models import Incubator

    return {row.id: row.code for row in db.session.execute(sa.select(Incubator.id, Incubator.code))}


def _explained_data(entry, codes: dict[int, str]) -> dict:
    outcome = entry.outcome
    return {
        "company": {"id": entry.company.id, "name": entry.company.name, "tax_code": entry.company.tax_code,
                    "is_it": bool(entry.company.is_it)},
        "reasons": [str(r) for r in entry.reasons],
        "residencies": [{"incubator": codes[r.incubator_id], "kind": r.kind.value, "starts_on": r.starts_on,
                         "ends_on": r.ends_on} for r in entry.residencies],
        "outcome": None if outcome is None else {
            "id": outcome.id, "incubator": codes[outcome.incubator_id], "decision": outcome.decision.value,
            "decided_on": outcome.decided_on, "product": outcome.product,
            "pillars": [p.value for p in outcome.pillars], "has_evidence": outcome.has_evidence},
        "certificates": [{"standard": c.standard.code, "level": c.level, "number": c.number,
                          "issued_on": c.issued_on, "expires_on": c.expires_on, "status": c.status.value}
                         for c in entry.certificates],
    }


@blp.route("/targets/<string:code>/businesses")
@blp.arguments(BusinessesArgs, location="query", as_kwargs=True)
@blp.response(200, ExplainedPageSchema)
def businesses(code: str, **args):
    """The businesses behind a figure (the dashboard's drill-down): one list (numerator, denominator, count or
    excluded), each business with the reasons it counts or not, by company (or, for the graduates, by outcome)."""
    incubator, as_of = _where(args)
    target = queries.by_code(code, incubator)
    if target is None:
        raise ApiError(404, f"No target {code!r} here.")
    wanted = args["list"]
    if wanted not in LISTS[target.kind]:
        raise ApiError(400, f"list: this target's lists are {', '.join(LISTS[target.kind])}.")
    if target.kind is TargetKind.INCUBATED_IT_RATIO:
        lists = queries.explain_ratio(as_of, target)
    elif target.kind is TargetKind.CERTIFIED_SHARE:
        lists = queries.explain_certified(target, as_of)
    else:
        lists = queries.explain_graduates(target, as_of)

    def key(entry) -> int:
        return entry.outcome.id if entry.outcome is not None else entry.company.id

    page = paginate_items(lists[wanted], key, args)
    codes = _incubator_codes()
    page.items = [_explained_data(e, codes) for e in page.items]
    return page
