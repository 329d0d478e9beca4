"""The rows of the partners list for its export (incubator.exports writes the files): the page's partners and
figures, so the file holds what the page shows."""

from __future__ import annotations

from flask_babel import gettext as _


def partners(items, hours_by_partner: dict, agreements: dict) -> tuple[list, list]:
    """``hours_by_partner``: confirmed mentoring hours per partner id; ``agreements``: per partner id, its
    agreements (the committed hours of those are summed)."""
    header = [_("Partner"), _("Short name"), _("Kind"), _("Tax code"), _("Contact person"), _("Contact e-mail"),
              _("Contact phone"), _("Website"), _("Agreements"), _("Mentoring hours committed"),
              _("Confirmed mentoring hours")]
    body = []
    for p in items:
        own = agreements.get(p.id, [])
        committed = sum(a.mentoring_hours or 0 for a in own)
        body.append([p.name, p.short_name or "", str(p.kind.label), p.tax_code or "", p.contact_name or "",
                     p.contact_email or "", p.contact_phone or "", p.website or "",
                     "; ".join(a.programme for a in own), committed if own else None,
                     round(hours_by_partner.get(p.id, 0), 1)])
    return header, body
