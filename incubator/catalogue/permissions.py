"""Who may do what with the catalogue: the one place each rule lives.

- Anyone, signed in or not, reads the listed products (approved, consented to, of an incubated or graduated
  startup) and writes to a business through its product's page.
- A founder holding a business's file (an approved CompanyMember) writes and changes its entries, and
  withdraws or gives again the business's consent to be listed; only for an incubated or graduated startup.
- Staff approve or refuse a change of an entry whose business is listed under one of their incubators
  (administrators, and staff of a single incubator, everywhere); staff keep the list of product groups."""

from __future__ import annotations

from incubator.auth.enums import Role
from incubator.auth.permissions import has_role, is_staff
from incubator.companies.permissions import holds_company


def can_keep_product_groups(user) -> bool:
    return is_staff(user)


def can_write_entries(user) -> bool:
    """A founder (which business: :func:`can_write_entry_of`)."""
    return has_role(user, Role.FOUNDER)


def can_write_entry_of(user, company) -> bool:
    from incubator.catalogue.queries import may_be_listed

    return can_write_entries(user) and holds_company(user, company.id) and may_be_listed(company.id)


def can_review_entries(user) -> bool:
    """Staff (which entry: :func:`can_review_entry`)."""
    return is_staff(user)


def staff_scope():
    """The incubators whose entries this request's staff decide on (None: every incubator)."""
    from incubator.organisation.current import several_incubators
    from incubator.organisation.scoping import current_scope

    return current_scope() if several_incubators() else None


def can_review_entry(user, entry) -> bool:
    from incubator.catalogue.queries import listed_in

    if not can_review_entries(user):
        return False
    places = listed_in(entry.company_id)
    scope = staff_scope()
    return bool(places) and (scope is None or bool(places & set(scope)))


def register(app) -> None:
    """Expose the predicates to templates, and ``public_address`` (urls.external_url: the canonical links)."""
    from incubator.urls import external_url

    app.jinja_env.globals.update(public_address=external_url, can_keep_product_groups=can_keep_product_groups,
                                 can_write_entry_of=can_write_entry_of, can_review_entries=can_review_entries)
