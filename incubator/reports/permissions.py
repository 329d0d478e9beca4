"""Who may read what of the reports to the Department."""

from __future__ import annotations

from incubator.auth.enums import Role
from incubator.auth.permissions import has_role


def can_read_reports(user) -> bool:
    """The periodic reports: the incubator's staff write them; administrators and officials read them."""
    return has_role(user, Role.STAFF, Role.ADMIN, Role.OFFICIAL)


def can_read_city_report(user) -> bool:
    """The city's consolidated report is for readers of the whole network: officials and administrators."""
    return has_role(user, Role.ADMIN, Role.OFFICIAL)
