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


# ---- The benchmark's figures and goals, and the load test's lost drafts -----------------------------------

def _timings(sizes, slow_page_at_100=None):
    """Timings of every page at every size (ms): 10 ms for the trivial page, 20 for the others, or the slow
    page's figure at 100×."""
    from benchmarks.run import TRIVIAL

    names = ["companies", "round_applications", "ranking", "cohort", "partner", "targets_dashboard", TRIVIAL]
    samples = {name: {s: [10.0 if name == TRIVIAL else 20.0] * 20 for s in sizes} for name in names}
    if slow_page_at_100:
        name, ms = slow_page_at_100
        samples[name][100] = [ms] * 20
    queries = {s: dict.fromkeys(names, 7) for s in sizes}
    pdf = {s: {"ratio": 1.1} for s in sizes}
    return samples, queries, pdf


def test_the_benchmark_reports_each_page_against_the_trivial_page_and_the_city_only_when_measured():
    from benchmarks.run import summarise

    result, goals = summarise((1, 100), *_timings((1, 100), slow_page_at_100=("ranking", 40.0)))
    ranking = result["pages"]["ranking"]
    assert ranking["vs_trivial"] == 4.0 and result["pages"]["cohort"]["vs_trivial"] == 2.0
    assert not {"p95_ms_1000x", "ratio_1000x", "queries_1000x"} & set(ranking)
    assert set(ranking) == {"p95_ms_1x", "p95_ms_100x", "ratio", "queries_1x", "queries_100x", "vs_trivial"}
    missed = [text for text, ok in goals if not ok]
    assert any(text.startswith("ranking: p95 at 100× ÷ the trivial page's") for text in missed)
    assert not any(text.startswith("cohort") for text in missed)

    samples, queries, pdf = _timings((1, 100, 1000))
    samples["partner"][1000] = [50.0] * 20
    queries[1000]["cohort"] = 9
    result, goals = summarise((1, 100, 1000), samples, queries, pdf)
    partner, cohort = result["pages"]["partner"], result["pages"]["cohort"]
    assert (partner["p95_ms_1000x"], partner["ratio_1000x"], partner["queries_1000x"]) == (50.0, 2.5, 7)
    missed = [text for text, ok in goals if not ok]
    assert any(text.startswith("partner: p95 1000×/1× = 2.50") for text in missed)
    assert any(text.startswith("cohort: queries 7 at 1×, 7 at 100×, 9 at 1000×") for text in missed)
    assert cohort["ratio_1000x"] == 1.0 and not any(text.startswith("companies") for text in missed)


def test_lost_drafts_counts_an_answer_not_the_last_one_sent_and_a_submission_not_as_told(make, db):
    from benchmarks.load import lost_drafts
    from incubator.applications.enums import ApplicationStatus

    kept = make.application(answers={"1": "lần gõ 3", "2": "dài"})
    stale = make.application(answers={"1": "lần gõ 2", "2": "dài"})
    submitted = make.application(answers={"1": "xong"}, status=ApplicationStatus.SUBMITTED, reference="VU-2026-0001")
    untold = make.application(answers={"1": "xong"}, status=ApplicationStatus.SUBMITTED, reference="VU-2026-0002")
    db.session.commit()
    plan = {"founders": {"a@x.example": kept.id, "b@x.example": stale.id, "c@x.example": submitted.id,
                         "d@x.example": untold.id}}
    record = {"a@x.example": {"sent": {"1": "lần gõ 3", "2": "dài"}, "told_submitted": False},
              "b@x.example": {"sent": {"1": "lần gõ 3", "2": "dài"}, "told_submitted": False},
              "c@x.example": {"sent": {"1": "xong"}, "told_submitted": True},
              "d@x.example": {"sent": {"1": "xong"}, "told_submitted": False}}
    lost = lost_drafts(plan, record)
    assert lost == ["b@x.example: the answers to questions 1 are not the last ones sent",
                    "d@x.example: submitted, and not told so"]

    record["d@x.example"]["told_submitted"] = True
    record["b@x.example"]["sent"]["1"] = "lần gõ 2"
    assert lost_drafts(plan, record) == []
    record["a@x.example"]["told_submitted"] = True  # told, and still a draft
    assert lost_drafts(plan, record) == ["a@x.example: told it was submitted, and it is not"]


