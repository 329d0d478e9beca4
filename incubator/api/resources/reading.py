"""What the resources of the API share (not a resource itself): who reads each resource in the interface, and
small helpers to say a row's incubator and today's date the same way in every answer.

The API acts for the token's owner (an administrator or an official: ``current_user`` for the call) and gives
what that person reads in the interface, never more: each resource names the predicate of the domain that opens
its pages or the figures built from them, checked at every call (403), and reads through the domains' queries,
which apply the incubators the token is limited to (``organisation.scoping``: another incubator's row is not
found, 404)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from flask_login import current_user

from incubator.api.framework import ApiError
from incubator.companies.permissions import can_edit_register
from incubator.extensions import db
from incubator.organisation.models import Incubator


def reads_register(user) -> bool:
    """The register's pages are staff's (and administrators'): an official reads, in the interface, only the
    businesses behind each target's figure, which ``/targets/{code}/businesses`` gives them; never more through
    the API than in the interface."""
    return can_edit_register(user)


def reads_programme_figures(user) -> bool:
    """Rounds with their counts, cohorts and mentoring hours by partner and month: their pages are staff's (and
    administrators'); an official reads these figures only as the finalised reports print them, for a period
    (``/reports``), so a token of theirs is refused here, as the interface refuses them the pages."""
    return can_edit_register(user)


def require(predicate: Callable[[object], bool], what: str) -> None:
    """Refuse the call (403) when the token's owner does not read ``what`` in the interface."""
    if not predicate(current_user):
        raise ApiError(403, f"The token's owner does not read {what} in the interface.")


def not_found(what: str) -> ApiError:
    return ApiError(404, f"No {what} with this identifier that the token may read.")


def incubator_codes() -> dict[int, str]:
    """Every incubator's code by id (a handful of rows: one query)."""
    return dict(db.session.execute(sa.select(Incubator.id, Incubator.code)).all())


def today() -> date:
    """Hà Nội's day, as the interface's pages take it."""
    from incubator.i18n import local_today

    return local_today()
