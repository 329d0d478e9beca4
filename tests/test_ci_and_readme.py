"""The README's two commands are what CI runs, and each suite run uses the database it was asked to."""

import os
import re
from pathlib import Path

from incubator.extensions import db

ROOT = Path(__file__).resolve().parents[1]


def _commands():
    readme = (ROOT / "README.md").read_text()
    return re.findall(r"```(?:bash|sh)\n(.+?)\n```", readme, flags=re.S)


def test_readme_starts_with_the_run_and_test_commands():
    run, test = _commands()[:2]
    assert "flask --app incubator" in run and " demo" in run and " run" in run
    assert "pytest" in test


def test_ci_calls_the_readme_test_command():
    test_command = _commands()[1].strip()
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_suite_runs_on_the_database_ci_asked_for(app_ctx):
    default = "postgresql" if os.environ.get("INCUBATOR_TEST_DATABASE_URL") else "sqlite"
    assert db.engine.dialect.name == os.environ.get("INCUBATOR_EXPECT_DIALECT", default)
