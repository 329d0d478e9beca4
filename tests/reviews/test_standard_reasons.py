"""A new incubator starts with the standard reasons for rejection, the six the migration gave the first one."""

from __future__ import annotations

import sqlalchemy as sa

from incubator.applications.enums import ApplicationStatus
from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.organisation import services as organisation
from incubator.organisation.scoping import scoped_to
from incubator.reviews.decisions import copy_standard_reasons
from incubator.reviews.enums import STANDARD_REJECTION_REASONS
from incubator.reviews.models import RejectionReason


def _reasons(incubator) -> list[tuple]:
    return [(r.position, r.label_vi, r.label_en, r.active) for r in db_reasons(incubator)]


def db_reasons(incubator):
    from incubator.extensions import db

    return db.session.scalars(sa.select(RejectionReason).where(RejectionReason.incubator_id == incubator.id)
                              .order_by(RejectionReason.position)).all()


def test_a_new_incubator_gets_the_standard_reasons_audited_and_the_first_keeps_its_own(make, db):
    first = db.session.scalar(sa.select(organisation.Incubator))
    assert _reasons(first) == []  # the default incubator of a database made without the migrations: as before
    mine = make.rejection_reason(label_vi="Lý do riêng của VUHN", label_en="VUHN's own")
    admin = make.user()
    with scoped_to([first.id]):  # whatever the incubators the block is limited to
        hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", actor=admin)
    db.session.commit()
    assert _reasons(hn2) == [(i, vi, en, True) for i, (vi, en) in enumerate(STANDARD_REJECTION_REASONS, start=1)]
    assert len(STANDARD_REJECTION_REASONS) == 6
    assert [r.id for r in db_reasons(first)] == [mine.id]
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "review.reason.add")).all()
    assert len(entries) == 6 and {e.actor_id for e in entries} == {admin.id}
    assert copy_standard_reasons(hn2) == []  # an incubator with reasons keeps them as they are



def test_an_administrator_deciding_in_hn2_is_offered_hn2s_reasons_only(make, db, login_as):
    from incubator.organisation.current import use_incubator

    make.rejection_reason(label_vi="Lý do riêng của VUHN", label_en="VUHN's own")
    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", actor=None)
    db.session.commit()
    with use_incubator(hn2):
        stage = make.review_stage()
        application = make.application(intake_round=stage.round, status=ApplicationStatus.UNDER_REVIEW)
        entry = make.stage_entry(stage, application)
    client, _ = login_as(Role.ADMIN)
    response = client.get(f"/reviews/entries/{entry.id}/decide")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert STANDARD_REJECTION_REASONS[0][0] in page and "Lý do riêng của VUHN" not in page


def test_an_administrator_reads_each_incubators_reasons_marked_with_its_code(make, db, login_as):
    make.rejection_reason(label_vi="Lý do riêng của VUHN", label_en="VUHN's own")
    organisation.create("HN2", "Vườn ươm Hà Nội 2", actor=None)
    db.session.commit()
    admin, _ = login_as(Role.ADMIN)
    page = admin.get("/reviews/reasons").get_data(as_text=True)
    assert page.index("Lý do riêng của VUHN") < page.index(STANDARD_REJECTION_REASONS[0][0])  # VUHN's first
    assert page.count('reason-incubator">HN2<') == 6 and page.count('reason-incubator">VUHN<') == 1
    staff, _ = login_as(Role.STAFF)  # of VUHN: its own list, unmarked
    page = staff.get("/reviews/reasons").get_data(as_text=True)
    assert "Lý do riêng của VUHN" in page and "reason-incubator" not in page
    assert STANDARD_REJECTION_REASONS[0][0] not in page
