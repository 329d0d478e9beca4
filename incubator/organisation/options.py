"""``--incubator CODE`` for the commands that act in one incubator (``import-register``, ``cohorts remind``,
``reviews remind``, ``report`` …): the command runs in that incubator, as a request of its staff does
(``use_incubator`` for the rows it adds, ``scoped_to`` for every query it makes). With a single incubator the
option may be left out; with several it is required, and the command says so and stops (exit code 1) before
doing anything."""

from __future__ import annotations

import functools

import click
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from incubator.organisation.current import only_incubator_id, use_incubator
from incubator.organisation.models import Incubator
from incubator.organisation.queries import by_code
from incubator.organisation.scoping import scoped_to


def chosen_incubator(code: str | None) -> Incubator:
    """The incubator a command was told (its code, in any case), else the only one; a ClickException (exit
    code 1) when the code is unknown, or when there are several and none was named."""
    from incubator.extensions import db

    if code is not None and code.strip():
        incubator = by_code(code)
        if incubator is None:
            raise _refusal(_l("No incubator has the code %(code)s. `flask --app incubator incubators list` "
                              "shows them.", code=_shown(code)))
        return incubator
    only = only_incubator_id()
    if only is None:
        raise _refusal(_l("This installation serves several incubators: name the one to act in with "
                          "--incubator CODE (`flask --app incubator incubators list` shows them)."))
    return db.session.get(Incubator, only)


def _shown(code: str) -> str:
    """The code as typed, upper-cased, with any control character escaped (a terminal shows \\x00, not a NUL)."""
    code = code.strip().upper()
    return code if code.isprintable() else ascii(code)


def _refusal(message) -> click.ClickException:
    with force_locale("en"):
        return click.ClickException(str(message))


INCUBATOR_HELP = "The incubator to act in (its code, e.g. HN1); required when there are several."


def incubator_option(command):
    """Decorate a command (below ``@app.cli.command`` and its other options) with ``--incubator CODE``; the
    command's body runs in that incubator."""

    @click.option("--incubator", "incubator_code", metavar="CODE", default=None, help=INCUBATOR_HELP)
    @functools.wraps(command)
    def in_incubator(*args, incubator_code: str | None = None, **kwargs):
        incubator = chosen_incubator(incubator_code)
        with use_incubator(incubator.id), scoped_to({incubator.id}):
            return command(*args, **kwargs)

    return in_incubator
