"""Slicing: Pad, MirrorPad, Slice, StridedSlice and ``Tensor.__getitem__``.

Offsets, sizes and paddings are tensor inputs, so they may be computed at run time."""
from __future__ import annotations

import numbers
from typing import Any, Callable, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .cast_ops import cast
from .framework import constant, constant_value, convert_to_tensor
from .math_ops import subtract
from .op_util import (_INDEX_DTYPES, _SLICE_TYPE_ERROR, _apply, _check_index_dtype,
                      _check_vector, _linear_jvp, _pyrange, _pyslice, _static_matrix,
                      _static_values, as_index_tensor, op_scope, static_shape)
from .shape_ops import _shape_tensor, shape, size
from .stack_ops import stack

__all__ = [
    "pad", "slice", "strided_slice",
]


def _dim_size(x: Tensor, axis: int) -> int | Tensor:
    """The size of ``x`` along ``axis``: an int when static, else a scalar tensor."""
    if x.shape.ndims is not None and x.shape.as_tuple()[axis] is not None:
        return x.shape.as_tuple()[axis]
    return slice_helper(shape(x), axis)


# ----------------------------------------------------------------------------------------
# Pad, MirrorPad, MirrorPadGrad
# ----------------------------------------------------------------------------------------

_PAD_MODES = ("CONSTANT", "REFLECT", "SYMMETRIC")


def _pad_kernel(input: np.ndarray, paddings: np.ndarray, *,
                constant_values: Any = 0) -> np.ndarray:
    if paddings.shape != (input.ndim, 2) or np.any(paddings < 0):
        raise ValueError(f"paddings {paddings.tolist()} must be non-negative with shape "
                         f"[{input.ndim}, 2] for an input of shape {input.shape}")
    return np.pad(input, paddings, mode="constant", constant_values=constant_values)


def _mirror_index(n: int, before: int, after: int, mode: str) -> np.ndarray:
    """For each position of a mirror-padded axis, the input position it copies."""
    limit = n - 1 if mode == "REFLECT" else n
    if before > limit or after > limit or before < 0 or after < 0:
        raise ValueError(f"paddings ({before}, {after}) must be in [0, {limit}] for a "
                         f"dimension of size {n} in {mode} mode")
    offset = 0 if mode == "REFLECT" else 1
    index = np.arange(-before, n + after)
    index = np.where(index < 0, -index - offset, index)
    return np.where(index >= n, 2 * n - 2 + offset - index, index)


def _mirror_pad_kernel(input: np.ndarray, paddings: np.ndarray, *, mode: str) -> np.ndarray:
    out = input
    for axis, (before, after) in enumerate(paddings.tolist()):
        out = np.take(out, _mirror_index(input.shape[axis], before, after, mode), axis=axis)
    return np.asarray(out)


def _mirror_pad_grad_kernel(grad: np.ndarray, paddings: np.ndarray, *,
                            mode: str) -> np.ndarray:
    # Each padded position adds its gradient back onto the input position it copied.
    out = grad
    for axis, (before, after) in enumerate(paddings.tolist()):
        n = out.shape[axis] - before - after
        folded = np.zeros(out.shape[:axis] + (n,) + out.shape[axis + 1:], dtype=grad.dtype)
        key = (_pyslice(None),) * axis + (_mirror_index(n, before, after, mode),)
        np.add.at(folded, key, out)
        out = folded
    return out


def _padded_shape(sign: int) -> Callable:
    """Shape rule of padding (``sign`` 1) or of its gradient, un-padding (``sign`` -1)."""
    def shape_fn(inputs: list, attrs: dict) -> list:
        x, paddings = inputs
        _check_index_dtype(paddings, "paddings")
        if x.shape.ndims is None:
            n = paddings.shape.as_tuple()[0] if paddings.shape.ndims == 2 else None
            return [(TensorShape(None if n is None else [None] * n), x.dtype)]
        if not paddings.shape.is_compatible_with([x.shape.ndims, 2]):
            raise ValueError(f"paddings must have shape [{x.shape.ndims}, 2] for an input "
                             f"of shape {x.shape}, got {paddings.shape}")
        values = _static_matrix(paddings)
        if values is None:
            return [(TensorShape([None] * x.shape.ndims), x.dtype)]
        if np.any(values < 0):
            raise ValueError(f"paddings must be non-negative, got {values.tolist()}")
        dims = [None if d is None else d + sign * int(values[i].sum())
                for i, d in enumerate(x.shape.as_list())]
        mode = attrs.get("mode", "CONSTANT")
        if mode != "CONSTANT":
            for d, (before, after) in zip(x.shape.as_list() if sign > 0 else dims, values):
                if d is not None:
                    _mirror_index(d, int(before), int(after), mode)
        return [(TensorShape(dims), x.dtype)]
    return shape_fn


