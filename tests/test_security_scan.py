"""bandit finds nothing of high severity in the application's code (CI runs the same scan on its own)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_or_skip

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BANDIT = Path(sys.executable).with_name("bandit")


def test_bandit_reports_no_high_severity_finding():
    require_or_skip(BANDIT.exists(), "bandit is not installed (pip install -e '.[dev]')")
    result = subprocess.run([str(BANDIT), "--quiet", "--recursive", "incubator", "--severity-level", "high",
                             "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    findings = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in report["results"]]
    assert not findings, "\n".join(findings)
    assert result.returncode == 0, result.stderr
    assert not report["errors"], report["errors"]
