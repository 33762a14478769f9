"""Reductions (``reduce_sum``...), each op's kernel, shape rule, VJP and JVP together.

Reduction axes are attributes known when the graph is built (an int, a list, or a constant
tensor); ``None`` means every axis, negative axes count from the end.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor, name_scope
from ..core.registry import Role, define_op
from ..core.shapes import TensorShape, normalize_axes
from . import fill_ops, selection_ops, shape_ops
from .cast_ops import cast
from .comparison_ops import equal, is_finite, not_equal
from .framework import apply_op, convert_to_tensor
from .math_ops import (add, broadcast_like, conj, exp, floordiv, log, maximum, multiply,
                       realdiv, subtract)
from .op_util import _deprecated_lookup, _static_axis
from .scan_ops import cumprod

__all__ = [
    "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
    "reduce_any", "reduce_all", "reduce_logsumexp", "count_nonzero",
]


# ----------------------------------------------------------------------------------------
# Reductions: Sum, Mean, Max, Min, Prod, Any, All
# ----------------------------------------------------------------------------------------


def _reduced_static_shape(shape: TensorShape, axis: tuple | None, keep_dims: bool
                          ) -> TensorShape:
    if shape.ndims is None:
        return TensorShape([]) if axis is None and not keep_dims else TensorShape(None)
    dims = shape.as_list()
    axes = set(normalize_axes(axis, len(dims)))
    if keep_dims:
        return TensorShape([1 if i in axes else d for i, d in enumerate(dims)])
    return TensorShape([d for i, d in enumerate(dims) if i not in axes])


def _reduction_shape(accepts: Callable[[dtypes.DType], bool], what: str) -> Callable:
    def shape_fn(inputs: list, attrs: dict) -> list:
        x = inputs[0]
        if not accepts(x.dtype):
            raise TypeError(f"expects {what} input, got {x.dtype.name}")
        return [(_reduced_static_shape(x.shape, attrs["axis"], attrs["keep_dims"]), x.dtype)]
    return shape_fn


_numeric_reduction = _reduction_shape(lambda d: not d.is_bool, "a numeric")
_bool_reduction = _reduction_shape(lambda d: d.is_bool, "a bool")


_WIDE_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _sum_kernel(x: np.ndarray, *, axis: tuple | None, keep_dims: bool) -> np.ndarray:
    # np.add.reduce is what np.sum calls, without np.sum's Python-level dispatch.
    return np.add.reduce(x, axis=axis, keepdims=keep_dims, dtype=x.dtype)


def _sum_inline(attrs: dict, constants: list, specs: list) -> str | None:
    """``_sum_kernel`` as an expression of the generated code. A floating or complex
    sum keeps its input's dtype without being told (integers narrower than the
    platform's would widen), so it is spared reading ``x.dtype`` on every run, and a
    whole 1-d array's sum is a plain ``np.add.reduce(x)``."""
    axis = attrs["axis"]
    if axis is not None and type(axis) is not tuple:
        return None
    axis = None if axis is None else tuple(int(a) for a in axis)
    keep_dims = bool(attrs["keep_dims"])
    shape, dtype = specs[0]
    if not (dtype.is_floating or dtype.is_complex):
        return f"np.add.reduce({{0}}, {axis!r}, {{0}}.dtype, None, {keep_dims})"
    if shape.ndims == 1 and not keep_dims and axis in (None, (0,), (-1,)):
        return "np.add.reduce({0})"
    return f"np.add.reduce({{0}}, {axis!r}, None, None, {keep_dims})"


def _prod_kernel(x: np.ndarray, *, axis: tuple | None, keep_dims: bool) -> np.ndarray:
    return np.prod(x, axis=axis, keepdims=keep_dims, dtype=x.dtype)


