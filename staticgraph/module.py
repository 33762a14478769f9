"""``tf.Module``: a named container of variables and other modules, as TensorFlow has it.

A module's ``name`` is given or derived from its class (``MyNet`` -> ``my_net``) and must
be a Python identifier; ``name_scope`` is a name scope opened once at construction (so
``net_1/`` for a second ``net``) and re-entered by ``with module.name_scope:`` and by
methods decorated with :meth:`Module.with_name_scope`. ``variables``,
``trainable_variables`` and ``submodules`` are found by walking the module's attributes
(in sorted attribute order, into lists, tuples and dicts), as TF does.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Callable, Iterator

from .core.graph import get_default_graph
from .nest import flatten
from .ops.variables import Variable

__all__ = ["Module"]

_OWN_ATTRIBUTES = frozenset({"_name", "_name_scope"})


def _snake_case(name: str) -> str:
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


class _ReenteredScope:
    """A name scope that reopens an existing scope name (``"net/"``) on each entry."""

    def __init__(self, scope_name: str) -> None:
        self.name = scope_name
        self._open: list[Any] = []

    def __enter__(self) -> str:
        scope = get_default_graph().name_scope(self.name)
        self._open.append(scope)
        return scope.__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._open.pop().__exit__(*exc)


class Module:
    """Base class of modules: subclasses create variables and submodules as attributes."""

    def __init__(self, name: str | None = None) -> None:
        if name is None:
            name = _snake_case(type(self).__name__)
        elif not name.isidentifier():
            raise ValueError(f"{name!r} is not a valid module name. Module names must be "
                             "valid Python identifiers (e.g. a valid class name).")
        self._name = name
        with get_default_graph().name_scope(name) as scope_name:
            self._name_scope = _ReenteredScope(scope_name)

    @property
    def name(self) -> str:
        """The module's name (not made unique)."""
        return self._name

    @property
    def name_scope(self) -> _ReenteredScope:
        """The module's name scope (unique in the graph), to enter with ``with``."""
        return self._name_scope

    def _walk(self, seen: set[int] | None = None) -> Iterator[Any]:
        """Each value reachable from the attributes once: this module's attribute leaves
        (sorted by attribute, nested containers flattened as ``tf.nest`` does), then
        those of each submodule in turn (TF's order)."""
        seen = {id(self)} if seen is None else seen
        submodules = []
        for key in sorted(vars(self)):
            if key in _OWN_ATTRIBUTES:
                continue
            for leaf in flatten(vars(self)[key]):
                if id(leaf) in seen:
                    continue
                seen.add(id(leaf))
                yield leaf
                if isinstance(leaf, Module):
                    submodules.append(leaf)
        for module in submodules:
            yield from module._walk(seen)

    @property
    def variables(self) -> tuple:
        """The variables of this module and its submodules."""
        return tuple(v for v in self._walk() if isinstance(v, Variable))

    @property
    def trainable_variables(self) -> tuple:
        """The trainable variables of this module and its submodules."""
        return tuple(v for v in self.variables if v.trainable)

    @property
    def submodules(self) -> tuple:
        """The modules reachable from this one's attributes."""
        return tuple(v for v in self._walk() if isinstance(v, Module))

    @classmethod
    def with_name_scope(cls, method: Callable[..., Any]) -> Callable[..., Any]:
        """Decorates a method so it runs inside the module's name scope."""

        @functools.wraps(method)
        def scoped(self: "Module", *args: Any, **kwargs: Any) -> Any:
            with self.name_scope:
                return method(self, *args, **kwargs)

        return scoped

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._name!r}>"
