"""The house: omie_push's packages import one way, down the layers of docs/architecture.md.

Every import counts, function-level ones included; only `if TYPE_CHECKING:` imports (types,
not a run-time dependency) are left out. No module may take part in an import cycle.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "omie_push"

# Bottom to top: each part may import only the parts before it (and itself).
LAYERS = ("errors", "catalog", "dbt", "store", "validate", "client", "push", "review", "cli")
# Beside the layers: the simulator uses only the catalog; only the target configuration (push)
# and the command line use it.
BESIDE = {"sandbox": {"errors", "catalog"},
          # orchestrators (Dagster) run pushes; nothing in omie_push imports them
          "orchestrate": {"errors", "catalog", "dbt", "store", "validate", "client", "push"}}
USES_SANDBOX = {"push", "cli"}
TOP_LEVEL = {"__init__"}      # omie_push/__init__.py: the version only


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The omie_push modules `name` imports at run time."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(node) for n in ast.walk(tree)
                   if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test)
                   for stmt in n.body for node in ast.walk(stmt)}
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([node.module] if node.module else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        found |= {t for t in targets if t in known}
    return {m for m in found if m != name and not name.startswith(m + ".")}


def graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    mods = modules(root)
    return {name: imports_of(name, path, set(mods)) for name, path in mods.items()}


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in list(g):
        if v not in index:
            visit(v)
    return found


def part(module: str) -> str:
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def allowed(importer: str, imported: str) -> bool:
    if importer == imported or imported in TOP_LEVEL:
        return True
    if imported == "sandbox":
        return importer in USES_SANDBOX or importer == "sandbox"
    if importer in BESIDE:
        return imported in BESIDE[importer]
    if importer in LAYERS and imported in LAYERS:
        return LAYERS.index(imported) < LAYERS.index(importer)
    return False


def violations(g: dict[str, set[str]]) -> list[str]:
    return sorted(f"{m} -> {d}" for m, deps in g.items() for d in deps
                  if not allowed(part(m), part(d)))


def test_every_part_is_placed_in_a_layer():
    parts = {part(m) for m in modules()}
    assert parts <= set(LAYERS) | set(BESIDE) | TOP_LEVEL, sorted(parts - set(LAYERS) - set(BESIDE))


def test_no_import_cycle_between_modules():
    assert cycles(graph()) == []


def test_parts_import_only_the_layers_below():
    assert violations(graph()) == []


def test_no_module_over_400_lines():
    long = {str(path.relative_to(PACKAGE.parent)): n for path in PACKAGE.rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_the_client_never_imports_the_simulator():
    g = graph()
    assert not [(m, d) for m, deps in g.items() for d in deps
                if m.startswith("omie_push.client") and d.startswith("omie_push.sandbox")]


@pytest.mark.parametrize("source, finding", [
    ("from ..sandbox import embedded\n", "omie_push.client.bad -> omie_push.sandbox"),
    ("def later():\n    from ..push import run\n", "omie_push.client.bad -> omie_push.push"),
])
def test_the_check_sees_an_upward_import(tmp_path, source, finding):
    """The checks above can fail: a function-level upward import is found."""
    root = tmp_path / "omie_push"
    for folder in ("client", "sandbox", "push"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "sandbox" / "embedded.py").write_text("")
    (root / "push" / "run.py").write_text("")
    (root / "client" / "bad.py").write_text(source)
    assert any(v.startswith(finding) for v in violations(graph(root)))


def test_the_check_sees_a_cycle(tmp_path):
    root = tmp_path / "omie_push" / "client"
    root.mkdir(parents=True)
    (root.parent / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "a.py").write_text("from . import b\n")
    (root / "b.py").write_text("def f():\n    from .a import x\n")
    assert cycles(graph(root.parent)) == [["omie_push.client.a", "omie_push.client.b"]]
