"""Which incubator each request works in, and the switcher between a person's incubators.

Before each request (``enter``), from the person's roles (``auth.queries.incubators_of``):

- **Staff, reviewers, mentors and fund managers** work in one of the incubators where they hold a role: the
  one chosen with the switcher (remembered in the session), else the first of theirs (the oldest). The request
  runs in ``use_incubator(it)`` (new rows are its rows, roles held in it count) and ``scoped_to({it})`` (every
  query of a scoped table sees its rows only): staff of HN1 meet none of HN2's rounds, cohorts or
  registers, and HN2's ids answer 404 as if they did not exist.
- **Administrators and the Department's officials** (roles held across the network) are not limited: they
  read every incubator. They work in one all the same, chosen the same way (else the oldest), so that what
  they create (a round, a cohort) has its incubator and the navigation bar says which.
- **Founders** belong to no incubator: not limited (their businesses apply to any incubator's rounds; their
  own pages are guarded by their permissions, which look at the businesses they hold), and no incubator is
  chosen, so with several incubators a role held in one does not count.
- **A founder who is also staff (or a reviewer …) of HN1** works in HN1 like any staff there, scoped to it: as
  staff they must never read HN2's rows, and the permissions cannot tell a founder's look at their own
  application from a staff look at another's. With several incubators the switcher offers them one more place,
  "My businesses": no incubator, no limit, and only the roles held in none count, so they are a founder there
  and nothing else, and follow their businesses' applications to every incubator's rounds.
- **Anonymous visitors** are not limited: the public pages list every incubator's open rounds.

With a single incubator every person works in it and sees everything as before; no switcher shows. The
ContextVars are reset when the request ends (``leave``), so a thread that serves the next request never keeps
this person's incubator or limit."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask, g, request, session
from flask_babel import gettext as _
from flask_login import current_user

from incubator.auth.enums import Role
from incubator.auth.queries import incubators_of
from incubator.extensions import db
from incubator.i18n import localised
from incubator.organisation.current import remember_incubators, remembered, several_incubators, use_incubator
from incubator.organisation.models import Incubator
from incubator.organisation.scoping import scoped_to

SESSION_KEY = "incubator_id"
# The switcher's value for "My businesses": a founder who also acts in an incubator, acting as a founder only.
MY_BUSINESSES = 0


@dataclass(frozen=True)
class Seat:
    """An incubator as the layout names it (the switcher, the navigation bar, the footer): plain values, read
    once per request, that a commit during the request does not expire."""

    id: int
    code: str
    name_vi: str
    name_en: str | None
    operator_vi: str | None  # its issuing body in force today (the dated names its reports print), if any
    operator_en: str | None

    @property
    def name(self) -> str:
        return localised(self.name_vi, self.name_en)

    def operator(self, lang: str) -> str | None:
        return self.operator_en if lang == "en" and self.operator_en else self.operator_vi


def network() -> tuple[Seat, ...]:
    """Every incubator, oldest first, each with its operator in force today: one query per request whatever
    the network's size (issue 23: the layout costs as many queries with ten incubators as with one). It also
    tells ``organisation.current`` whether there is one or several, so that no other query asks."""
    if "_network" in g and remembered():
        return g._network
    from incubator.i18n import local_today
    from incubator.reports.enums import NameKind
    from incubator.reports.models import BodyName

    today = local_today()

    def operator(column):
        return (sa.select(column).where(
            BodyName.incubator_id == Incubator.id, BodyName.kind == NameKind.ISSUING_BODY,
            BodyName.valid_from <= today, sa.or_(BodyName.valid_until.is_(None), BodyName.valid_until >= today))
            .order_by(BodyName.valid_from.desc(), BodyName.id.desc()).limit(1)
            .correlate(Incubator).scalar_subquery())

    rows = db.session.execute(
        sa.select(Incubator.id, Incubator.code, Incubator.name_vi, Incubator.name_en,
                  operator(BodyName.name_vi), operator(BodyName.name_en))
        .order_by(Incubator.id).execution_options(all_incubators=True)).all()
    g._network = seats = tuple(Seat(*row) for row in rows)
    remember_incubators(seat.id for seat in seats)
    return seats


def _seats() -> dict[int, Seat]:
    return {seat.id: seat for seat in network()}


@dataclass(frozen=True)
class Place:
    """What the request works in: the incubator's id (None: none) and the places the person may switch to."""

    incubator_id: int | None
    choices: tuple[int, ...]  # incubator ids, plus MY_BUSINESSES where offered
    scoped: bool