def _mean_kernel(x: np.ndarray, *, axis: tuple | None, keep_dims: bool) -> np.ndarray:
    if x.dtype in _WIDE_FLOATS:  # np.mean's own steps, without its Python-level dispatch
        total = np.add.reduce(x, axis=axis, keepdims=keep_dims)
        return total / (x.size // total.size if total.size else 1)
    if x.dtype.kind not in "iu":
        return np.mean(x, axis=axis, keepdims=keep_dims)
    total = np.sum(x, axis=axis, keepdims=keep_dims, dtype=x.dtype)
    count = max(x.size // max(np.size(total), 1), 1)
    quotient = total // count
    # TF1 divides integers truncating toward zero; floor division rounds negatives down.
    return quotient + ((quotient < 0) & (quotient * count != total)).astype(x.dtype)


def _extremum_kernel(reducer: Callable, lowest: bool) -> Callable:
    def kernel(x: np.ndarray, *, axis: tuple | None, keep_dims: bool) -> np.ndarray:
        if x.dtype.kind == "f":
            start = -np.inf if lowest else np.inf
        else:
            info = np.iinfo(x.dtype)
            start = info.min if lowest else info.max
        # ``initial`` gives TF's result for empty reductions instead of an error.
        return reducer(x, axis=axis, keepdims=keep_dims, initial=start)
    return kernel


def _reduced_shape_kernel(shape: np.ndarray, *, axis: tuple | None) -> np.ndarray:
    out = np.array(shape, copy=True)
    out[slice(None) if axis is None else list(axis)] = 1
    return out


define_op("ReducedShape", kernel=_reduced_shape_kernel,
          shape_fn=lambda inputs, attrs: [(inputs[0].shape, inputs[0].dtype)],
          non_differentiable=(0,), doc="A shape vector with the reduced axes set to 1.",
          view_of={})


def reduced_shape(x: Tensor, axis: tuple | None) -> Any:
    """The shape of ``x`` reduced over ``axis`` with kept dims (a list when static)."""
    if x.shape.is_fully_defined():
        return _reduced_static_shape(x.shape, axis, True).as_list()
    return apply_op("ReducedShape", [shape_ops.shape(x)], {"axis": axis},
                    name="reduced_shape").outputs[0]


def restore_reduced_dims(g: Tensor, x: Tensor, axis: tuple | None, keep_dims: bool
                         ) -> Tensor:
    """``g``, the result of reducing ``x`` over ``axis``, made to broadcast against ``x``:
    reshaped to kept dims, unless the reduced axes lead (broadcasting aligns the rest)."""
    if keep_dims or axis is None or axis == tuple(range(len(axis))) and \
            x.shape.ndims is not None:
        return g
    return shape_ops.reshape(g, reduced_shape(x, axis))


def _reduction_attrs(op: Operation) -> tuple[Tensor, tuple | None, bool]:
    return op.inputs[0], op.get_attr("axis"), op.get_attr("keep_dims")


def _sum_vjp(op: Operation, g: Tensor) -> list:
    x, axis, keep = _reduction_attrs(op)
    return [broadcast_like(restore_reduced_dims(g, x, axis, keep), x)]


def _reduced_count(op: Operation) -> Any:
    """How many elements each output of a reduction summarizes (float or int32 tensor)."""
    x, out = op.inputs[0], op.outputs[0]
    if x.shape.is_fully_defined() and out.shape.is_fully_defined():
        return x.shape.num_elements() // max(out.shape.num_elements(), 1)
    size_x = reduce_prod(shape_ops.shape(x))
    size_out = reduce_prod(shape_ops.shape(out))
    return cast(floordiv(size_x, maximum(size_out, 1)), x.dtype)


def _mean_vjp(op: Operation, g: Tensor) -> list:
    return _sum_vjp(op, realdiv(g, _reduced_count(op)))


def _selection_weights(op: Operation) -> Tensor:
    """For Max/Min: 1/k at the k positions attaining each extremum, 0 elsewhere (TF1
    splits the gradient equally among ties)."""
    x, axis, keep = _reduction_attrs(op)
    y = restore_reduced_dims(op.outputs[0], x, axis, keep)
    indicators = cast(equal(y, x), x.dtype)
    return realdiv(indicators, reduce_sum(indicators, axis, keepdims=True))


def _prod_partials(x: Tensor, axes: Sequence[int]) -> Tensor | None:
    """d prod(x over axes) / dx without dividing by x (zeros are fine): along one axis, the
    product of the elements before and after each one; over several, chained."""
    if not axes:
        return None
    before = cumprod(x, axes[0], exclusive=True)
    after = cumprod(x, axes[0], exclusive=True, reverse=True)
    others = multiply(before, after)
    rest = _prod_partials(reduce_prod(x, axes[0], keepdims=True), axes[1:])
    return others if rest is None else multiply(others, rest)


def _prod_weights(op: Operation) -> Tensor | None:
    x, axis, _ = _reduction_attrs(op)
    if x.shape.ndims is not None:
        return _prod_partials(x, normalize_axes(axis, x.shape.ndims))
    if axis is None:  # every axis of a rank known only when run: the flattened product
        flat = _prod_partials(shape_ops.reshape(x, [-1]), (0,))
        return shape_ops.reshape(flat, shape_ops.shape(x))
    # The axes as given: the ops resolve negative ones when run, and an axis named twice
    # is harmless (its second pass runs over a dimension of size 1).
    return _prod_partials(x, tuple(axis))


def _weighted_vjp(weights: Callable[[Operation], Tensor | None]) -> Callable:
    """VJP of a reduction whose derivative is ``weights(op)`` (shaped like the input)."""
    def vjp(op: Operation, g: Tensor) -> list:
        x, axis, keep = _reduction_attrs(op)
        w = weights(op)
        g = restore_reduced_dims(g, x, axis, keep)
        return [broadcast_like(g, x) if w is None else multiply(conj(w), g)]
    return vjp


def _weighted_jvp(weights: Callable[[Operation], Tensor | None]) -> Callable:
    """JVP of the same: the tangent weighted, then summed over the reduced axes."""
    def jvp(op: Operation, t: Tensor | None) -> list:
        if t is None:
            return [None]
        _, axis, keep = _reduction_attrs(op)
        w = weights(op)
        return [reduce_sum(t if w is None else multiply(t, w), axis, keepdims=keep)]
    return jvp


def _same_reduction_jvp(function: Callable[..., Tensor]) -> Callable:
    """JVP of a linear reduction: the same reduction of the tangent."""
    def jvp(op: Operation, t: Tensor | None) -> list:
        _, axis, keep = _reduction_attrs(op)
        return [None if t is None else function(t, axis, keepdims=keep)]
    return jvp


define_op("Sum", kernel=_sum_kernel, shape_fn=_numeric_reduction, vjp=_sum_vjp,
          jvp=_same_reduction_jvp(lambda *a, **k: reduce_sum(*a, **k)), inline=_sum_inline,
          view_of={}, fresh=True, role=Role.REDUCE_SUM)
define_op("Mean", kernel=_mean_kernel, shape_fn=_numeric_reduction, vjp=_mean_vjp,
          jvp=_same_reduction_jvp(lambda *a, **k: reduce_mean(*a, **k)),
          view_of={}, fresh=True, role=Role.REDUCE_MEAN)
define_op("Max", kernel=_extremum_kernel(np.max, lowest=True), shape_fn=_numeric_reduction,
          vjp=_weighted_vjp(_selection_weights), jvp=_weighted_jvp(_selection_weights),
          view_of={}, fresh=True)
define_op("Min", kernel=_extremum_kernel(np.min, lowest=False), shape_fn=_numeric_reduction,
          vjp=_weighted_vjp(_selection_weights), jvp=_weighted_jvp(_selection_weights),
          view_of={}, fresh=True)
define_op("Prod", kernel=_prod_kernel, shape_fn=_numeric_reduction,
          vjp=_weighted_vjp(_prod_weights), jvp=_weighted_jvp(_prod_weights),
          view_of={}, fresh=True)
define_op("Any", kernel=lambda x, *, axis, keep_dims: np.any(x, axis=axis, keepdims=keep_dims),
          shape_fn=_bool_reduction,
          view_of={})
define_op("All", kernel=lambda x, *, axis, keep_dims: np.all(x, axis=axis, keepdims=keep_dims),
          shape_fn=_bool_reduction,
          view_of={})


def _reduction_args(axis: Any, keepdims: bool | None, reduction_indices: Any,
                    keep_dims: bool | None) -> tuple[Any, bool]:
    """TF1's (axis, keepdims) from both spellings of each argument."""
    axis = _deprecated_lookup("axis", axis, "reduction_indices", reduction_indices)
    keepdims = _deprecated_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    return axis, bool(keepdims)


def _reduction_function(op_type: str, tf_name: str, doc: str) -> Callable[..., Tensor]:
    """The public TF1 reduction ``tf_name(input_tensor, axis=None, keepdims=None,
    name=None, reduction_indices=None, keep_dims=None)``."""
    def function(input_tensor: Any, axis: Any = None, keepdims: bool | None = None,
                 name: str | None = None, reduction_indices: Any = None,
                 keep_dims: bool | None = None) -> Tensor:
        axis, keepdims = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
        x = convert_to_tensor(input_tensor)
        attrs = {"axis": _static_axis(axis, x, tf_name), "keep_dims": keepdims}
        return apply_op(op_type, [x], attrs, name=name).outputs[0]
    function.__name__ = function.__qualname__ = tf_name
    function.__doc__ = doc
    return function


reduce_sum = _reduction_function("Sum", "reduce_sum", "``tf.reduce_sum``: sum over axes.")
reduce_mean = _reduction_function(
    "Mean", "reduce_mean",
    "``tf.reduce_mean``: mean over axes; integer means truncate toward zero, as TF1.")
reduce_max = _reduction_function(
    "Max", "reduce_max", "``tf.reduce_max``: maximum over axes (ties share the gradient).")
reduce_min = _reduction_function(
    "Min", "reduce_min", "``tf.reduce_min``: minimum over axes (ties share the gradient).")
reduce_prod = _reduction_function("Prod", "reduce_prod",
                                  "``tf.reduce_prod``: product over axes.")
reduce_any = _reduction_function("Any", "reduce_any", "``tf.reduce_any``: logical OR.")
reduce_all = _reduction_function("All", "reduce_all", "``tf.reduce_all``: logical AND.")


def reduce_logsumexp(input_tensor: Any, axis: Any = None, keepdims: bool | None = None,
                     name: str | None = None, reduction_indices: Any = None,
                     keep_dims: bool | None = None) -> Tensor:
    """``tf.reduce_logsumexp``: log(sum(exp(x))) over axes, shifted by the (finite) max
    for stability, as TF1 builds it."""
    axis, keepdims = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    with name_scope(name, "ReduceLogSumExp", [input_tensor]):
        x = convert_to_tensor(input_tensor)
        raw_max = reduce_max(x, axis, keepdims=True)
        shift = selection_ops.stop_gradient(selection_ops.where(
            is_finite(raw_max), raw_max, fill_ops.zeros_like(raw_max)))
        result = log(reduce_sum(exp(subtract(x, shift)), axis, keepdims=keepdims))
        # Summing the size-1 kept dims drops them, matching ``result``'s shape.
        return add(result, shift if keepdims else reduce_sum(shift, axis))


def count_nonzero(input_tensor: Any, axis: Any = None, keepdims: bool | None = None,
                  dtype: Any = dtypes.int64, name: str | None = None,
                  reduction_indices: Any = None, keep_dims: bool | None = None) -> Tensor:
    """``tf.count_nonzero``: how many elements are not zero (not False) over axes."""
    axis, keepdims = _reduction_args(axis, keepdims, reduction_indices, keep_dims)
    with name_scope(name, "count_nonzero", [input_tensor]):
        x = convert_to_tensor(input_tensor)
        nonzero = cast(not_equal(x, fill_ops.zeros_like(x)), dtypes.int64)
        return cast(reduce_sum(nonzero, axis, keepdims=keepdims), dtype)
