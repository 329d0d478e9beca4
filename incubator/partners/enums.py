from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum


class PartnerKind(LabelledEnum):
    ASSOCIATION = "association"
    SOFTWARE_COMPANY = "software_company"
    FUND_MANAGER = "fund_manager"
    UNIVERSITY = "university"
    PUBLIC_AGENCY = "public_agency"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {
            cls.ASSOCIATION: _l("Association"),
            cls.SOFTWARE_COMPANY: _l("Software company"),
            cls.FUND_MANAGER: _l("Fund management company"),
            cls.UNIVERSITY: _l("University"),
            cls.PUBLIC_AGENCY: _l("Public agency"),
            cls.OTHER: _l("Other"),
        }
