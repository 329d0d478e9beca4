from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum


class ResidencyKind(LabelledEnum):
    INCUBATED = "incubated"
    PARTNER_OFFICE = "partner_office"
    SERVICE_TENANT = "service_tenant"
    ALUMNUS = "alumnus"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {
            cls.INCUBATED: _l("Incubated startup"),
            cls.PARTNER_OFFICE: _l("Partner office"),
            cls.SERVICE_TENANT: _l("Service tenant"),
            cls.ALUMNUS: _l("Alumnus staying on"),
            cls.OTHER: _l("Other"),
        }


class MembershipStatus(LabelledEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"

    @classmethod
    def labels(cls):
        return {
            cls.PENDING: _l("Awaiting approval"),
            cls.APPROVED: _l("Approved"),
            cls.REJECTED: _l("Rejected"),
        }
