from flask_babel import lazy_gettext as _l

from incubator.enums import LabelledEnum, state_machine


class Topic(LabelledEnum):
    """The shared list of mentoring topics: a mentor's expertise, a session's subjects."""

    PRODUCT = "product"
    TECHNOLOGY = "technology"
    SALES = "sales"
    MARKETING = "marketing"
    FINANCE = "finance"
    LEGAL = "legal"
    FUNDRAISING = "fundraising"
    CMMI_ISO = "cmmi_iso"
    PUBLIC_SECTOR = "public_sector"
    PEOPLE = "people"

    @classmethod
    def labels(cls):
        return {
            cls.PRODUCT: _l("Product"),
            cls.TECHNOLOGY: _l("Technology"),
            cls.SALES: _l("Sales"),
            cls.MARKETING: _l("Marketing"),
            cls.FINANCE: _l("Finance and accounting"),
            cls.LEGAL: _l("Legal"),
            cls.FUNDRAISING: _l("Fundraising"),
            cls.CMMI_ISO: _l("CMMI/ISO"),
            cls.PUBLIC_SECTOR: _l("Public-sector customers"),
            cls.PEOPLE: _l("Hiring and team"),
        }


# Words that, found in what a startup wrote (its application, its latest "help needed"), point to a topic.
TOPIC_WORDS = {
    Topic.PRODUCT: ("san pham", "product", "tinh nang", "trai nghiem", "ux"),
    Topic.TECHNOLOGY: ("cong nghe", "ky thuat", "technology", "he thong", "du lieu", "ai", "bao mat", "dam may"),
    Topic.SALES: ("ban hang", "doanh thu", "khach hang", "sales", "customer"),
    Topic.MARKETING: ("marketing", "thuong hieu", "truyen thong", "brand"),
    Topic.FINANCE: ("tai chinh", "ke toan", "thue", "finance", "accounting", "tax"),
    Topic.LEGAL: ("phap ly", "hop dong", "luat", "legal", "ca nhan", "so huu tri tue"),
    Topic.FUNDRAISING: ("goi von", "dau tu", "nha dau tu", "quy", "fundrais", "investor"),
    Topic.CMMI_ISO: ("cmmi", "iso", "quy trinh"),
    Topic.PUBLIC_SECTOR: ("chinh quyen", "co quan nha nuoc", "so y te", "phuong", "ubnd", "dich vu cong", "public"),
    Topic.PEOPLE: ("tuyen dung", "nhan su", "doi ngu", "hiring", "team"),
}


class SessionMode(LabelledEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"

    @classmethod
    def labels(cls):
        return {cls.IN_PERSON: _l("In person"), cls.ONLINE: _l("Online")}


class SessionStatus(LabelledEnum):
    SCHEDULED = "scheduled"  # planned, in the future
    HELD = "held"  # logged by the mentor as having taken place; waits for the founders
    CONFIRMED = "confirmed"  # the founders (or staff resolving a dispute) confirmed it: it counts in hours
    DISPUTED = "disputed"  # the founders say it did not happen as logged; staff resolve
    CANCELLED = "cancelled"

    @classmethod
    def labels(cls):
        return {
            cls.SCHEDULED: _l("Scheduled"),
            cls.HELD: _l("Held, to confirm"),
            cls.CONFIRMED: _l("Confirmed"),
            cls.DISPUTED: _l("Disputed"),
            cls.CANCELLED: _l("Cancelled"),
        }


S = SessionStatus
SESSION_TRANSITIONS = state_machine({
    S.SCHEDULED: frozenset({S.HELD, S.CANCELLED}),
    S.HELD: frozenset({S.CONFIRMED, S.DISPUTED, S.CANCELLED}),
    S.DISPUTED: frozenset({S.CONFIRMED, S.CANCELLED}),
    S.CONFIRMED: frozenset(),
    S.CANCELLED: frozenset(),
})
