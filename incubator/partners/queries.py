"""Which partners this request's person sees (issue 20), in one rule used by every list, export, page and
drop-down offering partners.

A partner (MISA, VINASA, a fund) is one record city-wide, like a business; it works with an incubator through an
agreement there, and through its people holding a role there (its mentors, its fund managers). Staff limited to
some incubators (organisation.scoping) see the partners working with one of theirs, and the partners working
with none anywhere yet (a new one, which any incubator may start an agreement with); another incubator's
partners are not listed, offered or exported, and their pages answer 404. Administrators and the Department's
officials (not limited), founders, and everyone in an installation with a single incubator see every partner.
Staff start an agreement with a partner another incubator works with through the new partner form: the same
name or tax code leads to that partner's take-in page (no second record)."""

from __future__ import annotations

import sqlalchemy as sa

from incubator.auth.models import User, UserRole
from incubator.extensions import db
from incubator.partners.models import Partner

# Each returns a Core SELECT of (partner_id, incubator_id) over a table, not an ORM entity, so that the scope's
# criteria never narrow "anywhere" to "here". The people's roles are read here; a higher package whose rows put a
# partner in an incubator (the mentoring package's agreements) registers its own at start-up.
_PRESENCE: list = []


def register_presence(where_a_partner_works) -> None:
    """A package whose rows put a partner in an incubator registers a function returning a Core SELECT of
    ``partner_id, incubator_id``. Called at start-up (twice registers once)."""
    if where_a_partner_works not in _PRESENCE:
        _PRESENCE.append(where_a_partner_works)


def _people():
    """A partner's people holding a role in an incubator (its mentors, fund managers, reviewers there)."""
    users, roles = User.__table__, UserRole.__table__
    return (sa.select(users.c.partner_id.label("partner_id"), roles.c.incubator_id.label("incubator_id"))
            .select_from(users.join(roles, roles.c.user_id == users.c.id))
            .where(users.c.partner_id.is_not(None), roles.c.incubator_id.is_not(None)))


register_presence(_people)


def visible_partners(partner_id=None):
    """The one rule of which partners this request's person may see, as a condition on ``partner_id`` (a column:
    Partner.id by default): true when they are not limited or there is a single incubator."""
    from incubator.organisation.current import several_incubators
    from incubator.organisation.scoping import current_scope

    partner_id = Partner.id if partner_id is None else partner_id
    ids = current_scope()
    if ids is None or not several_incubators():
        return sa.true()
    presence = sa.union_all(*(where() for where in _PRESENCE)).subquery("partner_presence")
    # Asked of each partner (EXISTS, correlated): one partner's check reads its own rows, not every partner's.
    here = sa.exists().where(presence.c.partner_id == partner_id, presence.c.incubator_id.in_(ids))
    anywhere = sa.exists().where(presence.c.partner_id == partner_id)
    return sa.or_(here, ~anywhere)


def partner_list(*where):
    """The partners this request's person sees, by name (a drop-down's or a list's), with these conditions."""
    return sa.select(Partner).where(visible_partners(), *where).order_by(Partner.name, Partner.id)


def partners(*where) -> list[Partner]:
    return list(db.session.scalars(partner_list(*where)))


def visible_partner(partner_id: int):
    """The partner with this id when this request's person may see it (else no row)."""
    return sa.select(Partner).where(Partner.id == partner_id, visible_partners())


def sees_partner(partner_id: int) -> bool:
    return db.session.scalar(sa.select(Partner.id).where(Partner.id == partner_id, visible_partners())) is not None


def partner_named(name: str | None, tax_code: str | None = None) -> Partner | None:
    """The partner holding this name (as typed, spaces around set aside) or this tax code, wherever it works, a
    partner being one record city-wide."""
    name = (name or "").strip()
    tax_code = (tax_code or "").strip()
    conditions = ([Partner.name == name] if name else []) + ([Partner.tax_code == tax_code] if tax_code else [])
    if not conditions:
        return None
    return db.session.scalars(sa.select(Partner).where(sa.or_(*conditions)).order_by(Partner.id)).first()


def in_another_incubator(name: str | None, tax_code: str | None = None) -> Partner | None:
    """The partner holding this name or tax code when this request's person does not see it: another
    incubator's, which their incubator may start an agreement with."""
    partner = partner_named(name, tax_code)
    return None if partner is None or sees_partner(partner.id) else partner