def _pad_vjp(op: Operation, grad: Tensor) -> list:
    x, paddings = op.inputs
    values = _static_matrix(paddings)
    if values is not None:
        begin = constant(values[:, 0].astype(paddings.dtype.dtype), name="begin")
    else:
        begin = slice_helper(paddings, (_pyslice(None), 0))
    return [slice(grad, begin, _shape_tensor(x, paddings.dtype)), None]


def _mirror_vjp(adjoint: str) -> Callable:
    def vjp(op: Operation, grad: Tensor) -> list:
        return [_apply(adjoint, [grad, op.inputs[1]], {"mode": op.get_attr("mode")}), None]
    return vjp


define_op("Pad", kernel=_pad_kernel, shape_fn=_padded_shape(1), vjp=_pad_vjp,
          jvp=_linear_jvp(constant_values=0), non_differentiable=(1,),
          doc="Pads with a constant value.",
          view_of={})
define_op("MirrorPad", kernel=_mirror_pad_kernel, shape_fn=_padded_shape(1),
          vjp=_mirror_vjp("MirrorPadGrad"), jvp=_linear_jvp(), non_differentiable=(1,),
          doc="Pads by mirroring the input (REFLECT or SYMMETRIC).",
          view_of={0: (0,)})
define_op("MirrorPadGrad", kernel=_mirror_pad_grad_kernel, shape_fn=_padded_shape(-1),
          vjp=_mirror_vjp("MirrorPad"), jvp=_linear_jvp(), non_differentiable=(1,),
          doc="The gradient of MirrorPad: folds the padded borders back in.",
          view_of={0: (0,)})


def pad(tensor: Any, paddings: Any, mode: str = "CONSTANT", name: str | None = None,
        constant_values: Any = 0) -> Tensor:
    """``tf.pad``: pads ``tensor`` by ``paddings[i] = [before, after]`` along dimension i."""
    x = convert_to_tensor(tensor)
    padding = as_index_tensor(paddings, "paddings")
    mode = str(mode).upper()
    if mode not in _PAD_MODES:
        raise ValueError(f"Unknown padding mode: {mode}")
    if mode != "CONSTANT":
        return _apply("MirrorPad", [x, padding], {"mode": mode}, name)
    fill_value = constant_value(constant_values)
    if fill_value is None or np.ndim(fill_value) != 0:
        raise ValueError(f"constant_values must be a scalar known when the graph is built, "
                         f"got {constant_values!r}")
    fill_value = np.asarray(fill_value, dtype=x.dtype.dtype).item()
    return _apply("Pad", [x, padding], {"constant_values": fill_value}, name)


# ----------------------------------------------------------------------------------------
# Slice
# ----------------------------------------------------------------------------------------


def _slice_kernel(input: np.ndarray, begin: np.ndarray, size: np.ndarray) -> np.ndarray:
    if begin.shape != (input.ndim,) or size.shape != (input.ndim,):
        raise ValueError(f"begin {begin.tolist()} and size {size.tolist()} must have one "
                         f"entry per dimension of the input of shape {input.shape}")
    key = []
    for n, b, s in zip(input.shape, begin.tolist(), size.tolist()):
        end = n if s == -1 else b + s
        if not 0 <= b <= end <= n:
            raise ValueError(f"slice begin {begin.tolist()}, size {size.tolist()} is out of "
                             f"bounds for shape {input.shape}")
        key.append(_pyslice(b, end))
    return input[tuple(key)]


def _slice_dim(n: int | None, b: int | None, s: int | None) -> int | None:
    if s is not None and s != -1:
        if n is not None and b is not None and not 0 <= b <= b + s <= n:
            raise ValueError(f"slice [{b}, {b + s}) is out of bounds for a dimension of {n}")
        return s
    if s is None or n is None or b is None:
        return None
    if not 0 <= b <= n:
        raise ValueError(f"slice begin {b} is out of bounds for a dimension of {n}")
    return n - b


