"""``tf.contrib.framework.arg_scope``: default keyword arguments for the functions
decorated with :func:`add_arg_scope` (contrib's layers are), within a ``with`` block.

As in TF1, a function's key is its module and name; arguments given in the call win over
the scope's, inner scopes add to (and override) outer ones, and ``arg_scope`` on a function
that is not decorated is an error.
"""
from __future__ import annotations

import contextlib
import functools
import threading
from typing import Any, Callable, Iterator

__all__ = ["arg_scope", "add_arg_scope", "current_arg_scope", "has_arg_scope",
           "arg_scoped_arguments"]

_STACK = threading.local()
_DECORATED: dict[tuple[str, str], tuple[str, ...]] = {}


def _stack() -> list[dict]:
    if not hasattr(_STACK, "scopes"):
        _STACK.scopes = []
    return _STACK.scopes


def _key(function: Callable) -> tuple[str, str]:
    function = getattr(function, "_key_op", function)
    return function.__module__, function.__name__


def current_arg_scope() -> dict:
    """The innermost arg scope: a dict from function key to its default arguments (pass
    it to :func:`arg_scope` to re-enter it)."""
    stack = _stack()
    return stack[-1] if stack else {}


def add_arg_scope(function: Callable) -> Callable:
    """Decorates ``function`` so that :func:`arg_scope` can give it default arguments."""
    key = _key(function)

    @functools.wraps(function)
    def with_scope(*args: Any, **kwargs: Any) -> Any:
        merged = dict(current_arg_scope().get(key, {}))
        merged.update(kwargs)
        return function(*args, **merged)

    code = function.__code__
    _DECORATED[key] = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
    with_scope._key_op = function  # type: ignore[attr-defined]
    return with_scope


def has_arg_scope(function: Callable) -> bool:
    """True if ``function`` was decorated with :func:`add_arg_scope`."""
    return _key(function) in _DECORATED


def arg_scoped_arguments(function: Callable) -> tuple[str, ...]:
    """The named arguments of a decorated ``function``."""
    if not has_arg_scope(function):
        raise ValueError(f"{function.__name__} is not decorated with @add_arg_scope")
    return _DECORATED[_key(function)]


@contextlib.contextmanager
def arg_scope(list_ops_or_scope: Any, **kwargs: Any) -> Iterator[dict]:
    """``with arg_scope([fully_connected, conv2d], activation_fn=tf.nn.tanh):`` gives
    those functions these default arguments inside the block; ``arg_scope(scope)`` with a
    dict from :func:`current_arg_scope` (or a previous ``with ... as scope``) re-enters
    it (no keyword arguments then). Yields the new scope."""
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling a dictionary, "
                             "kwargs must be empty.")
        scope = list_ops_or_scope
    else:
        if not isinstance(list_ops_or_scope, (list, tuple)):
            raise TypeError(f"list_ops_or_scope must either be a list/tuple or reused scope "
                            f"(i.e. dict), got {type(list_ops_or_scope).__name__}")
        scope = dict(current_arg_scope())
        for function in list_ops_or_scope:
            if not has_arg_scope(function):
                raise ValueError(f"{getattr(function, '__name__', function)} is not "
                                 f"decorated with @add_arg_scope")
            key = _key(function)
            scope[key] = {**scope.get(key, {}), **kwargs}
    _stack().append(scope)
    try:
        yield scope
    finally:
        _stack().pop()
