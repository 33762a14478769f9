"""Shape ops: Shape, Size, Rank; Reshape, Squeeze, ExpandDims; Transpose, ReverseV2,
InvertPermutation.

Structural arguments that TF1 takes as tensors but that are almost always constants
(axes, permutations) are op attributes here and must be known when the graph is built;
shapes stay tensor inputs so they may be computed at run time
(``tf.reshape(x, [tf.shape(x)[0], -1])``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import Role, define_op
from ..core.shapes import TensorShape, normalize_axis
from .framework import apply_op, constant, convert_to_tensor
from .op_util import (_apply, _check_vector, _const_ints, _linear_jvp, _pyrange,
                      _static_values, as_index_tensor, const_int)

__all__ = [
    "shape", "size", "rank", "reshape", "transpose", "squeeze", "expand_dims",
    "reverse", "reverse_v2", "invert_permutation",
]


def shape_of(x: Tensor) -> Tensor:
    """``x``'s shape as an int32 tensor: a constant when statically known."""
    if x.shape.is_fully_defined():
        return constant(np.array(x.shape.as_list(), dtype=np.int32), name="shape")
    return shape(x)


def _shape_tensor(x: Tensor, dtype: dtypes.DType = dtypes.int32) -> Tensor:
    """``x``'s shape as a 1-D int tensor of ``dtype``: a constant when statically known."""
    if dtype == dtypes.int32:
        return shape_of(x)
    if x.shape.is_fully_defined():
        return constant(np.array(x.shape.as_list(), dtype=dtype.dtype), name="shape")
    return shape(x, out_type=dtype)


def _reshape_back_vjp(op: Operation, grad: Tensor) -> list:
    """VJP of ops that only rearrange dims without moving data: reshape back."""
    x = op.inputs[0]
    return [reshape(grad, _shape_tensor(x))] + [None] * (len(op.inputs) - 1)


# ----------------------------------------------------------------------------------------
# Shape, Size, Rank
# ----------------------------------------------------------------------------------------


def _shape_kernel(x: np.ndarray, *, out_type: dtypes.DType) -> np.ndarray:
    return np.array(np.shape(x), dtype=out_type.dtype)


def _shape_shape(inputs: list, attrs: dict) -> list:
    rank_ = inputs[0].shape.ndims
    return [(TensorShape([rank_]), attrs["out_type"])]


define_op("Shape", kernel=_shape_kernel, shape_fn=_shape_shape, non_differentiable=(0,),
          doc="The runtime shape of its input as a 1-D int tensor.",
          view_of={}, fresh=True, shape_only=True)


def shape(input: Any, name: str | None = None, out_type: Any = dtypes.int32) -> Tensor:
    """``tf.shape``: the dynamic shape of ``input`` as a 1-D integer tensor."""
    return apply_op("Shape", [convert_to_tensor(input)], {"out_type": dtypes.as_dtype(out_type)},
                    name=name).outputs[0]


def _size_kernel(x: np.ndarray, *, out_type: dtypes.DType) -> np.ndarray:
    return np.array(np.size(x), dtype=out_type.dtype)


def _rank_kernel(x: np.ndarray) -> np.ndarray:
    return np.array(np.ndim(x), dtype=np.int32)


define_op("Size", kernel=_size_kernel, non_differentiable=(0,),
          shape_fn=lambda inputs, attrs: [(TensorShape([]), attrs["out_type"])],
          doc="The number of elements of its input.",
          view_of={}, fresh=True, shape_only=True)
define_op("Rank", kernel=_rank_kernel, non_differentiable=(0,),
          shape_fn=lambda inputs, attrs: [(TensorShape([]), dtypes.int32)],
          doc="The number of dimensions of its input.",
          view_of={}, fresh=True, shape_only=True)


def size(input: Any, name: str | None = None, out_type: Any = dtypes.int32) -> Tensor:
    """``tf.size``: the number of elements (a constant when the shape is static)."""
    x = convert_to_tensor(input)
    out_type = dtypes.as_dtype(out_type)
    if x.shape.is_fully_defined():
        return constant(x.shape.num_elements(), dtype=out_type, name=name or "Size")
    return _apply("Size", [x], {"out_type": out_type}, name)


def rank(input: Any, name: str | None = None) -> Tensor:
    """``tf.rank``: the number of dimensions (a constant when statically known)."""
    x = convert_to_tensor(input)
    if x.shape.ndims is not None:
        return constant(x.shape.ndims, dtype=dtypes.int32, name=name or "Rank")
    return _apply("Rank", [x], name=name)


# ----------------------------------------------------------------------------------------
# Reshape, Squeeze, ExpandDims
# ----------------------------------------------------------------------------------------


