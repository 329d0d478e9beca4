"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit
from incubator.companies.enums import MembershipStatus, ResidencyKind


def register() -> None:
    audit.register_object("companies", _l("Business"))
    audit.register_object("company_members", _l("Founder's link to a business"))
    audit.register_object("residencies", _l("Residency"))
    audit.register_states("companies", {"registered": _l("Registered"), "verified": _l("Verified"),
                                        "unverified": _l("Not yet verified")})
    audit.register_states("company_members", MembershipStatus)
    audit.register_states("residencies", ResidencyKind)
    audit.register_actions({
        "company.create": _l("Company registered"),
        "company.update": _l("Company details changed"),
        "company.verify": _l("Company verified by staff"),
        "residency.create": _l("Residency added"),
        "residency.update": _l("Residency changed"),
        "residency.end": _l("Residency ended"),
        "membership.create": _l("Founder joined a company's file"),
        "membership.request": _l("Founder asked to join a company's file"),
        "membership.decide": _l("Request to join a company's file decided"),
    })
