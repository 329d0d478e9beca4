"""The rows of a round's applications list for the export (incubator.exports writes the file)."""

from __future__ import annotations

from flask_babel import gettext as _

from incubator.applications.answers import answer_cell
from incubator.applications.eligibility import RuleStatus


def rows(applications, questions) -> tuple[list[str], list[list]]:
    header = [_("Reference"), _("Business"), _("Tax code"), _("IT"), _("Status"), _("Eligibility"),
              _("Submitted at"), _("Employees"), _("Revenue of the last year (VND)"), _("Total capital (VND)")]
    header += [q.label for q in questions]
    body = []
    for a in applications:
        answers = a.answers or {}
        line = [a.reference or "", a.company.name, a.company.tax_code, a.company.is_it,
                str(a.status.label), _eligibility(a.eligibility_summary), a.submitted_at,
                a.employees, a.revenue, a.capital]
        for q in questions:
            line.append(answer_cell(q, answers.get(str(q.id))))
        body.append(line)
    return header, body


def _eligibility(summary: str | None) -> str:
    """The checklist's summary in words ("passed", "failed", "staff" are its codes)."""
    try:
        return RuleStatus(summary).label if summary else ""
    except ValueError:
        return summary
