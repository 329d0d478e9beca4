from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum


class PipelineStage(LabelledEnum):
    SCREENING = "screening"
    FIRST_MEETING = "first_meeting"
    DUE_DILIGENCE = "due_diligence"
    TERM_SHEET = "term_sheet"
    INVESTED = "invested"
    PASSED = "passed"

    @classmethod
    def labels(cls):
        return {
            cls.SCREENING: _l("Screening"),
            cls.FIRST_MEETING: _l("First meeting"),
            cls.DUE_DILIGENCE: _l("Due diligence"),
            cls.TERM_SHEET: _l("Term sheet"),
            cls.INVESTED: _l("Invested"),
            cls.PASSED: _l("Passed on it (no investment)"),  # not "Passed" as an eligibility rule is
        }


class Instrument(LabelledEnum):
    EQUITY = "equity"
    CONVERTIBLE = "convertible"
    SAFE = "safe"
    GRANT = "grant"
    LOAN = "loan"

    @classmethod
    def labels(cls):
        return {
            cls.EQUITY: _l("Shares"),
            cls.CONVERTIBLE: _l("Convertible note"),
            cls.SAFE: _l("SAFE"),
            cls.GRANT: _l("Grant"),
            cls.LOAN: _l("Loan"),
        }
