from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from incubator.companies import taxcode
from incubator.companies.enums import MembershipStatus, ResidencyKind
from incubator.companies.models import Company, CompanyMember, CompanyPresence, Residency
from incubator.outcomes.enums import Decision
from incubator.outcomes.models import GraduationOutcome
from incubator.text import fold

# ---- Which businesses the staff of an incubator see ---------------------------------------------------------
#
# A business is one record city-wide; what happens to it happens in an incubator. Staff limited to some
# incubators (organisation.scoping) see the businesses that are *in* one of theirs (a residency, an outcome, an
# application submitted there: what a package registers below) and the businesses that are in none anywhere
# yet (a new business, registered by a founder or entered by staff, that any incubator may take in). The
# others are another incubator's: not listed, not counted, and their pages answer 404. A founder's claim of a
# business is decided by the staff who see the business. Administrators and the Department's officials (not
# limited), and everyone in an installation with a single incubator, see every business.

# Each returns a Core SELECT of (company_id, incubator_id) over a table, not an ORM entity, so that the scope's
# criteria never narrow "anywhere" to "here"; with the model whose rows it reads and the attributes whose change
# may move the business (companies/presence.py keeps the table ``company_presence`` from them).
_PRESENCE: list = []
WATCHED: dict[type, tuple[str, ...]] = {Company: ()}  # a new business is in none yet


def register_presence(where_a_business_is, model: type, *moved_by: str) -> None:
    """A package whose rows put a business in an incubator registers a function returning a Core SELECT of
    ``company_id, incubator_id`` (the applications' package: its applications past the draft), the model of
    those rows and the attributes whose change may move the business besides ``company_id`` (an application's
    status). Called at start-up (twice registers once)."""
    if where_a_business_is not in _PRESENCE:
        _PRESENCE.append(where_a_business_is)
    WATCHED[model] = ("company_id", *moved_by)


def _residencies():
    table = Residency.__table__
    return sa.select(table.c.company_id, table.c.incubator_id)


def _outcomes():
    table = GraduationOutcome.__table__
    return sa.select(table.c.company_id, table.c.incubator_id)


register_presence(_residencies, Residency)
register_presence(_outcomes, GraduationOutcome)


def presence_from_rows():
    """Every (company_id, incubator_id) that puts a business in an incubator, city-wide, read from the rows
    themselves (what ``company_presence`` keeps)."""
    return sa.union_all(*(where() for where in _PRESENCE)).subquery("presence")


def incubators_of_business(company_id: int) -> set[int]:
    """The ids of the incubators this business is in (a residency, an outcome, an application submitted there:
    what the packages register), whatever this request's scope; empty for a business in none yet."""
    from incubator.extensions import db

    presence = CompanyPresence.__table__
    return set(db.session.scalars(sa.select(presence.c.incubator_id).where(presence.c.company_id == company_id,
                                                                          presence.c.incubator_id.is_not(None))))


def visible_companies(company_id=None):
    """The one rule of which businesses this request's person may see, as a condition on ``company_id`` (a
    column: Company.id by default, or a membership's company_id …): true when they are not limited or there
    is a single incubator."""
    from incubator.organisation.current import several_incubators
    from incubator.organisation.scoping import current_scope

    company_id = Company.id if company_id is None else company_id
    ids = current_scope()
    if ids is None or not several_incubators():
        return sa.true()
    presence = CompanyPresence.__table__
    return sa.exists().where(presence.c.company_id == company_id,
                             sa.or_(presence.c.incubator_id.in_(ids), presence.c.incubator_id.is_(None)))


def count_visible_companies() -> int:
    """How many businesses this request's person sees (the register's total when nothing narrows it), counted
    from ``company_presence`` alone: the rows of their incubators and of none, not every business of the city."""
    from incubator.extensions import db
    from incubator.organisation.current import several_incubators
    from incubator.organisation.scoping import current_scope

    ids = current_scope()
    if ids is None or not several_incubators():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Company))
    presence = CompanyPresence.__table__
    return db.session.scalar(
        sa.select(sa.func.count(presence.c.company_id.distinct()))
        .where(sa.or_(presence.c.incubator_id.in_(ids), presence.c.incubator_id.is_(None))))


