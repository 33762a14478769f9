"""Reductions (``reduce_sum``...), arg-reductions, scans (``cumsum``) and contractions
(``tensordot``, ``einsum``), each op's kernel, shape rule, VJP and JVP together.

Reduction axes are attributes known when the graph is built (an int, a list, or a constant
tensor); ``None`` means every axis, negative axes count from the end.
"""
from __future__ import annotations

import functools
import string
from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor, name_scope
from ..core.registry import define_op
from ..core.shapes import TensorShape, normalize_axes, normalize_axis
from . import array_ops
from .framework import apply_op, check_same_dtype, constant_value, convert_n, convert_to_tensor
from .math_ops import (add, add_n, broadcast_like, cast, equal, exp, floordiv, is_finite, log,
                       maximum, multiply, not_equal, realdiv, subtract)

__all__ = [
    "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_any",
    "reduce_all", "reduce_logsumexp", "count_nonzero", "argmax", "argmin", "cumsum",
    "cumprod", "tensordot", "einsum",
]

# ----------------------------------------------------------------------------------------
# Axis arguments
# ----------------------------------------------------------------------------------------


def _static_axis(axis: Any, x: Tensor, what: str) -> tuple[int, ...] | None:
    """``axis`` (None, int, list or constant tensor) as a tuple of ints, normalized to
    ``[0, rank)`` when ``x``'s rank is known; ``TypeError`` for a non-constant tensor."""
    if axis is None:
        return None
    value = constant_value(axis)
    if value is None:
        raise TypeError(f"{what}: the axis must be known when the graph is built (a Python "
                        f"int or list, or a constant tensor), got {axis!r}")
    value = np.asarray(value)
    if value.size and value.dtype.kind not in "iu":
        raise TypeError(f"{what}: axis must be integers, got {value.dtype} {value!r}")
    axes = [int(a) for a in value.reshape(-1)]
    if x.shape.ndims is None:
        return tuple(dict.fromkeys(axes))
    try:
        return normalize_axes(axes, x.shape.ndims)
    except ValueError as err:
        raise ValueError(f"{what}: {err} (input shape {x.shape})") from None


def _one_axis(axis: Any, x: Tensor, what: str) -> int:
    """A single static axis (normalized when the rank is known)."""
    axes = _static_axis(axis, x, what)
    if axes is None or len(axes) != 1 or np.ndim(constant_value(axis)) != 0:
        raise TypeError(f"{what}: axis must be a single integer, got {axis!r}")
    return axes[0]


def _deprecated_lookup(new_name: str, new: Any, old_name: str, old: Any) -> Any:
    """TF1's handling of a renamed argument: either spelling, not both."""
    if new is not None and old is not None:
        raise ValueError(f"Cannot specify both '{new_name}' and '{old_name}'")
    return old if new is None else new


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


def _sum_inline(attrs: dict, constants: list, shapes: list) -> str | None:
    """``_sum_kernel`` as an expression of the generated code."""
    axis = attrs["axis"]
    if axis is not None and type(axis) is not tuple:
        return None
    axis = None if axis is None else tuple(int(a) for a in axis)
    return f"np.add.reduce({{0}}, {axis!r}, {{0}}.dtype, None, {bool(attrs['keep_dims'])})"


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
          non_differentiable=(0,), doc="A shape vector with the reduced axes set to 1.")


def reduced_shape(x: Tensor, axis: tuple | None) -> Any:
    """The shape of ``x`` reduced over ``axis`` with kept dims (a list when static)."""
    if x.shape.is_fully_defined():
        return _reduced_static_shape(x.shape, axis, True).as_list()
    return apply_op("ReducedShape", [array_ops.shape(x)], {"axis": axis},
                    name="reduced_shape").outputs[0]


def restore_reduced_dims(g: Tensor, x: Tensor, axis: tuple | None, keep_dims: bool
                         ) -> Tensor:
    """``g``, the result of reducing ``x`` over ``axis``, made to broadcast against ``x``:
    reshaped to kept dims, unless the reduced axes lead (broadcasting aligns the rest)."""
    if keep_dims or axis is None or axis == tuple(range(len(axis))) and \
            x.shape.ndims is not None:
        return g
    return array_ops.reshape(g, reduced_shape(x, axis))


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
    size_x = reduce_prod(array_ops.shape(x))
    size_out = reduce_prod(array_ops.shape(out))
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


