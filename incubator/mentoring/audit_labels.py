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
