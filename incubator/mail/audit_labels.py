"""What the audit log reads for this domain's objects and states (registered with it at start-up)."""

from flask_babel import lazy_gettext as _l

from incubator.audit import labels as audit
from incubator.mail.models import OutboxStatus


def register() -> None:
    audit.register_object("mail_outbox", _l("E-mail message"))
    audit.register_states("mail_outbox", OutboxStatus)
