"""Integer arithmetic of C and bit operations: TruncateDiv and TruncateMod (rounding
toward zero), the ``tf.bitwise`` ops, and ``saturate_cast``."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..core.registry import define_op
from .cast_ops import cast
from .framework import apply_unary, broadcast_binary, convert_to_tensor
from .math_ops import _no_gradient_vjp
from .op_util import _binary_function, _no_tangent_jvp, op_scope
from .clip_ops import clip_by_value

__all__ = ["truncatediv", "truncatemod", "saturate_cast"]  # and the tf.bitwise names


# ----------------------------------------------------------------------------------------
# TruncateDiv and TruncateMod
# ----------------------------------------------------------------------------------------


def _check_divisor(x: np.ndarray, y: np.ndarray, op_type: str) -> bool:
    """Whether the division is an integer one; raises on an integer zero divisor."""
    integer = np.result_type(x, y).kind in "iu"
    if integer and not np.all(y):
        raise ZeroDivisionError(f"{op_type}: integer division by zero")
    return integer


def _truncate_div_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if not _check_divisor(x, y, "TruncateDiv"):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.trunc(np.true_divide(x, y))
    q = np.floor_divide(x, y)
    # Floor division rounds a negative inexact quotient down; C rounds it toward zero.
    return q + ((np.remainder(x, y) != 0) & ((x < 0) != (y < 0))).astype(q.dtype)


def _truncate_mod_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    _check_divisor(x, y, "TruncateMod")
    with np.errstate(invalid="ignore"):
        return np.fmod(x, y)


def _real_binary(inputs: list, attrs: dict) -> list:
    result = broadcast_binary(inputs, attrs)
    dt = result[0][1]
    if not (dt.is_integer or dt.is_floating):
        raise TypeError(f"needs integer or floating-point inputs, got {dt.name}")
    return result


# TF1 registers a None gradient for TruncateDiv and none at all for TruncateMod.
define_op("TruncateDiv", kernel=_truncate_div_kernel, shape_fn=_real_binary,
          vjp=_no_gradient_vjp, jvp=_no_tangent_jvp, elementwise=True, view_of={},
          fresh=True, doc="x / y rounded toward zero (C's integer division).")
define_op("TruncateMod", kernel=_truncate_mod_kernel, shape_fn=_real_binary,
          elementwise=True, view_of={}, fresh=True,
          doc="The remainder of TruncateDiv: it has x's sign (C's %, fmod).")

truncatediv = _binary_function(
    "TruncateDiv", "truncatediv",
    "``tf.truncatediv``: ``x / y`` rounded toward zero (``-7 / 2 == -3``); an integer zero "
    "divisor is an error, a float one gives inf or NaN. Gradient None, as in TF1.")
truncatemod = _binary_function(
    "TruncateMod", "truncatemod",
    "``tf.truncatemod``: ``x - truncatediv(x, y) * y``, with the sign of ``x`` (C's "
    "``%``, ``fmod``). Not differentiable, as in TF1.")


# ----------------------------------------------------------------------------------------
# tf.bitwise
# ----------------------------------------------------------------------------------------


def _integer_binary(inputs: list, attrs: dict) -> list:
    result = broadcast_binary(inputs, attrs)
    if not result[0][1].is_integer:
        raise TypeError(f"needs integer inputs, got {result[0][1].name}")
    return result


def _integer_unary(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if not x.dtype.is_integer:
        raise TypeError(f"needs an integer input, got {x.dtype.name}")
    return [(x.shape, x.dtype)]


def _shift_kernel(ufunc: np.ufunc) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """A shift whose amount is clamped to ``[0, bits - 1]`` (TF1's rule for amounts out of
    range: NumPy and C leave them undefined)."""
    def kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        bits = np.dtype(np.result_type(x, y)).itemsize * 8
        return ufunc(x, np.clip(y, 0, bits - 1).astype(np.result_type(x, y)))
    return kernel


for _type, _kernel, _commutes in (("BitwiseAnd", np.bitwise_and, "iu"),
                                  ("BitwiseOr", np.bitwise_or, "iu"),
                                  ("BitwiseXor", np.bitwise_xor, "iu"),
                                  ("LeftShift", _shift_kernel(np.left_shift), ""),
                                  ("RightShift", _shift_kernel(np.right_shift), "")):
    define_op(_type, kernel=_kernel, shape_fn=_integer_binary, elementwise=True,
              view_of={}, commutes_for=_commutes,
              doc="A bit operation on integers, elementwise with broadcasting.")
define_op("Invert", kernel=np.invert, shape_fn=_integer_unary, elementwise=True, view_of={},
          doc="Every bit of an integer flipped (~x).")

bitwise_and = _binary_function("BitwiseAnd", "bitwise_and",
                               "``tf.bitwise.bitwise_and``: ``x & y`` of integers.")
bitwise_or = _binary_function("BitwiseOr", "bitwise_or",
                              "``tf.bitwise.bitwise_or``: ``x | y`` of integers.")
bitwise_xor = _binary_function("BitwiseXor", "bitwise_xor",
                               "``tf.bitwise.bitwise_xor``: ``x ^ y`` of integers.")
left_shift = _binary_function(
    "LeftShift", "left_shift",
    "``tf.bitwise.left_shift``: ``x << y``; bits shifted out are lost (signed values wrap) "
    "and shift amounts are clamped to ``[0, bits - 1]``.")
right_shift = _binary_function(
    "RightShift", "right_shift",
    "``tf.bitwise.right_shift``: ``x >> y``, arithmetic (sign-filling) for signed types; "
    "shift amounts are clamped to ``[0, bits - 1]``.")


def invert(x: Any, name: str | None = None) -> Tensor:
    """``tf.bitwise.invert``: ``~x``, every bit flipped (``255 - x`` for uint8)."""
    return apply_unary("Invert", x, name)


# ----------------------------------------------------------------------------------------
# saturate_cast
# ----------------------------------------------------------------------------------------


def _saturation_limits(source: dtypes.DType, target: dtypes.DType) -> tuple[Any, Any]:
    """The smallest and largest ``source`` values that convert into ``target``'s range:
    the tighter of both ranges, moved one step toward zero when the bound is not exactly
    representable in ``source`` and rounding carried it past ``target``'s range."""
    np_source = source.dtype
    common = np.promote_types(np_source, target.dtype)
    lo = np_source.type(max(source.min, target.min))
    if np.array(lo, common) < np.array(target.min, common):
        lo = np.nextafter(lo, np_source.type(0), dtype=np_source)
    hi = np_source.type(min(float(source.max), float(target.max)))
    if np.array(hi, common) > np.array(target.max, common):
        hi = np.nextafter(hi, np_source.type(0), dtype=np_source)
    return lo, hi


def saturate_cast(value: Any, dtype: Any, name: str | None = None) -> Tensor:
    """``tf.saturate_cast`` (also ``tf.dtypes.saturate_cast``): ``value`` converted to
    ``dtype`` after clipping it into the range ``dtype`` can hold (300.0 -> uint8 gives
    255, not a wrapped value). NaN converts as ``tf.cast`` converts it."""
    target = dtypes.as_dtype(dtype)
    with op_scope(name, "saturate_cast", [value]) as scope:
        x = convert_to_tensor(value)
        if x.dtype.is_complex and not target.is_complex:
            raise TypeError(f"saturate_cast from {x.dtype.name} to {target.name}: take the "
                            f"real part first")
        if not (x.dtype.is_bool or target.is_bool or x.dtype.is_complex) and (
                x.dtype.min < target.min or x.dtype.max > target.max):
            lo, hi = _saturation_limits(x.dtype, target)
            x = clip_by_value(x, lo, hi)
        return cast(x, target, name=scope)