def _static_reduction_axes(op: Operation) -> tuple[int, ...]:
    x, axis, _ = _reduction_attrs(op)
    if x.shape.ndims is None:
        raise NotImplementedError(f"the gradient of {op.type} op '{op.name}' needs the rank "
                                  f"of its input to be known, got shape {x.shape}")
    return normalize_axes(axis, x.shape.ndims)


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
    return _prod_partials(op.inputs[0], _static_reduction_axes(op))


def _weighted_vjp(weights: Callable[[Operation], Tensor | None]) -> Callable:
    """VJP of a reduction whose derivative is ``weights(op)`` (shaped like the input)."""
    def vjp(op: Operation, g: Tensor) -> list:
        x, axis, keep = _reduction_attrs(op)
        w = weights(op)
        g = restore_reduced_dims(g, x, axis, keep)
        return [broadcast_like(g, x) if w is None else multiply(w, g)]
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
          jvp=_same_reduction_jvp(lambda *a, **k: reduce_sum(*a, **k)), inline=_sum_inline)
define_op("Mean", kernel=_mean_kernel, shape_fn=_numeric_reduction, vjp=_mean_vjp,
          jvp=_same_reduction_jvp(lambda *a, **k: reduce_mean(*a, **k)))
define_op("Max", kernel=_extremum_kernel(np.max, lowest=True), shape_fn=_numeric_reduction,
          vjp=_weighted_vjp(_selection_weights), jvp=_weighted_jvp(_selection_weights))
define_op("Min", kernel=_extremum_kernel(np.min, lowest=False), shape_fn=_numeric_reduction,
          vjp=_weighted_vjp(_selection_weights), jvp=_weighted_jvp(_selection_weights))
define_op("Prod", kernel=_prod_kernel, shape_fn=_numeric_reduction,
          vjp=_weighted_vjp(_prod_weights), jvp=_weighted_jvp(_prod_weights))
define_op("Any", kernel=lambda x, *, axis, keep_dims: np.any(x, axis=axis, keepdims=keep_dims),
          shape_fn=_bool_reduction)
define_op("All", kernel=lambda x, *, axis, keep_dims: np.all(x, axis=axis, keepdims=keep_dims),
          shape_fn=_bool_reduction)


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
        shift = array_ops.stop_gradient(array_ops.where(
            is_finite(raw_max), raw_max, array_ops.zeros_like(raw_max)))
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
        nonzero = cast(not_equal(x, array_ops.zeros_like(x)), dtypes.int64)
        return cast(reduce_sum(nonzero, axis, keepdims=keepdims), dtype)

# ----------------------------------------------------------------------------------------
# ArgMax / ArgMin
# ----------------------------------------------------------------------------------------


def _arg_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if x.dtype.is_bool or x.dtype.is_complex:
        raise TypeError(f"expects a real numeric input, got {x.dtype.name}")
    if attrs["output_type"] not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"output_type must be int32 or int64, got {attrs['output_type']}")
    if x.shape.ndims is None:
        return [(TensorShape(None), attrs["output_type"])]
    if x.shape.ndims == 0:
        raise ValueError("cannot reduce a scalar (shape ()) along an axis")
    dims = x.shape.as_list()
    del dims[normalize_axis(attrs["axis"], len(dims))]
    return [(TensorShape(dims), attrs["output_type"])]


def _arg_kernel(reducer: Callable) -> Callable:
    def kernel(x: np.ndarray, *, axis: int, output_type: dtypes.DType) -> np.ndarray:
        return np.asarray(reducer(x, axis=axis)).astype(output_type.dtype, copy=False)
    return kernel


define_op("ArgMax", kernel=_arg_kernel(np.argmax), shape_fn=_arg_shape,
          non_differentiable=(0,))