def _slice_shape(inputs: list, attrs: dict) -> list:
    x, begin, size_ = inputs
    _check_vector(begin, "begin")
    _check_vector(size_, "size")
    if begin.dtype != size_.dtype:
        raise TypeError(f"begin and size must have the same dtype, got {begin.dtype.name} "
                        f"and {size_.dtype.name}")
    b, s = _static_values(begin), _static_values(size_)
    n = x.shape.ndims if x.shape.ndims is not None else len(b or s or []) or None
    if n is None:
        return [(TensorShape(None), x.dtype)]
    for what, values in (("begin", b), ("size", s)):
        if values is not None and len(values) != n:
            raise ValueError(f"{what} {values} must have one entry per dimension of shape "
                             f"{x.shape}")
    dims = x.shape.as_list() if x.shape.ndims is not None else [None] * n
    b, s = b or [None] * n, s or [None] * n
    return [(TensorShape([_slice_dim(*args) for args in zip(dims, b, s)]), x.dtype)]


def _slice_vjp(op: Operation, grad: Tensor) -> list:
    x, begin, _ = op.inputs
    y = op.outputs[0]
    b = constant_value(begin)
    if b is not None and x.shape.is_fully_defined() and y.shape.is_fully_defined():
        after = np.array(x.shape.as_list()) - b - np.array(y.shape.as_list())
        paddings = constant(np.stack([b, after], axis=1).astype(begin.dtype.dtype),
                            name="paddings")
    else:
        after = subtract(subtract(_shape_tensor(x, begin.dtype), begin),
                         _shape_tensor(y, begin.dtype))
        paddings = stack([begin, after], axis=1)
    return [pad(grad, paddings), None, None]


define_op("Slice", kernel=_slice_kernel, shape_fn=_slice_shape, vjp=_slice_vjp,
          jvp=_linear_jvp(), non_differentiable=(1, 2),
          doc="A contiguous block: ``size[i]`` elements from ``begin[i]`` (-1: to the end).",
          view_of={0: (0,)})


def slice(input_: Any, begin: Any, size: Any, name: str | None = None) -> Tensor:
    """``tf.slice``: the block of ``size`` starting at ``begin`` (size -1: to the end)."""
    return _apply("Slice", [convert_to_tensor(input_), as_index_tensor(begin, "begin"),
                            as_index_tensor(size, "size")], name=name)


# ----------------------------------------------------------------------------------------
# StridedSlice, StridedSliceGrad and Tensor.__getitem__
# ----------------------------------------------------------------------------------------

_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def _strided_key(begin: Sequence, end: Sequence, strides: Sequence, attrs: dict) -> tuple:
    """The NumPy index equivalent to a strided slice spec (TF1 mask semantics)."""
    key: list = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if attrs["ellipsis_mask"] & bit:
            key.append(Ellipsis)
        elif attrs["new_axis_mask"] & bit:
            key.append(None)
        elif attrs["shrink_axis_mask"] & bit:
            key.append(int(b))
        else:
            if s == 0:
                raise ValueError("strided slice strides must be non-zero")
            key.append(_pyslice(None if attrs["begin_mask"] & bit else int(b),
                                None if attrs["end_mask"] & bit else int(e), int(s)))
    return tuple(key)


def _strided_slice_kernel(input: np.ndarray, begin: np.ndarray, end: np.ndarray,
                          strides: np.ndarray, **masks: int) -> np.ndarray:
    return np.asarray(input[_strided_key(begin.tolist(), end.tolist(), strides.tolist(),
                                         masks)])


def _strided_slice_grad_kernel(shape: np.ndarray, begin: np.ndarray, end: np.ndarray,
                               strides: np.ndarray, dy: np.ndarray, **masks: int
                               ) -> np.ndarray:
    out = np.zeros(tuple(int(d) for d in shape), dtype=dy.dtype)
    out[_strided_key(begin.tolist(), end.tolist(), strides.tolist(), masks)] = dy
    return out


