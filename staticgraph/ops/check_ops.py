"""The ``tf.assert_*`` family (also under ``tf.debugging``).

As in TF1, each builds an ``Assert`` op that fails the run with an
``InvalidArgumentError`` when the condition is false, and when the values are known at
build time (constants) the check is made at once: a false condition raises
``InvalidArgumentError`` then. Rank and type checks are static when the rank or dtype is
known (``ValueError`` / ``TypeError``, as TF1).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes, errors
from ..core.graph import Operation, Tensor, name_scope
from . import comparison_ops, math_ops, reduce_ops, shape_ops
from .framework import constant_value, convert_to_tensor
from .logging_ops import Assert, format_value
from .state_ops import no_op

__all__ = [
    "assert_equal", "assert_none_equal", "assert_less", "assert_less_equal",
    "assert_greater", "assert_greater_equal", "assert_positive", "assert_negative",
    "assert_non_negative", "assert_non_positive", "assert_near", "assert_rank",
    "assert_rank_at_least", "assert_rank_in", "assert_type", "assert_integer",
    "assert_scalar", "assert_same_float_dtype", "assert_proper_iterable",
    "is_numeric_tensor",
]


def _check(condition: Tensor, static: Any, data: list, summarize: int | None,
           scope: str) -> Operation:
    """The Assert op over ``condition``; raises at once if ``static`` (the condition's value
    when known at build time) is false somewhere."""
    if static is not None and not np.all(static):
        shown = " ".join(d if isinstance(d, str) else format_value(constant_value(d), 3)
                         if constant_value(d) is not None else d.name for d in data if d != "")
        raise errors.InvalidArgumentError(None, None, f"{scope}: assertion failed: {shown}")
    return Assert(condition, data, summarize=summarize, name="Assert")


def _binary(symbol: str, op: Callable, numpy_op: Callable, default_name: str) -> Callable:
    def check(x: Any, y: Any, data: Sequence[Any] | None = None,
              summarize: int | None = None, message: str | None = None,
              name: str | None = None) -> Operation:
        with name_scope(name or default_name) as scope:
            x, y = convert_to_tensor(x), convert_to_tensor(y, dtype=None)
            if data is None:
                data = [message or "", f"Condition x {symbol} y did not hold element-wise:",
                        f"x ({x.name}) = ", x, f"y ({y.name}) = ", y]
            xs, ys = constant_value(x), constant_value(y)
            static = None if xs is None or ys is None else numpy_op(xs, ys)
            condition = reduce_ops.reduce_all(op(x, y))
            return _check(condition, static, list(data), summarize, scope.rstrip("/"))
    check.__name__ = default_name
    check.__doc__ = (f"``tf.{default_name}``: an Assert op checking x {symbol} y "
                     "element-wise; raises at build time when both are constants.")
    return check


assert_equal = _binary("==", comparison_ops.equal, np.equal, "assert_equal")
assert_none_equal = _binary("!=", comparison_ops.not_equal, np.not_equal, "assert_none_equal")
assert_less = _binary("<", comparison_ops.less, np.less, "assert_less")
assert_less_equal = _binary("<=", comparison_ops.less_equal, np.less_equal,
                            "assert_less_equal")
assert_greater = _binary(">", comparison_ops.greater, np.greater, "assert_greater")
assert_greater_equal = _binary(">=", comparison_ops.greater_equal, np.greater_equal,
                               "assert_greater_equal")


def _sign(symbol: str, binary: Callable, default_name: str) -> Callable:
    def check(x: Any, data: Sequence[Any] | None = None, summarize: int | None = None,
              message: str | None = None, name: str | None = None) -> Operation:
        x = convert_to_tensor(x)
        if data is None:
            data = [message or "", f"Condition x {symbol} 0 did not hold element-wise:",
                    f"x ({x.name}) = ", x]
        zero = np.zeros((), x.dtype.dtype)
        return binary(x, zero, data=data, summarize=summarize, name=name or default_name)
    check.__name__ = default_name
    check.__doc__ = f"``tf.{default_name}``: an Assert op checking x {symbol} 0."
    return check


assert_positive = _sign(">", assert_greater, "assert_positive")
assert_negative = _sign("<", assert_less, "assert_negative")
assert_non_negative = _sign(">=", assert_greater_equal, "assert_non_negative")
assert_non_positive = _sign("<=", assert_less_equal, "assert_non_positive")


def assert_near(x: Any, y: Any, rtol: Any = None, atol: Any = None,
                data: Sequence[Any] | None = None, summarize: int | None = None,
                message: str | None = None, name: str | None = None) -> Operation:
    """``tf.assert_near``: |x - y| <= atol + rtol·|y| element-wise (both default to
    10·eps of the dtype, as TF1)."""
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=x.dtype)
    eps = np.finfo(x.dtype.dtype).eps if x.dtype.is_floating else 0
    rtol = 10 * eps if rtol is None else rtol
    atol = 10 * eps if atol is None else atol
    with name_scope(name or "assert_near") as scope:
        diff = math_ops.abs(x - y)
        bound = atol + rtol * math_ops.abs(y)
        if data is None:
            data = [message or "", "x and y not equal to tolerance rtol = "
                    f"{rtol}, atol = {atol}", f"x ({x.name}) = ", x, f"y ({y.name}) = ", y]
        xs, ys = constant_value(x), constant_value(y)
        static = (None if xs is None or ys is None
                  else np.abs(xs - ys) <= atol + rtol * np.abs(ys))
        condition = reduce_ops.reduce_all(comparison_ops.less_equal(diff, bound))
        return _check(condition, static, list(data), summarize, scope.rstrip("/"))


def _rank_check(x: Any, accept: Callable[[int], bool], wanted: str, message: str | None,
                name: str) -> Operation:
    x = convert_to_tensor(x)
    rank = x.shape.ndims
    if rank is not None:
        if not accept(rank):
            raise ValueError(f"{message or ''}Tensor {x.name} must have rank {wanted}. "
                             f"Received rank {rank}, shape {x.shape}")
        return no_op(name=name)
    with name_scope(name):
        actual = shape_ops.rank(x)
        condition = accept(actual)
        return Assert(condition, [message or "", f"Tensor {x.name} must have rank {wanted}.",
                                  "Received rank: ", actual], name="Assert")


def assert_rank(x: Any, rank: int, data: Any = None, summarize: Any = None,
                message: str | None = None, name: str | None = None) -> Operation:
    """``tf.assert_rank``: static ``ValueError`` when the rank is known and differs."""
    return _rank_check(x, lambda r: comparison_ops.equal(r, rank) if isinstance(r, Tensor)
                       else r == rank, str(rank), message, name or "assert_rank")


def assert_rank_at_least(x: Any, rank: int, data: Any = None, summarize: Any = None,
                         message: str | None = None, name: str | None = None) -> Operation:
    """``tf.assert_rank_at_least``: rank >= ``rank``."""
    return _rank_check(x, lambda r: comparison_ops.greater_equal(r, rank)
                       if isinstance(r, Tensor) else r >= rank, f"at least {rank}", message,
                       name or "assert_rank_at_least")


def assert_rank_in(x: Any, ranks: Sequence[int], data: Any = None, summarize: Any = None,
                   message: str | None = None, name: str | None = None) -> Operation:
    """``tf.assert_rank_in``: the rank is one of ``ranks``."""
    ranks = [int(r) for r in ranks]

    def accept(r: Any) -> Any:
        if not isinstance(r, Tensor):
            return r in ranks
        return reduce_ops.reduce_any(comparison_ops.equal(r, np.array(ranks, np.int32)))
    return _rank_check(x, accept, f"in {ranks}", message, name or "assert_rank_in")


def assert_type(tensor: Any, tf_type: Any, message: str | None = None,
                name: str | None = None) -> Operation:
    """``tf.assert_type``: static ``TypeError`` unless ``tensor`` has dtype ``tf_type``."""
    tensor = convert_to_tensor(tensor)
    if tensor.dtype != dtypes.as_dtype(tf_type):
        raise TypeError(f"{message or ''}{tensor.name} must be of type "
                        f"{dtypes.as_dtype(tf_type)}; got {tensor.dtype}")
    return no_op(name=name or "statically_determined_correct_type")


def assert_integer(x: Any, message: str | None = None, name: str | None = None) -> Operation:
    """``tf.assert_integer``: static ``TypeError`` unless ``x`` has an integer dtype."""
    x = convert_to_tensor(x)
    if not x.dtype.is_integer:
        raise TypeError(f"{message or ''}Expected an integer tensor: {x.name} is of type "
                        f"{x.dtype.name}")
    return no_op(name=name or "statically_determined_was_integer")


def assert_scalar(tensor: Any, name: str | None = None, message: str | None = None) -> Tensor:
    """``tf.assert_scalar``: the tensor itself; ``ValueError`` unless its rank is 0."""
    tensor = convert_to_tensor(tensor)
    if tensor.shape.ndims != 0:
        raise ValueError(f"{message or ''}Expected scalar shape for {tensor.name}, saw "
                         f"shape: {tensor.shape}.")
    return tensor


def assert_same_float_dtype(tensors: Sequence[Any] | None = None, dtype: Any = None) -> Any:
    """``tf.assert_same_float_dtype``: the common floating dtype of the tensors (and
    ``dtype``); ``ValueError`` if they differ or are not floating point."""
    found = dtypes.as_dtype(dtype) if dtype is not None else None
    for t in tensors or []:
        t_dtype = convert_to_tensor(t).dtype
        if found is not None and t_dtype != found:
            raise ValueError(f"Expected {found.name} for {t}, got {t_dtype.name}")
        found = t_dtype
    if found is None:
        return dtypes.float32
    if not found.is_floating:
        raise ValueError(f"Expected floating point type, got {found.name}")
    return found


def assert_proper_iterable(values: Any) -> None:
    """``tf.assert_proper_iterable``: ``TypeError`` for a tensor, array or string given
    where an iterable of values is expected."""
    if isinstance(values, (Tensor, np.ndarray, str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"Expected argument 'values' to be a \"proper\" iterable. Found: "
                        f"{type(values)}")


def is_numeric_tensor(tensor: Any) -> bool:
    """``tf.is_numeric_tensor``: a Tensor of a numeric dtype."""
    return isinstance(tensor, Tensor) and tensor.dtype.is_numeric

