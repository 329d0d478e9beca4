"""Helpers for the enums every domain declares.

Templates ask, they do not compare values. A page decides what it *offers* (a button, a form, a checkbox) with
the permission predicates its view uses (``can_*``, in the domain's ``permissions.py``, registered as Jinja
globals by its ``register(app)``) and with the state machine (``state.allows(target)``, answered from the
domain's transitions table, declared with ``state_machine`` below); it decides how something is *shown* (a
badge, a place or a link, the wording of an e-mail) with a named property of the model (``session.is_online``,
``review.is_submitted``, ``entry.is_open``). ``tests/test_templates_ask.py`` fails when a template compares an
enumeration's ``.value`` with a string again.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

import sqlalchemy as sa

T = TypeVar("T", bound=Mapping)

# Each state enum's table of allowed changes (state -> the states it may become), as its domain declared it.
_TRANSITIONS: dict[type, Mapping] = {}


def state_machine(table: T) -> T:
    """Declare `table` (state -> the frozenset of states it may become; a key may be None, "no state yet") as
    its enum's transitions, so that ``state.allows(target)`` answers from it. Returns the table unchanged, for
    ``TRANSITIONS = state_machine({...})`` beside the enum, which the domain's one door checks."""
    enum_cls = type(next(key for key in table if key is not None))
    _TRANSITIONS[enum_cls] = table
    return table


class LabelledEnum(StrEnum):
    """A string enum whose members carry a translatable label (set in each domain's LABELS)."""

    @property
    def label(self) -> str:
        return str(type(self).labels()[self])

    def allows(self, target) -> bool:
        """Whether a thing in this state may become `target` (a member, or its value: an unknown one raises
        ValueError, so that a misspelt state fails its page rather than hide a button), by the table its domain
        declared with ``state_machine``: the question a template asks before offering a change of state."""
        return type(self)(target) in _TRANSITIONS[type(self)][self]

    @classmethod
    def labels(cls) -> dict:
        raise NotImplementedError

    @classmethod
    def choices(cls) -> list:
        from wtforms.fields.choices import SelectChoice

        return [SelectChoice(m.value, m.label) for m in cls]


def enum_column(enum_cls, length: int = 32) -> sa.Enum:
    """Stored as its value in a VARCHAR: portable, and a new member needs no ALTER TYPE."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
