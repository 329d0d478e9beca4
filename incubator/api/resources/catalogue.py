"""The catalogue's products (scope ``catalogue``): exactly what the public catalogue shows
(``catalogue.queries.listed_products`` and ``details``: the approved version of each entry a business consented
to list, of a business incubated or graduated somewhere; the incubators it is listed under and the certificates
its business holds today), limited to the incubators the token may read; another's product is not found."""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa

from incubator.api.framework import Page, PageArgs, page_of, paginate, resource_blueprint, token_incubator_ids
from incubator.api.resources.reading import not_found, today
from incubator.catalogue import queries
from incubator.catalogue.models import ProductEntry, ProductGroup
from incubator.extensions import db
from incubator.outcomes.enums import Pillar

blp = resource_blueprint("catalogue", scope="catalogue", import_name=__name__,
                         description="The public catalogue of incubated and graduated startups' products.")

PILLARS = [p.value for p in Pillar]


class HeldCertificateSchema(ma.Schema):
    standard = ma.fields.String(required=True, metadata={"description": "The standard's code (ISO/IEC 27001)."})
    level = ma.fields.Integer(required=True, allow_none=True)
    expires_on = ma.fields.Date(required=True, allow_none=True)


class ProductSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    url = ma.fields.String(required=True, metadata={"description": "Its page in the public catalogue."})
    name_vi = ma.fields.String(required=True, allow_none=True)
    name_en = ma.fields.String(required=True, allow_none=True)
    summary_vi = ma.fields.String(required=True, allow_none=True, metadata={"description": "What it does."})
    summary_en = ma.fields.String(required=True, allow_none=True)
    audience_vi = ma.fields.String(required=True, allow_none=True, metadata={"description": "For whom."})
    audience_en = ma.fields.String(required=True, allow_none=True)
    # (No enum on nullable values: the contract harness reads OpenAPI 3.0's nullable enum as a string only.)
    pillar = ma.fields.String(required=True, allow_none=True,
                              metadata={"description": "Its digital pillar (" + ", ".join(PILLARS) + "), or null."})
    group = ma.fields.String(required=True, allow_none=True,
                             metadata={"description": "Its product group's code, or null."})
    group_name_vi = ma.fields.String(required=True, allow_none=True)
    group_name_en = ma.fields.String(required=True, allow_none=True)
    on_market_since = ma.fields.Date(required=True, allow_none=True)
    public_customers = ma.fields.String(required=True, allow_none=True,
                                        metadata={"description": "Its public-sector customers."})
    website = ma.fields.String(required=True, allow_none=True)
    business = ma.fields.String(required=True, metadata={"description": "The business's name."})
    incubators = ma.fields.List(ma.fields.String(), required=True,
                                metadata={"description": "The codes of the incubators it is listed under."})
    certificates = ma.fields.List(ma.fields.Nested(HeldCertificateSchema), required=True,
                                  metadata={"description": "The certificates its business holds today "
                                                           "(verified)."})
    approved_at = ma.fields.DateTime(required=True, metadata={"description": "When staff approved what shows."})


class ProductArgs(PageArgs):
    q = ma.fields.String(validate=ma.validate.Length(max=200),
                         metadata={"description": "Words searched without regard to diacritics."})
    pillar = ma.fields.String(validate=ma.validate.OneOf(PILLARS))
    group = ma.fields.String(validate=ma.validate.Length(max=40),
                             metadata={"description": "A product group's code."})


def _listed(**filters) -> sa.Select:
    """The public catalogue's query, ordered by id for the cursor, limited to the token's incubators (the
    products listed under one of them: the public filter by incubator, for each)."""
    query = queries.listed_products(**filters).order_by(None)
    ids = token_incubator_ids()
    if ids is not None:
        under = sa.union(*(queries.listed_products(incubator_id=i).order_by(None)
                           .with_only_columns(ProductEntry.id) for i in ids))
        query = query.where(ProductEntry.id.in_(sa.select(under.subquery().c.id)))
    return query


def _products(entries: list[ProductEntry]) -> list[dict]:
    from incubator.urls import external_url

    shown = queries.details(entries, today())
    rows = []
    for entry in entries:
        extra, group = shown[entry.id], entry.group
        rows.append({
            "id": entry.id, "url": external_url("catalogue.product", product_id=entry.id,
                                                slug=entry.slug or "san-pham"),
            "name_vi": entry.name_vi, "name_en": entry.name_en, "summary_vi": entry.summary_vi,
            "summary_en": entry.summary_en, "audience_vi": entry.audience_vi, "audience_en": entry.audience_en,
            "pillar": entry.pillar.value if entry.pillar else None, "group": group.code if group else None,
            "group_name_vi": group.name_vi if group else None, "group_name_en": group.name_en if group else None,
            "on_market_since": entry.on_market_since, "public_customers": entry.public_customers,
            "website": entry.website, "business": entry.company.name,
            "incubators": [incubator.code for incubator in extra.incubators],
            "certificates": [{"standard": c.standard.code, "level": c.level, "expires_on": c.expires_on}
                             for c in extra.certificates],
            "approved_at": entry.approved_at})
    return rows


@blp.route("/products")
@blp.arguments(ProductArgs, location="query", as_kwargs=True)
@blp.response(200, page_of(ProductSchema))
def list_products(q: str | None = None, pillar: str | None = None, group: str | None = None, **args):
    """The catalogue's products, by id."""
    group_id = None
    if group:
        group_id = db.session.scalar(sa.select(ProductGroup.id).where(ProductGroup.code == group)) or -1
    page = paginate(_listed(search=q, pillar=pillar, group_id=group_id), ProductEntry.id, args)
    return Page(_products(page.items), page.next)


@blp.route("/products/<int:product_id>")
@blp.response(200, ProductSchema)
def get_product(product_id: int):
    """One product of the catalogue."""
    entry = db.session.scalar(_listed().where(ProductEntry.id == product_id))
    if entry is None:
        raise not_found("product")
    return _products([entry])[0]
