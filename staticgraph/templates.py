"""``tf.make_template``: wraps a function so that every call shares the variables the
first call created with ``tf.get_variable``, as TF1 does.

The first call opens a variable scope named uniquely after ``name_`` (``name``,
``name_1``...; or ``unique_name_`` as given) and runs the function, creating its
variables there; later calls re-enter that scope with ``reuse=True``, so ``get_variable``
returns the same variables while the ops get fresh name scopes (``name_1/``...). A later
call that creates a trainable variable (``tf.Variable`` instead of ``get_variable``)
raises ``ValueError``.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from .core.graph import GraphKeys, get_default_graph
from .ops.variable_scope import VariableScope, variable_scope

__all__ = ["Template", "make_template"]


class Template:
    """A function whose calls share variables; made by :func:`make_template`."""

    def __init__(self, name: str, func: Callable[..., Any], create_scope_now: bool = False,
                 unique_name: str | None = None, custom_getter: Callable | None = None) -> None:
        if not name:
            raise ValueError("name cannot be None or empty.")
        self._name = name
        self._func = func
        self._unique_name = unique_name
        self._custom_getter = custom_getter
        self._variable_scope: VariableScope | None = None
        self._variables_created = False
        if create_scope_now:
            with variable_scope(unique_name, default_name=name, custom_getter=custom_getter,
                                auxiliary_name_scope=False) as scope:
                self._variable_scope = scope

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._variable_scope is not None:
            with variable_scope(self._variable_scope, reuse=self._variables_created or None):
                return self._call_func(args, kwargs)
        with variable_scope(self._unique_name, default_name=self._name,
                            custom_getter=self._custom_getter) as scope:
            self._variable_scope = scope
            return self._call_func(args, kwargs)

    def _call_func(self, args: tuple, kwargs: dict) -> Any:
        trainable = get_default_graph().get_collection_ref(GraphKeys.TRAINABLE_VARIABLES)
        trainable_at_start = len(trainable)
        result = self._func(*args, **kwargs)
        if self._variables_created and len(trainable) != trainable_at_start:
            raise ValueError("Trainable variable created when calling a template after the "
                             "first time, perhaps you used tf.Variable when you meant "
                             f"tf.get_variable: {trainable[trainable_at_start:]}")
        self._variables_created = True
        return result

    @property
    def name(self) -> str:
        """The name given to :func:`make_template`."""
        return self._name

    @property
    def func(self) -> Callable[..., Any]:
        """The wrapped function (with the keyword arguments bound)."""
        return self._func

    @property
    def variable_scope(self) -> VariableScope | None:
        """The template's variable scope (None before the first call unless
        ``create_scope_now_``)."""
        return self._variable_scope

    @property
    def variable_scope_name(self) -> str | None:
        """The full name of the template's variable scope, ending in "/" as in TF1."""
        if self._variable_scope is None:
            return None
        name = self._variable_scope.name
        return name if not name or name.endswith("/") else name + "/"

    def _collection(self, key: str) -> list:
        if self._variable_scope is None:
            return []
        return get_default_graph().get_collection(key, self.variable_scope_name)

    @property
    def variables(self) -> list:
        """The global variables created in the template's scope."""
        return self._collection(GraphKeys.GLOBAL_VARIABLES)

    @property
    def global_variables(self) -> list:
        """The global variables created in the template's scope."""
        return self._collection(GraphKeys.GLOBAL_VARIABLES)

    @property
    def trainable_variables(self) -> list:
        """The trainable variables created in the template's scope."""
        return self._collection(GraphKeys.TRAINABLE_VARIABLES)

    @property
    def non_trainable_variables(self) -> list:
        """The global variables in the template's scope that are not trainable."""
        trainable = self.trainable_variables
        return [v for v in self.global_variables if all(v is not t for t in trainable)]

    @property
    def local_variables(self) -> list:
        """The local variables created in the template's scope."""
        return self._collection(GraphKeys.LOCAL_VARIABLES)


def make_template(name_: str, func_: Callable[..., Any], create_scope_now_: bool = False,
                  unique_name_: str | None = None, custom_getter_: Callable | None = None,
                  **kwargs: Any) -> Template:
    """``tf.make_template``: ``func_`` (with ``kwargs`` bound) as a :class:`Template`
    whose calls share the variables its first call creates with ``tf.get_variable``.

    ``create_scope_now_`` opens the variable scope now instead of at the first call;
    ``unique_name_`` names the scope exactly (reentering an existing one) instead of
    uniquifying ``name_``; ``custom_getter_`` is the scope's custom getter.
    """
    if kwargs:
        func_ = functools.partial(func_, **kwargs)
    return Template(name_, func_, create_scope_now=create_scope_now_,
                    unique_name=unique_name_, custom_getter=custom_getter_)
