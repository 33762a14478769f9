"""Tensor conversion functions registered for Python types
(``tf.register_tensor_conversion_function``), consulted by ``convert_to_tensor``."""
from __future__ import annotations

import numbers
from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor

__all__ = ["convert_registered", "register_tensor_conversion_function"]

# (priority, registration order, base types, function); kept sorted.
_FUNCTIONS: list[tuple[int, int, tuple[type, ...], Callable[..., Any]]] = []
_BUILTIN_TYPES = (numbers.Number, np.generic, np.ndarray, bool, str, bytes, list, tuple)


def register_tensor_conversion_function(base_type: Any, conversion_func: Callable[..., Any],
                                        priority: int = 100) -> None:
    """Makes ``convert_to_tensor`` convert instances of ``base_type`` (a type or a tuple
    of types) with ``conversion_func(value, dtype=None, name=None, as_ref=False)``.

    The function returns a Tensor, or ``NotImplemented`` to let the next registered
    function (lower ``priority`` first, then registration order) or the built-in
    conversion try. As in TF1, Python numbers, NumPy values, strings, lists and tuples
    cannot be given conversion functions.

    Raises:
      TypeError: ``base_type`` is not a type or tuple of types, is a built-in type, or
        ``conversion_func`` is not callable.
    """
    types = base_type if isinstance(base_type, tuple) else (base_type,)
    if not types or not all(isinstance(t, type) for t in types):
        raise TypeError(f"base_type must be a type or a tuple of types, got {base_type!r}")
    if any(issubclass(t, _BUILTIN_TYPES) for t in types):
        raise TypeError("Cannot register conversions for Python numeric types and NumPy "
                        f"scalars and arrays, strings, lists or tuples: {base_type!r}")
    if not callable(conversion_func):
        raise TypeError(f"conversion_func must be callable, got {conversion_func!r}")
    _FUNCTIONS.append((priority, len(_FUNCTIONS), types, conversion_func))
    _FUNCTIONS.sort(key=lambda entry: entry[:2])


def convert_registered(value: Any, dtype: dtypes.DType | None, name: str | None) -> Tensor | None:
    """``value`` converted by the first registered function that accepts it, or None
    when no registered function applies.

    Raises:
      RuntimeError: a function returned something other than a Tensor, or a Tensor of
        another dtype than the one requested.
    """
    for _, _, types, function in _FUNCTIONS:
        if not isinstance(value, types):
            continue
        result = function(value, dtype=dtype, name=name, as_ref=False)
        if result is NotImplemented:
            continue
        if not isinstance(result, Tensor):
            raise RuntimeError(f"{function.__name__} (registered for {types}) returned "
                               f"non-Tensor {result!r} for {value!r}")
        if dtype is not None and result.dtype != dtype:
            raise RuntimeError(f"{function.__name__} (registered for {types}) returned "
                               f"dtype {result.dtype.name} for {value!r}, but "
                               f"{dtype.name} was requested")
        return result
    return None