define_op("ArgMin", kernel=_arg_kernel(np.argmin), shape_fn=_arg_shape,
          non_differentiable=(0,))


def _arg_function(op_type: str, tf_name: str, doc: str) -> Callable[..., Tensor]:
    """The public TF1 ``tf_name(input, axis=None, name=None, dimension=None,
    output_type=tf.int64)``; the axis defaults to 0."""
    def function(input: Any, axis: Any = None, name: str | None = None,
                 dimension: Any = None, output_type: Any = dtypes.int64) -> Tensor:
        axis = _deprecated_lookup("axis", axis, "dimension", dimension)
        x = convert_to_tensor(input)
        attrs = {"axis": _one_axis(0 if axis is None else axis, x, tf_name),
                 "output_type": dtypes.as_dtype(output_type)}
        return apply_op(op_type, [x], attrs, name=name).outputs[0]
    function.__name__ = function.__qualname__ = tf_name
    function.__doc__ = doc
    return function


argmax = _arg_function("ArgMax", "argmax",
                       "``tf.argmax``: index of the largest value along an axis (first tie).")
argmin = _arg_function("ArgMin", "argmin",
                       "``tf.argmin``: index of the smallest value along an axis (first tie).")

# ----------------------------------------------------------------------------------------
# Scans: Cumsum, Cumprod
# ----------------------------------------------------------------------------------------


def _scan_kernel(ufunc: np.ufunc) -> Callable:
    def kernel(x: np.ndarray, *, axis: int, exclusive: bool, reverse: bool) -> np.ndarray:
        x = np.asarray(x)
        axis = axis % x.ndim
        if reverse:
            x = np.flip(x, axis)
        lead = (slice(None),) * axis
        if exclusive:
            out = np.empty_like(x)
            out[lead + (slice(0, 1),)] = ufunc.identity
            ufunc.accumulate(x[lead + (slice(None, -1),)], axis=axis, dtype=x.dtype,
                             out=out[lead + (slice(1, None),)])
        else:
            out = ufunc.accumulate(x, axis=axis, dtype=x.dtype)
        return np.flip(out, axis) if reverse else out
    return kernel


def _scan_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if x.dtype.is_bool:
        raise TypeError("expects a numeric input, got bool")
    if x.shape.ndims is not None:
        if x.shape.ndims == 0:
            raise ValueError("cannot scan a scalar (shape ())")
        normalize_axis(attrs["axis"], x.shape.ndims)
    return [(x.shape, x.dtype)]


def _scan_attrs(op: Operation, flip: bool = False) -> dict:
    return {"axis": op.get_attr("axis"), "exclusive": op.get_attr("exclusive"),
            "reverse": op.get_attr("reverse") != flip}


def _cumsum_vjp(op: Operation, g: Tensor) -> list:
    return [cumsum(g, **_scan_attrs(op, flip=True))]


def _cumsum_jvp(op: Operation, t: Tensor | None) -> list:
    return [None if t is None else cumsum(t, **_scan_attrs(op))]


def _cumprod_vjp(op: Operation, g: Tensor) -> list:
    # TF1's rule (divides by x: exact only where x is nonzero).
    summed = cumsum(multiply(op.outputs[0], g), **_scan_attrs(op, flip=True))
    return [realdiv(summed, op.inputs[0])]


def _cumprod_jvp(op: Operation, t: Tensor | None) -> list:
    if t is None:
        return [None]
    return [multiply(op.outputs[0], cumsum(realdiv(t, op.inputs[0]), **_scan_attrs(op)))]


define_op("Cumsum", kernel=_scan_kernel(np.add), shape_fn=_scan_shape, vjp=_cumsum_vjp,
          jvp=_cumsum_jvp)
define_op("Cumprod", kernel=_scan_kernel(np.multiply), shape_fn=_scan_shape,
          vjp=_cumprod_vjp, jvp=_cumprod_jvp)


