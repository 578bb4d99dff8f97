"""The package's import graph: layers that only point down, no cycles, imports at module top.

The graph is read from the source (``ast``), every import counted: at module top, under
``if TYPE_CHECKING``, and inside functions, so that nothing hides an edge from the test.
docs/architecture.md ("Layers") says why the layers are in this order.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "src" / "secstatus"

LAYERS = ("system", "domain", "register", "analysis", "report", "history", "output", "editing", "site", "cli")
"""The subpackages from the bottom up: a module may import its own subpackage's modules and those
of the layers below it, never one above. The package's root (``secstatus``: its version) is under
every layer, ``secstatus.__main__`` over every one."""

MAX_FUNCTION_LEVEL = 5
"""Function-level imports of the package's own modules allowed outside ``cli/`` (whose commands
import the core lazily, so that ``secstatus --help`` stays light). A third-party library imported
inside a function (Jinja2, WeasyPrint, holidays) is not counted: the rule is about the graph."""


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path) -> list[Import]:
    """Every import of the package's own modules in one module, each resolved to the module it loads."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    base = ".".join(anchor + ([child.module] if child.module else []))
                for alias in child.names:
                    target = f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                    if target in MODULES:
                        found.append(Import(name, target, child.lineno, in_function))
            elif isinstance(child, ast.Import):
                found.extend(
                    Import(name, alias.name, child.lineno, in_function)
                    for alias in child.names
                    if alias.name in MODULES
                )
            visit(child, nested)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


IMPORTS = [found for name, path in MODULES.items() for found in imports_of(name, path)]


def layer(module: str) -> int:
    if module == "secstatus":
        return -1
    if module == "secstatus.__main__":
        return len(LAYERS)
    return LAYERS.index(module.split(".")[1])


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), and self-imports."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_the_graph_is_read_whole():
    """The reader finds imports of every form: relative, of a module by its package, inside a
    function, under TYPE_CHECKING (a check that could pass on an empty graph would prove nothing)."""
    pairs = {(i.source, i.target) for i in IMPORTS}
    assert ("secstatus.__main__", "secstatus.cli.entry") in pairs
    assert ("secstatus.history.gitlog", "secstatus.system.gitrun") in pairs  # from ..system import gitrun
    assert ("secstatus.output.render", "secstatus.report.context") in pairs  # under TYPE_CHECKING
    assert ("secstatus.output.schemas", "secstatus") in pairs  # from .. import __version__
    assert any(i.in_function for i in IMPORTS if i.source == "secstatus.cli.register")
    assert set(LAYERS) == {
        name.split(".")[1] for name in MODULES if name.count(".") >= 1 and (PACKAGE / name.split(".")[1]).is_dir()
    }


def test_there_is_no_import_cycle():
    assert cycles({(i.source, i.target) for i in IMPORTS}) == []


def test_a_cycle_is_found():
    assert cycles({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}) == [["a", "b", "c"]]
    assert cycles({("a", "a")}) == [["a"]] and cycles({("a", "b")}) == []


def test_layers_only_point_down():
    upward = [f"{i.source}:{i.line} imports {i.target}" for i in IMPORTS if layer(i.target) > layer(i.source)]
    assert upward == []


def test_the_core_imports_its_own_modules_at_the_top():
    inside = [
        f"{i.source}:{i.line} -> {i.target}"
        for i in IMPORTS
        if i.in_function and not i.source.startswith("secstatus.cli")
    ]
    assert len({entry.split(" ")[0] for entry in inside}) <= MAX_FUNCTION_LEVEL, inside


def test_few_modules_sit_at_the_root():
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py", "__main__.py"]


@pytest.mark.parametrize("name", LAYERS)
def test_each_layer_says_what_it_is_and_what_it_may_import(name: str):
    """Each subpackage's docstring is a paragraph on what lives there, then one line ``May import:``
    naming the layers below it, as the test reads them."""
    doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text(encoding="utf-8"))) or ""
    said = re.search(r"^May import: (.*)", doc, re.MULTILINE | re.DOTALL)
    assert said, f"{name}/__init__.py does not say what it may import"
    below = LAYERS[: LAYERS.index(name)]
    assert re.findall(r"``(\w+)/``", said.group(1)) == list(below)
    assert len(doc.split("May import:")[0].split()) >= 20, "say what lives there, in a paragraph"


def test_the_architecture_doc_states_the_same_layers():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    line = re.search(r"^Layers, from the bottom up: (.*)$", doc, re.MULTILINE)
    assert line and re.findall(r"`(\w+)/`", line.group(1)) == list(LAYERS)