def visible_company(company_id: int):
    """The business with this id, with nothing loaded, when this request's person may see it (else no row)."""
    return sa.select(Company).where(Company.id == company_id, visible_companies())


def visible_membership(membership_id: int):
    """A founder's membership of a business this request's person may see (the claim they may decide)."""
    return sa.select(CompanyMember).where(CompanyMember.id == membership_id,
                                          visible_companies(CompanyMember.company_id))


def sees_company(company_id: int) -> bool:
    """Whether this request's person may see the business (the rule above, for one business)."""
    from incubator.extensions import db

    return db.session.scalar(sa.select(Company.id).where(Company.id == company_id, visible_companies())) is not None


def company_with_tax_code(tax_code: str | None) -> Company | None:
    """The business holding this tax code (as typed: spaces and dots set aside), wherever it is, a business
    being one record city-wide; None for a code of no possible shape, without asking the database."""
    from incubator.extensions import db

    code = taxcode.normalise(tax_code)
    if not taxcode.has_valid_shape(code):
        return None
    return db.session.scalar(sa.select(Company).where(Company.tax_code == code))


def in_another_incubator(tax_code: str | None) -> Company | None:
    """The business holding this tax code when this request's person does not see it: another incubator's,
    which their incubator may take in."""
    company = company_with_tax_code(tax_code)
    return None if company is None or sees_company(company.id) else company


def register_list(today: date, q: str | None = None, is_it: str | None = None, kind: str | None = None,
                  outcome: str | None = None, verified: str | None = None):
    """Companies in Vietnamese alphabetical order, with what the list shows loaded up front. ``verified``:
    "no" for the businesses founders registered that staff have not verified yet, "yes" for the others."""
    return _register_list(today, q, is_it, kind, outcome, verified)[0]


def register_page(today: date, page: int, per_page: int, q: str | None = None, **filters):
    """A page of ``register_list``. Its total, when nothing narrows the list, is counted from where the
    businesses are (``count_visible_companies``) rather than by counting the list itself, which would read every
    business of the city to keep those of this person's incubators."""
    from incubator.extensions import db
    from incubator.web import CountedPagination

    stmt, narrowed = _register_list(today, q, **filters)
    if narrowed:
        return db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    return CountedPagination(select=stmt, session=db.session, total=count_visible_companies, page=page,
                             per_page=per_page, error_out=False)


def _register_list(today: date, q: str | None = None, is_it: str | None = None, kind: str | None = None,
                   outcome: str | None = None, verified: str | None = None):
    """The register's SELECT, and whether a search or a filter narrowed it."""
    everything = (sa.select(Company).order_by(Company.name_sort, Company.id)
                  .options(selectinload(Company.residencies), selectinload(Company.outcomes))
                  .where(visible_companies()))
    stmt = _company_search(everything, q)
    if verified == "no":
        stmt = stmt.where(Company.verified_at.is_(None))
    elif verified == "yes":
        stmt = stmt.where(Company.verified_at.is_not(None))
    if is_it in ("yes", "no"):
        stmt = stmt.where(Company.is_it.is_(is_it == "yes"))
    active = sa.select(Residency.company_id).where(Residency.active_on_clause(today))
    if kind == "none":
        stmt = stmt.where(Company.id.not_in(active))
    elif kind in {k.value for k in ResidencyKind}:
        stmt = stmt.where(Company.id.in_(active.where(Residency.kind == ResidencyKind(kind))))
    if outcome in {d.value for d in Decision}:
        stmt = stmt.where(Company.id.in_(sa.select(GraduationOutcome.company_id)
                                         .where(GraduationOutcome.decision == Decision(outcome))))
    elif outcome == "none":
        stmt = stmt.where(Company.id.not_in(sa.select(GraduationOutcome.company_id)))
    return stmt, stmt is not everything  # each condition makes a new statement


