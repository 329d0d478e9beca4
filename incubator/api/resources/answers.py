"""Published answers to businesses' requests (scope ``answers``): exactly what the public page
``/requests/answers/`` publishes (``requests.queries.published_answers`` and ``public_view``: the question as
published, the business named only where it chose so, never its original text), of the incubators the token
may read."""

from __future__ import annotations

import marshmallow as ma

from incubator.api.framework import Page, PageArgs, page_of, paginate, resource_blueprint, token_incubator_ids
from incubator.api.resources.reading import not_found
from incubator.extensions import db
from incubator.requests import queries
from incubator.requests.enums import RequestKind
from incubator.requests.models import BusinessRequest

blp = resource_blueprint("answers", scope="answers", import_name=__name__,
                         description="Published answers to businesses' requests, as the public page shows them.")


class AnswerSchema(ma.Schema):
    number = ma.fields.String(required=True, metadata={"description": "The request's number (KN-2026-0001)."})
    incubator = ma.fields.String(required=True, metadata={"description": "The incubator's code."})
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf([k.value for k in RequestKind]))
    title = ma.fields.String(required=True)
    question = ma.fields.String(required=True, metadata={"description": "The question as published."})
    business = ma.fields.String(required=True, allow_none=True,
                                metadata={"description": "The business's name, or null where it asked not to be "
                                                         "named."})
    category = ma.fields.String(required=True, metadata={"description": "In the token owner's language."})
    body = ma.fields.String(required=True, allow_none=True, metadata={"description": "The body that answered."})
    answer = ma.fields.String(required=True)
    acknowledged_on = ma.fields.Date(required=True)
    answered_on = ma.fields.Date(required=True)
    published_at = ma.fields.DateTime(required=True)
    working_days = ma.fields.Integer(required=True,
                                     metadata={"description": "Working days from acknowledgement to answer."})


class AnswerArgs(PageArgs):
    q = ma.fields.String(validate=ma.validate.Length(max=200),
                         metadata={"description": "Words searched in what is published, without regard to "
                                                  "diacritics."})
    year = ma.fields.Integer(validate=ma.validate.Range(min=1990, max=2200),
                             metadata={"description": "The year answered."})


def _published(**filters):
    """The public page's query, ordered by id for the cursor, limited to the token's incubators."""
    query = queries.published_answers(**filters).order_by(None)
    ids = token_incubator_ids()
    if ids is not None:
        query = query.where(BusinessRequest.incubator_id.in_(ids))
    return query


def _answer(request: BusinessRequest) -> dict:
    shown = queries.public_view(request)
    return {"number": shown.number, "incubator": request.incubator.code, "kind": shown.kind.value,
            "title": shown.title, "question": shown.question, "business": shown.business,
            "category": shown.category, "body": shown.body, "answer": shown.answer,
            "acknowledged_on": shown.acknowledged_on, "answered_on": shown.answered_on,
            "published_at": shown.published_at, "working_days": shown.working_days}


@blp.route("/answers")
@blp.arguments(AnswerArgs, location="query", as_kwargs=True)
@blp.response(200, page_of(AnswerSchema))
def list_answers(q: str | None = None, year: int | None = None, **args):
    """The published answers, by the order they were filed in (the request's id)."""
    page = paginate(_published(search=q, year=year), BusinessRequest.id, args)
    return Page([_answer(r) for r in page.items], page.next)


@blp.route("/answers/<string:number>")
@blp.response(200, AnswerSchema)
def get_answer(number: str):
    """One published answer, by the request's number."""
    request = db.session.scalar(_published().where(BusinessRequest.number == number[:20]))
    if request is None:
        raise not_found("published answer")
    return _answer(request)