def _scan_function(op_type: str, tf_name: str, doc: str) -> Callable[..., Tensor]:
    """The public TF1 ``tf_name(x, axis=0, exclusive=False, reverse=False, name=None)``."""
    def function(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
                 name: str | None = None) -> Tensor:
        x = convert_to_tensor(x)
        attrs = {"axis": _one_axis(axis, x, tf_name), "exclusive": bool(exclusive),
                 "reverse": bool(reverse)}
        return apply_op(op_type, [x], attrs, name=name).outputs[0]
    function.__name__ = function.__qualname__ = tf_name
    function.__doc__ = doc
    return function


cumsum = _scan_function("Cumsum", "cumsum", "``tf.cumsum``: cumulative sum along an axis.")
cumprod = _scan_function("Cumprod", "cumprod",
                         "``tf.cumprod``: cumulative product along an axis.")

# ----------------------------------------------------------------------------------------
# Einsum and tensordot
# ----------------------------------------------------------------------------------------

_ELLIPSIS = "..."


def _split_equation(equation: str) -> tuple[list[str], str]:
    """An explicit equation ``"ab,bc->ac"`` as (input subscripts, output subscripts)."""
    lhs, out = equation.split("->")
    return lhs.split(","), out


def _implicit_output(inputs: list[str]) -> str:
    """NumPy's/TF's output for an equation without ``->``: the ellipsis, then the letters
    seen exactly once, sorted."""
    letters = "".join(s.replace(_ELLIPSIS, "") for s in inputs)
    once = sorted(c for c in set(letters) if letters.count(c) == 1)
    return (_ELLIPSIS if any(_ELLIPSIS in s for s in inputs) else "") + "".join(once)


def _expand_ellipsis(inputs: list[str], out: str, ranks: list[int]) -> tuple[list[str], str]:
    """Replaces ``...`` by unused letters (right-aligned, broadcasting like NumPy)."""
    used = set("".join(inputs) + out)
    spare = [c for c in string.ascii_letters if c not in used]
    widths = []
    for subs, rank in zip(inputs, ranks):
        width = rank - len(subs.replace(_ELLIPSIS, "")) if _ELLIPSIS in subs else 0
        if width < 0:
            raise ValueError(f"subscripts {subs!r} have more letters than the input's rank "
                             f"{rank}")
        widths.append(width)
    letters = "".join(spare[:max(widths, default=0)])
    expanded = [s.replace(_ELLIPSIS, letters[len(letters) - w:]) for s, w in zip(inputs, widths)]
    return expanded, out.replace(_ELLIPSIS, letters)


def _normalize_equation(equation: str, operands: list[Tensor]) -> str:
    """``equation`` in explicit form, with ``...`` expanded when every rank is known."""
    eq = equation.replace(" ", "")
    if eq.count("->") > 1:
        raise ValueError(f"invalid einsum equation {equation!r}")
    lhs, _, out = eq.partition("->")
    inputs = lhs.split(",")
    if "->" not in eq:
        out = _implicit_output(inputs)
    if len(inputs) != len(operands):
        raise ValueError(f"einsum equation {equation!r} names {len(inputs)} inputs, got "
                         f"{len(operands)}")
    for subs in inputs + [out]:
        letters = subs.replace(_ELLIPSIS, "", 1)
        if any(c not in string.ascii_letters for c in letters):
            raise ValueError(f"invalid subscripts {subs!r} in einsum equation {equation!r}")
    ranks = [t.shape.ndims for t in operands]
    if _ELLIPSIS in eq and None not in ranks:
        inputs, out = _expand_ellipsis(inputs, out, ranks)
    return ",".join(inputs) + "->" + out


def _letter_sizes(inputs: list[str], shapes: list[TensorShape]) -> dict[str, int | None]:
    """Each letter's size (None if unknown); size-1 dims broadcast, as in NumPy."""
    sizes: dict[str, int | None] = {}
    seen_unknown: set[str] = set()
    for subs, shape in zip(inputs, shapes):
        if shape.ndims is None:
            continue
        if len(subs) != shape.ndims:
            raise ValueError(f"subscripts {subs!r} do not match an input of shape {shape}")
        for letter, dim in zip(subs, shape.as_list()):
            if dim is None:
                seen_unknown.add(letter)
                continue
            known = sizes.get(letter)
            if known is not None and dim != known and 1 not in (dim, known):
                raise ValueError(f"index {letter!r} has size {known} in one input and {dim} "
                                 "in another")
            sizes[letter] = dim if known in (None, 1) else known
    for letter in seen_unknown:
        if sizes.get(letter) in (None, 1):
            sizes[letter] = None
    return sizes


