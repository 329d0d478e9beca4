"""What the catalogue reads: which businesses may be listed and where, the listed products anyone reads (the
public pages, the sitemap and the API's ``/api/v1/products``), a founder's entries, the staff's queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from incubator.catalogue.enums import RevisionStatus
from incubator.catalogue.models import ProductEntry, ProductGroup, ProductRevision
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Company, Residency
from incubator.extensions import db
from incubator.outcomes.enums import Decision, Pillar
from incubator.outcomes.models import GraduationOutcome
from incubator.text import fold

# ---- Where a business is listed --------------------------------------------------------------------------------
#
# Only incubated and graduated startups are listed: a business with a residency of the incubated kind (running or
# ended: "is or was incubated") or a graduation outcome "graduated", in the incubators where those were recorded.
# Read over the tables (Core), not the scoped ORM entities, so that a person limited to some incubators never
# narrows "anywhere" to "here".


def _places():
    """(company_id, incubator_id) of every incubated residency and every graduation, city-wide."""
    residencies, outcomes = Residency.__table__, GraduationOutcome.__table__
    return sa.union(
        sa.select(residencies.c.company_id, residencies.c.incubator_id)
        .where(residencies.c.kind == ResidencyKind.INCUBATED.value),
        sa.select(outcomes.c.company_id, outcomes.c.incubator_id)
        .where(outcomes.c.decision == Decision.GRADUATED.value),
    ).subquery("catalogue_places")


def listed_in(company_id: int) -> set[int]:
    """The ids of the incubators under which this business's products are shown (empty: it may not be listed)."""
    places = _places()
    return set(db.session.scalars(sa.select(places.c.incubator_id).where(places.c.company_id == company_id)))


def may_be_listed(company_id: int) -> bool:
    """An incubated or graduated startup, somewhere in the network."""
    return bool(listed_in(company_id))


def _in_catalogue(incubator_id: int | None = None):
    places = _places()
    query = sa.select(places.c.company_id)
    if incubator_id:
        query = query.where(places.c.incubator_id == incubator_id)
    return ProductEntry.company_id.in_(query)


def public_clause():
    """The one condition of what anyone may read: a version approved, the business consenting to be listed, and
    the business incubated or graduated somewhere."""
    return sa.and_(ProductEntry.approved_at.is_not(None), ProductEntry.listed_at.is_not(None), _in_catalogue())


def listed_products(*, search: str | None = None, pillar: Pillar | str | None = None, group_id: int | None = None,
                    incubator_id: int | None = None) -> sa.Select:
    """The products the public catalogue shows, as a statement to paginate (``db.paginate``) or to read whole.

    Each row is a :class:`ProductEntry` whose *approved* version is what a reader sees (a change waiting for
    staff never shows): ``name``/``name_vi``/``name_en``, ``summary_*`` (what it does), ``audience_*`` (for
    whom), ``pillar`` (outcomes.enums.Pillar), ``group`` (a ProductGroup, loaded), ``on_market_since`` (a date,
    the first of the month when only the month is known), ``public_customers``, ``website``, ``company``
    (loaded: its name), ``approved_at``; only entries approved, listed (the business's consent stands) and of
    a business incubated or graduated somewhere. Ordered by the Vietnamese order of the name.

    Filters: ``search`` without diacritics over the names, descriptions, audience, customers and business's
    name; ``pillar``; ``group_id``; ``incubator_id`` (the businesses incubated or graduated there). What the
    query does not load, :func:`details` adds for a page of them in a fixed number of queries: the incubators
    each is shown under and the certificates its business holds (verified, held today)."""
    query = (sa.select(ProductEntry).where(public_clause())
             .options(joinedload(ProductEntry.company), joinedload(ProductEntry.group))
             .order_by(ProductEntry.name_sort, ProductEntry.id))
    folded = fold(search)
    if folded:
        query = query.where(ProductEntry.search_folded.contains(folded, autoescape=True))
    if pillar:
        try:
            query = query.where(ProductEntry.pillar == Pillar(pillar))
        except ValueError:
            query = query.where(sa.false())
    if group_id:
        query = query.where(ProductEntry.group_id == group_id)
    if incubator_id:
        query = query.where(_in_catalogue(incubator_id))
    return query


def listed_product(entry_id: int) -> ProductEntry | None:
    """One product as the public page shows it, or None (not approved, not listed, or no such entry)."""
    return db.session.scalar(listed_products().where(ProductEntry.id == entry_id))


@dataclass
class Details:
    """What a product's page shows beyond its entry: the incubators it is listed under and the certificates its
    business holds (verified by staff and held today: Certificate objects, their standard loaded)."""

    incubators: list = field(default_factory=list)
    certificates: list = field(default_factory=list)