def pending_claims(limit: int | None = None):
    """Founders' claims of businesses on the register that wait for staff, oldest first, with what staff need to
    decide (the founder, the business and its other founders) loaded up front."""
    stmt = (sa.select(CompanyMember).where(CompanyMember.status == MembershipStatus.PENDING,
                                           visible_companies(CompanyMember.company_id))
            .options(selectinload(CompanyMember.user),
                     selectinload(CompanyMember.company).selectinload(Company.members)
                     .selectinload(CompanyMember.user),
                     selectinload(CompanyMember.company).selectinload(Company.residencies))
            .order_by(CompanyMember.created_at, CompanyMember.id))
    return stmt.limit(limit) if limit else stmt


def unverified_count() -> int:
    from incubator.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(Company)
                             .where(Company.verified_at.is_(None), visible_companies()))


def company_count() -> int:
    """How many businesses the register shows this request's person."""
    from incubator.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(Company).where(visible_companies()))


def company_page(company_id: int):
    return (visible_company(company_id)
            .options(selectinload(Company.residencies), selectinload(Company.outcomes),
                     selectinload(Company.members).selectinload(CompanyMember.user)))


def _company_search(stmt, q: str | None):
    if q:
        digits = re.sub(r"[\s.]", "", q)
        conditions = [Company.name_folded.contains(fold(q), autoescape=True)]
        if digits[:1].isdigit():
            conditions.append(Company.tax_code.startswith(digits, autoescape=True))
        stmt = stmt.where(sa.or_(*conditions))
    return stmt


RESIDENCY_STATES = ("active", "ended", "upcoming")


def residency_list(today: date, q: str | None = None, kind: str | None = None, state: str | None = None,
                   is_it: str | None = None):
    """Every residency of every business, newest first, with its business; ``state`` is taken at ``today``."""
    stmt = (sa.select(Residency).join(Residency.company).options(contains_eager(Residency.company))
            .order_by(Residency.starts_on.desc(), Company.name_sort, Residency.id))
    stmt = _company_search(stmt, q)
    if kind in {k.value for k in ResidencyKind}:
        stmt = stmt.where(Residency.kind == ResidencyKind(kind))
    if is_it in ("yes", "no"):
        stmt = stmt.where(Company.is_it.is_(is_it == "yes"))
    if state == "active":
        stmt = stmt.where(Residency.active_on_clause(today))
    elif state == "ended":
        stmt = stmt.where(Residency.ends_on < today)
    elif state == "upcoming":
        stmt = stmt.where(Residency.starts_on > today)
    return stmt


def outcome_list(q: str | None = None, decision: str | None = None, year: int | None = None):
    """Every graduation outcome, latest decision first, with its business."""
    stmt = (sa.select(GraduationOutcome).join(GraduationOutcome.company)
            .options(contains_eager(GraduationOutcome.company))
            .order_by(GraduationOutcome.decided_on.desc(), Company.name_sort, GraduationOutcome.id))
    stmt = _company_search(stmt, q)
    if decision in {d.value for d in Decision}:
        stmt = stmt.where(GraduationOutcome.decision == Decision(decision))
    if year and 1990 <= year <= 2200:
        stmt = stmt.where(GraduationOutcome.decided_on.between(date(year, 1, 1), date(year, 12, 31)))
    return stmt


def founders_of(company_id: int) -> list:
    """The people who hold the company's file now, as the rules let them open it: approved members who are
    founders, with an active account and a confirmed address. Mail about the company's applications, reports
    and sessions goes to them at the time it is sent, not to whoever once started a file or held it before."""
    from incubator.auth.enums import Role
    from incubator.auth.models import User, UserRole
    from incubator.extensions import db

    founder = sa.select(UserRole.user_id).where(UserRole.user_id == User.id, UserRole.role == Role.FOUNDER)
    return list(db.session.scalars(
        sa.select(User).join(CompanyMember, CompanyMember.user_id == User.id)
        .where(CompanyMember.company_id == company_id, CompanyMember.status == MembershipStatus.APPROVED,
               User.active.is_(True), User.email_verified_at.is_not(None), founder.exists())
        .order_by(User.id)))
