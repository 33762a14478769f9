"""Ops from user NumPy functions: TF1's ``tf.py_func`` and staticgraph's ``define_numpy_op``.

``define_numpy_op`` is the documented way to add a new op with its gradient (what autograd
calls ``defvjp``): the forward is any NumPy function, the VJP builds graph ops.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.registry import EVERY, define_op
from ..core.shapes import TensorShape
from .framework import apply_op, convert_to_tensor, same_as_first

__all__ = ["py_func", "numpy_function", "define_numpy_op"]


def _py_func_kernel(*arrays: np.ndarray, func: Callable, Tout: tuple) -> Any:
    results = func(*arrays)
    if len(Tout) == 1 and not isinstance(results, (list, tuple)):
        results = [results]
    if len(results) != len(Tout):
        raise ValueError(f"py_func function returned {len(results)} values, "
                         f"expected {len(Tout)}")
    converted = tuple(np.asarray(r, dtype=t.dtype) for r, t in zip(results, Tout))
    return converted[0] if len(converted) == 1 else converted


def _py_func_shape(inputs: list, attrs: dict) -> list:
    return [(TensorShape(None), t) for t in attrs["Tout"]]


define_op("PyFunc", kernel=_py_func_kernel, shape_fn=_py_func_shape, stateful=True,
          doc="Calls a Python function on NumPy arrays (no gradient unless overridden).",
          view_of={EVERY: (EVERY,)})


def py_func(func: Callable, inp: list, Tout: Any, stateful: bool = True,
            name: str | None = None) -> Any:
    """``tf.py_func``: wraps a NumPy function as an op; outputs have unknown shape.

    Give it a gradient with ``tf.RegisterGradient`` and
    ``graph.gradient_override_map({"PyFunc": name})``.
    """
    single = not isinstance(Tout, (list, tuple))
    tout = tuple(dtypes.as_dtype(t) for t in ([Tout] if single else Tout))
    op = apply_op("PyFunc", [convert_to_tensor(x) for x in inp],
                  {"func": func, "Tout": tout}, name=name)
    return op.outputs[0] if single else list(op.outputs)


numpy_function = py_func


def define_numpy_op(op_type: str, forward: Callable[..., np.ndarray], *,
                    shape_fn: Callable[[list, dict], list] | None = None,
                    vjp: Callable[..., list] | None = None,
                    jvp: Callable[..., list] | None = None,
                    elementwise: bool = False) -> Callable[..., Any]:
    """Registers a new op type computed by the NumPy function ``forward``.

    ``shape_fn(inputs, attrs)`` gives ``[(shape, dtype)]`` (default: like the first
    input); ``vjp(op, grad)`` returns one gradient tensor per input, built from graph ops;
    ``jvp(op, *tangents)`` returns the output tangent. Returns a function
    ``f(*inputs, name=None)`` that adds the op to the graph.
    """
    define_op(op_type, kernel=forward, shape_fn=shape_fn or same_as_first, vjp=vjp, jvp=jvp,
              elementwise=elementwise, view_of={EVERY: (EVERY,)},  # a user's kernel
              doc=forward.__doc__ or "")

    def build(*inputs: Any, name: str | None = None) -> Any:
        op = apply_op(op_type, [convert_to_tensor(x) for x in inputs], name=name)
        return op.outputs[0] if len(op.outputs) == 1 else list(op.outputs)

    build.__name__ = op_type
    build.__doc__ = f"Adds a {op_type} op (defined from a NumPy function)."
    return build
