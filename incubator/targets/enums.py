from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum


class TargetKind(LabelledEnum):
    INCUBATED_IT_RATIO = "incubated_it_ratio"
    GRADUATE_COUNT = "graduate_count"
    CERTIFIED_SHARE = "certified_share"

    @classmethod
    def labels(cls):
        return {
            cls.INCUBATED_IT_RATIO: _l("Share of IT businesses that are incubated startups"),
            cls.GRADUATE_COUNT: _l("Innovative digital-technology startups graduated"),
            cls.CERTIFIED_SHARE: _l("Share of IT businesses holding CMMI or ISO/IEC certificates"),
        }
