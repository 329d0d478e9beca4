"""Who may do what with certificates and the list of standards: the one place each rule lives.

- Staff (administrators too) keep the list of standards, record, correct, revoke and delete certificates on a
  business's file, and verify or refuse what founders submit.
- A founder holding a business's file submits its certificates for staff to verify, and sees them.
- Officials read the evidence behind the third target's figure, as they read the register's."""

from __future__ import annotations

from incubator.auth.enums import Role
from incubator.auth.permissions import has_role, is_staff
from incubator.companies.permissions import holds_company


def can_keep_certificates(user) -> bool:
    return is_staff(user)


def can_submit_certificates(user) -> bool:
    """A founder (which business: :func:`can_submit_certificate_of`)."""
    return has_role(user, Role.FOUNDER)


def can_submit_certificate_of(user, company) -> bool:
    return can_submit_certificates(user) and holds_company(user, company.id)


def can_open_evidence(user) -> bool:
    """Whose door the evidence's download is (which certificate: :func:`can_read_certificate`)."""
    return has_role(user, Role.STAFF, Role.ADMIN, Role.OFFICIAL, Role.FOUNDER)


def can_read_certificate(user, certificate, *, sees_company: bool) -> bool:
    """Staff who see the business, officials, and the founders holding its file. ``sees_company``: whether the
    request's person may see the business (companies.queries.sees_company)."""
    if is_staff(user):
        return sees_company
    if has_role(user, Role.OFFICIAL):
        return True
    return can_submit_certificate_of(user, certificate.company)


def register(app) -> None:
    """Expose the predicates and the standing of a certificate to templates."""
    from incubator.certificates.queries import certificates_of, company_certificates, standing

    app.jinja_env.globals.update(can_keep_certificates=can_keep_certificates, certificate_standing=standing,
                                 can_submit_certificate_of=can_submit_certificate_of,
                                 company_certificates=company_certificates, certificates_of_companies=certificates_of)
