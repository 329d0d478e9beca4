"""Intake rounds with their counts of applications by status (scope ``rounds``): the counts of a round's page
of applications (``applications.queries.counts_by_status``, ``submitted_total``), of the incubators the token
may read; another incubator's round is not found."""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa

from incubator.api.framework import Page, PageArgs, page_of, paginate, resource_blueprint
from incubator.api.resources.reading import incubator_codes, not_found, reads_programme_figures, require
from incubator.applications import queries
from incubator.applications.enums import ApplicationStatus
from incubator.applications.models import IntakeRound
from incubator.db import utcnow
from incubator.extensions import db

blp = resource_blueprint("rounds", scope="rounds", import_name=__name__,
                         description="Intake rounds, with their applications counted by status.")

WHAT = "the intake rounds' figures"

CountsSchema = ma.Schema.from_dict(
    {s.value: ma.fields.Integer(required=True) for s in ApplicationStatus}, name="ApplicationCountsSchema")


class RoundSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    incubator = ma.fields.String(required=True, metadata={"description": "The incubator's code."})
    name_vi = ma.fields.String(required=True)
    name_en = ma.fields.String(required=True)
    opens_at = ma.fields.DateTime(required=True)
    closes_at = ma.fields.DateTime(required=True)
    open_now = ma.fields.Boolean(required=True)
    cohort_name = ma.fields.String(required=True, allow_none=True)
    applications = ma.fields.Nested(CountsSchema, required=True,
                                    metadata={"description": "Its applications by status (drafts included)."})
    submitted = ma.fields.Integer(required=True, metadata={"description": "Applications sent and not withdrawn "
                                                                          "since: what every count of submitted "
                                                                          "applications counts."})


def _round(intake_round: IntakeRound, counts: dict, codes: dict, now) -> dict:
    return {"id": intake_round.id, "incubator": codes[intake_round.incubator_id], "name_vi": intake_round.name_vi,
            "name_en": intake_round.name_en, "opens_at": intake_round.opens_at, "closes_at": intake_round.closes_at,
            "open_now": intake_round.is_open(now), "cohort_name": intake_round.cohort_name,
            "applications": {s.value: counts.get(s, 0) for s in ApplicationStatus},
            "submitted": queries.submitted_total(counts)}


@blp.route("/rounds")
@blp.arguments(PageArgs, location="query", as_kwargs=True)
@blp.response(200, page_of(RoundSchema))
def list_rounds(**args):
    """The intake rounds of the incubators the token may read, by id."""
    require(reads_programme_figures, WHAT)
    page = paginate(sa.select(IntakeRound), IntakeRound.id, args)
    counts = queries.counts_by_status_of([r.id for r in page.items])
    codes, now = incubator_codes(), utcnow()
    return Page([_round(r, counts[r.id], codes, now) for r in page.items], page.next)


@blp.route("/rounds/<int:round_id>")
@blp.response(200, RoundSchema)
def get_round(round_id: int):
    """One intake round."""
    require(reads_programme_figures, WHAT)
    intake_round = db.session.scalar(sa.select(IntakeRound).where(IntakeRound.id == round_id))
    if intake_round is None:
        raise not_found("round")
    counts = queries.counts_by_status(intake_round.id, db)  # as the round's page of applications counts
    return _round(intake_round, counts, incubator_codes(), utcnow())
