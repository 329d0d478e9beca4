"""Graduation outcomes: one function records, one changes; both audited.

`company` below is a register company (companies.models.Company, which sits above outcomes): anything with
`id` and `name` is enough here, so outcomes does not import companies."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from incubator import bounds
from incubator.audit import services as audit
from incubator.errors import DomainError, expect_version
from incubator.extensions import db
from incubator.outcomes.enums import Decision
from incubator.outcomes.models import GraduationOutcome

FIELDS = ("decision", "decided_on", "cohort_name", "product", "evidence_text", "evidence_url", "note")


def _clean(value):
    if isinstance(value, str):
        return value.strip() or None
    return value


def _check(company, decision: Decision, decided_on: date | None, evidence_url: str | None,
           exclude_id: int | None = None) -> None:
    """A decision is dated when it is taken: not before 1990, at most a month ahead (bounds.DECISION: a
    cohort's outcome may be decided now for the end of the month, as cohorts.services.leave allows)."""
    if decided_on is None:
        raise DomainError(_l("Enter the date of the decision."), field="decided_on")
    bounds.DECISION.check(decided_on, "decided_on")
    if evidence_url and not evidence_url.lower().startswith(("http://", "https://")):
        raise DomainError(_l("A link starts with http:// or https://."), field="evidence_url")
    clash = db.session.query(GraduationOutcome.id).filter(
        GraduationOutcome.company_id == company.id, GraduationOutcome.decision == decision,
        GraduationOutcome.decided_on == decided_on, GraduationOutcome.id != (exclude_id or 0)).first()
    if clash is not None:
        raise DomainError(_l("The same decision on the same day is already recorded for this company."),
                          field="decided_on")


def record_outcome(company, *, decision, decided_on: date, pillars=(), actor=None,
                   evidence_file: str | None = None, evidence_filename: str | None = None,
                   **fields) -> GraduationOutcome:
    decision = Decision(decision)
    fields = {k: _clean(v) for k, v in fields.items() if k in FIELDS}
    # The business locked first, as a residency's record does: two outcomes of one business recorded at once take
    # turns (the same decision on the same day is found, and where the business is, kept by companies.presence,
    # is rewritten by one at a time instead of the two deadlocking on PostgreSQL).
    if company.id is not None:  # (its class as given: the register's companies come after outcomes)
        business = type(company)
        db.session.execute(sa.select(business.id).where(business.id == company.id).with_for_update())
    _check(company, decision, decided_on, fields.get("evidence_url"))
    outcome = GraduationOutcome(company=company, decision=decision, decided_on=decided_on,
                                evidence_file=evidence_file, evidence_filename=evidence_filename, **fields)
    outcome.pillars = pillars
    db.session.add(outcome)
    db.session.flush()
    audit.record("outcome.create", outcome, label=company.name, to_state=decision.value, actor=actor,
                 details={"company_id": company.id, "decided_on": decided_on.isoformat(),
                          "pillars": [p.value for p in outcome.pillars], "evidence": outcome.has_evidence})
    return outcome


def update_outcome(outcome: GraduationOutcome, *, pillars=None, actor=None, version=None,
                   evidence_file: str | None = None, evidence_filename: str | None = None,
                   remove_evidence_file: bool = False, reason: str | None = None, **fields) -> GraduationOutcome:
    expect_version(outcome, version)
    fields = {k: _clean(v) for k, v in fields.items() if k in FIELDS}
    decision = Decision(fields.get("decision", outcome.decision))
    decided_on = fields.get("decided_on", outcome.decided_on)
    _check(outcome.company, decision, decided_on, fields.get("evidence_url", outcome.evidence_url),
           exclude_id=outcome.id)
    before = outcome.decision.value
    changed = audit.apply_changes(outcome, {key: Decision(value) if key == "decision" else value
                                            for key, value in fields.items()})
    if pillars is not None:
        old = [p.value for p in outcome.pillars]
        outcome.pillars = pillars
        new = [p.value for p in outcome.pillars]
        if old != new:
            changed["pillars"] = [old, new]
    if evidence_file:
        changed["evidence_file"] = [outcome.evidence_filename, evidence_filename]
        outcome.evidence_file, outcome.evidence_filename = evidence_file, evidence_filename
    elif remove_evidence_file and outcome.evidence_file:
        # Nothing else refers to the file: it is deleted from disk once this is committed (uploads.py).
        changed["evidence_file"] = [outcome.evidence_filename, None]
        outcome.evidence_file, outcome.evidence_filename = None, None
    if changed:
        db.session.flush()
        audit.record("outcome.update", outcome, label=outcome.company.name, from_state=before,
                     to_state=outcome.decision.value, reason=reason, actor=actor, details={"changed": changed})
    return outcome
