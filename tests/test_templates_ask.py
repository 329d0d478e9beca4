"""Templates ask, they do not compare values (the rule is written in incubator/enums.py): what a page offers is
decided by the view's permission predicates (``can_*``) and the state machine (``state.allows(target)``), what it
shows by a named property of the model (``session.is_online``, ``review.is_submitted``, ``entry.is_open``).

A comparison of an enumeration's value with a string in a template (``a.status.value == 'recused'``,
``m.status.value in ('active', 'extended')``) is a rule written a second time, out of reach of the table it
copies; and, the enums being string enums, so is ``a.status == 'recused'``. These tests fail on any of them."""

import re
from pathlib import Path

import pytest

from incubator.enums import LabelledEnum, state_machine

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STRING = r"""(?:'[^']*'|"[^"]*")"""
# `.value == 'x'`, `.value != "x"`, `.value in ('x', …)`, `.value not in [...]`, and the same on the attributes
# that hold a state or a kind (a string enum equals its value, so `.status == 'x'` is the same comparison).
COMPARISONS = [
    re.compile(r"\.value\s*(?:==|!=)\s*" + STRING),
    re.compile(STRING + r"\s*(?:==|!=)\s*[\w.]+\.value\b"),
    re.compile(r"\.value\s+(?:not\s+)?in\s*[(\[]"),
    re.compile(r"\.(?:status|state|kind|decision|mode)\s*(?:==|!=)\s*" + STRING),
    re.compile(r"\.(?:status|state|kind|decision|mode)\s+(?:not\s+)?in\s*[(\[]\s*" + STRING),
]


def _comparisons() -> list[str]:
    found = []
    for path in sorted(TEMPLATES.rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".txt", ".xml", ".ics", ".csv"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for pattern in COMPARISONS:
                match = pattern.search(line)
                if match:
                    found.append(f"{path.relative_to(TEMPLATES)}:{number}: {match.group(0)}")
    return found


def test_no_template_compares_an_enumerations_value_with_a_string():
    assert _comparisons() == [], (
        "Ask a named property of the model or a permission predicate instead (see incubator/enums.py)")


@pytest.mark.parametrize("line", [
    "{% if a.status.value == 'recused' %}",
    '{% elif r and r.status.value != "draft" %}',
    "{% if m.status.value in ('active', 'extended') %}",
    "{% if session.status.value not in ['confirmed', 'cancelled'] %}",
    "{% if 'online' == session.mode.value %}",
    "{% if entry.decision == 'accept' -%}",
    "{% if m.status in ('active', 'extended') %}",
])
def test_the_check_catches_each_form_of_comparison(line):
    assert any(p.search(line) for p in COMPARISONS)


@pytest.mark.parametrize("line", [
    "{% if session.is_online and session.link %}",
    "{% if can_mark_held(current_user, session, now) and session.status.allows('held') %}",
    '<option value="{{ st.value }}"{% if filters.status == st.value %} selected{% endif %}>',
    "{{ url_for('home.role_home', role=r.value) }}",
    "{% if current_locale == 'vi' %}",
])
def test_the_check_lets_asking_and_showing_values_be(line):
    assert not any(p.search(line) for p in COMPARISONS)


class _Light(LabelledEnum):
    RED = "red"
    GREEN = "green"

    @classmethod
    def labels(cls):
        return {cls.RED: "Red", cls.GREEN: "Green"}


state_machine({_Light.RED: frozenset({_Light.GREEN}), _Light.GREEN: frozenset()})


def test_a_state_allows_what_its_table_allows_and_a_misspelt_state_fails():
    assert _Light.RED.allows("green") and _Light.RED.allows(_Light.GREEN)
    assert not _Light.GREEN.allows("red") and not _Light.RED.allows("red")
    with pytest.raises(ValueError):
        _Light.RED.allows("gren")
