"""The rows of a fund's pipeline for its export (incubator.exports writes the files): the page's own query,
so the file holds what the page shows to the same person."""

from __future__ import annotations

from flask_babel import gettext as _


def pipeline(entries, partners: dict | None) -> tuple[list, list]:
    """``partners`` (id → partner) adds the fund's column, for staff who see every fund's pipeline."""
    header = [_("Startup"), _("Tax code"), *([_("Fund")] if partners is not None else []), _("Pipeline stage"),
              _("Since"), _("Amount (VND)"), _("Instrument"), _("Notes")]
    body = [[e.company.name, e.company.tax_code,
             *([partners[e.partner_id].name] if partners is not None else []), str(e.stage.label), e.stage_on,
             e.amount, str(e.instrument.label) if e.instrument else "", e.notes or ""] for e in entries]
    return header, body
