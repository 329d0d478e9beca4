"""Cohorts with their dates and member counts (scope ``cohorts``): the counts of the cohorts' page
(``cohorts.queries.cohorts_with_counts``), of the incubators the token may read; another's is not found."""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa

from incubator.api.framework import Page, PageArgs, page_of, paginate, resource_blueprint
from incubator.api.resources.reading import incubator_codes, not_found, reads_programme_figures, require, today
from incubator.cohorts import queries
from incubator.cohorts.enums import Rhythm
from incubator.cohorts.models import Cohort
from incubator.extensions import db

blp = resource_blueprint("cohorts", scope="cohorts", import_name=__name__,
                         description="Cohorts of incubated startups, with their dates and members.")

WHAT = "the cohorts' figures"


class CohortSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    incubator = ma.fields.String(required=True, metadata={"description": "The incubator's code."})
    name = ma.fields.String(required=True)
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(required=True)
    running = ma.fields.Boolean(required=True, metadata={"description": "Today is within its dates."})
    round_id = ma.fields.Integer(required=True, allow_none=True,
                                 metadata={"description": "The intake round it was formed from, or null."})
    rhythm = ma.fields.String(required=True, validate=ma.validate.OneOf([r.value for r in Rhythm]),
                              metadata={"description": "How often its members report."})
    mentoring_allowance_hours = ma.fields.Integer(required=True)
    members = ma.fields.Integer(required=True, metadata={"description": "Its members, whatever their status "
                                                                        "(as the cohorts' page counts them)."})


def _counts() -> dict[int, int]:
    return {cohort.id: n for cohort, n in queries.cohorts_with_counts()}


def _cohort(cohort: Cohort, counts: dict, codes: dict, day) -> dict:
    return {"id": cohort.id, "incubator": codes[cohort.incubator_id], "name": cohort.name,
            "starts_on": cohort.starts_on, "ends_on": cohort.ends_on,
            "running": cohort.starts_on <= day <= cohort.ends_on, "round_id": cohort.round_id,
            "rhythm": cohort.rhythm.value, "mentoring_allowance_hours": cohort.mentoring_allowance_hours,
            "members": counts.get(cohort.id, 0)}


@blp.route("/cohorts")
@blp.arguments(PageArgs, location="query", as_kwargs=True)
@blp.response(200, page_of(CohortSchema))
def list_cohorts(**args):
    """The cohorts of the incubators the token may read, by id."""
    require(reads_programme_figures, WHAT)
    page = paginate(sa.select(Cohort), Cohort.id, args)
    counts, codes, day = _counts(), incubator_codes(), today()
    return Page([_cohort(c, counts, codes, day) for c in page.items], page.next)


@blp.route("/cohorts/<int:cohort_id>")
@blp.response(200, CohortSchema)
def get_cohort(cohort_id: int):
    """One cohort."""
    require(reads_programme_figures, WHAT)
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.id == cohort_id))
    if cohort is None:
        raise not_found("cohort")
    return _cohort(cohort, _counts(), incubator_codes(), today())
