"""No module of the tongdui package imports, even indirectly, a module that imports it back.

Every import statement counts, wherever it sits: at the top, inside a function, or under
``TYPE_CHECKING``. A lazy or type-only import hides a cycle from Python, not from a reader:
the two modules still cannot be understood (or split, or tested) apart. The modules are read
with ``ast``, not imported, so the test needs no chain, database or settings.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "tongdui"
SOURCE = Path(__file__).resolve().parents[2] / "backend"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(SOURCE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``name`` imports, anywhere in its file."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if node.module:
                found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    # A module's own packages are always loaded before it: importing them closes no cycle.
    ancestors = {".".join(name.split(".")[:n]) for n in range(1, name.count(".") + 1)}
    return {m for m in found if m in known and m != name and m not in ancestors}


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for child in sorted(graph[node]):
            if child not in index:
                visit(child)
                low[node] = min(low[node], low[child])
            elif child in on_stack:
                low[node] = min(low[node], index[child])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_the_package_and_its_imports() -> None:
    graph = import_graph()
    assert "tongdui.audit.run" in graph
    assert "tongdui.audit.results" in graph["tongdui.audit.run"]
    assert "tongdui.audit.dbcompare" in graph["tongdui.audit.run"]


def test_the_cycle_finder_finds_a_cycle_hidden_behind_a_lazy_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_tongdui_module_imports_itself_back_through_others() -> None:
    assert cycles(import_graph()) == []


def test_the_audits_result_types_import_nothing_that_reads_or_makes_a_result() -> None:
    graph = import_graph()
    readers = {"tongdui.audit.run", "tongdui.audit.dbcompare", "tongdui.audit.read_indexes"}
    assert not graph["tongdui.audit.results"] & readers
    assert not graph["tongdui.audit.read_indexes"] & {"tongdui.audit.run"}
    assert not graph["tongdui.audit.dbcompare"] & {"tongdui.audit.run"}
