"""The register of businesses (scope ``register``): businesses, a business's residencies and certificates,
graduation outcomes, certificates; each as a list (by cursor) and one by one.

Read through the register's queries: the businesses the token's owner sees (``companies.queries.
visible_companies``: with a token limited to some incubators, those in them and those in none yet), the rows of
the incubators the token may read (residencies, outcomes: ``organisation.scoping``). Another incubator's row,
or a business the token does not see, is not found (404)."""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from incubator.api.framework import Page, PageArgs, page_of, paginate, resource_blueprint
from incubator.api.resources.reading import incubator_codes, not_found, reads_register, require, today
from incubator.certificates.models import Certificate
from incubator.certificates.queries import standing
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Company, Residency
from incubator.companies.queries import visible_companies, visible_company
from incubator.extensions import db
from incubator.outcomes.enums import Decision
from incubator.outcomes.models import GraduationOutcome

blp = resource_blueprint("register", scope="register", import_name=__name__,
                         description="The register of businesses: businesses, residencies, graduation outcomes "
                                     "and certificates.")

WHAT = "the register of businesses"
KINDS = [k.value for k in ResidencyKind]
DECISIONS = [d.value for d in Decision]


# ---- Schemas ----------------------------------------------------------------------------------------------

class BusinessSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    tax_code = ma.fields.String(required=True, metadata={"description": "Mã số thuế: 10 digits, or 10-3."})
    name = ma.fields.String(required=True)
    is_it = ma.fields.Boolean(required=True, metadata={"description": "An IT business (what the 70 % counts)."})
    # (No enum: the contract harness reads OpenAPI 3.0's nullable enum as a string only; the values are said.)
    kind = ma.fields.String(required=True, allow_none=True,
                            metadata={"description": "The kind of its residency running today (" + ", ".join(KINDS)
                                                     + "), or null when it has none today."})
    sector = ma.fields.String(required=True, allow_none=True)
    founded_on = ma.fields.Date(required=True, allow_none=True)
    address = ma.fields.String(required=True, allow_none=True)
    website = ma.fields.String(required=True, allow_none=True)
    employees = ma.fields.Integer(required=True, allow_none=True)
    verified = ma.fields.Boolean(required=True, metadata={"description": "Who it is was checked by staff."})
    residencies = ma.fields.Integer(required=True, metadata={"description": "How many residencies it has."})
    graduated_on = ma.fields.Date(required=True, allow_none=True,
                                  metadata={"description": "The day of its latest graduation, or null."})


class ResidencySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    business_id = ma.fields.Integer(required=True)
    incubator = ma.fields.String(required=True, metadata={"description": "The incubator's code."})
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(KINDS))
    starts_on = ma.fields.Date(required=True, metadata={"description": "First day (inclusive)."})
    ends_on = ma.fields.Date(required=True, allow_none=True,
                             metadata={"description": "Last day (inclusive); null while it runs."})
    active_today = ma.fields.Boolean(required=True)


class OutcomeSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    business_id = ma.fields.Integer(required=True)
    business_name = ma.fields.String(required=True)
    incubator = ma.fields.String(required=True)
    cohort_name = ma.fields.String(required=True, allow_none=True)
    decision = ma.fields.String(required=True, validate=ma.validate.OneOf(DECISIONS))
    decided_on = ma.fields.Date(required=True)
    product = ma.fields.String(required=True, allow_none=True,
                               metadata={"description": "The product or service brought to market."})
    pillars = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(["government", "economy", "society"])),
                             required=True, metadata={"description": "The digital pillars it serves."})
    evidence_text = ma.fields.String(required=True, allow_none=True)
    evidence_url = ma.fields.String(required=True, allow_none=True)
    evidence_file = ma.fields.String(required=True, allow_none=True,
                                     metadata={"description": "The address of the evidence's PDF in the interface "
                                                              "(signed-in readers of the targets), or null."})


class CertificateSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    business_id = ma.fields.Integer(required=True)
    standard = ma.fields.String(required=True, metadata={"description": "The standard's code (ISO/IEC 27001)."})
    standard_name_vi = ma.fields.String(required=True)
    standard_name_en = ma.fields.String(required=True)
    recognised = ma.fields.Boolean(required=True,
                                   metadata={"description": "The third target recognises the standard."})
    level = ma.fields.Integer(required=True, allow_none=True, metadata={"description": "CMMI's level, or null."})
    scope = ma.fields.String(required=True, allow_none=True)
    issuer = ma.fields.String(required=True, allow_none=True)
    number = ma.fields.String(required=True, allow_none=True)
    issued_on = ma.fields.Date(required=True)
    expires_on = ma.fields.Date(required=True, allow_none=True)
    revoked_on = ma.fields.Date(required=True, allow_none=True)
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(["submitted", "verified", "rejected"]))
    evidence_link = ma.fields.String(required=True, allow_none=True)
    counts = ma.fields.Boolean(required=True, metadata={"description": "Counted by the third target today."})
    why_not = ma.fields.String(required=True, allow_none=True,
                               metadata={"description": "Why it does not count today (in the interface's "
                                                        "language), or null."})


BusinessPageSchema = page_of(BusinessSchema)
ResidencyPageSchema = page_of(ResidencySchema)
OutcomePageSchema = page_of(OutcomeSchema)
CertificatePageSchema = page_of(CertificateSchema)


class BusinessArgs(PageArgs):
    is_it = ma.fields.Boolean(metadata={"description": "Only IT businesses (true) or the others (false)."})
    tax_code = ma.fields.String(validate=ma.validate.Length(max=20),
                                metadata={"description": "The business with this tax code."})


class OutcomeArgs(PageArgs):
    decision = ma.fields.String(validate=ma.validate.OneOf(DECISIONS))


# ---- Rows as the schemas say them ------------------------------------------------------------------------

def _business(company: Company, day) -> dict:
    running = [r for r in company.residencies if r.is_active_on(day)]
    graduated = [o.decided_on for o in company.outcomes if o.is_graduated]
    return {"id": company.id, "tax_code": company.tax_code, "name": company.name, "is_it": company.is_it,
            "kind": running[-1].kind.value if running else None, "sector": company.sector,
            "founded_on": company.founded_on, "address": company.address, "website": company.website,
            "employees": company.employees, "verified": company.is_verified,
            "residencies": len(company.residencies), "graduated_on": max(graduated) if graduated else None}


def _residency(residency: Residency, codes: dict, day) -> dict:
    return {"id": residency.id, "business_id": residency.company_id, "incubator": codes[residency.incubator_id],
            "kind": residency.kind.value, "starts_on": residency.starts_on, "ends_on": residency.ends_on,
            "active_today": residency.is_active_on(day)}


def _outcome(outcome: GraduationOutcome, codes: dict) -> dict:
    from incubator.urls import external_url

    return {"id": outcome.id, "business_id": outcome.company_id, "business_name": outcome.company.name,
            "incubator": codes[outcome.incubator_id], "cohort_name": outcome.cohort_name,
            "decision": outcome.decision.value, "decided_on": outcome.decided_on, "product": outcome.product,
            "pillars": [p.value for p in outcome.pillars], "evidence_text": outcome.evidence_text,
            "evidence_url": outcome.evidence_url,
            "evidence_file": external_url("companies.evidence", outcome_id=outcome.id)
            if outcome.evidence_file else None}


def _certificate(certificate: Certificate, day) -> dict:
    standard = certificate.standard
    held = standing(certificate, day)
    return {"id": certificate.id, "business_id": certificate.company_id, "standard": standard.code,
            "standard_name_vi": standard.name_vi, "standard_name_en": standard.name_en,
            "recognised": standard.recognised, "level": certificate.level, "scope": certificate.scope,
            "issuer": certificate.issuer, "number": certificate.number, "issued_on": certificate.issued_on,
            "expires_on": certificate.expires_on, "revoked_on": certificate.revoked_on,
            "status": certificate.status.value, "evidence_link": certificate.evidence_link,
            "counts": held.counts, "why_not": held.reason}


def _seen_business(business_id: int) -> Company:
    company = db.session.scalar(visible_company(business_id).options(selectinload(Company.residencies),
                                                                     selectinload(Company.outcomes)))
    if company is None:
        raise not_found("business")
    return company


def _certificates() -> sa.Select:
    """The certificates of the businesses the token's owner sees (officials read every certificate; staff those
    of the businesses they see: certificates.permissions.can_read_certificate), with their standards."""
    return (sa.select(Certificate).where(visible_companies(Certificate.company_id))
            .options(joinedload(Certificate.standard)))