def details(entries: list[ProductEntry], today: date) -> dict[int, Details]:
    """For each entry's id, its :class:`Details`, in three queries whatever the number of entries."""
    from incubator.certificates.enums import CertificateStatus
    from incubator.certificates.models import Certificate
    from incubator.organisation.models import Incubator

    found = {entry.id: Details() for entry in entries}
    company_ids = {entry.company_id for entry in entries}
    if not company_ids:
        return found
    places = _places()
    pairs = db.session.execute(sa.select(places.c.company_id, places.c.incubator_id)
                               .where(places.c.company_id.in_(company_ids))).all()
    incubators = {inc.id: inc for inc in db.session.scalars(
        sa.select(Incubator).where(Incubator.id.in_({i for _c, i in pairs})).order_by(Incubator.code))}
    by_company: dict[int, list] = {}
    for company_id, incubator_id in pairs:
        by_company.setdefault(company_id, []).append(incubators[incubator_id])
    certificates: dict[int, list] = {}
    for certificate in db.session.scalars(
            sa.select(Certificate).where(Certificate.company_id.in_(company_ids),
                                         Certificate.status == CertificateStatus.VERIFIED,
                                         Certificate.held_on_clause(today))
            .options(joinedload(Certificate.standard)).order_by(Certificate.issued_on.desc(), Certificate.id)):
        certificates.setdefault(certificate.company_id, []).append(certificate)
    for entry in entries:
        found[entry.id] = Details(
            incubators=sorted(by_company.get(entry.company_id, []), key=lambda inc: inc.code),
            certificates=certificates.get(entry.company_id, []))
    return found


def groups(*, active_only: bool = False) -> list[ProductGroup]:
    query = sa.select(ProductGroup).order_by(ProductGroup.position, ProductGroup.id)
    if active_only:
        query = query.where(ProductGroup.active.is_(True))
    return list(db.session.scalars(query))


def catalogue_incubators() -> list:
    """The incubators with at least one listed product (the public filter's choices)."""
    from incubator.organisation.models import Incubator

    places = _places()
    listed = sa.select(ProductEntry.company_id).where(public_clause())
    ids = sa.select(places.c.incubator_id).where(places.c.company_id.in_(listed))
    return list(db.session.scalars(sa.select(Incubator).where(Incubator.id.in_(ids)).order_by(Incubator.code)))


def reachable(company_id: int) -> bool:
    """Whether a reader's message can reach the business: a founder holds its file (an approved member whose
    account is active). Without one the product's page says so rather than offer a form that would fail."""
    from incubator.auth.models import User
    from incubator.companies.enums import MembershipStatus
    from incubator.companies.models import CompanyMember

    return db.session.scalar(sa.select(sa.exists().where(
        CompanyMember.company_id == company_id, CompanyMember.status == MembershipStatus.APPROVED,
        CompanyMember.user_id == User.id, User.active.is_(True)))) or False


# ---- Founders and staff ------------------------------------------------------------------------------------------

def entries_of(company_ids) -> list[ProductEntry]:
    """The entries of these businesses (a founder's), with their revisions, newest first."""
    if not company_ids:
        return []
    return list(db.session.scalars(
        sa.select(ProductEntry).where(ProductEntry.company_id.in_(list(company_ids)))
        .options(joinedload(ProductEntry.company), joinedload(ProductEntry.group),
                 selectinload(ProductEntry.revisions))
        .order_by(ProductEntry.created_at.desc(), ProductEntry.id.desc())).unique())


def entry(entry_id: int) -> ProductEntry | None:
    return db.session.scalar(
        sa.select(ProductEntry).where(ProductEntry.id == entry_id)
        .options(joinedload(ProductEntry.company), joinedload(ProductEntry.group),
                 selectinload(ProductEntry.revisions).joinedload(ProductRevision.submitted_by)))


def _decidable_here(scope):
    """Entries of businesses listed under one of these incubators (None: any incubator)."""
    places = _places()
    query = sa.select(places.c.company_id)
    if scope is not None:
        query = query.where(places.c.incubator_id.in_(scope))
    return ProductEntry.company_id.in_(query)


def waiting(scope) -> sa.Select:
    """The changes waiting for staff of these incubators (``scope``: their ids; None: every incubator), oldest
    first: the entries with a pending revision, of businesses listed under one of them."""
    return (sa.select(ProductEntry).where(ProductEntry.pending_since.is_not(None), _decidable_here(scope))
            .options(joinedload(ProductEntry.company), joinedload(ProductEntry.group),
                     selectinload(ProductEntry.revisions).joinedload(ProductRevision.submitted_by))
            .order_by(ProductEntry.pending_since, ProductEntry.id))


def waiting_count(scope) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(
        sa.select(ProductEntry.id).where(ProductEntry.pending_since.is_not(None), _decidable_here(scope))
        .subquery())) or 0


def sitemap_entries() -> list[tuple[int, str, object]]:
    """(id, slug, approved_at) of every listed product, for the sitemap."""
    return [tuple(row) for row in db.session.execute(
        sa.select(ProductEntry.id, ProductEntry.slug, ProductEntry.approved_at).where(public_clause())
        .order_by(ProductEntry.id))]


def pending_revision(entry_: ProductEntry) -> ProductRevision | None:
    return next((r for r in reversed(entry_.revisions) if r.status is RevisionStatus.PENDING), None)


def company_names(company_ids) -> dict[int, str]:
    return dict(db.session.execute(sa.select(Company.id, Company.name).where(Company.id.in_(list(company_ids)))))
