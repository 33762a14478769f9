"""Comparisons, predicates and logic: bool results, no gradient."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..core.registry import define_op
from .framework import broadcast_compare
from .op_util import _binary_function, _unary_function

__all__ = [
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "is_nan",
    "is_inf", "is_finite", "logical_and", "logical_or", "logical_not", "logical_xor",
]


# ----------------------------------------------------------------------------------------
# Comparisons, predicates and logic (bool results, no gradient)
# ----------------------------------------------------------------------------------------


def _ordered_compare(inputs: list, attrs: dict) -> list:
    if inputs[0].dtype.is_bool or inputs[0].dtype.is_complex:
        raise TypeError(f"cannot order values of type {inputs[0].dtype.name}")
    return broadcast_compare(inputs, attrs)


def _logical_binary(inputs: list, attrs: dict) -> list:
    for t in inputs:
        if not t.dtype.is_bool:
            raise TypeError(f"expects bool inputs, got {t.dtype.name}")
    return broadcast_compare(inputs, attrs)


def _bool_result(check: Callable[[dtypes.DType], bool], what: str) -> Callable:
    def shape_fn(inputs: list, attrs: dict) -> list:
        x = inputs[0]
        if not check(x.dtype):
            raise TypeError(f"expects a {what} input, got {x.dtype.name}")
        return [(x.shape, dtypes.bool_)]
    return shape_fn


_float_predicate = _bool_result(lambda d: d.is_floating, "floating-point")
for _type, _kernel, _shape, _commutes_for in [
        # (x == y) is (y == x) bit for bit for every dtype (NaN, -0.0 included).
        ("Equal", np.equal, broadcast_compare, "biufc"),
        ("NotEqual", np.not_equal, broadcast_compare, "biufc"),
        ("Less", np.less, _ordered_compare, ""),
        ("LessEqual", np.less_equal, _ordered_compare, ""),
        ("Greater", np.greater, _ordered_compare, ""),
        ("GreaterEqual", np.greater_equal, _ordered_compare, ""),
        ("LogicalAnd", np.logical_and, _logical_binary, "b"),
        ("LogicalOr", np.logical_or, _logical_binary, "b"),
        ("LogicalNot", np.logical_not, _bool_result(lambda d: d.is_bool, "bool"), ""),
        ("IsNan", np.isnan, _float_predicate, ""), ("IsInf", np.isinf, _float_predicate, ""),
        ("IsFinite", np.isfinite, _float_predicate, "")]:
    # Bool results carry no gradient: no adjoint or tangent flows into the inputs.
    define_op(_type, kernel=_kernel, shape_fn=_shape, elementwise=True,
              view_of={}, fresh=True, commutes_for=_commutes_for,
              non_differentiable=(0, 1) if _kernel.nin == 2 else (0,))


equal = _binary_function("Equal", "equal", "``tf.equal``: x == y elementwise (bool).")
not_equal = _binary_function("NotEqual", "not_equal", "``tf.not_equal``: x != y (bool).")
less = _binary_function("Less", "less", "``tf.less``: x < y elementwise (bool).")
less_equal = _binary_function("LessEqual", "less_equal", "``tf.less_equal``: x <= y (bool).")
greater = _binary_function("Greater", "greater", "``tf.greater``: x > y (bool).")
greater_equal = _binary_function("GreaterEqual", "greater_equal",
                                 "``tf.greater_equal``: x >= y (bool).")
logical_and = _binary_function("LogicalAnd", "logical_and", "``tf.logical_and``: x AND y.")
logical_or = _binary_function("LogicalOr", "logical_or", "``tf.logical_or``: x OR y.")
logical_not = _unary_function("LogicalNot", "logical_not", "``tf.logical_not``: NOT x.")
is_nan = _unary_function("IsNan", "is_nan", "``tf.is_nan``: True where x is NaN.")
is_inf = _unary_function("IsInf", "is_inf", "``tf.is_inf``: True where x is +-inf.")
is_finite = _unary_function("IsFinite", "is_finite",
                            "``tf.is_finite``: True where x is neither NaN nor infinite.")


def logical_xor(x: Any, y: Any, name: str = "LogicalXor") -> Tensor:
    """``tf.logical_xor``: (x OR y) AND NOT (x AND y), built from those ops as in TF1."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)