def _strided_dim(n: int | None, b: int | None, e: int | None, s: int | None,
                 begin_masked: bool, end_masked: bool) -> int | None:
    """Length of one sliced dimension, when the spec and the dimension are known."""
    if s == 0:
        raise ValueError("strided slice strides must be non-zero")
    if n is None or s is None or (b is None and not begin_masked) or (
            e is None and not end_masked):
        return None
    return len(_pyrange(*_pyslice(None if begin_masked else b,
                                  None if end_masked else e, s).indices(n)))


def _strided_dims(dims: list, begin: list, end: list, strides: list, attrs: dict) -> list:
    """Output dims of a strided slice of ``dims`` (TF1 semantics, partial knowledge)."""
    special = attrs["ellipsis_mask"] | attrs["new_axis_mask"]
    consumed = sum(1 for i in _pyrange(len(begin)) if not special & (1 << i))
    if consumed > len(dims):
        raise ValueError(f"too many indices ({consumed}) for a tensor of rank {len(dims)}")
    if bin(attrs["ellipsis_mask"]).count("1") > 1:
        raise ValueError("a strided slice may contain at most one ellipsis")
    out: list = []
    d = 0
    for i in _pyrange(len(begin)):
        bit = 1 << i
        if attrs["ellipsis_mask"] & bit:
            extra = len(dims) - consumed
            out.extend(dims[d:d + extra])
            d += extra
        elif attrs["new_axis_mask"] & bit:
            out.append(1)
        elif attrs["shrink_axis_mask"] & bit:
            n, b = dims[d], begin[i]
            if n is not None and b is not None and not -n <= b < n:
                raise ValueError(f"slice index {b} of dimension {d} out of bounds (size {n})")
            d += 1
        else:
            out.append(_strided_dim(dims[d], begin[i], end[i], strides[i],
                                    bool(attrs["begin_mask"] & bit),
                                    bool(attrs["end_mask"] & bit)))
            d += 1
    return out + dims[d:]


def _strided_spec(begin: Tensor, end: Tensor, strides: Tensor) -> list | None:
    for what, t in (("begin", begin), ("end", end), ("strides", strides)):
        _check_vector(t, what)
    if len({begin.dtype, end.dtype, strides.dtype}) > 1:
        raise TypeError(f"begin, end and strides must have one dtype, got {begin.dtype.name}, "
                        f"{end.dtype.name} and {strides.dtype.name}")
    specs = [_static_values(t) for t in (begin, end, strides)]
    lengths = {len(s) for s in specs if s is not None}
    if len(lengths) > 1:
        raise ValueError(f"begin, end and strides must have the same length, got "
                         f"{begin.shape}, {end.shape} and {strides.shape}")
    if not lengths:
        return None
    n = lengths.pop()
    return [s if s is not None else [None] * n for s in specs]


def _strided_slice_shape(inputs: list, attrs: dict) -> list:
    x, begin, end, strides = inputs
    spec = _strided_spec(begin, end, strides)
    if spec is None or x.shape.ndims is None:
        return [(TensorShape(None), x.dtype)]
    return [(TensorShape(_strided_dims(x.shape.as_list(), *spec, attrs)), x.dtype)]


def _strided_slice_grad_shape(inputs: list, attrs: dict) -> list:
    shape_t, begin, end, strides, dy = inputs
    _check_vector(shape_t, "shape")
    _strided_spec(begin, end, strides)
    return [(static_shape(shape_t), dy.dtype)]


def _masks(op: Operation) -> dict:
    return {m: op.get_attr(m) for m in _MASKS}


def _strided_slice_vjp(op: Operation, grad: Tensor) -> list:
    x, begin, end, strides = op.inputs
    dx = _apply("StridedSliceGrad", [_shape_tensor(x, begin.dtype), begin, end, strides, grad],
                _masks(op))
    return [dx, None, None, None]


def _strided_slice_grad_vjp(op: Operation, grad: Tensor) -> list:
    _, begin, end, strides, _ = op.inputs
    return [None, None, None, None,
            strided_slice(grad, begin, end, strides, **_masks(op))]


define_op("StridedSlice", kernel=_strided_slice_kernel, shape_fn=_strided_slice_shape,
          vjp=_strided_slice_vjp, jvp=_linear_jvp(), non_differentiable=(1, 2, 3),
          doc="Python-style slicing with strides and TF1's begin/end/ellipsis/new-axis/"
              "shrink masks.",
          view_of={0: (0,)})