def _reshape_kernel(tensor: np.ndarray, shape: np.ndarray) -> np.ndarray:
    # The method with a list of Python ints is ~7x faster than np.reshape with a tuple
    # built element by element (it runs per step in training graphs).
    return tensor.reshape(shape.tolist())


def _reshape_inline(attrs: dict, constants: list, specs: list) -> str | None:
    """A reshape to a constant shape calls the method with a tuple literal."""
    shape = constants[1]
    if shape is None:
        return None
    return f"{{0}}.reshape({tuple(shape.tolist())!r})"


def _infer_reshape(in_shape: TensorShape, dims: list) -> list:
    """Output dims of reshaping ``in_shape`` to ``dims`` (which may hold -1 and None)."""
    if any(d is not None and d < -1 for d in dims):
        raise ValueError(f"sizes in shape {dims} must be non-negative or -1")
    inferred = [i for i, d in enumerate(dims) if d == -1]
    if len(inferred) > 1:
        raise ValueError(f"can only infer one dimension (-1), got shape {dims}")
    out = [None if d == -1 else d for d in dims]
    total = in_shape.num_elements()
    known = [d for d in out if d is not None]
    if total is None or len(known) != len(out) - len(inferred):
        return out
    product = int(np.prod(known))
    if inferred:
        if product == 0 or total % product:
            if product == 0 and total == 0:
                return out
            raise ValueError(f"cannot reshape a tensor with {total} elements to shape {dims}")
        out[inferred[0]] = total // product
    elif product != total:
        raise ValueError(f"cannot reshape a tensor with {total} elements to shape {dims} "
                         f"({product} elements)")
    return out


def _reshape_shape(inputs: list, attrs: dict) -> list:
    x, target = inputs
    _check_vector(target, "shape")
    dims = _static_values(target)
    out = TensorShape(None) if dims is None else TensorShape(_infer_reshape(x.shape, dims))
    return [(out, x.dtype)]


define_op("Reshape", kernel=_reshape_kernel, shape_fn=_reshape_shape, vjp=_reshape_back_vjp,
          jvp=_linear_jvp(), non_differentiable=(1,), inline=_reshape_inline,
          doc="Its input with a new shape (one dimension may be -1, inferred).",
          view_of={0: (0,)}, role=Role.RESHAPE)


def reshape(tensor: Any, shape: Any, name: str | None = None) -> Tensor:
    """``tf.reshape``: the same elements in a new shape; one dimension may be -1."""
    return _apply("Reshape", [convert_to_tensor(tensor), as_index_tensor(shape, "shape")],
                  name=name)


def _squeeze_kernel(x: np.ndarray, *, squeeze_dims: tuple) -> np.ndarray:
    return np.squeeze(x, axis=squeeze_dims) if squeeze_dims else np.squeeze(x)


def _squeeze_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if x.shape.ndims is None:
        return [(TensorShape(None), x.dtype)]
    dims = x.shape.as_list()
    axes = {normalize_axis(a, len(dims)) for a in attrs["squeeze_dims"]}
    if not axes:
        if None in dims:
            return [(TensorShape(None), x.dtype)]
        return [(TensorShape([d for d in dims if d != 1]), x.dtype)]
    for a in sorted(axes):
        if dims[a] not in (None, 1):
            raise ValueError(f"Can not squeeze dim[{a}], expected a dimension of 1, got "
                             f"{dims[a]} (shape {x.shape})")
    return [(TensorShape([d for i, d in enumerate(dims) if i not in axes]), x.dtype)]


define_op("Squeeze", kernel=_squeeze_kernel, shape_fn=_squeeze_shape, vjp=_reshape_back_vjp,
          jvp=_linear_jvp(), doc="Removes dimensions of size 1.",
          view_of={0: (0,)}, role=Role.SQUEEZE)


def squeeze(input: Any, axis: Any = None, name: str | None = None,
            squeeze_dims: Any = None) -> Tensor:
    """``tf.squeeze``: removes size-1 dimensions (all of them, or those in ``axis``)."""
    if axis is not None and squeeze_dims is not None:
        raise ValueError("Cannot specify both 'axis' and 'squeeze_dims'")
    axis = squeeze_dims if axis is None else axis
    axes = () if axis is None else _const_ints(axis, "squeeze axis")
    return _apply("Squeeze", [convert_to_tensor(input)], {"squeeze_dims": axes}, name)


def _expand_dims_kernel(x: np.ndarray, *, axis: int) -> np.ndarray:
    return np.expand_dims(x, axis)


def _expand_dims_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if x.shape.ndims is None:
        return [(TensorShape(None), x.dtype)]
    dims = x.shape.as_list()
    axis = normalize_axis(attrs["axis"], len(dims) + 1, "expand_dims axis")
    return [(TensorShape(dims[:axis] + [1] + dims[axis:]), x.dtype)]