def place_of(user, chosen: int | None) -> Place | None:
    """Where this person's request works, given the choice remembered in their session; None when nothing is
    chosen nor limited (anonymous visitors, founders)."""
    if user is None or not user.is_authenticated:
        return None
    mine = incubators_of(user)
    if mine is not None and not mine:
        return None  # founders only
    if mine is None:  # network-wide: every incubator, none limited
        every = tuple(seat.id for seat in network())
        current = chosen if chosen in every else (every[0] if every else None)
        return Place(current, every, scoped=False)
    choices = tuple(sorted(mine))
    if Role.FOUNDER in user.roles_in(None) and several_incubators():
        choices += (MY_BUSINESSES,)
        if chosen == MY_BUSINESSES:
            return Place(None, choices, scoped=False)
    current = chosen if chosen in mine else choices[0]
    return Place(current, choices, scoped=True)


def enter() -> None:
    """Before the request: work in the person's incubator (see the module's docstring)."""
    g._incubator_stack = stack = ExitStack()
    if request.endpoint is None or request.endpoint.endswith("static"):
        return
    network()
    place = place_of(current_user, session.get(SESSION_KEY))
    g.incubator_place = place
    if place is None:
        return
    stack.enter_context(use_incubator(place.incubator_id))
    if place.scoped:
        stack.enter_context(scoped_to({place.incubator_id}))


def leave(_exc=None) -> None:
    """When the request ends: forget its incubator and limit (the ContextVars go back to what they were)."""
    stack = g.pop("_incubator_stack", None)
    if stack is not None:
        stack.close()


def switcher():
    """For the navigation bar: the current incubator and the places to switch to, or None when the person has
    fewer than two (one incubator: nothing shows)."""
    place = g.get("incubator_place")
    if place is None or len(place.choices) < 2:
        return None
    if "_incubator_switcher" not in g:
        from incubator.auth.forms import ConfirmForm

        names = _seats()
        g._incubator_switcher = {
            "current": names.get(place.incubator_id),
            "choices": [(c, names.get(c)) for c in place.choices],
            "form": ConfirmForm(formdata=None),
        }
    return g._incubator_switcher


def workplace() -> Seat | None:
    """The incubator a person limited to one works in, when there are several (the footer and the navigation
    bar name it); None for visitors, founders, network-wide people, and with a single incubator."""
    place = g.get("incubator_place")
    if place is None or not place.scoped or place.incubator_id is None or not several_incubators():
        return None
    return _seats().get(place.incubator_id)


def footer() -> str | None:
    """The footer's line: None with a single incubator (the template prints it as it always has); with several,
    the incubator the person works in and its operator (the issuing body of its reports' names in force
    today), else the network."""
    if not several_incubators():
        return None
    incubator = workplace()
    if incubator is None:
        return _("Hà Nội's network of ICT business incubators")
    from flask_babel import get_locale

    operator = incubator.operator("en" if str(get_locale()) == "en" else "vi")
    return f"{incubator.name} — {operator}" if operator else incubator.name


def register(app: Flask) -> None:
    """Called by the factory after the request hooks that must come first (the request's id, its checks)."""
    app.before_request(enter)
    app.teardown_request(leave)
    app.jinja_env.globals.update(incubator_switcher=switcher, MY_BUSINESSES=MY_BUSINESSES,
                                 several_incubators=several_incubators, incubator_workplace=workplace,
                                 incubator_footer=footer)
