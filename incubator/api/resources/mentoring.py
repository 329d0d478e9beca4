"""Confirmed mentoring hours by partner and month (scope ``mentoring``): the figures of the staff's mentoring
hours page and of each partner's page (``mentoring.queries.hours``: confirmed sessions only, the months of Hà
Nội), of the incubators the token may read."""

from __future__ import annotations

import marshmallow as ma

from incubator.api.framework import ApiError, resource_blueprint
from incubator.api.resources.reading import reads_programme_figures, require
from incubator.mentoring import queries
from incubator.partners import queries as partner_queries
from incubator.partners.models import Partner

blp = resource_blueprint("mentoring", scope="mentoring", import_name=__name__,
                         description="Confirmed mentoring hours, by partner and month.")

WHAT = "the mentoring hours"


class HoursArgs(ma.Schema):
    date_from = ma.fields.Date(data_key="from", metadata={"description": "First day counted (inclusive, Hà Nội), "
                                                                         "ISO 8601; none: from the first session."})
    date_to = ma.fields.Date(data_key="to", metadata={"description": "Last day counted (inclusive); none: to the "
                                                                     "last session."})


class PartnerMonthSchema(ma.Schema):
    partner_id = ma.fields.Integer(required=True, allow_none=True,
                                   metadata={"description": "null: mentors who belong to no partner."})
    partner_name = ma.fields.String(required=True, allow_none=True)
    month = ma.fields.String(required=True, metadata={"description": "The month in Hà Nội, YYYY-MM."})
    minutes = ma.fields.Integer(required=True)
    hours = ma.fields.Float(required=True, metadata={"description": "minutes / 60, to two decimals."})
    sessions = ma.fields.Integer(required=True, metadata={"description": "Confirmed sessions."})


class MentoringHoursSchema(ma.Schema):
    date_from = ma.fields.Date(data_key="from", required=True, allow_none=True)
    date_to = ma.fields.Date(data_key="to", required=True, allow_none=True)
    total_hours = ma.fields.Float(required=True)
    sessions = ma.fields.Integer(required=True)
    items = ma.fields.List(ma.fields.Nested(PartnerMonthSchema), required=True,
                           metadata={"description": "One row per partner and month with confirmed sessions, by "
                                                    "partner's name then month."})


@blp.route("/mentoring/hours")
@blp.arguments(HoursArgs, location="query", as_kwargs=True)
@blp.response(200, MentoringHoursSchema)
def mentoring_hours(date_from=None, date_to=None):
    """Confirmed mentoring hours by partner and month, between two days (both inclusive, either open)."""
    require(reads_programme_figures, WHAT)
    if date_from and date_to and date_to < date_from:
        raise ApiError(400, "to: the last day comes before the first.")
    totals = queries.hours(start=date_from, end=date_to)
    ids = {partner for partner, _month in totals.by_partner_month if partner is not None}
    names = {p.id: p.name for p in partner_queries.partners(Partner.id.in_(ids))} if ids else {}
    rows = [{"partner_id": partner, "partner_name": names.get(partner) if partner is not None else None,
             "month": month, "minutes": minutes, "hours": round(minutes / 60, 2), "sessions": count}
            for (partner, month), (minutes, count) in totals.by_partner_month.items()]
    rows.sort(key=lambda r: (r["partner_name"] is None, r["partner_name"] or "", r["partner_id"] or 0, r["month"]))
    return {"date_from": date_from, "date_to": date_to, "total_hours": round(totals.total, 2),
            "sessions": totals.sessions, "items": rows}