define_op("ExpandDims", kernel=_expand_dims_kernel, shape_fn=_expand_dims_shape,
          vjp=_reshape_back_vjp, jvp=_linear_jvp(), doc="Inserts a dimension of size 1.",
          view_of={0: (0,)}, role=Role.EXPAND_DIMS)


def expand_dims(input: Any, axis: Any = None, name: str | None = None,
                dim: Any = None) -> Tensor:
    """``tf.expand_dims``: inserts a size-1 dimension at ``axis`` (TF1 also ``dim``)."""
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    return _apply("ExpandDims", [convert_to_tensor(input)],
                  {"axis": const_int(axis, "expand_dims axis")}, name)


# ----------------------------------------------------------------------------------------
# Transpose, ReverseV2, InvertPermutation
# ----------------------------------------------------------------------------------------


def _transpose_kernel(x: np.ndarray, *, perm: tuple) -> np.ndarray:
    return np.transpose(x, perm)


def _transpose_shape(inputs: list, attrs: dict) -> list:
    x, perm = inputs[0], attrs["perm"]
    if x.shape.ndims is None:
        return [(TensorShape([None] * len(perm)), x.dtype)]
    if sorted(perm) != list(_pyrange(x.shape.ndims)):
        raise ValueError(f"perm {list(perm)} is not a permutation of the dimensions of a "
                         f"tensor of shape {x.shape}")
    dims = x.shape.as_list()
    return [(TensorShape([dims[p] for p in perm]), x.dtype)]


def _transpose_vjp(op: Operation, grad: Tensor) -> list:
    return [transpose(grad, tuple(int(i) for i in np.argsort(op.get_attr("perm"))))]


define_op("Transpose", kernel=_transpose_kernel, shape_fn=_transpose_shape,
          vjp=_transpose_vjp, jvp=_linear_jvp(), doc="Permutes dimensions.",
          view_of={0: (0,)}, role=Role.TRANSPOSE)


def transpose(a: Any, perm: Any = None, name: str = "transpose",
              conjugate: bool = False) -> Tensor:
    """``tf.transpose``: permutes dimensions (``perm`` defaults to reversing them)."""
    x = convert_to_tensor(a)
    if perm is None:
        if x.shape.ndims is None:
            raise ValueError("transpose without perm needs a tensor of known rank")
        perm = tuple(_pyrange(x.shape.ndims - 1, -1, -1))
    else:
        perm = _const_ints(perm, "perm")
    return _apply("Transpose", [x], {"perm": perm}, name)


def _reverse_kernel(tensor: np.ndarray, *, axis: tuple) -> np.ndarray:
    return np.flip(tensor, axis)


def _reverse_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if x.shape.ndims is not None:
        axes = [normalize_axis(a, x.shape.ndims) for a in attrs["axis"]]
        if len(set(axes)) != len(axes):
            raise ValueError(f"axis {list(attrs['axis'])} has a duplicate for shape {x.shape}")
    return [(x.shape, x.dtype)]


def _reverse_vjp(op: Operation, grad: Tensor) -> list:
    return [reverse(grad, op.get_attr("axis"))]


define_op("ReverseV2", kernel=_reverse_kernel, shape_fn=_reverse_shape, vjp=_reverse_vjp,
          jvp=_linear_jvp(), doc="Reverses the order of elements along some axes.",
          view_of={0: (0,)})


def reverse(tensor: Any, axis: Any, name: str | None = None) -> Tensor:
    """``tf.reverse``: ``tensor`` with the elements along each axis in ``axis`` reversed."""
    return _apply("ReverseV2", [convert_to_tensor(tensor)],
                  {"axis": _const_ints(axis, "reverse axis")}, name)


reverse_v2 = reverse


def _invert_permutation_kernel(x: np.ndarray) -> np.ndarray:
    if sorted(x.tolist()) != list(_pyrange(x.size)):
        raise ValueError(f"{x.tolist()} is not a permutation of 0..{x.size - 1}")
    return np.argsort(x).astype(x.dtype)


def _invert_permutation_shape(inputs: list, attrs: dict) -> list:
    _check_vector(inputs[0], "x")
    return [(inputs[0].shape.with_rank(1), inputs[0].dtype)]


define_op("InvertPermutation", kernel=_invert_permutation_kernel,
          shape_fn=_invert_permutation_shape, non_differentiable=(0,),
          doc="The inverse of a permutation vector.",
          view_of={})


def invert_permutation(x: Any, name: str | None = None) -> Tensor:
    """``tf.invert_permutation``: y with y[x[i]] = i."""
    return _apply("InvertPermutation", [as_index_tensor(x)], name=name)
