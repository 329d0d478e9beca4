"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from datetime import datetime

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit
from incubator.i18n import fmt_date
from incubator.requests.enums import CalendarDayKind, RequestStatus


def register() -> None:
    audit.register_object("business_requests", _l("Business's request"))
    audit.register_object("request_categories", _l("Category of requests"))
    audit.register_object("answering_bodies", _l("Body answering requests"))
    audit.register_object("calendar_days", _l("Announced day of the working calendar"))
    audit.register_name_words("calendar_days", _day_in_words)
    audit.register_states("business_requests", RequestStatus)
    audit.register_states("business_requests", {
        "published": _l("Published"),
        "satisfied": _l("Satisfied with the answer"),
        "not_satisfied": _l("Not satisfied with the answer"),
    })
    audit.register_states("calendar_days", CalendarDayKind)
    audit.register_actions({
        "request.file": _l("Request filed and acknowledged"),
        "request.file_on_behalf": _l("Request filed by staff on the business's behalf"),
        "request.consent": _l("Consent to publication changed by the business"),
        "request.withdraw": _l("Request withdrawn"),
        "request.route": _l("Request sent to the body that must answer"),
        "request.reroute": _l("Request sent to another body"),
        "request.ask_information": _l("Business asked for information"),
        "request.add_information": _l("Information added to a request"),
        "request.merge": _l("Request merged into another"),
        "request.decline": _l("Request declined"),
        "request.draft_answer": _l("Answer to a request drafted"),
        "request.answer": _l("Answer approved and sent"),
        "request.rate": _l("Answer rated by the business"),
        "request.prepare_publication": _l("Request prepared for publication"),
        "request.publish": _l("Answer published"),
        "request.unpublish": _l("Answer withdrawn from publication"),
        "request_category.create": _l("Category of requests added"),
        "request_category.update": _l("Category of requests changed"),
        "answering_body.create": _l("Answering body added"),
        "answering_body.update": _l("Answering body changed"),
        "calendar_day.create": _l("Day added to the working calendar"),
        "calendar_day.delete": _l("Day removed from the working calendar"),
    })


def _day_in_words(name: str) -> str:
    """A calendar day is recorded by its date ("2027-01-02"; entries written before 03/12/2026 hold
    "02/01/2027"): it reads with its day of the week, "Thứ Bảy, 02/01/2027", so that the log's page says which
    day it was and its spreadsheet export holds words rather than a date written as text."""
    for shape in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(name.strip(), shape).date()
        except ValueError:
            continue
        return f"{format_date(day, 'EEEE')}, {fmt_date(day)}"
    return name
