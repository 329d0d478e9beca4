"""Every action the code writes to the audit log has a label people can read."""

import re
from pathlib import Path

import incubator
from incubator.audit.enums import ACTION_LABELS


def test_every_recorded_action_has_a_label():
    package = Path(incubator.__file__).parent
    codes = set()
    for path in package.rglob("*.py"):
        codes.update(re.findall(r'record\(\s*"([a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) > 30  # the search itself works
    assert sorted(codes - set(ACTION_LABELS)) == []
