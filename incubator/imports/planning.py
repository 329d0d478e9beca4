"""Planning an import: every row checked against the register and the other rows, and the changes it would
make. The plan is the preview: what would be created, updated or left unchanged, and every problem that
refuses the import, with its file (or sheet), line and reason.

Rows are found by their natural keys: a company by its tax code, a residency by (tax code, kind, first
day), an outcome by (tax code, decision, date), a certificate by (tax code, standard, number), or (tax code,
standard, day of issue) when it has no number (certificates.services.same_certificate). An existing row is
updated only where the spreadsheet differs, so importing the same files twice changes nothing the second
time. An empty cell in an optional column (founded_on, sector, note, product, market_evidence, pillars,
cohort, issuer, revoked_on) keeps what the register holds; an empty end_date means the residency is still
running, an empty expires_on a certificate that does not expire. A certificate's standard that is not in the
list staff keep is not refused: the plan warns that it will be added to the list as not recognised (by
certificates.services.standard_for_code, when the plan is applied).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from incubator.certificates import services as certificates
from incubator.certificates.enums import CertificateStatus
from incubator.certificates.models import CertificateStandard, code_key
from incubator.companies import taxcode
from incubator.companies.enums import ResidencyKind
from incubator.companies.models import Company, Residency
from incubator.extensions import db
from incubator.i18n import fmt_date
from incubator.imports import checking, reading
from incubator.imports.reading import (
    CERTIFICATES,
    COMPANIES,
    OUTCOMES,
    RESIDENCIES,
    TABLES,
    CellError,
    Problem,
    Row,
    Table,
    Upload,
)
from incubator.outcomes.enums import Decision
from incubator.outcomes.models import GraduationOutcome


@dataclass
class Change:
    table: str
    source: str
    line: int
    action: str  # "create" or "update"
    tax_code: str
    description: str
    changed: list[str] = field(default_factory=list)  # the spreadsheet's column names (updates)
    values: dict = field(default_factory=dict)  # the arguments of the service
    target: Any = None  # the existing object of an update



def _chunks(values, size: int = 500):
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i:i + size]



class Planner:
    """Checks every row against the register and the other rows, and plans the changes."""

    def __init__(self, upload: Upload):
        self.upload = upload
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []  # what the import will do that staff should know, never refused
        self.changes: list[Change] = []
        self.counts = {t: {"created": 0, "updated": 0, "unchanged": 0} for t in upload.tables}
        self.tables: dict[str, Table] = {}
        for name, table in upload.tables.items():
            missing = checking.missing_columns(table)
            if missing:
                self.problems.append(Problem(table.source, table.header_line, _l(
                    "Missing column: %(columns)s.", columns=", ".join(missing))))
            self.tables[name] = table
        self._load_register()

    def problem(self, table: Table, row: Row, reason) -> None:
        self.problems.append(Problem(table.source, row.line, reason))

    # What the register holds already, in a fixed number of queries.
    def _load_register(self) -> None:
        codes = set()
        for table in self.tables.values():
            for row in table.rows:
                codes.add(taxcode.normalise(reading.tax_code_text(row)))
        codes.discard("")
        self.companies: dict[str, Company] = {}
        for chunk in _chunks(codes):
            for company in db.session.scalars(sa.select(Company).where(Company.tax_code.in_(chunk))):
                self.companies[company.tax_code] = company
        ids = [c.id for c in self.companies.values()]
        self.residencies: dict[tuple[str, ResidencyKind], list[Residency]] = defaultdict(list)
        self.outcomes: dict[tuple[str, Decision, date], GraduationOutcome] = {}
        by_id = {c.id: c for c in self.companies.values()}
        for chunk in _chunks(ids):
            for r in db.session.scalars(sa.select(Residency).where(Residency.company_id.in_(chunk))):
                self.residencies[(by_id[r.company_id].tax_code, r.kind)].append(r)
            for o in db.session.scalars(sa.select(GraduationOutcome).where(GraduationOutcome.company_id.in_(chunk))):
                self.outcomes[(by_id[o.company_id].tax_code, o.decision, o.decided_on)] = o
        self.standards: dict[str, CertificateStandard] = {
            s.code_key: s for s in db.session.scalars(sa.select(CertificateStandard))}

    def plan(self) -> None:
        # The codes of this import's company rows, even rows refused for another reason: a residency or an
        # outcome of such a company is not also reported as of an "unknown company".
        self.new_codes: set[str] = set()
        if COMPANIES in self.tables and "tax_code" in self.tables[COMPANIES].columns:
            self._plan_companies(self.tables[COMPANIES])
        if RESIDENCIES in self.tables and self._has_columns(RESIDENCIES):
            self._plan_residencies(self.tables[RESIDENCIES])
        if OUTCOMES in self.tables and self._has_columns(OUTCOMES):
            self._plan_outcomes(self.tables[OUTCOMES])
        if CERTIFICATES in self.tables and self._has_columns(CERTIFICATES):
            self._plan_certificates(self.tables[CERTIFICATES])
        order = {t: i for i, t in enumerate(TABLES)}
        source_order = {t.source: order[t.name] for t in self.tables.values()}
        self.problems.sort(key=lambda p: (source_order.get(p.source, -1), p.source, p.line or 0))
        self.warnings.sort(key=lambda p: (source_order.get(p.source, -1), p.source, p.line or 0))

    def _has_columns(self, name: str) -> bool:
        return not checking.missing_columns(self.tables[name])

    def _known(self, code: str) -> bool:
        return code in self.companies or code in self.new_codes

    def _code(self, row: Row, reasons: list) -> str | None:
        """The row's tax code, or None with the reason added to ``reasons``."""
        try:
            return checking.tax_code(row, self.companies)
        except CellError as exc:
            reasons.append(exc.reason)
            return None

    # ---- companies
    def _plan_companies(self, table: Table) -> None:
        complete = self._has_columns(COMPANIES)
        seen: dict[str, int] = {}
        for row in table.rows:
            reasons: list = []
            code = self._code(row, reasons)
            if code is None:
                self.problem(table, row, reasons[0])
                continue
            self.new_codes.add(code)
            if code in seen:
                self.problem(table, row, _l("The same tax code is already on line %(line)d.", line=seen[code]))
                continue
            seen[code] = row.line
            if not complete:
                continue
            values, reasons = checking.company_row(row)
            for reason in reasons:
                self.problem(table, row, reason)
            if not reasons:
                self._plan_company(table, row, code, values)

    def _plan_company(self, table: Table, row: Row, code: str, values: dict) -> None:
        fields = {"name": values["name"], "is_it": values["is_it"]}
        # An empty optional cell keeps what the register holds.
        if values["founded_on"] is not None:
            fields["founded_on"] = values["founded_on"]
        if values["sector"]:
            fields["sector"] = values["sector"]
        description = f"{code} {values['name']}"
        company = self.companies.get(code)
        if company is None:
            self._add(Change(COMPANIES, table.source, row.line, "create", code, description,
                             values={"tax_code": code, **fields}))
            return
        changed = {k: v for k, v in fields.items() if getattr(company, k) != v}
        if not changed:
            self.counts[COMPANIES]["unchanged"] += 1
            return
        self._add(Change(COMPANIES, table.source, row.line, "update", code, description, changed=list(changed),
                         values=changed, target=company))

    # ---- residencies
    def _plan_residencies(self, table: Table) -> None:
        planned: dict[tuple[str, ResidencyKind], list[tuple[Row, date, date | None, str]]] = defaultdict(list)
        for row in table.rows:
            reasons: list = []
            code = self._code(row, reasons)
            values, more = checking.residency_row(row)
            reasons += more
            if code and not self._known(code):
                reasons.append(checking.UNKNOWN_COMPANY)
            for reason in reasons:
                self.problem(table, row, reason)
            if not reasons:
                planned[(code, values["kind"])].append((row, values["starts_on"], values["ends_on"], values["note"]))
        for (code, kind), rows in planned.items():
            existing = {r.starts_on: r for r in self.residencies.get((code, kind), [])}
            # A row whose first day is an existing residency's updates it: the check sees the row instead.
            updated = {starts_on for _row, starts_on, _e, _n in rows}
            clashes = checking.overlaps([(row, starts_on, ends_on) for row, starts_on, ends_on, _n in rows],
                                        [r for start, r in existing.items() if start not in updated])
            for row, reason in clashes:
                self.problem(table, row, reason)
            if clashes:
                continue
            for row, starts_on, ends_on, note in rows:
                self._plan_residency(table, row, code, kind, starts_on, ends_on, note, existing.get(starts_on))

    def _plan_residency(self, table, row, code, kind, starts_on, ends_on, note, residency) -> None:
        description = f"{code} {kind.label} {fmt_date(starts_on)} – {fmt_date(ends_on) or '…'}"
        if residency is None:
            self._add(Change(RESIDENCIES, table.source, row.line, "create", code, description,
                             values={"kind": kind, "starts_on": starts_on, "ends_on": ends_on, "note": note or None}))
            return
        changed = []
        if residency.ends_on != ends_on:
            changed.append("end_date")
        if note and residency.note != note:
            changed.append("note")
        if not changed:
            self.counts[RESIDENCIES]["unchanged"] += 1
            return
        self._add(Change(RESIDENCIES, table.source, row.line, "update", code, description, changed=changed,
                         values={"kind": kind, "starts_on": starts_on, "ends_on": ends_on,
                                 "note": note or residency.note},
                         target=residency))


    # ---- outcomes
    def _plan_outcomes(self, table: Table) -> None:
        seen: dict[tuple, int] = {}
        for row in table.rows:
            reasons: list = []
            code = self._code(row, reasons)
            values, more = checking.outcome_row(row)
            reasons += more
            if code and not self._known(code):
                reasons.append(checking.UNKNOWN_COMPANY)
            if not reasons:
                key = (code, values["decision"], values["decided_on"])
                if key in seen:
                    reasons.append(_l("The same decision on the same day is already on line %(line)d.",
                                      line=seen[key]))
                seen.setdefault(key, row.line)
            for reason in reasons:
                self.problem(table, row, reason)
            if not reasons:
                self._plan_outcome(table, row, code, values)

    def _plan_outcome(self, table, row, code, values) -> None:
        decision, decided_on, pillars = values["decision"], values["decided_on"], values["pillars"]
        fields = {}
        if values["product"]:
            fields["product"] = values["product"]
        evidence = values["market_evidence"]
        if evidence:
            key = "evidence_url" if evidence.lower().startswith(("http://", "https://")) else "evidence_text"
            fields[key] = evidence
        if values["cohort"]:
            fields["cohort_name"] = values["cohort"]
        description = f"{code} {decision.label} {fmt_date(decided_on)}"
        outcome = self.outcomes.get((code, decision, decided_on))
        if outcome is None:
            self._add(Change(OUTCOMES, table.source, row.line, "create", code, description,
                             values={"decision": decision, "decided_on": decided_on, "pillars": pillars, **fields}))
            return
        column_of = {"product": "product", "evidence_url": "market_evidence", "evidence_text": "market_evidence",
                     "cohort_name": "cohort"}
        changed = {k: v for k, v in fields.items() if getattr(outcome, k) != v}
        if pillars and set(outcome.pillars) != set(pillars):
            changed["pillars"] = pillars
        if not changed:
            self.counts[OUTCOMES]["unchanged"] += 1
            return
        columns = list(dict.fromkeys(column_of.get(k, k) for k in changed))
        self._add(Change(OUTCOMES, table.source, row.line, "update", code, description, changed=columns,
                         values=changed, target=outcome))

    # ---- certificates
    def _plan_certificates(self, table: Table) -> None:
        seen: dict[tuple, int] = {}
        for row in table.rows:
            reasons: list = []
            code = self._code(row, reasons)
            values, more = checking.certificate_row(row)
            reasons += more
            if code and not self._known(code):
                reasons.append(checking.UNKNOWN_COMPANY)
            standard = None
            if isinstance(values["standard"], str) and values["standard"]:
                standard = self._standard(table, row, values["standard"])
                reasons += checking.certificate_rules(values, standard)
            if not reasons:
                # The same certificate twice in the file, by the register's own rule (same_certificate).
                number = values["number"] or None
                key = (code, standard.code_key, ("number", number.lower()) if number else values["issued_on"])
                if key in seen:
                    reasons.append(_l("The same certificate is already on line %(line)d.", line=seen[key]))
                seen.setdefault(key, row.line)
            for reason in reasons:
                self.problem(table, row, reason)
            if not reasons:
                self._plan_certificate(table, row, code, standard, values)

    def _standard(self, table: Table, row: Row, written: str):
        """The standard of the list the row names, compared without regard to case and spaces; for a code not in
        the list, a stand-in (not recognised, without levels, as standard_for_code will add it) and a warning on
        the first row that names it."""
        key = code_key(written)
        standard = self.standards.get(key)
        if standard is None:
            written = " ".join(written.split())
            standard = SimpleNamespace(id=None, code=written, code_key=key, recognised=False, has_levels=False)
            self.standards[key] = standard
            self.warnings.append(Problem(table.source, row.line, _l(
                "Standard “%(code)s” is not in the list: it will be added as not recognised, and its certificates "
                "will not count for the target.", code=written)))
        return standard

    def _plan_certificate(self, table, row, code, standard, values) -> None:
        number, level, issued_on = values["number"] or None, values["level"], values["issued_on"]
        fields = {"level": level, "issued_on": issued_on, "expires_on": values["expires_on"]}
        # An empty optional cell keeps what the register holds; an empty expires_on is a certificate that does
        # not expire, as an empty end_date is a residency still running.
        if values["issuer"]:
            fields["issuer"] = values["issuer"]
        if values["revoked_on"] is not None:
            fields["revoked_on"] = values["revoked_on"]
        name = f"{standard.code} {level}" if level is not None else standard.code
        description = " ".join(p for p in (code, name, number, fmt_date(issued_on)) if p)
        company = self.companies.get(code)
        certificate = None
        if company is not None and standard.id is not None:
            certificate = certificates.same_certificate(company.id, standard.id, number, issued_on)
        if certificate is None:
            self._add(Change(CERTIFICATES, table.source, row.line, "create", code, description,
                             values={"standard": standard.code, "number": number, **fields}))
            return
        if certificate.status is not CertificateStatus.VERIFIED:
            # A founder's submission waiting for staff, or one staff did not accept: staff decide on it on the
            # business's file, an import does not.
            self.warnings.append(Problem(table.source, row.line, _l(
                "This certificate is on the business's file with the status “%(status)s”: the import leaves it "
                "as it is; decide on it on the business's file.", status=certificate.status.label)))
            self.counts[CERTIFICATES]["unchanged"] += 1
            return
        changed = {k: v for k, v in fields.items() if getattr(certificate, k) != v}
        if not changed:
            self.counts[CERTIFICATES]["unchanged"] += 1
            return
        self._add(Change(CERTIFICATES, table.source, row.line, "update", code, description, changed=list(changed),
                         values=changed, target=certificate))

    def _add(self, change: Change) -> None:
        self.changes.append(change)
        self.counts[change.table]["created" if change.action == "create" else "updated"] += 1
