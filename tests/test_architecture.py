"""The package's shape (docs/architecture.md): stages import only stages below them, modules
import each other without cycles, modules stay small and the mkdocs adapter stays thin.
Every import counts: module level, inside functions and under TYPE_CHECKING."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# Lower numbers are lower stages. A module may import its own stage's modules and any lower stage;
# stages of one level are siblings and never import each other.
STAGES = {
    "errors": 0,
    "today": 0,
    "lock": 0,
    "cachefiles": 0,
    "dependencies": 0,
    "records": 1,
    "reading": 2,
    "templating": 3,
    "web": 4,
    "paper": 4,
    "review": 4,
    "authoring": 4,
    "engine": 5,
    "gate": 5,
    "build": 6,
    "shards": 7,
    "cli": 8,
    "__main__": 9,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The generator modules `name` imports, resolved to modules (not names inside them)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and target.startswith("generator"):
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}
    # A package's __init__ is where its modules live, not something they depend on.
    return {name: {t for t in targets if not name.startswith(t + ".")} for name, targets in graph.items()}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_every_module_belongs_to_a_stage():
    strays = [m for m in _modules() if m != "generator" and _stage(m) not in STAGES]
    assert not strays, f"modules outside the known stages (add them to a stage folder): {strays}"


def test_imports_flow_down_the_stages():
    wrong = []
    for module, targets in _graph().items():
        here = _stage(module)
        for target in targets:
            there = _stage(target)
            if here is None or there is None or here == there:
                continue
            if STAGES[there] >= STAGES[here]:
                wrong.append(f"{module} → {target}")
    assert not wrong, "a stage imports a stage at or above its own level:\n" + "\n".join(sorted(wrong))


def test_no_import_cycles():
    graph = _graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_the_checker_finds_a_cycle_and_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The rules above can fail: a fake package with a cycle and an upward import is caught."""
    fake = tmp_path / "generator"
    (fake / "records").mkdir(parents=True)
    (fake / "web").mkdir()
    for init in (fake / "__init__.py", fake / "records" / "__init__.py", fake / "web" / "__init__.py"):
        init.write_text("")
    (fake / "records" / "a.py").write_text("from generator.web.b import x\n")
    (fake / "web" / "b.py").write_text("from generator.records import a\nx = 1\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    with pytest.raises(AssertionError, match=re.escape("generator.records.a → generator.web.b")):
        test_imports_flow_down_the_stages()
    with pytest.raises(AssertionError, match="import cycles"):
        test_no_import_cycles()


@pytest.mark.parametrize("name", sorted(_modules()))
def test_modules_stay_small(name: str):
    lines = len(_modules()[name].read_text(encoding="utf-8").splitlines())
    limit = 150 if name == "generator.engine.mkdocs_plugin" else 320
    assert lines <= limit, f"{name} has {lines} lines (limit {limit}): split it by what it does"
