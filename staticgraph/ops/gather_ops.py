"""Gathering and scattering by index: GatherV2, GatherNd, ScatterNd,
ScatterAddToShape; OneHot."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape, normalize_axis
from .fill_ops import fill
from .framework import check_same_dtype, constant, convert_to_tensor, is_tensor_like
from .op_util import (_apply, _check_index_dtype, _check_vector, _linear_jvp, _pyrange,
                      _pyslice, as_index_tensor, const_int, op_scope, static_shape)
from .indexed_slices import IndexedSlices
from .indexing_ops import strided_slice
from .join_ops import concat
from .shape_ops import _shape_tensor, reshape, shape

__all__ = [
    "gather", "gather_nd", "scatter_nd", "one_hot",
]


# ----------------------------------------------------------------------------------------
# GatherV2, ScatterAddToShape, GatherNd, ScatterNd
# ----------------------------------------------------------------------------------------


def _check_indices(indices: np.ndarray, limit: int, what: str) -> None:
    if indices.size and (indices.min() < 0 or indices.max() >= limit):
        bad = indices[(indices < 0) | (indices >= limit)].reshape(-1)[0]
        raise ValueError(f"{what}: index {bad} is not in [0, {limit})")


def _gather_kernel(params: np.ndarray, indices: np.ndarray, *, axis: int) -> np.ndarray:
    _check_indices(indices, params.shape[axis], "GatherV2")
    return np.take(params, indices, axis=axis)


def _gather_shape(inputs: list, attrs: dict) -> list:
    params, indices = inputs
    _check_index_dtype(indices, "indices")
    if params.shape.ndims is None or indices.shape.ndims is None:
        return [(TensorShape(None), params.dtype)]
    dims = params.shape.as_list()
    axis = normalize_axis(attrs["axis"], len(dims), "gather axis")
    return [(TensorShape(dims[:axis] + indices.shape.as_list() + dims[axis + 1:]),
             params.dtype)]


def _gather_vjp(op: Operation, grad: Tensor) -> list:
    """Along axis 0 an IndexedSlices (TF1's sparse gradient: the rows of ``grad`` at
    ``indices``, never a dense tensor of params' shape); along another axis a dense sum."""
    params, indices = op.inputs
    axis = op.get_attr("axis")
    if axis != 0 or params.shape.ndims is None:
        return [scatter_add_to_shape(grad, indices, _shape_tensor(params), axis), None]
    row = params.shape[1:]
    row_shape = row.as_list() if row.is_fully_defined() else \
        strided_slice(_shape_tensor(params), [1], [params.shape.ndims])
    values = reshape(grad, concat([[-1], row_shape], 0) if isinstance(row_shape, Tensor)
                     else [-1] + row_shape)
    return [IndexedSlices(values, reshape(indices, [-1]), _shape_tensor(params)), None]


define_op("GatherV2", kernel=_gather_kernel, shape_fn=_gather_shape, vjp=_gather_vjp,
          jvp=_linear_jvp(), non_differentiable=(1,),
          doc="Slices of params at the given indices along an axis.",
          view_of={})


def _added_into_zeros(shape: np.ndarray, key: Any, updates: np.ndarray) -> np.ndarray:
    """Zeros of ``shape`` with ``updates`` added at ``key`` (repeated indices accumulate)."""
    out = np.zeros(tuple(int(d) for d in shape), dtype=updates.dtype)
    np.add.at(out, key, updates)
    return out


def _scatter_shape(updates_at: int, indices_at: int) -> Callable:
    """Shape rule of the scatter ops: the shape input (index 2), the updates' dtype."""
    def shape_fn(inputs: list, attrs: dict) -> list:
        _check_index_dtype(inputs[indices_at], "indices")
        _check_vector(inputs[2], "shape")
        return [(static_shape(inputs[2]), inputs[updates_at].dtype)]
    return shape_fn


def _scatter_add_kernel(updates: np.ndarray, indices: np.ndarray, shape: np.ndarray, *,
                        axis: int) -> np.ndarray:
    _check_indices(indices, int(shape[axis]), "ScatterAddToShape")
    return _added_into_zeros(shape, (_pyslice(None),) * (axis % len(shape)) + (indices,),
                             updates)


def _scatter_add_vjp(op: Operation, grad: Tensor) -> list:
    return [gather(grad, op.inputs[1], axis=op.get_attr("axis")), None, None]


define_op("ScatterAddToShape", kernel=_scatter_add_kernel, shape_fn=_scatter_shape(0, 1),
          vjp=_scatter_add_vjp, jvp=_linear_jvp(), non_differentiable=(1, 2),
          doc="Zeros of a shape with updates added at indices along an axis (duplicates "
              "accumulate): the adjoint of GatherV2.",
          view_of={})


def scatter_add_to_shape(updates: Any, indices: Any, shape: Any, axis: int = 0,
                         name: str | None = None) -> Tensor:
    """Zeros of ``shape`` plus ``updates`` added at ``indices`` along ``axis``."""
    return _apply("ScatterAddToShape", [convert_to_tensor(updates), as_index_tensor(indices),
                                        as_index_tensor(shape, "shape")], {"axis": int(axis)},
                  name)


def gather(params: Any, indices: Any, validate_indices: Any = None, name: str | None = None,
           axis: Any = None, batch_dims: int = 0) -> Tensor:
    """``tf.gather``: slices of ``params`` at ``indices`` along ``axis`` (default 0)."""
    if batch_dims != 0:
        raise NotImplementedError("tf.gather with batch_dims != 0 is not supported")
    axis = 0 if axis is None else const_int(axis, "gather axis")
    return _apply("GatherV2", [convert_to_tensor(params), as_index_tensor(indices, "indices")],
                  {"axis": axis}, name)


def _nd_index(indices: np.ndarray) -> tuple:
    return tuple(np.moveaxis(indices, -1, 0))


def _gather_nd_kernel(params: np.ndarray, indices: np.ndarray) -> np.ndarray:
    for k in _pyrange(indices.shape[-1]):
        _check_indices(indices[..., k], params.shape[k], "GatherNd")
    return np.asarray(params[_nd_index(indices)])


def _gather_nd_shape(inputs: list, attrs: dict) -> list:
    params, indices = inputs
    _check_index_dtype(indices, "indices")
    if (params.shape.ndims is None or indices.shape.ndims is None
            or indices.shape.as_tuple()[-1] is None):
        return [(TensorShape(None), params.dtype)]
    depth = indices.shape[-1]
    if depth > params.shape.ndims:
        raise ValueError(f"indices of shape {indices.shape} index more dimensions than "
                         f"params of shape {params.shape} has")
    return [(indices.shape[:-1].concatenate(params.shape[depth:]), params.dtype)]


def _gather_nd_vjp(op: Operation, grad: Tensor) -> list:
    params, indices = op.inputs
    return [scatter_nd(indices, grad, _shape_tensor(params, indices.dtype)), None]


def _scatter_nd_kernel(indices: np.ndarray, updates: np.ndarray,
                       shape: np.ndarray) -> np.ndarray:
    for k in _pyrange(indices.shape[-1]):
        _check_indices(indices[..., k], int(shape[k]), "ScatterNd")
    return _added_into_zeros(shape, _nd_index(indices), updates)


def _scatter_nd_vjp(op: Operation, grad: Tensor) -> list:
    return [None, gather_nd(grad, op.inputs[0]), None]


define_op("GatherNd", kernel=_gather_nd_kernel, shape_fn=_gather_nd_shape,
          vjp=_gather_nd_vjp, jvp=_linear_jvp(), non_differentiable=(1,),
          doc="Slices of params at multi-dimensional indices.",
          view_of={0: (0,)})
define_op("ScatterNd", kernel=_scatter_nd_kernel, shape_fn=_scatter_shape(1, 0),
          vjp=_scatter_nd_vjp, jvp=_linear_jvp(1), non_differentiable=(0, 2),
          doc="Zeros of a shape with updates added at multi-dimensional indices.",
          view_of={})


def gather_nd(params: Any, indices: Any, name: str | None = None,
              batch_dims: int = 0) -> Tensor:
    """``tf.gather_nd``: ``params[indices[..., 0], indices[..., 1], ...]``."""
    if batch_dims != 0:
        raise NotImplementedError("tf.gather_nd with batch_dims != 0 is not supported")
    return _apply("GatherNd", [convert_to_tensor(params), as_index_tensor(indices, "indices")],
                  name=name)


def scatter_nd(indices: Any, updates: Any, shape: Any, name: str | None = None) -> Tensor:
    """``tf.scatter_nd``: zeros of ``shape`` with ``updates`` summed in at ``indices``."""
    indices_t = as_index_tensor(indices, "indices")
    shape_t = convert_to_tensor(shape, dtype=indices_t.dtype) if not is_tensor_like(shape) \
        else convert_to_tensor(shape)
    return _apply("ScatterNd", [indices_t, convert_to_tensor(updates), shape_t], name=name)


# ----------------------------------------------------------------------------------------
# OneHot
# ----------------------------------------------------------------------------------------


def _one_hot_kernel(indices: np.ndarray, on_value: np.ndarray, off_value: np.ndarray, *,
                    depth: int, axis: int) -> np.ndarray:
    hot = np.expand_dims(indices, -1) == np.arange(depth)
    if axis != -1:
        hot = np.moveaxis(hot, -1, axis)
    return np.where(hot, on_value, off_value)


def _one_hot_shape(inputs: list, attrs: dict) -> list:
    indices, on_value, off_value = inputs
    if indices.dtype not in (dtypes.uint8, dtypes.int32, dtypes.int64):
        raise TypeError(f"indices must be uint8, int32 or int64, got {indices.dtype.name}")
    dt = check_same_dtype([on_value, off_value])
    if on_value.shape.ndims not in (None, 0) or off_value.shape.ndims not in (None, 0):
        raise ValueError("on_value and off_value must be scalars")
    depth, axis = attrs["depth"], attrs["axis"]
    if depth < 0:
        raise ValueError(f"depth must be non-negative, got {depth}")
    if indices.shape.ndims is None:
        return [(TensorShape(None), dt)]
    dims = indices.shape.as_list()
    if not -1 <= axis <= len(dims):
        raise ValueError(f"Expected axis to be -1 or between [0, {len(dims)}], got {axis}")
    position = len(dims) if axis == -1 else axis
    return [(TensorShape(dims[:position] + [depth] + dims[position:]), dt)]


define_op("OneHot", kernel=_one_hot_kernel, shape_fn=_one_hot_shape,
          non_differentiable=(0, 1, 2),
          doc="One-hot vectors: on_value at each index, off_value elsewhere.",
          view_of={}, row_wise=lambda attrs: (0,) if attrs["axis"] != 0 else ())


def _one_hot_value(value: Any, dtype: dtypes.DType | None, name: str) -> Tensor:
    if is_tensor_like(value) or dtype is None:
        return convert_to_tensor(value, name=name)
    return convert_to_tensor(value, dtype=dtype, name=name)


def one_hot(indices: Any, depth: Any, on_value: Any = None, off_value: Any = None,
            axis: int | None = None, dtype: Any = None, name: str | None = None) -> Tensor:
    """``tf.one_hot``: ``on_value`` where ``indices`` points, ``off_value`` elsewhere;
    dtype from the values, else float32; out-of-range indices give all ``off_value``."""
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    with op_scope(name, "one_hot") as scope:
        given = [_one_hot_value(v, dtype, n) if v is not None else None
                 for v, n in ((on_value, "on_value"), (off_value, "off_value"))]
        for value, what in zip(given, ("on_value", "off_value")):
            if value is not None and dtype is not None and value.dtype != dtype:
                raise TypeError(f"dtype {value.dtype.name} of {what} does not match dtype "
                                f"parameter {dtype.name}")
        dtype = dtype or next((v.dtype for v in given if v is not None), dtypes.float32)
        on_t, off_t = [v if v is not None else constant(fill, dtype=dtype, name=n)
                       for v, fill, n in zip(given, (1, 0), ("on_value", "off_value"))]
        if on_t.dtype != off_t.dtype:
            raise TypeError(f"dtype {on_t.dtype.name} of on_value does not match dtype "
                            f"{off_t.dtype.name} of off_value")
        attrs = {"depth": const_int(depth, "depth"), "axis": -1 if axis is None else int(axis)}
        return _apply("OneHot", [as_index_tensor(indices, "indices"), on_t, off_t], attrs,
                      scope)
