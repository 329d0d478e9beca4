"""Schemas every resource shares. Every schema of the API is strict: each field ``required=True`` (a value
that may be missing is ``allow_none=True``, present as null), and no other property (marshmallow's default,
``unknown = RAISE``, is written ``additionalProperties: false`` in the description); tests/api checks it."""

from __future__ import annotations

import marshmallow as ma


class ProblemSchema(ma.Schema):
    """An error, as application/problem+json (RFC 9457)."""

    type = ma.fields.String(required=True, metadata={"description": "A URI naming the kind of problem."})
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(required=True)

