"""``tf.variable_creator_scope``: functions that intercept the creation of variables.

Inside ``with tf.variable_creator_scope(creator):`` every ``tf.Variable(...)`` (and so
every variable ``tf.get_variable`` makes) is created by calling
``creator(next_creator, **kwargs)`` with all of ``tf.Variable``'s arguments; the creator
may change them, call ``next_creator(**kwargs)`` to go on, and return the variable.
Creators of nested scopes chain as in TF1: the innermost runs first, its
``next_creator`` is the next scope's creator, and the last one creates the variable.
Scopes belong to the default graph, as TF1's do.
"""
from __future__ import annotations

import contextlib
import weakref
from typing import Any, Callable, Iterator

from ..core.graph import Graph, get_default_graph

__all__ = ["create_through_scopes", "has_creators", "variable_creator_scope"]

_STACKS: "weakref.WeakKeyDictionary[Graph, list[Callable[..., Any]]]" = \
    weakref.WeakKeyDictionary()


@contextlib.contextmanager
def variable_creator_scope(variable_creator: Callable[..., Any]) -> Iterator[None]:
    """Makes ``variable_creator(next_creator, **kwargs)`` create the variables made in
    the block (on the default graph).

    Raises:
      TypeError: ``variable_creator`` is not callable.
    """
    if not callable(variable_creator):
        raise TypeError(f"variable_creator must be callable, got {variable_creator!r}")
    stack = _STACKS.setdefault(get_default_graph(), [])
    stack.append(variable_creator)
    try:
        yield
    finally:
        stack.remove(variable_creator)


def has_creators() -> bool:
    """Whether a creator scope is open on the default graph."""
    return bool(_STACKS.get(get_default_graph()))


def create_through_scopes(create: Callable[..., Any], kwargs: dict[str, Any]) -> Any:
    """The variable the open creator scopes make from ``kwargs``; ``create(**kwargs)``
    is the last ``next_creator`` (the plain constructor)."""
    creator = create
    for outer in list(_STACKS.get(get_default_graph(), ())):
        creator = _chained(outer, creator)
    return creator(**kwargs)


def _chained(creator: Callable[..., Any], next_creator: Callable[..., Any]) -> Callable[..., Any]:
    def call(**kwargs: Any) -> Any:
        return creator(next_creator, **kwargs)

    return call
