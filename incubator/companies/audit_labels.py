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
