"""The packages of incubator/ import one way: no cycle between packages, audit imports no domain, and every
import follows the order of layers of ../shared/design.md (as the README's "How the code is laid out" writes
it). Imports are read with `ast`, those inside functions included, so a late import cannot hide a tie."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "incubator"

# Each layer imports only from the layers before it; within a layer, a package imports only from those listed
# before it in the same layer. The README's layout section gives the same order.
LAYERS: list[tuple[str, list[str]]] = [
    ("base", ["config", "db", "extensions", "enums", "i18n", "text", "forms", "charts", "urls", "cli_paths",
              "translations_cli"]),
    ("plumbing", ["errors", "web", "bounds", "uploads", "exports", "pdf", "backup", "security"]),
    ("audit", ["audit"]),
    ("organisation", ["organisation"]),
    ("people", ["mail", "auth"]),
    ("register", ["outcomes", "companies", "certificates", "partners", "targets", "imports"]),
    ("programme", ["applications", "cohorts", "reviews", "funding", "mentoring", "requests", "dialogue",
                   "surveys", "catalogue"]),
    ("outer", ["startups", "reports", "home", "admin", "api", "demo", "cli", "models", "__init__"]),
]
DOMAINS = {name for layer, names in LAYERS if layer in {"organisation", "people", "register", "programme"}
           for name in names}


def _rank() -> dict[str, int]:
    order = [name for _, names in LAYERS for name in names]
    return {name: i for i, name in enumerate(order)}


def _layer_of() -> dict[str, str]:
    return {name: layer for layer, names in LAYERS for name in names}


def _node(parts: list[str]) -> str:
    return parts[0] if parts else "__init__"


def _imports() -> dict[tuple[str, str], list[str]]:
    """(importing node, imported node) → where, for every import between nodes of the package."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = list(path.relative_to(PACKAGE).with_suffix("").parts)
        is_init = rel[-1] == "__init__"
        if is_init:
            rel = rel[:-1]
        source = _node(rel)
        package = rel if is_init else rel[:-1]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[list[str]] = []
            if isinstance(node, ast.Import):
                names = [alias.name.split(".") for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - (node.level - 1)]
                    module = base + (node.module.split(".") if node.module else [])
                    names = [["incubator", *module, *([] if node.module else [alias.name])] for alias in node.names]
                elif node.module:
                    names = [[*node.module.split("."), alias.name] for alias in node.names]
            for name in names:
                if len(name) < 2 or name[0] != "incubator":
                    continue
                target = name[1]
                if target == source:
                    continue
                if (PACKAGE / target).is_dir() or (PACKAGE / f"{target}.py").is_file():
                    found[(source, target)].append(
                        f"{path.relative_to(PACKAGE.parent)}:{node.lineno} imports {'.'.join(name[1:])}")
                if len(name) > 2 and target != source and source not in {"cli", "__init__"} and (
                        name[2] in {"views", "cli"} or name[2].endswith("_views")):
                    found[(source, f"{target}.{name[2]}")].append(
                        f"{path.relative_to(PACKAGE.parent)}:{node.lineno} imports {'.'.join(name[1:])}")
    return found


IMPORTS = _imports()


def _cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(set(graph) | {b for _, b in edges}):
        if v not in index:
            visit(v)
    return components


def _module_edges() -> set[tuple[str, str]]:
    return {(a, b) for a, b in IMPORTS if "." not in b}


def test_every_package_has_a_layer():
    nodes = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} | \
        {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"} | {"__init__"}
    assert nodes - set(_rank()) == set(), "give each new package or module its place in LAYERS and the README"


def test_no_cycle_between_packages():
    cycles = _cycles(_module_edges())
    assert cycles == [], "\n".join(" ↔ ".join(c) + ":\n  " + "\n  ".join(
        where for a, b in sorted(_module_edges()) if a in c and b in c for where in IMPORTS[(a, b)]) for c in cycles)


def test_audit_imports_no_domain():
    assert [where for (a, b), places in IMPORTS.items() if a == "audit" and b in DOMAINS
            for where in places] == []


def test_imports_follow_the_order_of_layers():
    rank = _rank()
    against = [f"{a} ({_layer_of()[a]}) → {b} ({_layer_of()[b]}): {where}"
               for (a, b), places in sorted(IMPORTS.items()) if "." not in b
               and rank[b] > rank[a] for where in places]
    assert against == [], "\n".join(against)


def test_no_package_reaches_into_another_ones_views_or_commands():
    """Across domains, call a domain's services or queries, never its views or its CLI."""
    reaching = [where for (a, b), places in sorted(IMPORTS.items()) if "." in b
                for where in places]
    assert reaching == [], "\n".join(reaching)


def test_the_readme_gives_the_same_order():
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How the code is laid out", 1)[1].split("\n## ", 1)[0]
    section = section[section.index("\n1. "):]  # the numbered list of layers
    positions = []
    for _, names in LAYERS:
        for name in names:
            label = f"`{name}`" if name != "__init__" else "`__init__`"
            assert label in section, f"the README's layout section does not place {label}"
            positions.append(section.index(label))
    assert positions == sorted(positions), "the README lists the packages in another order than LAYERS"
