from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum


class Decision(LabelledEnum):
    GRADUATED = "graduated"
    EXTENDED = "extended"
    WITHDRAWN = "withdrawn"
    FAILED = "failed"

    @classmethod
    def labels(cls):
        return {
            cls.GRADUATED: _l("Graduated"),
            cls.EXTENDED: _l("Extended"),
            cls.WITHDRAWN: _l("Withdrawn"),
            cls.FAILED: _l("Failed"),
        }


class Pillar(LabelledEnum):
    GOVERNMENT = "government"
    ECONOMY = "economy"
    SOCIETY = "society"

    @classmethod
    def labels(cls):
        return {
            cls.GOVERNMENT: _l("Digital government"),
            cls.ECONOMY: _l("Digital economy"),
            cls.SOCIETY: _l("Digital society"),
        }
