"""The outcomes' two doors, called as the command line and the imports call them: ``record_outcome`` refuses a
decision without its day, dated out of bounds, with a link that is no web address, or recorded twice on one day,
and writes nothing then; what it records, and what ``update_outcome`` changes, is audited with who and what."""

from datetime import date, timedelta

import pytest

from incubator import bounds
from incubator.audit.models import AuditEntry
from incubator.auth.enums import Role
from incubator.errors import Conflict, DomainError
from incubator.outcomes.enums import Decision, Pillar
from incubator.outcomes.services import record_outcome, update_outcome
from tests.helpers import nothing_written

DAY = date(2025, 6, 30)


@pytest.mark.parametrize(("decided_on", "evidence_url", "field"), [
    (None, None, "decided_on"),
    (date(1989, 12, 31), None, "decided_on"),
    ("a month and a day ahead", None, "decided_on"),
    (DAY, "ftp://example.vn/hop-dong.pdf", "evidence_url"),
    (DAY, "javascript:alert(1)", "evidence_url"),
])
def test_an_outcome_without_its_day_out_of_bounds_or_with_a_link_that_is_no_web_address_is_refused(
        make, db, decided_on, evidence_url, field):
    company = make.company()
    if decided_on == "a month and a day ahead":
        decided_on = bounds.today() + timedelta(days=32)
    with nothing_written(), pytest.raises(DomainError) as refused:
        record_outcome(company, decision=Decision.GRADUATED, decided_on=decided_on, evidence_url=evidence_url)
    assert refused.value.field == field
    db.session.rollback()


def test_the_same_decision_twice_on_one_day_is_refused_and_another_decision_that_day_is_not(make, db):
    company = make.company()
    record_outcome(company, decision=Decision.EXTENDED, decided_on=DAY)
    db.session.commit()
    with nothing_written(), pytest.raises(DomainError) as refused:
        record_outcome(company, decision=Decision.EXTENDED, decided_on=DAY)
    assert refused.value.field == "decided_on"
    db.session.rollback()
    record_outcome(company, decision=Decision.GRADUATED, decided_on=DAY)  # a different decision
    record_outcome(make.company(), decision=Decision.EXTENDED, decided_on=DAY)  # another company


def test_a_recorded_outcome_is_stripped_and_audited_with_its_pillars_and_evidence(make, db):
    staff = make.user(Role.STAFF)
    company = make.company(name="Công ty TNHH Kết Quả")
    outcome = record_outcome(company, decision="graduated", decided_on=DAY, actor=staff,
                             pillars=["economy", Pillar.SOCIETY], product="  Ví điện tử  ", evidence_text="   ",
                             evidence_url="https://example.vn/hop-dong", unknown_field="ignored")
    db.session.commit()
    assert outcome.decision is Decision.GRADUATED and outcome.pillars == [Pillar.ECONOMY, Pillar.SOCIETY]
    assert outcome.product == "Ví điện tử" and outcome.evidence_text is None and outcome.has_evidence
    entry = db.session.query(AuditEntry).filter_by(action="outcome.create").one()
    assert (entry.actor_id, entry.object_label, entry.to_state) == (staff.id, "Công ty TNHH Kết Quả", "graduated")
    assert entry.details == {"company_id": company.id, "decided_on": "2025-06-30",
                             "pillars": ["economy", "society"], "evidence": True}


def test_an_update_records_what_changed_and_an_unchanged_one_records_nothing(make, db):
    staff = make.user(Role.STAFF)
    outcome = record_outcome(make.company(), decision=Decision.EXTENDED, decided_on=DAY, pillars=["economy"])
    db.session.commit()
    update_outcome(outcome, actor=staff, version=outcome.version_id, decision="graduated", pillars=["government"],
                   reason="Đã ký hợp đồng")
    db.session.commit()
    entry = db.session.query(AuditEntry).filter_by(action="outcome.update").one()
    assert (entry.from_state, entry.to_state, entry.reason) == ("extended", "graduated", "Đã ký hợp đồng")
    assert entry.details["changed"] == {"decision": ["extended", "graduated"], "pillars": [["economy"],
                                                                                           ["government"]]}
    with nothing_written():
        update_outcome(outcome, actor=staff, version=outcome.version_id, decision="graduated",
                       pillars=["government"])
        db.session.commit()


def test_an_update_on_an_old_version_or_onto_a_recorded_decision_is_refused(make, db):
    company = make.company()
    record_outcome(company, decision=Decision.GRADUATED, decided_on=DAY)
    outcome = record_outcome(company, decision=Decision.EXTENDED, decided_on=DAY - timedelta(days=90))
    db.session.commit()
    with nothing_written():
        with pytest.raises(Conflict):
            update_outcome(outcome, version=outcome.version_id - 1, note="Ghi chú")
        db.session.rollback()
        with pytest.raises(DomainError):
            update_outcome(outcome, version=outcome.version_id, decision="graduated", decided_on=DAY)
        db.session.rollback()