define_op("StridedSliceGrad", kernel=_strided_slice_grad_kernel,
          shape_fn=_strided_slice_grad_shape, vjp=_strided_slice_grad_vjp,
          jvp=_linear_jvp(4), non_differentiable=(0, 1, 2, 3),
          doc="The gradient of StridedSlice: dy scattered into zeros of the input shape.",
          view_of={})


def strided_slice(input_: Any, begin: Any, end: Any, strides: Any = None,
                  begin_mask: int = 0, end_mask: int = 0, ellipsis_mask: int = 0,
                  new_axis_mask: int = 0, shrink_axis_mask: int = 0, var: Any = None,
                  name: str | None = None) -> Tensor:
    """``tf.strided_slice``: ``input_[begin:end:strides]`` per dimension, with TF1 masks."""
    begin_t, end_t = as_index_tensor(begin, "begin"), as_index_tensor(end, "end")
    if strides is None:
        if begin_t.shape.ndims != 1 or begin_t.shape.as_tuple()[0] is None:
            raise ValueError("strides are needed when the length of begin is unknown")
        strides = np.ones(begin_t.shape.as_tuple()[0], dtype=begin_t.dtype.dtype)
    masks = dict(begin_mask=begin_mask, end_mask=end_mask, ellipsis_mask=ellipsis_mask,
                 new_axis_mask=new_axis_mask, shrink_axis_mask=shrink_axis_mask)
    return _apply("StridedSlice", [convert_to_tensor(input_), begin_t, end_t,
                                   as_index_tensor(strides, "strides")],
                  {k: int(v) for k, v in masks.items()}, name)


def _check_index(index: Any) -> None:
    if isinstance(index, (numbers.Integral, np.integer)):
        return
    if isinstance(index, Tensor) and index.dtype in _INDEX_DTYPES and index.shape.ndims in (
            0, None):
        return
    raise TypeError(f"{_SLICE_TYPE_ERROR}, got {index!r}")


def _pack_indices(values: list, dtype: dtypes.DType, name: str) -> Tensor:
    if not values:
        return constant(np.zeros(0, dtype.dtype), name=name)
    if not any(isinstance(v, Tensor) for v in values):
        return constant(np.array(values, dtype=dtype.dtype), name=name)
    return stack([(v if v.dtype == dtype else cast(v, dtype)) if isinstance(v, Tensor)
                  else constant(v, dtype=dtype) for v in values], name=name)


def slice_helper(tensor: Any, slice_spec: Any, var: Any = None) -> Tensor:
    """``tensor[slice_spec]`` (``Tensor.__getitem__``): ints, negative ints, slices with any
    step, ``...``, ``tf.newaxis`` and scalar int tensors, as one StridedSlice op."""
    x = convert_to_tensor(tensor)
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = [slice_spec]
    begin: list = []
    end: list = []
    strides: list = []
    masks = dict.fromkeys(_MASKS, 0)
    for i, item in enumerate(slice_spec):
        bit = 1 << i
        if isinstance(item, _pyslice):
            for part in (item.start, item.stop, item.step):
                if part is not None:
                    _check_index(part)
            begin.append(0 if item.start is None else item.start)
            end.append(0 if item.stop is None else item.stop)
            strides.append(1 if item.step is None else item.step)
            masks["begin_mask"] |= bit if item.start is None else 0
            masks["end_mask"] |= bit if item.stop is None else 0
        elif item is Ellipsis or item is None:
            begin.append(0)
            end.append(0)
            strides.append(1)
            masks["ellipsis_mask" if item is Ellipsis else "new_axis_mask"] |= bit
        else:
            _check_index(item)
            begin.append(item)
            end.append(item + 1)
            strides.append(1)
            masks["shrink_axis_mask"] |= bit
    index_dtype = dtypes.int64 if any(isinstance(v, Tensor) and v.dtype == dtypes.int64
                                      for v in begin + end + strides) else dtypes.int32
    with op_scope(None, "strided_slice") as scope:
        packed = [_pack_indices(v, index_dtype, n) for v, n in
                  ((begin, "stack"), (end, "stack_1"), (strides, "stack_2"))]
        return _apply("StridedSlice", [x] + packed, masks, name=scope)