# ---- Both scripts, end to end at a tiny scale (slow: minutes) ----------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def _on_the_test_server() -> list[str]:
    """With INCUBATOR_TEST_DATABASE_URL (CI's PostgreSQL pass), the scripts use its server (--postgresql: they
    recreate their own databases there, bench_1x … and load_deadline); else SQLite in a temporary folder."""
    import os

    url = os.environ.get("INCUBATOR_TEST_DATABASE_URL")
    return ["--postgresql", url] if url else []


def _last_json_line(output: str) -> dict:
    import json

    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.once
def test_the_benchmark_runs_the_three_sizes_at_a_tiny_scale(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--sizes", "1,100,1000", "--scale-unit", "0.01", "--requests", "3",
         "--warmup", "1", "--pdf-runs", "1", *_on_the_test_server()],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode in (0, 1), result.stderr[-3000:]  # 1: a goal missed (tiny, on a busy machine)
    figures = _last_json_line(result.stdout)
    assert set(figures) == {"pages", "dashboard_vs_trivial", "pdf_vs_weasyprint"}
    assert set(figures["pages"]) == {"companies", "round_applications", "ranking", "cohort", "partner",
                                     "targets_dashboard"}
    for page in figures["pages"].values():
        assert set(page) == {"p95_ms_1x", "p95_ms_100x", "ratio", "queries_1x", "queries_100x", "vs_trivial",
                             "p95_ms_1000x", "ratio_1000x", "queries_1000x"}
        assert page["queries_1x"] > 0 and page["p95_ms_1000x"] > 0
    # The same number of queries at every size, ten incubators included (the layout's with several, and the
    # official's dashboard, which then shows each incubator beside the city: issue 23).
    queries = {name: (page["queries_1x"], page["queries_100x"], page["queries_1000x"])
               for name, page in figures["pages"].items()}
    assert {name: counts for name, counts in queries.items() if len(set(counts)) > 1} == {}
    assert "1000× (10 incubators of scale 1)" in result.stdout


@pytest.mark.slow
@pytest.mark.once
def test_the_deadline_load_test_runs_at_a_tiny_scale(tmp_path):
    import subprocess
    import sys

    from tests.conftest import IN_CI

    locust = Path.home() / ".cache" / "incubator" / "locust-venv" / "bin" / "locust"
    if not IN_CI and not locust.exists() and not (Path(sys.executable).parent / "locust").exists():
        # In CI load.py installs it (the `load` extra, in a virtual environment of its own), as on a first run.
        pytest.skip("locust is not installed (benchmarks/load.py installs it on its first run)")
    result = subprocess.run(
        [sys.executable, "benchmarks/load.py", "--scenario", "deadline", "--users", "4", "--minutes", "0.5",
         "--spawn-rate", "20", "--output", str(tmp_path), *_on_the_test_server()],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode in (0, 1), result.stderr[-3000:]  # 1: a p95 goal missed on a busy machine
    figures = _last_json_line(result.stdout)
    assert set(figures) == {"users", "requests", "failures", "server_5xx", "lost_drafts", "p95_ms_autosave",
                            "p95_ms_submit", "p95_ms"}
    assert figures["users"] == 6 and figures["requests"] > 0  # 4 founders, a member of staff, a reviewer
    assert (figures["failures"], figures["server_5xx"], figures["lost_drafts"]) == (0, 0, 0), result.stdout[-3000:]
    assert figures["p95_ms_autosave"] > 0 and figures["p95_ms_submit"] > 0  # a quarter submitted: one of four
    assert {"/applications/[id]/autosave", "/rounds/[id]/applications", "/reviews/"} <= set(figures["p95_ms"])
