"""TensorFlow 1's public names per namespace, and what the namespaces do with them.

``tf1_names.json`` (written by ``tools/make_tf1_names.py`` from TensorFlow's
``compat.v1``) lists TF1's public names. :func:`install` gives each staticgraph namespace
that TF1 also has:

- a module ``__getattr__``: a name TF1 has and staticgraph does not raises an
  ``AttributeError`` saying so and pointing at ``docs/tf1_coverage.md``; other unknown
  names get Python's usual message;
- a module ``__dir__`` listing only the namespace's public names: the modules it is made
  of (``staticgraph.train.adam``...), ``from __future__`` features and ``typing`` names
  stay reachable for the code that uses them but are not part of the namespace.
"""
from __future__ import annotations

import __future__
import functools
import json
import pathlib
import types
from typing import Callable, NoReturn

FACTS_FILE = pathlib.Path(__file__).with_name("tf1_names.json")
COVERAGE_DOC = "docs/tf1_coverage.md"

# staticgraph's own public names, per namespace (each with why it is there).
EXTENSIONS: dict[str, dict[str, str]] = {
    "tf": {
        "jvp": "forward-mode derivatives",
        "jacobian": "Jacobians in reverse or forward mode",
        "hessian_vector_product": "Hessian-vector products",
        "define_numpy_op": "a new op from a NumPy function",
        "to_dot": "graph pictures (graphviz)",
        "trace": "evaluation traces (primal, tangent, adjoint)",
        "onnx": "ONNX export",
    },
    "tf.metrics": {"sparse_recall_at_k": "TF 1.x's deprecated alias of recall_at_k "
                                         "(gone from compat.v1)"},
    "tf.random": {"set_seed": "TF2's spelling of set_random_seed"},
    "tf.test": {
        "GradCase": "the gradient checker's test cases",
        "GradCheckResult": "the gradient checker's result",
        "check_case": "runs a gradient-checker case",
        "check_function": "checks a function's derivatives",
    },
}


@functools.lru_cache(maxsize=None)
def tf1_names() -> dict[str, frozenset[str]]:
    """TF1's public names by namespace (``"tf"``, ``"tf.nn"``...), without module marks."""
    facts = json.loads(FACTS_FILE.read_text())
    return {namespace: frozenset(name.rstrip("/") for name in names)
            for namespace, names in facts.items() if namespace.startswith("tf")}


@functools.lru_cache(maxsize=None)
def tf1_namespaces() -> frozenset[str]:
    """Every TF1 name that is itself a namespace, dotted (``"tf.nn"``, ``"tf.nn.rnn_cell"``)."""
    facts = json.loads(FACTS_FILE.read_text())
    return frozenset(f"{namespace}.{name[:-1]}" for namespace, names in facts.items()
                     if namespace.startswith("tf") for name in names if name.endswith("/"))


def is_namespace_name(namespace: str, name: str, value: object) -> bool:
    """Whether ``value`` under ``name`` belongs in ``namespace``'s listing."""
    if name.startswith("_") or isinstance(value, __future__._Feature):
        return False
    if getattr(value, "__module__", None) == "typing" or type(value).__module__ == "typing":
        return False
    if isinstance(value, types.ModuleType):
        return (f"{namespace}.{name}" in tf1_namespaces()
                or name in EXTENSIONS.get(namespace, {}))
    return True


def _missing_name(namespace: str, module_name: str) -> Callable[[str], NoReturn]:
    known = tf1_names().get(namespace, frozenset())
    nested = tf1_namespaces()

    def __getattr__(name: str) -> NoReturn:
        if name in known or f"{namespace}.{name}" in nested:
            raise AttributeError(
                f"{namespace}.{name} is part of TensorFlow 1's API but not implemented in "
                f"staticgraph; see {COVERAGE_DOC}")
        raise AttributeError(f"module {module_name!r} has no attribute {name!r}")

    return __getattr__


def _listing(namespace: str, module: types.ModuleType) -> Callable[[], list[str]]:
    def __dir__() -> list[str]:
        return sorted(name for name, value in vars(module).items()
                      if is_namespace_name(namespace, name, value))

    return __dir__


def namespace_module(root: types.ModuleType, namespace: str) -> types.ModuleType | None:
    """The staticgraph module serving ``namespace`` (``"tf.nn"``), or None if it has none.

    Looks in module dictionaries only, so no missing-name error is raised on the way.
    """
    module = root
    for part in namespace.split(".")[1:]:
        module = vars(module).get(part)
        if not isinstance(module, types.ModuleType):
            return None
    return module


def install(root: types.ModuleType) -> None:
    """Gives ``root`` (staticgraph) and each of its TF1 namespaces their ``__getattr__``
    and ``__dir__``."""
    for namespace in sorted(set(tf1_names()) | tf1_namespaces()):
        module = namespace_module(root, namespace)
        if module is None or not module.__name__.startswith(root.__name__):
            continue
        module.__getattr__ = _missing_name(namespace, module.__name__)  # type: ignore[attr-defined]
        module.__dir__ = _listing(namespace, module)  # type: ignore[method-assign]