def _einsum_shape(inputs: list, attrs: dict) -> list:
    dtype = check_same_dtype(inputs)
    equation = attrs["equation"]
    if _ELLIPSIS in equation:
        return [(TensorShape(None), dtype)]
    subs, out = _split_equation(equation)
    if len(set(out)) != len(out):
        raise ValueError(f"output subscripts {out!r} repeat an index")
    missing = set(out) - set("".join(subs))
    if missing:
        raise ValueError(f"output index {sorted(missing)[0]!r} appears in no input")
    sizes = _letter_sizes(subs, [t.shape for t in inputs])
    return [(TensorShape([sizes.get(c) for c in out]), dtype)]


# Below this many multiply-adds, NumPy's plain einsum loop beats planning BLAS calls.
_PLAIN_EINSUM_WORK = 50_000


@functools.lru_cache(maxsize=256)
def _contraction_path(equation: str, shapes: tuple) -> Any:
    """NumPy's contraction order for these shapes (pairwise BLAS calls where possible), or
    None when the contraction is small enough for the plain einsum loop."""
    subs, _ = _split_equation(equation)
    sizes = {c: d for s, shape in zip(subs, shapes) for c, d in zip(s, shape)}
    if len(shapes) < 2 or int(np.prod(list(sizes.values()), dtype=np.float64)) < \
            _PLAIN_EINSUM_WORK:
        return None
    dummies = [np.broadcast_to(np.zeros((), np.float64), s) for s in shapes]
    return np.einsum_path(equation, *dummies, optimize="greedy")[0]


def _einsum_kernel(*operands: np.ndarray, equation: str) -> np.ndarray:
    path = _contraction_path(equation, tuple(np.shape(o) for o in operands))
    if path is None:
        return np.einsum(equation, *operands)
    return np.einsum(equation, *operands, optimize=path)


def _full_size_letters(out: str, others: list[tuple[str, TensorShape]]) -> set[str]:
    """Letters whose full (broadcast) size the output gradient or another operand has:
    every output letter, and letters of other operands not statically of size 1."""
    letters = set(out)
    for subs, shape in others:
        dims = shape.as_list() if shape.ndims is not None else [None] * len(subs)
        letters.update(c for c, d in zip(subs, dims) if d != 1)
    return letters


def _operand_gradient(op: Operation, g: Tensor, k: int) -> Tensor:
    """d/d(operand k) of an einsum: the einsum of the output gradient with the other
    operands into operand k's subscripts; letters that only operand k has at full size
    (or where it has size 1) are summed away and broadcast back."""
    equation = op.get_attr("equation")
    if _ELLIPSIS in equation:
        raise NotImplementedError(f"the gradient of einsum {equation!r} needs the ranks of "
                                  "its inputs to be known")
    subs, out = _split_equation(equation)
    x = op.inputs[k]
    if len(set(subs[k])) != len(subs[k]):
        raise NotImplementedError(f"the gradient of einsum {equation!r} with respect to "
                                  f"input {k} (a repeated index: trace or diagonal) is not "
                                  "supported")
    others = [s for j, s in enumerate(subs) if j != k]
    dims = x.shape.as_list() if x.shape.ndims is not None else [None] * len(subs[k])
    full = _full_size_letters(out, [(s, t.shape) for j, (s, t) in
                                    enumerate(zip(subs, op.inputs)) if j != k])
    kept = [i for i, c in enumerate(subs[k]) if c in full and dims[i] != 1]
    target = "".join(subs[k][i] for i in kept)
    operands = [g] + [t for j, t in enumerate(op.inputs) if j != k]
    if others or target != out:
        g = einsum(",".join([out] + others) + "->" + target, *operands)
    if len(kept) == len(dims):
        return g
    summed = tuple(i for i in range(len(dims)) if i not in kept)
    return broadcast_like(array_ops.reshape(g, reduced_shape(x, summed)), x)


