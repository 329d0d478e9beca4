"""Applying a planned import: its changes written through the companies, outcomes and certificates services
inside a SAVEPOINT, all or nothing. A DomainError a service raises (the register changed since the plan was made) is
reported with its row, and the savepoint is rolled back; a dry run rolls it back in any case, so the preview
has met every rule the services apply. Flushes, never commits.
"""

from __future__ import annotations

from typing import Any

from incubator.certificates import services as certificates
from incubator.companies import services as companies
from incubator.companies.models import Company
from incubator.errors import DomainError
from incubator.extensions import db
from incubator.imports.planning import Change, Planner
from incubator.imports.reading import CERTIFICATES, COMPANIES, OUTCOMES, RESIDENCIES, Problem
from incubator.outcomes import services as outcomes


def apply_plan(plan: Planner, *, dry_run: bool = False, actor=None) -> list[Problem]:
    """Write the plan's changes, or nothing: the problems the services raised, each with its row (none when
    every change was written). The savepoint is kept only when there is none and this is not a dry run."""
    problems: list[Problem] = []
    savepoint = db.session.begin_nested()
    try:
        _write(plan.changes, problems, actor, plan.companies)
    except Exception:
        savepoint.rollback()
        raise
    if problems or dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    return problems


def _write(changes: list[Change], problems: list[Problem], actor, known: dict[str, Company]) -> None:
    """Through the services, in the order that keeps every intermediate state valid: companies first;
    residency updates (which only move last days) before new residencies; outcomes; certificates, a standard
    not in the list added to it as not recognised on its first row."""
    companies_by_code: dict[str, Company] = dict(known)
    failed: set[str] = set()

    def run(change: Change, call) -> Any:
        try:
            return call()
        except DomainError as exc:
            problems.append(Problem(change.source, change.line, exc.message))
            return None

    for change in changes:
        if change.table != COMPANIES:
            continue
        if change.action == "create":
            company = run(change, lambda c=change: companies.create_company(actor=actor, **c.values))
        else:
            company = run(change, lambda c=change: companies.update_company(c.target, actor=actor, **c.values))
        if company is None:
            failed.add(change.tax_code)
        else:
            companies_by_code[change.tax_code] = company

    def company_of(code: str) -> Company | None:
        return None if code in failed else companies_by_code.get(code)

    residency_changes = sorted((c for c in changes if c.table == RESIDENCIES), key=lambda c: c.action != "update")
    for change in residency_changes:
        if change.action == "update":
            run(change, lambda c=change: companies.update_residency(c.target, actor=actor, **c.values))
        elif (company := company_of(change.tax_code)) is not None:
            run(change, lambda c=change, co=company: companies.add_residency(co, actor=actor, **c.values))
    for change in changes:
        if change.table != OUTCOMES:
            continue
        if change.action == "update":
            run(change, lambda c=change: outcomes.update_outcome(c.target, actor=actor, **c.values))
        elif (company := company_of(change.tax_code)) is not None:
            run(change, lambda c=change, co=company: outcomes.record_outcome(co, actor=actor, **c.values))
    for change in changes:
        if change.table != CERTIFICATES:
            continue
        if change.action == "update":
            run(change, lambda c=change: certificates.update_certificate_from_import(c.target, actor=actor,
                                                                                     **c.values))
        elif (company := company_of(change.tax_code)) is not None:
            run(change, lambda c=change, co=company: _record_certificate(co, c.values, actor))


def _record_certificate(company: Company, values: dict, actor):
    """A new certificate, verified (staff import it), of the standard its row names: one of the list, or one
    added to it as not recognised."""
    values = dict(values)
    standard, _added = certificates.standard_for_code(values.pop("standard"), actor=actor)
    return certificates.record_certificate(company, actor=actor, standard_id=standard.id, **values)
