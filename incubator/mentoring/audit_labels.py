"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit
from incubator.mentoring.enums import SessionStatus


def register() -> None:
    audit.register_object("partner_agreements", _l("Partner's agreement"))
    audit.register_object("mentor_profiles", _l("Mentor's profile"))
    audit.register_object("mentor_assignments", _l("Mentor's assignment"))
    audit.register_object("mentoring_sessions", _l("Mentoring session"))
    audit.register_object("calendar_tokens", _l("Calendar address"))
    audit.register_states("mentoring_sessions", SessionStatus)
    audit.register_actions({
        "agreement.create": _l("Agreement recorded"),
        "agreement.update": _l("Agreement changed"),
        "mentor.profile": _l("Mentor's profile saved"),
        "mentor.assign": _l("Mentor assigned"),
        "mentor.unassign": _l("Mentor's assignment ended"),
        "session.create": _l("Mentoring session logged"),
        "session.update": _l("Mentoring session changed"),
        "session.status": _l("Mentoring session status changed"),
        "calendar.token": _l("Calendar address made"),
    })
