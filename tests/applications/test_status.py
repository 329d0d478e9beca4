"""An application changes status through one door that checks the transition and audits it."""

import pytest

from incubator.applications.enums import TRANSITIONS, ApplicationStatus
from incubator.applications.services import TransitionRefused, change_status
from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role

S = ApplicationStatus


def test_allowed_transitions_are_recorded_with_who_from_to_and_why(make, db):
    staff = make.user(Role.STAFF)
    application = make.application()
    change_status(application, S.SUBMITTED, actor=application.created_by)
    change_status(application, S.UNDER_REVIEW, actor=staff)
    change_status(application, S.ACCEPTED, actor=staff, reason="Hội đồng thống nhất")
    db.session.commit()
    assert application.submitted_at is not None and application.decided_at is not None
    entries = db.session.query(AuditEntry).filter_by(action="application.status").order_by(AuditEntry.id).all()
    assert [(e.from_state, e.to_state) for e in entries] == [("draft", "submitted"), ("submitted", "under_review"),
                                                             ("under_review", "accepted")]
    assert entries[-1].actor_id == staff.id and entries[-1].reason == "Hội đồng thống nhất"


@pytest.mark.parametrize("start", list(S))
def test_every_transition_not_in_the_table_is_refused(start, make, db):
    staff = make.user(Role.STAFF)
    for target in S:
        if target in TRANSITIONS[start]:
            continue
        application = make.application(status=start)
        with pytest.raises(TransitionRefused):
            change_status(application, target, actor=staff)
        db.session.rollback()


def test_a_decided_application_cannot_be_withdrawn(make):
    application = make.application(status=S.REJECTED)
    with pytest.raises(TransitionRefused):
        change_status(application, S.WITHDRAWN, actor=application.created_by)


def test_one_application_per_company_per_round(make, db):
    import sqlalchemy as sa

    first = make.application()
    with pytest.raises(sa.exc.IntegrityError):
        make.application(intake_round=first.round, company=first.company)
    db.session.rollback()
