"""The audit log's entries and the outbox's messages belong to an incubator, or to the installation (issue 20):
an entry takes its object's incubator, else the one its author works in; a message the incubator of what it
tells of, else the one of the work that queues it. Staff limited to an incubator read its entries and messages
only; the installation's (an administrator's work on accounts) only while there is a single incubator."""

from __future__ import annotations

import sqlalchemy as sa

from incubator.audit import services as audit
from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.mail import services as mail
from incubator.mail.models import OutboxMessage
from incubator.organisation import services as organisation
from incubator.organisation.current import use_incubator
from incubator.organisation.models import Incubator
from tests.helpers import login, post_form


def _two(db):
    hn1 = db.session.scalar(sa.select(Incubator).order_by(Incubator.id))
    hn2 = organisation.create("HN2", "Vườn ươm Hà Nội 2", "Hà Nội incubator 2")
    db.session.commit()
    return hn1.id, hn2.id


def test_an_entry_takes_its_objects_incubator_else_the_one_of_the_work_else_none(make, db):
    hn1, hn2 = _two(db)
    with use_incubator(hn1):
        cohort = make.cohort(name="Khóa HN1")
    with use_incubator(hn2):  # a command working in HN2
        about_hn1 = audit.record("cohort.update", cohort, to_state="x")
        about_nothing = audit.record("register.import", object_type="register", label="tệp.xlsx")
        about_hn2 = audit.record("incubator.update", db.session.get(Incubator, hn2))
    about_the_installation = audit.record("user.create", make.user(Role.STAFF, incubator=hn1))
    made_directly = make.audit_entry(action="test.placed")  # through the ORM, not record: placed all the same
    db.session.commit()
    assert (about_hn1.incubator_id, about_nothing.incubator_id, about_hn2.incubator_id) == (hn1, hn2, hn2)
    assert about_the_installation.incubator_id is None  # several incubators, none chosen: the installation's
    assert made_directly.incubator_id is None


def test_a_message_takes_the_incubator_of_what_it_tells_of_else_the_one_of_the_work(make, db):
    hn1, hn2 = _two(db)
    with use_incubator(hn1):
        cohort = make.cohort(name="Khóa HN1")
    founder = make.user()
    with use_incubator(hn2):  # a command working in HN2 mails about HN1's cohort: HN1's message
        told_of_hn1 = mail.send_to(founder, "verify_email", "Xác nhận", link="http://localhost/x", cohort=cohort)
        queued_in_hn2 = mail.queue("a@vuonuom.example", "Chủ đề", "Nội dung", "test")
    with use_incubator(hn1):
        made_in_hn1 = make.outbox_message()
    of_the_installation = mail.queue("b@vuonuom.example", "Chủ đề", "Nội dung", "test")
    db.session.commit()
    assert told_of_hn1 is not None
    assert (told_of_hn1.incubator_id, queued_in_hn2.incubator_id, made_in_hn1.incubator_id) == (hn1, hn2, hn1)
    assert of_the_installation.incubator_id is None


def test_staff_read_their_incubators_entries_and_messages_only_an_administrator_every_one(make, db, client_factory):
    hn1, hn2 = _two(db)
    staff_of_hn2, admin = make.user(Role.STAFF, incubator=hn2), make.user(Role.ADMIN)
    with use_incubator(hn1):
        audit.record("cohort.create", make.cohort(name="Khóa HN1"), to_state="created")
        hn1_mail = make.outbox_message(subject="Thư của HN1")
    with use_incubator(hn2):
        audit.record("cohort.create", make.cohort(name="Khóa HN2"), to_state="created")
        hn2_mail = make.outbox_message(subject="Thư của HN2")
    person = make.user(Role.STAFF, incubator=hn1, email="nguoi.hn1@vuonuom.example")
    db.session.commit()
    # An administrator works across the network: a person's account is the installation's business.
    client = client_factory()
    login(client, admin)
    response = post_form(client, f"/admin/users/{person.id}/deactivate", {"reason": "Nghỉ việc"},
                         token_from=f"/admin/users/{person.id}")
    assert response.status_code == 302
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.deactivate"))
    assert entry.incubator_id is None
    every = client.get("/audit/").get_data(as_text=True)
    assert all(text in every for text in ("Khóa HN1", "Khóa HN2", "nguoi.hn1@vuonuom.example"))
    assert client.get(f"/outbox/{hn1_mail.id}").status_code == 200

    client = client_factory()
    login(client, staff_of_hn2)
    page = client.get("/audit/").get_data(as_text=True)
    assert "Khóa HN2" in page
    assert "Khóa HN1" not in page and "nguoi.hn1@vuonuom.example" not in page
    outbox = client.get("/outbox/").get_data(as_text=True)
    assert "Thư của HN2" in outbox and "Thư của HN1" not in outbox
    assert client.get(f"/outbox/{hn2_mail.id}").status_code == 200
    assert client.get(f"/outbox/{hn1_mail.id}").status_code == 404
    # What staff working in HN2 do is HN2's, whatever it is about (signing out: their account).
    assert post_form(client, "/logout", {}, token_from="/audit/").status_code == 302
    logout = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.logout",
                                                          AuditEntry.actor_id == staff_of_hn2.id))
    assert logout.incubator_id == hn2


def test_with_a_single_incubator_staff_read_the_installations_entries_and_messages_too(make, db, client_factory):
    """Nothing changes with one incubator, even for a row written without one (before the migration placed it)."""
    db.session.execute(sa.insert(AuditEntry).values(action="user.create", object_type="users", object_id="1",
                                                     object_label="cu.nguoi@vuonuom.example"))
    db.session.execute(sa.insert(OutboxMessage).values(to_address="cu@vuonuom.example", subject="Thư cũ",
                                                       body_text="Nội dung", purpose="test", attempts=0,
                                                       status="queued"))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.incubator_id.is_(None))) >= 1
    client = client_factory()
    login(client, make.user(Role.STAFF))
    assert "cu.nguoi@vuonuom.example" in client.get("/audit/").get_data(as_text=True)
    assert "Thư cũ" in client.get("/outbox/").get_data(as_text=True)


def test_an_event_mailed_for_one_incubator_is_not_mailed_again_from_another(make, db):
    """The event's key is unique across the outbox: a request limited to HN2 finds HN1's message of it."""
    from incubator.organisation.scoping import scoped_to

    hn1, hn2 = _two(db)
    with use_incubator(hn1):
        first = mail.queue("c@vuonuom.example", "Chủ đề", "Nội dung", "test", event="report.final:1")
    db.session.commit()
    with use_incubator(hn2), scoped_to({hn2}):
        assert mail.already_sent("report.final:1", "c@vuonuom.example")
        assert mail.queue("c@vuonuom.example", "Chủ đề", "Nội dung", "test", event="report.final:1") is None
    assert first.incubator_id == hn1
