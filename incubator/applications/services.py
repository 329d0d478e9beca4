"""Applications change status through one door, which checks the transition and audits it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from incubator.applications.enums import DECIDED, TRANSITIONS, ApplicationStatus
from incubator.applications.models import Application
from incubator.audit import services as audit
from incubator.db import utcnow
from incubator.errors import DomainError
from incubator.extensions import db


class TransitionRefused(DomainError):
    status_code = 409


def change_status(application: Application, to: ApplicationStatus, *, actor, reason: str | None = None,
                  details: dict | None = None) -> Application:
    to = ApplicationStatus(to)
    current = application.status
    if to not in TRANSITIONS[current]:
        raise TransitionRefused(_l("An application that is %(from)s cannot become %(to)s.",
                                   **{"from": current.label, "to": to.label}))
    application.status = to
    now = utcnow()
    if to is ApplicationStatus.SUBMITTED:
        application.submitted_at = now
    if to in DECIDED:
        application.decided_at = now
    db.session.flush()
    audit.record("application.status", application, label=application.reference or f"#{application.id}",
                 from_state=current.value, to_state=to.value, reason=reason, actor=actor, details=details)
    return application
