"""Import the register (companies, residencies, graduation outcomes, certificates) from staff's spreadsheets:
the one door, which the command line and the staff's page call.

The import is all or nothing and idempotent, in three steps, each in its own module:

1. reading (imports.reading): a folder of CSV files or an .xlsx workbook becomes the same tables of rows;
   the rest does not know where a row came from;
2. checking and planning (imports.checking, imports.planning): every row is validated against the register,
   against the other rows of the import and against the domain's bounds (incubator.bounds: no founding date
   in the future, no residency before 1990 …), and the changes are planned; any problem refuses the whole
   import, and every problem is reported with its file (or sheet), line and reason; what staff should know
   but is no reason to refuse (a certificate's standard not in the list, to be added as not recognised) is a
   warning;
3. applying (imports.applying): the changes are made through the companies, outcomes and certificates
   services inside a SAVEPOINT; a DomainError raised there is reported with its row too, and the savepoint is
   rolled back; a dry run rolls the savepoint back in any case (the standards it would add too) and reports
   what would have been created and updated.

Services flush and never commit: the caller (the CLI command, the request) commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from incubator.audit import services as audit
from incubator.imports.applying import apply_plan
from incubator.imports.planning import Change, Planner
from incubator.imports.reading import Problem, Upload


@dataclass
class ImportResult:
    name: str
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # never refuse: a standard added to the list …
    changes: list[Change] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # table -> file or sheet
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def created(self) -> int:
        return sum(c["created"] for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c["updated"] for c in self.counts.values())

    def changes_of(self, table: str) -> list[Change]:
        return [c for c in self.changes if c.table == table]



def import_register(upload: Upload, *, dry_run: bool = False, actor=None) -> ImportResult:
    """Validate everything, then apply inside a savepoint: all rows or none. Flushes, never commits."""
    result = ImportResult(upload.name, dry_run, problems=list(upload.problems),
                          sources={name: t.source for name, t in upload.tables.items()})
    plan = Planner(upload)
    plan.plan()
    result.problems += plan.problems
    result.changes, result.counts, result.warnings = plan.changes, plan.counts, plan.warnings
    if result.problems:
        return result
    result.problems += apply_plan(plan, dry_run=dry_run, actor=actor)
    if result.problems or dry_run:
        return result
    audit.record("register.import", object_type="register", label=upload.name, to_state="imported",
                 details={"files": sorted(result.sources.values()), "counts": result.counts}, actor=actor)
    result.applied = True
    return result
