"""The benchmark and load-test scripts (benchmarks/) import the application's modules by name, outside the
suite: every name they import, and every model they take from incubator.models, must still exist after a
refactor (reviews/services.py was split and the load test's seeding broke unseen)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from types import ModuleType

import pytest

SCRIPTS = sorted((Path(__file__).resolve().parents[1] / "benchmarks").glob("*.py"))


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "incubator":
            for alias in node.names:
                yield node.lineno, node.module, alias.name
                aliases[alias.asname or alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "incubator":
                    yield node.lineno, alias.name, None
    # Attributes of modules imported by name (``from incubator import models as m`` then ``m.Company``).
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            module, name = aliases[node.value.id]
            if isinstance(getattr(importlib.import_module(module), name, None), ModuleType):
                yield node.lineno, f"{module}.{name}", node.attr


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_every_name_a_benchmark_script_imports_exists(script):
    missing = []
    for line, module_name, name in _imports(script):
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            missing.append(f"{script.name}:{line} {module_name}: {error}")
            continue
        if name is not None and not hasattr(module, name):
            try:
                importlib.import_module(f"{module_name}.{name}")
            except ImportError:
                missing.append(f"{script.name}:{line} {module_name}.{name}")
    assert missing == []
