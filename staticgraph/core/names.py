"""Which op and scope names are valid (TF1 rules)."""
from __future__ import annotations

import re
from typing import Any

# TF's pattern for op names and root scope names (``_VALID_OP_NAME_REGEX``).
VALID_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\\-/>]*$")
# TF's pattern for a scope opened inside another (``_VALID_SCOPE_NAME_REGEX``): it may
# start with any of the characters (``_inner``, ``-x``); the ops made in it are still
# checked against VALID_NAME.
VALID_NESTED_SCOPE = re.compile(r"^[A-Za-z0-9_.\\\-/>]*$")


def check_op_name(name: str) -> None:
    """``ValueError`` naming ``name`` unless it is a valid op name."""
    if not VALID_NAME.match(name):
        raise ValueError(f"{name!r} is not a valid op name: op names must match "
                         f"{VALID_NAME.pattern}")


class OpNameChecker:
    """Checks the names ops are given, once per (scope, name) pair: when ``scope/name``
    is valid, so is every ``scope/name_N`` that makes it unique, so ops named in a loop
    are matched against the pattern once, not once each."""

    __slots__ = ("_valid_in",)

    def __init__(self) -> None:
        self._valid_in: dict[str, str] = {}  # name -> the scope it was last valid in

    def check(self, scope: str, name: str, op_name: str) -> None:
        """``ValueError`` unless ``op_name`` (``name`` made unique under ``scope``) is a
        valid op name."""
        if self._valid_in.get(name) != scope:
            check_op_name(op_name)
            self._valid_in[name] = scope


def scope_stack(graph: Any, name: str | None) -> str:
    """The name stack inside a scope opened with ``name`` in ``graph``'s current scope
    (the name made unique and marked used; a name ending in ``/`` taken verbatim);
    ``ValueError`` for an invalid name. The gradient sweep, which opens one scope per op
    it differentiates, sets the stack itself from this."""
    if not name:
        return ""
    # Checked as TF1 does, a verbatim name (ending in ``/``) too.
    if graph._name_stack:
        if not VALID_NESTED_SCOPE.match(name):
            raise ValueError(f"{name!r} is not a valid scope name: a scope opened inside "
                             f"another must match {VALID_NESTED_SCOPE.pattern}")
    elif not VALID_NAME.match(name):
        raise ValueError(f"{name!r} is not a valid root scope name: a scope opened at the "
                         f"top level must match {VALID_NAME.pattern}")
    if name[-1] == "/":
        return name[:-1]
    return graph.unique_name(name)


class NameScope:
    """The context manager of :meth:`Graph.name_scope`.

    A class rather than a generator: the gradient sweep opens one scope per op it
    differentiates, and this enters and exits several times faster.
    """

    __slots__ = ("_graph", "_name", "_outer")

    def __init__(self, graph: Any, name: str | None) -> None:
        self._graph = graph
        self._name = name
        self._outer = ""

    def __enter__(self) -> str:
        graph = self._graph
        new = scope_stack(graph, self._name)
        self._outer = graph._name_stack
        graph._name_stack = new
        return new + "/" if new else ""

    def __exit__(self, *exc_info: Any) -> None:
        self._graph._name_stack = self._outer