# ---- Businesses -------------------------------------------------------------------------------------------

@blp.route("/businesses")
@blp.arguments(BusinessArgs, location="query", as_kwargs=True)
@blp.response(200, BusinessPageSchema)
def list_businesses(is_it: bool | None = None, tax_code: str | None = None, **args):
    """The businesses of the register the token's owner sees, by id."""
    require(reads_register, WHAT)
    query = (sa.select(Company).where(visible_companies())
             .options(selectinload(Company.residencies), selectinload(Company.outcomes)))
    if is_it is not None:
        query = query.where(Company.is_it.is_(is_it))
    if tax_code:
        from incubator.companies import taxcode

        query = query.where(Company.tax_code == taxcode.normalise(tax_code))
    page = paginate(query, Company.id, args)
    day = today()
    return Page([_business(c, day) for c in page.items], page.next)


@blp.route("/businesses/<int:business_id>")
@blp.response(200, BusinessSchema)
def get_business(business_id: int):
    """One business."""
    require(reads_register, WHAT)
    return _business(_seen_business(business_id), today())


@blp.route("/businesses/<int:business_id>/residencies")
@blp.arguments(PageArgs, location="query", as_kwargs=True)
@blp.response(200, ResidencyPageSchema)
def list_residencies(business_id: int, **args):
    """A business's residencies in the incubators the token may read, by id."""
    require(reads_register, WHAT)
    _seen_business(business_id)
    page = paginate(sa.select(Residency).where(Residency.company_id == business_id), Residency.id, args)
    codes, day = incubator_codes(), today()
    return Page([_residency(r, codes, day) for r in page.items], page.next)


@blp.route("/businesses/<int:business_id>/certificates")
@blp.arguments(PageArgs, location="query", as_kwargs=True)
@blp.response(200, CertificatePageSchema)
def list_business_certificates(business_id: int, **args):
    """A business's certificates (as on its file), by id."""
    require(reads_register, WHAT)
    _seen_business(business_id)
    page = paginate(_certificates().where(Certificate.company_id == business_id), Certificate.id, args)
    day = today()
    return Page([_certificate(c, day) for c in page.items], page.next)


# ---- Graduation outcomes ----------------------------------------------------------------------------------

@blp.route("/outcomes")
@blp.arguments(OutcomeArgs, location="query", as_kwargs=True)
@blp.response(200, OutcomePageSchema)
def list_outcomes(decision: str | None = None, **args):
    """The graduation outcomes of the incubators the token may read, by id."""
    require(reads_register, WHAT)
    query = sa.select(GraduationOutcome).options(joinedload(GraduationOutcome.company))
    if decision:
        query = query.where(GraduationOutcome.decision == Decision(decision))
    page = paginate(query, GraduationOutcome.id, args)
    codes = incubator_codes()
    return Page([_outcome(o, codes) for o in page.items], page.next)


@blp.route("/outcomes/<int:outcome_id>")
@blp.response(200, OutcomeSchema)
def get_outcome(outcome_id: int):
    """One graduation outcome."""
    require(reads_register, WHAT)
    outcome = db.session.scalar(sa.select(GraduationOutcome).where(GraduationOutcome.id == outcome_id)
                                .options(joinedload(GraduationOutcome.company)))
    if outcome is None:
        raise not_found("outcome")
    return _outcome(outcome, incubator_codes())


# ---- Certificates -----------------------------------------------------------------------------------------

@blp.route("/certificates")
@blp.arguments(PageArgs, location="query", as_kwargs=True)
@blp.response(200, CertificatePageSchema)
def list_certificates(**args):
    """The certificates of the businesses the token's owner sees, by id."""
    require(reads_register, WHAT)
    page = paginate(_certificates(), Certificate.id, args)
    day = today()
    return Page([_certificate(c, day) for c in page.items], page.next)


@blp.route("/certificates/<int:certificate_id>")
@blp.response(200, CertificateSchema)
def get_certificate(certificate_id: int):
    """One certificate."""
    require(reads_register, WHAT)
    certificate = db.session.scalar(_certificates().where(Certificate.id == certificate_id))
    if certificate is None:
        raise not_found("certificate")
    return _certificate(certificate, today())
