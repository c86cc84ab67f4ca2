"""The house rules of docs/ARCHITECTURE.md, checked from the source (ast) so they stay true.

1. No import circles among the project's modules, counting imports inside functions.
2. The web page imports nothing of the command line (and the reverse).
3. No ``_private`` name is imported across modules.
4. ortools is imported in at most two folders: planner/pairing and planner/scheduling.
5. Nothing imports upward: each module imports only from its own layer or lower ones.
6. Only the command line imports typer and rich; the CLI and the page call ``planner.app``
   (plus models, errors and i18n), never the domain, solvers or io directly.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("planner", "models")

# Lowest first. A module belongs to the first prefix that matches it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("models",),
    (
        "planner.version",
        "planner.errors",
        "planner.i18n",
        "planner.schema",
        "planner.values",
        "planner.changes",
    ),
    ("planner.io",),
    ("planner.workdays",),
    ("planner.rules", "planner.scenarios"),
    ("planner.pairing", "planner.scheduling"),
    (
        "planner.records",
        "planner.status",
        "planner.report",
        "planner.synth",
        "planner.duties",
        "planner.collect",
        "planner.province",
    ),
    ("planner.documents", "planner.store"),
    ("planner.app",),
    ("planner.cli", "planner.web"),
    ("planner.__main__",),
    # The root package only forwards its public names to planner.app, lazily.
    ("planner",),
)
FRONT_ENDS = ("planner.cli", "planner.web")
FRONT_END_MAY_IMPORT = ("planner.app", "models", "planner.errors", "planner.i18n")
# ``planner serve`` starts the page: the one import from the command line into the web package.
CLI_STARTS_WEB = "planner.cli.serve"
# The page is being moved onto planner.app tab by tab (issue 10); until then its modules are
# held to the circle, private-name and layer rules only. Emptied when the move lands.
PENDING: tuple[str, ...] = ()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for p in sorted((ROOT / pkg).rglob("*.py")):
            out[_module_name(p)] = p
    return out


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The project module an imported dotted name lives in (``a.b.c`` → ``a.b`` if c is a name)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(mod: str) -> list[tuple[str, str, int, bool]]:
    """(imported module, imported name or '', line, inside a function) of ``mod``."""
    tree = ast.parse(MODULES[mod].read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        inner = getattr(node, "col_offset", 0) > 0
        if isinstance(node, ast.Import):
            for a in node.names:
                out.append((a.name, "", node.lineno, inner))
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                pkg = mod.split(".")
                pkg = pkg[
                    : len(pkg) - node.level + (1 if MODULES[mod].name == "__init__.py" else 0)
                ]
                base = ".".join([*pkg, node.module])
            for a in node.names:
                out.append((base, a.name, node.lineno, inner))
    return out


def _layer(mod: str) -> int:
    for i, prefixes in enumerate(LAYERS):
        if any(mod == p or (mod.startswith(p + ".") and p != "planner") for p in prefixes):
            return i
    raise AssertionError(f"{mod} belongs to no layer of docs/ARCHITECTURE.md")


def _graph() -> nx.DiGraph:
    g: nx.DiGraph = nx.DiGraph()
    for mod in MODULES:
        g.add_node(mod)
        for target, name, _, _ in _imports(mod):
            dst = _resolve(f"{target}.{name}" if name else target)
            if dst and dst != mod:
                g.add_edge(mod, dst)
    return g


def _is_package_of(a: str, b: str) -> bool:
    return b.startswith(a + ".")


def test_every_module_has_a_layer() -> None:
    for mod in MODULES:
        _layer(mod)


def test_no_import_circles() -> None:
    g = _graph()
    # A package's __init__ re-exporting its own modules is not a circle of the design.
    g.remove_edges_from([(a, b) for a, b in list(g.edges) if _is_package_of(a, b)])
    g.remove_nodes_from([m for m in list(g.nodes) if m.startswith(PENDING)])
    cycles = list(nx.simple_cycles(g))
    assert not cycles, f"import circles: {cycles[:5]}"


def test_nothing_imports_upward() -> None:
    bad = []
    for mod in MODULES:
        for target, name, line, _ in _imports(mod):
            dst = _resolve(f"{target}.{name}" if name else target)
            if dst and dst != mod and not _is_package_of(mod, dst) and _layer(dst) > _layer(mod):
                bad.append(f"{mod}:{line} imports {dst}")
    assert not bad, "upward imports:\n" + "\n".join(bad)


def test_web_and_cli_never_import_each_other() -> None:
    bad = []
    for mod in MODULES:
        for target, name, line, _ in _imports(mod):
            dst = _resolve(f"{target}.{name}" if name else target) or ""
            if mod.startswith("planner.web") and dst.startswith("planner.cli"):
                bad.append(f"{mod}:{line} imports {dst}")
            if (
                mod.startswith("planner.cli")
                and dst.startswith("planner.web")
                and mod != CLI_STARTS_WEB
            ):
                bad.append(f"{mod}:{line} imports {dst}")
    assert not bad, "\n".join(bad)


def test_front_ends_call_only_the_application_layer() -> None:
    bad = []
    for mod in MODULES:
        if not mod.startswith(FRONT_ENDS) or mod.startswith(PENDING):
            continue
        own = mod.split(".")[:2]
        for target, name, line, _ in _imports(mod):
            dst = _resolve(f"{target}.{name}" if name else target)
            if dst is None or dst.split(".")[:2] == own or dst == "planner":
                continue
            if mod == CLI_STARTS_WEB and dst.startswith("planner.web"):
                continue
            if not any(dst == p or dst.startswith(p + ".") for p in FRONT_END_MAY_IMPORT):
                bad.append(f"{mod}:{line} imports {dst}")
    assert not bad, "front ends must go through planner.app:\n" + "\n".join(bad)


def test_no_private_name_crosses_a_module() -> None:
    bad = []
    for mod in MODULES:
        for target, name, line, _ in _imports(mod):
            src = _resolve(target)
            if src is None or src == mod:
                continue
            if name.startswith("_") and not name.startswith("__"):
                bad.append(f"{mod}:{line} imports {target}.{name}")
            if any(
                part.startswith("_") and not part.startswith("__") for part in target.split(".")
            ):
                bad.append(f"{mod}:{line} imports {target}")
    assert not bad, "\n".join(bad)


def test_ortools_lives_in_two_folders() -> None:
    homes = defaultdict(list)
    for mod in MODULES:
        for target, _, line, _ in _imports(mod):
            if target == "ortools" or target.startswith("ortools."):
                homes[".".join(mod.split(".")[:2])].append(f"{mod}:{line}")
    assert set(homes) <= {"planner.pairing", "planner.scheduling"}, dict(homes)


def test_only_the_cli_imports_typer_and_rich() -> None:
    bad = []
    for mod in MODULES:
        for target, _, line, _ in _imports(mod):
            if target.split(".")[0] in ("typer", "rich", "click") and not mod.startswith(
                "planner.cli"
            ):
                bad.append(f"{mod}:{line} imports {target}")
    assert not bad, "\n".join(bad)


def test_the_checker_sees_a_circle() -> None:
    """The checker itself can fail: a made-up graph with a circle is reported."""
    g: nx.DiGraph = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")])
    assert list(nx.simple_cycles(g))
