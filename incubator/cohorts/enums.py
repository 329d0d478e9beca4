from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum, state_machine


class Rhythm(LabelledEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"

    @classmethod
    def labels(cls):
        return {cls.MONTHLY: _l("Monthly"), cls.QUARTERLY: _l("Quarterly")}


class MemberStatus(LabelledEnum):
    ACTIVE = "active"
    GRADUATED = "graduated"
    EXTENDED = "extended"
    WITHDRAWN = "withdrawn"
    FAILED = "failed"

    @classmethod
    def labels(cls):
        return {
            cls.ACTIVE: _l("In incubation"),
            cls.GRADUATED: _l("Graduated"),
            cls.EXTENDED: _l("Extended"),
            cls.WITHDRAWN: _l("Withdrawn"),
            cls.FAILED: _l("Did not complete"),
        }


# A member leaves once; an extended member stays in incubation and leaves later.
MEMBER_TRANSITIONS = state_machine({
    MemberStatus.ACTIVE: frozenset({MemberStatus.GRADUATED, MemberStatus.EXTENDED, MemberStatus.WITHDRAWN,
                                    MemberStatus.FAILED}),
    MemberStatus.EXTENDED: frozenset({MemberStatus.GRADUATED, MemberStatus.WITHDRAWN, MemberStatus.FAILED}),
    MemberStatus.GRADUATED: frozenset(),
    MemberStatus.WITHDRAWN: frozenset(),
    MemberStatus.FAILED: frozenset(),
})
IN_INCUBATION = frozenset({MemberStatus.ACTIVE, MemberStatus.EXTENDED})


class ProductStatus(LabelledEnum):
    IDEA = "idea"
    PROTOTYPE = "prototype"
    PILOT = "pilot"
    ON_MARKET = "on_market"
    SCALING = "scaling"

    @classmethod
    def labels(cls):
        return {
            cls.IDEA: _l("Idea"),
            cls.PROTOTYPE: _l("Prototype"),
            cls.PILOT: _l("Pilot with customers"),
            cls.ON_MARKET: _l("On the market"),
            cls.SCALING: _l("Growing"),
        }


class ReportStatus(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"

    @classmethod
    def labels(cls):
        return {cls.DRAFT: _l("Draft"), cls.SUBMITTED: _l("Submitted")}


class ServiceKind(LabelledEnum):
    TRAINING = "training"
    CONSULTING = "consulting"
    OFFICE = "office"
    CMMI_ISO = "cmmi_iso"
    INVESTOR = "investor"
    MARKET = "market"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {
            cls.TRAINING: _l("Training course"),
            cls.CONSULTING: _l("Consulting"),
            cls.OFFICE: _l("Office space"),
            cls.CMMI_ISO: _l("CMMI/ISO support"),
            cls.INVESTOR: _l("Investor connection"),
            cls.MARKET: _l("Market or trade promotion"),
            cls.OTHER: _l("Other"),
        }