def _einsum_vjp(op: Operation, g: Tensor) -> list:
    return [_operand_gradient(op, g, k) for k in range(len(op.inputs))]


def _einsum_jvp(op: Operation, *tangents: Tensor | None) -> list:
    equation = op.get_attr("equation")
    parts = [einsum(equation, *(t if j == k else x for j, x in enumerate(op.inputs)))
             for k, t in enumerate(tangents) if t is not None]
    return [parts[0] if len(parts) == 1 else add_n(parts)]


define_op("Einsum", kernel=_einsum_kernel, shape_fn=_einsum_shape, vjp=_einsum_vjp,
          jvp=_einsum_jvp)


def einsum(equation: str, *inputs: Any, **kwargs: Any) -> Tensor:
    """``tf.einsum(equation, *inputs, name=None)``: Einstein summation (NumPy's einsum).

    Gradients need known ranks and no repeated index within one input.
    """
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"einsum() got unexpected keyword arguments {sorted(kwargs)}")
    tensors = convert_n(list(inputs), "Einsum")
    attrs = {"equation": _normalize_equation(equation, tensors)}
    return apply_op("Einsum", tensors, attrs, name=name or "einsum").outputs[0]


def _tensordot_axes(axes: Any, rank_a: int, rank_b: int) -> tuple[list[int], list[int]]:
    if isinstance(axes, Tensor):
        value = constant_value(axes)
        if value is None:
            raise TypeError(f"tensordot: axes must be known when the graph is built, got "
                            f"{axes!r}")
        axes = value.tolist()
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0 or n > min(rank_a, rank_b):
            raise ValueError(f"'axes' must be in [0, {min(rank_a, rank_b)}], got {n}")
        return list(range(rank_a - n, rank_a)), list(range(n))
    if not isinstance(axes, (list, tuple, np.ndarray)) or len(axes) != 2:
        raise ValueError(f"'axes' must be an int or a pair of axis lists, got {axes!r}")
    a_axes, b_axes = (np.atleast_1d(np.asarray(v)).tolist() for v in axes)
    if len(a_axes) != len(b_axes):
        raise ValueError(f"Different number of contraction axes 'a' and 'b', "
                         f"{len(a_axes)} != {len(b_axes)}.")
    return ([normalize_axis(int(i), rank_a) for i in a_axes],
            [normalize_axis(int(i), rank_b) for i in b_axes])


def tensordot(a: Any, b: Any, axes: Any, name: str | None = None) -> Tensor:
    """``tf.tensordot``: sums a's ``axes[0]`` against b's ``axes[1]`` (or a's last N
    against b's first N for an int N); the result has a's then b's remaining dims."""
    ta, tb = convert_n([a, b], "Tensordot")
    if ta.shape.ndims is None or tb.shape.ndims is None:
        raise ValueError(f"tensordot needs inputs of known rank, got shapes {ta.shape} and "
                         f"{tb.shape}")
    a_axes, b_axes = _tensordot_axes(axes, ta.shape.ndims, tb.shape.ndims)
    letters = iter(string.ascii_letters)
    sub_a = [next(letters) for _ in range(ta.shape.ndims)]
    sub_b = [next(letters) for _ in range(tb.shape.ndims)]
    for i, j in zip(a_axes, b_axes):
        da, db = ta.shape[i], tb.shape[j]
        if da is not None and db is not None and da != db:
            raise ValueError(f"tensordot: axis {i} of a (shape {ta.shape}) and axis {j} of b "
                             f"(shape {tb.shape}) differ: {da} != {db}")
        sub_b[j] = sub_a[i]
    free = [c for i, c in enumerate(sub_a) if i not in a_axes] + \
        [c for j, c in enumerate(sub_b) if j not in b_axes]
    equation = "".join(sub_a) + "," + "".join(sub_b) + "->" + "".join(free)
    return apply_op("Einsum", [ta, tb], {"equation": equation},
                    name=name or "Tensordot").outputs[0]
