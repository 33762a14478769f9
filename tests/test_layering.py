"""The package's layers import only downward, and no layer's modules import each other in
a cycle.

Every import statement of every module under ``staticgraph/`` is read with ``ast``,
including imports inside functions (a function-local import is still a dependency). The
layers, bottom to top::

    core -> ops -> autodiff -> control_flow -> compiler -> runtime -> train/viz/io -> API

The API layer is every top-level module (``staticgraph/nn.py``, ``math.py``...) and every
package not named above (``layers/``, ``data/``...).
"""
from __future__ import annotations

import ast
import pathlib
from typing import Iterator, NamedTuple

import networkx as nx

PACKAGE = "staticgraph"
ROOT = pathlib.Path(__file__).resolve().parents[1] / PACKAGE

LAYERS = {
    "core": 0, "ops": 1, "autodiff": 2, "control_flow": 3, "compiler": 4, "runtime": 5,
    "train": 6, "viz": 6, "io": 6,
}
API_LAYER = max(LAYERS.values()) + 1

# (importing module, imported module) pairs that may point up, each until its fix lands.
ALLOWED_UPWARD: set[tuple[str, str]] = set()


class Import(NamedTuple):
    """One import statement's target, as a module of the package."""
    source: str
    line: int
    target: str


def module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(module: str) -> bool:
    return (ROOT.parent / module.replace(".", "/") / "__init__.py").is_file()


def module_exists(module: str) -> bool:
    path = ROOT.parent / module.replace(".", "/")
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def layer_of(module: str) -> int:
    parts = module.split(".")
    if len(parts) < 3 and not is_package(module):
        return API_LAYER  # staticgraph/<name>.py
    return LAYERS.get(parts[1], API_LAYER) if len(parts) > 1 else API_LAYER


def imports_of(path: pathlib.Path, source: str | None = None) -> Iterator[Import]:
    """The package modules ``path`` (module ``source``, by default its own name) imports,
    wherever in the file the import stands."""
    source = source or module_name(path)
    package = source if path.name == "__init__.py" else source.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    yield Import(source, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[:len(parts) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                # ``from pkg import module`` depends on that module, else on ``pkg`` itself.
                sub = f"{target}.{alias.name}"
                yield Import(source, node.lineno, sub if module_exists(sub) else target)


def all_imports() -> list[Import]:
    found = (imp for path in sorted(ROOT.rglob("*.py")) for imp in imports_of(path))
    return list(dict.fromkeys(imp for imp in found if imp.target != imp.source))


def describe(imports: list[Import]) -> str:
    return "\n".join(f"  {i.source} (line {i.line}) imports {i.target}" for i in imports)


def upward_imports(imports: list[Import]) -> list[Import]:
    """The imports whose target lies in a higher layer than their source."""
    return [i for i in imports if layer_of(i.target) > layer_of(i.source)
            and (i.source, i.target) not in ALLOWED_UPWARD]


def cycles_within_layers(imports: list[Import]) -> list[str]:
    """One cycle (with its import lines) per group of same-layer modules that import each
    other in a circle."""
    graph = nx.DiGraph()
    by_edge: dict[tuple[str, str], list[Import]] = {}
    for imp in imports:
        if layer_of(imp.source) == layer_of(imp.target):
            graph.add_edge(imp.source, imp.target)
            by_edge.setdefault((imp.source, imp.target), []).append(imp)
    problems = []
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            cycle = nx.find_cycle(graph.subgraph(component))
            problems.append(" -> ".join([a for a, _ in cycle] + [cycle[0][0]]) + "\n"
                            + describe([i for edge in cycle for i in by_edge[edge]]))
    return sorted(problems)


def test_the_package_is_found() -> None:
    imports = all_imports()
    assert len({i.source for i in imports}) > 50
    assert any(i.target == "staticgraph.core.graph" for i in imports)


def test_layers_import_only_downward() -> None:
    upward = upward_imports(all_imports())
    assert not upward, "imports pointing up the layers:\n" + describe(upward)


def test_the_allow_list_holds_only_live_imports() -> None:
    live = {(i.source, i.target) for i in all_imports()}
    stale = ALLOWED_UPWARD - live
    assert not stale, f"ALLOWED_UPWARD lists imports that no longer exist: {sorted(stale)}"


def test_no_import_cycle_within_a_layer() -> None:
    problems = cycles_within_layers(all_imports())
    assert not problems, "import cycles within a layer:\n" + "\n".join(problems)


def test_layers_are_ranked() -> None:
    assert layer_of("staticgraph.core.graph") < layer_of("staticgraph.ops.math_ops") \
        < layer_of("staticgraph.autodiff.gradients") < layer_of("staticgraph.compiler.plan") \
        < layer_of("staticgraph.runtime.session") < layer_of("staticgraph.train.optimizer") \
        < layer_of("staticgraph.nn") == layer_of("staticgraph")
    assert layer_of("staticgraph.train.saver") == layer_of("staticgraph.viz.dot")


def test_a_function_local_upward_import_is_caught(tmp_path: pathlib.Path) -> None:
    module = tmp_path / "fake.py"
    module.write_text("from .dtypes import DType\n\n\n"
                      "def f():\n    from ..runtime import session\n")
    found = list(imports_of(module, "staticgraph.core.fake"))
    assert found == [Import("staticgraph.core.fake", 1, "staticgraph.core.dtypes"),
                     Import("staticgraph.core.fake", 5, "staticgraph.runtime.session")]
    assert upward_imports(found) == found[1:]
    assert "line 5" in describe(upward_imports(found))


def test_a_cycle_within_a_layer_is_caught() -> None:
    imports = [Import("staticgraph.ops.a", 3, "staticgraph.ops.b"),
               Import("staticgraph.ops.b", 7, "staticgraph.ops.a"),
               Import("staticgraph.ops.b", 8, "staticgraph.core.graph")]
    [problem] = cycles_within_layers(imports)
    assert "staticgraph.ops.a (line 3) imports staticgraph.ops.b" in problem
    assert "staticgraph.ops.b (line 7) imports staticgraph.ops.a" in problem
