"""What the audit log's codes read as, in the reader's language.

The log stores codes (an action's code, a table's name, a state's value, dates in ISO form) so that it stays
exact and searchable; people read words. The audit package knows no domain: each domain tells it, at start-up
(its ``audit_labels.register``), the words for its actions, the name of each of its objects and the words for
their states (``register_actions``, ``register_object``, ``register_states``), as pretalx's apps describe their
own log entries. What no domain registered reads as it was written, with its ISO dates in the reader's way
(dd/mm/yyyy).

The registry holds lazy strings and enum members, never text already put into one language, so the one table
serves every request in its own language."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from incubator.i18n import fmt_date, fmt_datetime
from incubator.text import vietnamese_sort_key

# action code -> what people read for it, e.g. "report.finalise" -> "Periodic report finalised"
_ACTIONS: dict[str, object] = {}
# table (or object type) -> its noun, e.g. "periodic_reports" -> "Periodic report"
_OBJECTS: dict[str, object] = {}
# table -> state value -> its words (a lazy string, or an enum member whose label is read when shown)
_STATES: dict[str, dict[str, object]] = {}

# table -> how its records' stored names read (e.g. a report's period code "2025-Q2" -> "Quý II năm 2025")
_NAMES: dict[str, object] = {}

# Object types the audit package writes itself, with no table behind them.
_OWN_OBJECTS = {"system": _l("System"), "register": _l("Register of businesses")}

ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
# A state's code standing alone: not part of an e-mail address or a file's name ("staff@…", "admin.xlsx").
_WORD = re.compile(r"(?<![\w@.])[a-z][a-z0-9_]*(?![\w@.])")


def register_actions(labels: Mapping[str, object]) -> None:
    """What people read for each of a domain's action codes (lazy strings)."""
    _ACTIONS.update(labels)


def registered_actions() -> Mapping[str, object]:
    return dict(_ACTIONS)


def action_label(code: str) -> str:
    """An action in words; an action nobody registered shows its code."""
    label = _ACTIONS.get(code)
    return str(label) if label is not None else code


def register_object(object_type: str, noun) -> None:
    """The noun of a domain's object ("Periodic report" for ``periodic_reports``): the log reads
    "Periodic report no. 1", its filter lists the noun."""
    _OBJECTS[object_type] = noun


def register_states(object_type: str, states) -> None:
    """The words for an object's states: a LabelledEnum class, or a mapping of value to (lazy) words. Several
    calls for one object add up."""
    table = _STATES.setdefault(object_type, {})
    if isinstance(states, type) and issubclass(states, Enum):
        table.update({member.value: member for member in states})
    else:
        table.update(dict(states))


def registered_objects() -> Mapping[str, object]:
    return {**_OWN_OBJECTS, **_OBJECTS}


def object_name(object_type: str | None) -> str:
    """The noun of an object type; a type nobody registered stays as written."""
    noun = registered_objects().get(object_type or "")
    return str(noun) if noun is not None else (object_type or "")


def object_text(object_type: str | None, object_id: str | None = None) -> str:
    """"Báo cáo định kỳ số 1": the object's noun and its number."""
    name = object_name(object_type)
    if not object_id:
        return name
    return _("%(object)s no. %(number)s", object=name, number=object_id)


def register_name_words(object_type: str, words) -> None:
    """``words(name) -> str``: how the names recorded for this domain's objects read (a code kept in the log is
    shown in words when the log is read, in the reader's language)."""
    _NAMES[object_type] = words


def name_in_words(name: str | None, object_type: str | None = None) -> str:
    """The recorded name of the object as people read it: the domain's words for it, then dates as dd/mm/yyyy."""
    if not name:
        return ""
    words = _NAMES.get(object_type or "")
    return dates_in_words(words(name) if words is not None else name)


def object_choices(object_types) -> list[tuple[str, str]]:
    """(code, noun) for the log's object filter, in the nouns' (Vietnamese) alphabetical order."""
    return sorted(((t, object_name(t)) for t in object_types), key=lambda choice: vietnamese_sort_key(choice[1]))


def _words(value) -> str:
    return str(value.label) if isinstance(value, Enum) else str(value)


def dates_in_words(text: str) -> str:
    """Every ISO date or moment in ``text`` written as people read it: 01/01/2027, 01/01/2027 09:00."""
    def local(match: re.Match) -> str:
        found = match.group(0)
        try:
            if len(found) == 10:
                return fmt_date(date.fromisoformat(found))
            return fmt_datetime(datetime.fromisoformat(found.replace("Z", "+00:00")))
        except ValueError:
            return found
    return ISO_MOMENT.sub(local, text)


def state_label(code: str | None, object_type: str | None = None) -> str:
    """A state of the audit log in words: the object's state ("Đang đánh giá"), or a text made of states and
    dates ("incubated 2027-01-01–…" reads "Ươm tạo 01/01/2027–…"; "admin,staff" reads "Quản trị viên, Cán
    bộ"). What is no state of the object stays as written, its ISO dates in the reader's way."""
    if not code:
        return ""
    states = _STATES.get(object_type or "", {})
    if code in states:
        return _words(states[code])
    text = _WORD.sub(lambda m: _words(states[m.group(0)]) if m.group(0) in states else m.group(0), code)
    if states and "," in code:
        text = re.sub(r",(?=\S)", ", ", text)
    return dates_in_words(text)
