"""GET /api/v1/incubators, GET /api/v1/incubators/{code}: the incubators of the network the token may read."""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa

from incubator.api.framework import ApiError, PageArgs, page_of, paginate, resource_blueprint, token_incubator_ids
from incubator.extensions import db
from incubator.organisation.models import Incubator

blp = resource_blueprint("incubators", scope="incubators", import_name=__name__,
                         description="The incubators of Hà Nội's network.")


class IncubatorSchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "Its short code (VUHN)."})
    name_vi = ma.fields.String(required=True)
    name_en = ma.fields.String(required=True, allow_none=True)
    address = ma.fields.String(required=True, allow_none=True)


IncubatorPageSchema = page_of(IncubatorSchema)


def _visible() -> sa.Select:
    query = sa.select(Incubator)
    ids = token_incubator_ids()
    if ids is not None:
        query = query.where(Incubator.id.in_(ids))
    return query


@blp.route("/incubators")
@blp.arguments(PageArgs, location="query", as_kwargs=True)
@blp.response(200, IncubatorPageSchema)
def list_incubators(**args):
    """The incubators this token may read, oldest first."""
    return paginate(_visible(), Incubator.id, args)


@blp.route("/incubators/<string:code>")
@blp.response(200, IncubatorSchema)
def get_incubator(code: str):
    """One incubator, by its code."""
    incubator = db.session.scalar(_visible().where(Incubator.code == code))
    if incubator is None:
        raise ApiError(404, "No incubator with this code that the token may read.")
    return incubator
