"""Array ops: shapes, reshaping, joining and splitting, slicing, gathering, selection.

Structural arguments that TF1 takes as tensors but that are almost always constants
(axes, permutations, the number of splits) are op attributes here and must be known when
the graph is built; shapes, sizes, offsets, paddings and multiples stay tensor inputs so
they may be computed at run time (``tf.reshape(x, [tf.shape(x)[0], -1])``).
"""
from __future__ import annotations

import builtins
import contextlib
import numbers
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor, get_default_graph
from ..core.registry import define_op
from ..core.shapes import TensorShape, broadcast_all, normalize_axis
from .framework import (apply_op, check_same_dtype, constant, constant_value, convert_n,
                        convert_to_tensor, is_tensor_like, same_as_first, to_numpy_value)
from .math_ops import cast, shape_of, subtract, sum_to_shape, unbroadcast
from .state_ops import identity

# ``range`` and ``slice`` are TF1 op functions in this module; these are Python's.
_pyrange = builtins.range
_pyslice = builtins.slice

__all__ = [
    "shape", "size", "rank", "reshape", "transpose", "concat", "stack", "unstack", "split",
    "squeeze", "expand_dims", "tile", "pad", "slice", "strided_slice", "gather",
    "gather_nd", "scatter_nd", "one_hot", "zeros", "ones", "zeros_like", "ones_like",
    "fill", "range", "stop_gradient", "where", "where_v2", "reverse", "reverse_v2",
    "boolean_mask", "sequence_mask", "invert_permutation",
]

_INDEX_DTYPES = (dtypes.int32, dtypes.int64)
_SLICE_TYPE_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) "
                     "and scalar tf.int32/tf.int64 tensors are valid indices")

# ----------------------------------------------------------------------------------------
# Helpers shared by the ops below
# ----------------------------------------------------------------------------------------


def _apply(op_type: str, inputs: Sequence[Tensor], attrs: dict | None = None,
           name: str | None = None) -> Tensor:
    return apply_op(op_type, inputs, attrs, name=name).outputs[0]


@contextlib.contextmanager
def op_scope(name: str | None, default: str) -> Iterator[str]:
    """TF1's ``name_scope(name, default)``: yields ``"scope/"``, a name that the scope's
    final op takes verbatim (so ``tf.zeros(...)`` is named ``zeros``)."""
    with get_default_graph().name_scope(name or default) as scope:
        yield scope


def _outputs(parts: Sequence[np.ndarray]) -> Any:
    """A kernel result: one array for one output, else a tuple."""
    return parts[0] if len(parts) == 1 else tuple(parts)


def as_index_tensor(value: Any, name: str = "Const") -> Tensor:
    """An int32 (or int64) tensor from a Tensor, a TensorShape or a list of ints/tensors."""
    if isinstance(value, TensorShape):
        value = value.as_list()
    if isinstance(value, (list, tuple)) and len(value) == 0:
        return constant(np.zeros(0, np.int32), name=name)
    if is_tensor_like(value):
        return convert_to_tensor(value)
    return convert_to_tensor(value, preferred_dtype=dtypes.int32, name=name)


def _check_index_dtype(t: Tensor, what: str) -> None:
    if t.dtype not in _INDEX_DTYPES:
        raise TypeError(f"{what} must be int32 or int64, got {t.dtype.name}")


def _check_vector(t: Tensor, what: str) -> None:
    _check_index_dtype(t, what)
    if t.shape.ndims not in (None, 1):
        raise ValueError(f"{what} must be a vector, got shape {t.shape}")


def const_int(value: Any, what: str) -> int:
    """A Python int from an int or a build-time constant scalar tensor."""
    known = constant_value(value)
    if known is None or np.ndim(known) != 0 or np.asarray(known).dtype.kind not in "iu":
        raise ValueError(f"{what} must be an integer known when the graph is built, "
                         f"got {value!r}")
    return int(known)


def _const_ints(value: Any, what: str) -> tuple[int, ...]:
    """A tuple of ints from an int, a list of ints or a build-time constant tensor."""
    known = constant_value(value)
    if known is None or (np.size(known) and np.asarray(known).dtype.kind not in "iu"):
        raise ValueError(f"{what} must be integers known when the graph is built, "
                         f"got {value!r}")
    return tuple(int(v) for v in np.reshape(known, -1))


def _static_scalar(t: Tensor) -> int | None:
    """The value of a scalar int tensor if it is known at build time (``tf.shape(x)[0]``
    with a static first dimension counts), else None."""
    value = constant_value(t)
    if value is not None:
        return int(value)
    op = t.op
    if (op.type == "StridedSlice" and op.get_attr("shrink_axis_mask") == 1
            and op.inputs[0].shape.ndims == 1 and not op.get_attr("ellipsis_mask")
            and not op.get_attr("new_axis_mask")):
        values, index = _static_values(op.inputs[0]), constant_value(op.inputs[1])
        if values is not None and index is not None and -len(values) <= index[0] < len(values):
            return values[int(index[0])]
    return None


def _static_values(t: Tensor) -> list | None:
    """Elements of a 1-D int tensor known at build time (None for unknown elements);
    None when even its length is unknown."""
    value = constant_value(t)
    if value is not None:
        return [int(v) for v in np.reshape(value, -1)]
    op = t.op
    if op.type == "Shape":
        dims = op.inputs[0].shape
        return None if dims.ndims is None else dims.as_list()
    if op.type == "Pack" and op.get_attr("axis") == 0 and all(
            i.shape.ndims == 0 for i in op.inputs):
        return [_static_scalar(i) for i in op.inputs]
    if op.type == "ConcatV2":
        parts = [_static_values(i) for i in op.inputs]
        if all(p is not None for p in parts):
            return [v for p in parts for v in p]
    if t.shape.ndims == 1 and t.shape[0] is not None:
        return [None] * t.shape[0]
    return None


def static_shape(t: Tensor) -> TensorShape:
    """The shape a 1-D int tensor describes, as far as it is known at build time."""
    return TensorShape(_static_values(t))


def _static_matrix(t: Tensor) -> np.ndarray | None:
    value = constant_value(t)
    return None if value is None else np.asarray(value, dtype=np.int64)


def _shape_tensor(x: Tensor, dtype: dtypes.DType = dtypes.int32) -> Tensor:
    """``x``'s shape as a 1-D int tensor of ``dtype``: a constant when statically known."""
    if dtype == dtypes.int32:
        return shape_of(x)
    if x.shape.is_fully_defined():
        return constant(np.array(x.shape.as_list(), dtype=dtype.dtype), name="shape")
    return shape(x, out_type=dtype)


def _dim_size(x: Tensor, axis: int) -> int | Tensor:
    """The size of ``x`` along ``axis``: an int when static, else a scalar tensor."""
    if x.shape.ndims is not None and x.shape[axis] is not None:
        return x.shape[axis]
    return slice_helper(shape(x), axis)


def _has_tensor(values: Any) -> bool:
    """True if ``values`` is, or is a (nested) list holding, a tensor or Variable."""
    if isinstance(values, (list, tuple)):
        return any(_has_tensor(v) for v in values)
    return is_tensor_like(values)


def _fill_missing(values: Sequence[Tensor | None], like: Sequence[Tensor]) -> list[Tensor]:
    """Replaces None gradients or tangents by zeros shaped like the matching tensor."""
    return [v if v is not None else zeros_like(t) for v, t in zip(values, like)]


def _linear_jvp(index: int = 0, **overrides: Any) -> Callable:
    """The JVP of an op that is linear in input ``index`` (its other inputs are indices or
    shapes): the same op applied to that input's tangent (attrs updated by ``overrides``)."""
    def jvp(op: Operation, *tangents: Tensor | None) -> list:
        tangent = tangents[index]
        if tangent is None:
            return [None] * len(op.outputs)
        inputs = list(op.inputs)
        inputs[index] = tangent
        attrs = op.attrs
        attrs.update(overrides)
        return list(apply_op(op.type, inputs, attrs).outputs)
    return jvp


def _reshape_back_vjp(op: Operation, grad: Tensor) -> list:
    """VJP of ops that only rearrange dims without moving data: reshape back."""
    x = op.inputs[0]
    return [reshape(grad, _shape_tensor(x))] + [None] * (len(op.inputs) - 1)


def _no_tangent_jvp(op: Operation, *unused: Tensor | None) -> list:
    return [None] * len(op.outputs)


def _merge_shapes(shapes: Sequence[TensorShape], what: str) -> TensorShape:
    merged = TensorShape(None)
    for s in shapes:
        try:
            merged = merged.merge_with(s)
        except ValueError:
            raise ValueError(f"{what} must have compatible shapes, got "
                             f"{', '.join(str(x) for x in shapes)}") from None
    return merged


# ----------------------------------------------------------------------------------------
# Shape, Size, Rank
# ----------------------------------------------------------------------------------------


def _shape_kernel(x: np.ndarray, *, out_type: dtypes.DType) -> np.ndarray:
    return np.array(np.shape(x), dtype=out_type.dtype)


def _shape_shape(inputs: list, attrs: dict) -> list:
    rank_ = inputs[0].shape.ndims
    return [(TensorShape([rank_]), attrs["out_type"])]


define_op("Shape", kernel=_shape_kernel, shape_fn=_shape_shape, non_differentiable=(0,),
          doc="The runtime shape of its input as a 1-D int tensor.")


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
          doc="The number of elements of its input.")
define_op("Rank", kernel=_rank_kernel, non_differentiable=(0,),
          shape_fn=lambda inputs, attrs: [(TensorShape([]), dtypes.int32)],
          doc="The number of dimensions of its input.")


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


def _reshape_inline(attrs: dict, constants: list, shapes: list) -> str | None:
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
          doc="Its input with a new shape (one dimension may be -1, inferred).")


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
          jvp=_linear_jvp(), doc="Removes dimensions of size 1.")


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
          vjp=_reshape_back_vjp, jvp=_linear_jvp(), doc="Inserts a dimension of size 1.")


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
          vjp=_transpose_vjp, jvp=_linear_jvp(), doc="Permutes dimensions.")


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
          jvp=_linear_jvp(), doc="Reverses the order of elements along some axes.")


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
          doc="The inverse of a permutation vector.")


def invert_permutation(x: Any, name: str | None = None) -> Tensor:
    """``tf.invert_permutation``: y with y[x[i]] = i."""
    return _apply("InvertPermutation", [as_index_tensor(x)], name=name)


# ----------------------------------------------------------------------------------------
# ConcatV2, Pack, Unpack, Split, SplitV
# ----------------------------------------------------------------------------------------


def _concat_kernel(*values: np.ndarray, axis: int) -> np.ndarray:
    return np.concatenate(values, axis=axis)


def _concat_shape(inputs: list, attrs: dict) -> list:
    dt = check_same_dtype(inputs)
    ranks = {t.shape.ndims for t in inputs if t.shape.ndims is not None}
    if not ranks:
        return [(TensorShape(None), dt)]
    shapes = ", ".join(str(t.shape) for t in inputs)
    if len(ranks) > 1:
        raise ValueError(f"all inputs must have the same rank, got shapes {shapes}")
    rank_ = ranks.pop()
    if rank_ == 0:
        raise ValueError("cannot concatenate scalars (use tf.stack instead)")
    axis = normalize_axis(attrs["axis"], rank_, "concat axis")
    rows = [t.shape.as_list() if t.shape.ndims is not None else [None] * rank_ for t in inputs]
    out = []
    for i in _pyrange(rank_):
        column = [r[i] for r in rows]
        if i == axis:
            out.append(None if None in column else sum(column))
            continue
        known = {d for d in column if d is not None}
        if len(known) > 1:
            raise ValueError(f"dimension {i} of the inputs must match, got shapes {shapes}")
        out.append(known.pop() if known else None)
    return [(TensorShape(out), dt)]


def _concat_vjp(op: Operation, grad: Tensor) -> list:
    axis = op.get_attr("axis")
    return split(grad, [_dim_size(x, axis) for x in op.inputs], axis=axis)


def _concat_jvp(op: Operation, *tangents: Tensor | None) -> list:
    if all(t is None for t in tangents):
        return [None]
    return [concat(_fill_missing(tangents, op.inputs), op.get_attr("axis"))]


define_op("ConcatV2", kernel=_concat_kernel, shape_fn=_concat_shape, vjp=_concat_vjp,
          jvp=_concat_jvp, doc="Joins tensors along an existing axis.")


def concat(values: Any, axis: Any, name: str = "concat") -> Tensor:
    """``tf.concat``: joins ``values`` along dimension ``axis``."""
    if not isinstance(values, (list, tuple)):
        values = [values]
    axis = const_int(axis, "concat axis")
    if len(values) == 1:
        return identity(values[0], name=name)
    return _apply("ConcatV2", convert_n(values, "ConcatV2"), {"axis": axis}, name)


def _pack_kernel(*values: np.ndarray, axis: int) -> np.ndarray:
    return np.stack(values, axis=axis)


def _pack_shape(inputs: list, attrs: dict) -> list:
    dt = check_same_dtype(inputs)
    merged = _merge_shapes([t.shape for t in inputs], "stacked values")
    if merged.ndims is None:
        return [(TensorShape(None), dt)]
    dims = merged.as_list()
    axis = normalize_axis(attrs["axis"], len(dims) + 1, "stack axis")
    return [(TensorShape(dims[:axis] + [len(inputs)] + dims[axis:]), dt)]


def _pack_vjp(op: Operation, grad: Tensor) -> list:
    return unstack(grad, num=len(op.inputs), axis=op.get_attr("axis"))


def _pack_jvp(op: Operation, *tangents: Tensor | None) -> list:
    if all(t is None for t in tangents):
        return [None]
    return [stack(_fill_missing(tangents, op.inputs), axis=op.get_attr("axis"))]


define_op("Pack", kernel=_pack_kernel, shape_fn=_pack_shape, vjp=_pack_vjp, jvp=_pack_jvp,
          doc="Stacks same-shaped tensors along a new axis.")


def stack(values: Sequence[Any], axis: int = 0, name: str = "stack") -> Tensor:
    """``tf.stack``: packs same-shaped tensors along a new dimension ``axis``."""
    values = list(values)
    if axis == 0 and not _has_tensor(values):
        return constant(values, name=name)  # a list of numbers is just a constant (TF1)
    return _apply("Pack", convert_n(values, "Pack"), {"axis": int(axis)}, name)


def _unpack_kernel(value: np.ndarray, *, num: int, axis: int) -> Any:
    if value.shape[axis] != num:
        raise ValueError(f"cannot unstack {value.shape[axis]} values along axis {axis} into "
                         f"{num} tensors")
    return _outputs(list(np.moveaxis(value, axis, 0)))


def _unpack_shape(inputs: list, attrs: dict) -> list:
    x, num = inputs[0], attrs["num"]
    if x.shape.ndims is None:
        return [(TensorShape(None), x.dtype)] * num
    dims = x.shape.as_list()
    axis = normalize_axis(attrs["axis"], len(dims), "unstack axis")
    if dims[axis] is not None and dims[axis] != num:
        raise ValueError(f"cannot unstack dimension {axis} of size {dims[axis]} into {num} "
                         f"tensors (shape {x.shape})")
    return [(TensorShape(dims[:axis] + dims[axis + 1:]), x.dtype)] * num


def _unpack_vjp(op: Operation, *grads: Tensor) -> list:
    return [stack(_fill_missing(grads, op.outputs), axis=op.get_attr("axis"))]


define_op("Unpack", kernel=_unpack_kernel, shape_fn=_unpack_shape, vjp=_unpack_vjp,
          jvp=_linear_jvp(), doc="Splits a tensor into its slices along an axis.")


def unstack(value: Any, num: int | None = None, axis: int = 0,
            name: str = "unstack") -> list[Tensor]:
    """``tf.unstack``: the list of slices of ``value`` along ``axis``."""
    x = convert_to_tensor(value)
    if num is None:
        if x.shape.ndims is None:
            raise ValueError(f"Cannot infer num from shape {x.shape}")
        num = x.shape[normalize_axis(axis, x.shape.ndims, "unstack axis")]
        if num is None:
            raise ValueError(f"Cannot infer num from shape {x.shape}")
    return list(apply_op("Unpack", [x], {"num": int(num), "axis": int(axis)},
                         name=name).outputs)


def _split_kernel(value: np.ndarray, *, num_split: int, axis: int) -> Any:
    return _outputs(np.split(value, num_split, axis=axis))


def _split_sizes(sizes: Sequence[int], total: int) -> list[int]:
    """Resolves one -1 in split sizes against the total; ``ValueError`` if they don't add up."""
    sizes = [int(s) for s in sizes]
    if sizes.count(-1) > 1 or any(s < -1 for s in sizes):
        raise ValueError(f"invalid size_splits {sizes}: sizes must be >= 0 with at most one -1")
    if -1 in sizes:
        sizes[sizes.index(-1)] = total - (sum(sizes) + 1)
    if sum(sizes) != total or min(sizes, default=0) < 0:
        raise ValueError(f"size_splits {sizes} must sum to the dimension size {total}")
    return sizes


def _split_v_kernel(value: np.ndarray, size_splits: np.ndarray, *, num_split: int,
                    axis: int) -> Any:
    sizes = _split_sizes(size_splits.tolist(), value.shape[axis])
    return _outputs(np.split(value, np.cumsum(sizes)[:-1], axis=axis))


def _split_dims(x: TensorShape, attrs: dict) -> tuple[list, int] | None:
    if x.ndims is None:
        return None
    dims = x.as_list()
    return dims, normalize_axis(attrs["axis"], len(dims), "split axis")


def _split_shape(inputs: list, attrs: dict) -> list:
    x, num = inputs[0], attrs["num_split"]
    found = _split_dims(x.shape, attrs)
    if found is None:
        return [(TensorShape(None), x.dtype)] * num
    dims, axis = found
    if num <= 0:
        raise ValueError(f"num_split must be positive, got {num}")
    if dims[axis] is not None:
        if dims[axis] % num:
            raise ValueError(f"Dimension {axis} of size {dims[axis]} must be evenly "
                             f"divisible by {num} (shape {x.shape})")
        dims[axis] //= num
    return [(TensorShape(dims), x.dtype)] * num


def _split_v_shape(inputs: list, attrs: dict) -> list:
    x, sizes_t = inputs
    _check_vector(sizes_t, "size_splits")
    num = attrs["num_split"]
    found = _split_dims(x.shape, attrs)
    if found is None:
        return [(TensorShape(None), x.dtype)] * num
    dims, axis = found
    sizes = _static_values(sizes_t) or [None] * num
    if len(sizes) != num:
        raise ValueError(f"size_splits has {len(sizes)} entries, expected {num}")
    if dims[axis] is not None and None not in sizes:
        sizes = _split_sizes(sizes, dims[axis])
    return [(TensorShape(dims[:axis] + [None if s == -1 else s] + dims[axis + 1:]), x.dtype)
            for s in sizes]


def _split_vjp(op: Operation, *grads: Tensor) -> list:
    joined = concat(_fill_missing(grads, op.outputs), op.get_attr("axis"))
    return [joined] + [None] * (len(op.inputs) - 1)


define_op("Split", kernel=_split_kernel, shape_fn=_split_shape, vjp=_split_vjp,
          jvp=_linear_jvp(), doc="Splits a tensor into equal parts along an axis.")
define_op("SplitV", kernel=_split_v_kernel, shape_fn=_split_v_shape, vjp=_split_vjp,
          jvp=_linear_jvp(), non_differentiable=(1,),
          doc="Splits a tensor into parts of given sizes along an axis.")


def split(value: Any, num_or_size_splits: Any, axis: Any = 0, num: int | None = None,
          name: str = "split") -> list[Tensor]:
    """``tf.split``: ``num_or_size_splits`` equal parts (an int) or parts of given sizes."""
    x = convert_to_tensor(value)
    axis = const_int(axis, "split axis")
    splits = num_or_size_splits
    if isinstance(splits, (numbers.Integral, np.integer)) or (
            isinstance(splits, Tensor) and splits.shape.ndims == 0):
        count = const_int(splits, "num_or_size_splits")
        return list(apply_op("Split", [x], {"num_split": count, "axis": axis},
                             name=name).outputs)
    sizes = as_index_tensor(splits, "size_splits")
    if num is None:
        num = sizes.shape[0] if sizes.shape.ndims == 1 else None
        if num is None:
            raise ValueError(f"Cannot infer num from shape {sizes.shape}")
    return list(apply_op("SplitV", [x, sizes], {"num_split": int(num), "axis": axis},
                         name=name).outputs)


# ----------------------------------------------------------------------------------------
# Tile
# ----------------------------------------------------------------------------------------


def _tile_kernel(input: np.ndarray, multiples: np.ndarray) -> np.ndarray:
    if multiples.shape != (input.ndim,):
        raise ValueError(f"multiples {multiples.tolist()} must have one entry per dimension "
                         f"of the input of shape {input.shape}")
    return np.tile(input, tuple(int(m) for m in multiples))


def _tile_shape(inputs: list, attrs: dict) -> list:
    x, multiples = inputs
    if multiples.dtype != dtypes.int32:
        raise TypeError(f"multiples must be int32, got {multiples.dtype.name}")
    values = _static_values(multiples)
    if values is None:
        return [(TensorShape(None) if x.shape.ndims is None
                 else TensorShape([None] * x.shape.ndims), x.dtype)]
    if x.shape.ndims is None:
        return [(TensorShape([None] * len(values)), x.dtype)]
    if len(values) != x.shape.ndims:
        raise ValueError(f"multiples {values} must have one entry per dimension of shape "
                         f"{x.shape}")
    return [(TensorShape([None if d is None or m is None else d * m
                          for d, m in zip(x.shape.as_list(), values)]), x.dtype)]


def _interleave(a: Tensor, b: Tensor) -> Tensor:
    """[a0, b0, a1, b1, ...] from two int vectors of one length (a constant if both are)."""
    va, vb = constant_value(a), constant_value(b)
    if va is not None and vb is not None:
        return constant(np.stack([va, vb], axis=1).reshape(-1).astype(a.dtype.dtype))
    return reshape(stack([a, b], axis=1), [-1])


def _tile_vjp(op: Operation, grad: Tensor) -> list:
    # Split each tiled dimension into (multiple, size) and sum over the multiples.
    x, multiples = op.inputs
    dims = _shape_tensor(x)
    split_shape = _interleave(multiples, dims)
    kept_shape = _interleave(ones_like(multiples), dims)
    return [reshape(sum_to_shape(reshape(grad, split_shape), kept_shape), dims), None]


define_op("Tile", kernel=_tile_kernel, shape_fn=_tile_shape, vjp=_tile_vjp,
          jvp=_linear_jvp(), non_differentiable=(1,),
          doc="Repeats a tensor ``multiples[i]`` times along each dimension i.")


def tile(input: Any, multiples: Any, name: str | None = None) -> Tensor:
    """``tf.tile``: ``input`` repeated ``multiples[i]`` times along dimension i."""
    return _apply("Tile", [convert_to_tensor(input), as_index_tensor(multiples, "multiples")],
                  name=name)


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
            n = paddings.shape[0] if paddings.shape.ndims == 2 else None
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
          doc="Pads with a constant value.")
define_op("MirrorPad", kernel=_mirror_pad_kernel, shape_fn=_padded_shape(1),
          vjp=_mirror_vjp("MirrorPadGrad"), jvp=_linear_jvp(), non_differentiable=(1,),
          doc="Pads by mirroring the input (REFLECT or SYMMETRIC).")
define_op("MirrorPadGrad", kernel=_mirror_pad_grad_kernel, shape_fn=_padded_shape(-1),
          vjp=_mirror_vjp("MirrorPad"), jvp=_linear_jvp(), non_differentiable=(1,),
          doc="The gradient of MirrorPad: folds the padded borders back in.")


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
          doc="A contiguous block: ``size[i]`` elements from ``begin[i]`` (-1: to the end).")


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
              "shrink masks.")
define_op("StridedSliceGrad", kernel=_strided_slice_grad_kernel,
          shape_fn=_strided_slice_grad_shape, vjp=_strided_slice_grad_vjp,
          jvp=_linear_jvp(4), non_differentiable=(0, 1, 2, 3),
          doc="The gradient of StridedSlice: dy scattered into zeros of the input shape.")


def strided_slice(input_: Any, begin: Any, end: Any, strides: Any = None,
                  begin_mask: int = 0, end_mask: int = 0, ellipsis_mask: int = 0,
                  new_axis_mask: int = 0, shrink_axis_mask: int = 0, var: Any = None,
                  name: str | None = None) -> Tensor:
    """``tf.strided_slice``: ``input_[begin:end:strides]`` per dimension, with TF1 masks."""
    begin_t, end_t = as_index_tensor(begin, "begin"), as_index_tensor(end, "end")
    if strides is None:
        if begin_t.shape.ndims != 1 or begin_t.shape[0] is None:
            raise ValueError("strides are needed when the length of begin is unknown")
        strides = np.ones(begin_t.shape[0], dtype=begin_t.dtype.dtype)
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
    params, indices = op.inputs
    return [scatter_add_to_shape(grad, indices, _shape_tensor(params), op.get_attr("axis")),
            None]


define_op("GatherV2", kernel=_gather_kernel, shape_fn=_gather_shape, vjp=_gather_vjp,
          jvp=_linear_jvp(), non_differentiable=(1,),
          doc="Slices of params at the given indices along an axis.")


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
              "accumulate): the adjoint of GatherV2.")


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
    if params.shape.ndims is None or indices.shape.ndims is None or indices.shape[-1] is None:
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
          doc="Slices of params at multi-dimensional indices.")
define_op("ScatterNd", kernel=_scatter_nd_kernel, shape_fn=_scatter_shape(1, 0),
          vjp=_scatter_nd_vjp, jvp=_linear_jvp(1), non_differentiable=(0, 2),
          doc="Zeros of a shape with updates added at multi-dimensional indices.")


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
          doc="One-hot vectors: on_value at each index, off_value elsewhere.")


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


# ----------------------------------------------------------------------------------------
# Fill, zeros, ones, ZerosLike
# ----------------------------------------------------------------------------------------


def _fill_kernel(dims: np.ndarray, value: np.ndarray) -> np.ndarray:
    return np.full(tuple(int(d) for d in dims), value)


def _fill_shape(inputs: list, attrs: dict) -> list:
    dims, value = inputs
    _check_vector(dims, "dims")
    if value.shape.ndims not in (None, 0):
        raise ValueError(f"value must be a scalar, got shape {value.shape}")
    return [(static_shape(dims), value.dtype)]


def _fill_vjp(op: Operation, grad: Tensor) -> list:
    return [None, sum_to_shape(grad, shape_of(op.inputs[1]))]


define_op("Fill", kernel=_fill_kernel, shape_fn=_fill_shape, vjp=_fill_vjp,
          jvp=_linear_jvp(1), non_differentiable=(0,),
          doc="A tensor of shape dims filled with a scalar value.")


def fill(dims: Any, value: Any, name: str | None = None) -> Tensor:
    """``tf.fill``: a tensor of shape ``dims`` with every element ``value``."""
    return _apply("Fill", [as_index_tensor(dims, "dims"), convert_to_tensor(value)], name=name)


# TF1 embeds small all-zero/all-one tensors as constants; larger ones use a Fill op.
_SMALL_CONSTANT = 1000


def _filled(value: int, shape: Any, dtype: Any, name: str | None, default: str) -> Tensor:
    dtype = dtypes.as_dtype(dtype)
    fill_value = bool(value) if dtype.is_bool else value
    with op_scope(name, default) as scope:
        known = _known_shape(shape)
        if known is not None and int(np.prod(known)) < _SMALL_CONSTANT:
            return constant(np.full(known, fill_value, dtype=dtype.dtype), name=scope)
        dims = as_index_tensor(shape, "shape")
        if dims.shape.ndims == 0:
            dims = reshape(dims, [-1])
        return fill(dims, constant(fill_value, dtype=dtype), name=scope)


def _known_shape(shape: Any) -> list[int] | None:
    """``shape`` (an int, list or TensorShape) as a list of ints, or None if it holds
    tensors or unknown dimensions."""
    if isinstance(shape, TensorShape):
        return shape.as_list() if shape.is_fully_defined() else None
    if _has_tensor(shape):
        return None
    return [int(d) for d in np.reshape(np.asarray(shape, dtype=np.int64), -1)]


def zeros(shape: Any, dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
    """``tf.zeros``: a tensor of ``shape`` (a list or an int tensor) filled with 0."""
    return _filled(0, shape, dtype, name, "zeros")


def ones(shape: Any, dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
    """``tf.ones``: a tensor of ``shape`` (a list or an int tensor) filled with 1."""
    return _filled(1, shape, dtype, name, "ones")


def _zeros_like_kernel(x: np.ndarray) -> np.ndarray:
    return np.zeros_like(x)


define_op("ZerosLike", kernel=_zeros_like_kernel, shape_fn=same_as_first,
          non_differentiable=(0,), doc="Zeros with the shape and dtype of its input.")


def zeros_like(tensor: Any, dtype: Any = None, name: str | None = None,
               optimize: bool = True) -> Tensor:
    """``tf.zeros_like``: zeros shaped like ``tensor`` (of ``dtype``, default its own)."""
    x = convert_to_tensor(tensor)
    dtype = x.dtype if dtype is None else dtypes.as_dtype(dtype)
    with op_scope(name, "zeros_like") as scope:
        if optimize and x.shape.is_fully_defined():
            return zeros(x.shape, dtype=dtype, name=scope)
        if dtype != x.dtype:
            return zeros(shape(x), dtype=dtype, name=scope)
        return _apply("ZerosLike", [x], name=scope)


def ones_like(tensor: Any, dtype: Any = None, name: str | None = None,
              optimize: bool = True) -> Tensor:
    """``tf.ones_like``: ones shaped like ``tensor`` (of ``dtype``, default its own)."""
    x = convert_to_tensor(tensor)
    dtype = x.dtype if dtype is None else dtypes.as_dtype(dtype)
    with op_scope(name, "ones_like") as scope:
        dims = x.shape.as_list() if optimize and x.shape.is_fully_defined() else shape(x)
        result = ones(dims, dtype=dtype, name=scope)
    result.set_shape(x.shape)
    return result


# ----------------------------------------------------------------------------------------
# Range
# ----------------------------------------------------------------------------------------


def _check_range(start: Any, limit: Any, delta: Any) -> None:
    if delta == 0:
        raise ValueError(f"Requires delta != 0: {delta}")
    if delta > 0 and start > limit:
        raise ValueError(f"Requires start <= limit when delta > 0: {start}/{limit}")
    if delta < 0 and start < limit:
        raise ValueError(f"Requires start >= limit when delta < 0: {start}/{limit}")


def _range_kernel(start: np.ndarray, limit: np.ndarray, delta: np.ndarray) -> np.ndarray:
    _check_range(start, limit, delta)
    return np.arange(start, limit, delta, dtype=start.dtype)


def _range_shape(inputs: list, attrs: dict) -> list:
    dt = check_same_dtype(inputs)
    if dt not in (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64):
        raise TypeError(f"range needs int32, int64, float32 or float64 values, got {dt.name}")
    for t in inputs:
        if t.shape.ndims not in (None, 0):
            raise ValueError(f"start, limit and delta must be scalars, got shape {t.shape}")
    values = [constant_value(t) for t in inputs]
    if any(v is None for v in values):
        return [(TensorShape([None]), dt)]
    _check_range(*values)
    return [(TensorShape([len(np.arange(*values))]), dt)]


define_op("Range", kernel=_range_kernel, shape_fn=_range_shape, non_differentiable=(0, 1, 2),
          doc="The sequence start, start + delta, ... up to (not including) limit.")

_RANGE_DTYPES = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]


def range(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None,
          name: str = "range") -> Tensor:
    """``tf.range``: [start, start + delta, ...) below ``limit``; ``tf.range(n)`` counts
    from 0. Without ``dtype`` the widest of the arguments' types is used."""
    if limit is None:
        start, limit = 0, start
    args = [convert_to_tensor(a) if is_tensor_like(a) else a for a in (start, limit, delta)]
    if dtype is None:
        found = [a.dtype if isinstance(a, Tensor) else
                 dtypes.as_dtype(to_numpy_value(a, None, "range").dtype) for a in args]
        dtype = max(found, key=lambda d: _RANGE_DTYPES.index(d) if d in _RANGE_DTYPES else -1)
    dtype = dtypes.as_dtype(dtype)
    tensors = [(cast(a, dtype) if a.dtype != dtype else a) if isinstance(a, Tensor)
               else constant(a, dtype=dtype, name=n)
               for a, n in zip(args, ("start", "limit", "delta"))]
    return _apply("Range", tensors, name=name)


# ----------------------------------------------------------------------------------------
# StopGradient
# ----------------------------------------------------------------------------------------


def _identity_kernel(input: np.ndarray) -> np.ndarray:
    return input


def _stop_gradient_vjp(op: Operation, grad: Tensor) -> list:
    return [None]


define_op("StopGradient", kernel=_identity_kernel, shape_fn=same_as_first,
          vjp=_stop_gradient_vjp, jvp=_no_tangent_jvp,
          doc="Its input, treated as a constant by gradients (no adjoint, no tangent).")


def stop_gradient(input: Any, name: str | None = None) -> Tensor:
    """``tf.stop_gradient``: the same value, but gradients do not flow through it."""
    return _apply("StopGradient", [convert_to_tensor(input)], name=name)


# ----------------------------------------------------------------------------------------
# Where (indices), Select, SelectV2
# ----------------------------------------------------------------------------------------


def _where_kernel(condition: np.ndarray) -> np.ndarray:
    return np.argwhere(condition).astype(np.int64)


def _where_shape(inputs: list, attrs: dict) -> list:
    return [(TensorShape([None, inputs[0].shape.ndims]), dtypes.int64)]


define_op("Where", kernel=_where_kernel, shape_fn=_where_shape, non_differentiable=(0,),
          doc="The coordinates of the true (non-zero) elements, one row each.")


def _select_kernel(condition: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if condition.ndim == 1 and x.ndim > 1:
        if condition.shape[0] != x.shape[0]:
            raise ValueError(f"condition of shape {condition.shape} must match the first "
                             f"dimension of x, of shape {x.shape}")
        condition = condition.reshape(condition.shape + (1,) * (x.ndim - 1))
    elif condition.ndim and condition.shape != x.shape:
        raise ValueError(f"condition of shape {condition.shape} must have the shape of x, "
                         f"{x.shape}, or be a vector of its first dimension")
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
    return np.where(condition, x, y)


def _check_condition(condition: Tensor) -> None:
    if not condition.dtype.is_bool:
        raise TypeError(f"condition must be bool, got {condition.dtype.name}")


def _select_shape(inputs: list, attrs: dict) -> list:
    condition, x, y = inputs
    _check_condition(condition)
    dt = check_same_dtype([x, y])
    try:
        out = x.shape.merge_with(y.shape)
    except ValueError:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and "
                         f"{y.shape}") from None
    c, n = condition.shape.ndims, out.ndims
    if c is None or n is None or c == 0:
        return [(out, dt)]
    if c == 1 and n > 1:
        if not TensorShape(out[:1]).is_compatible_with(condition.shape):
            raise ValueError(f"condition of shape {condition.shape} must match the first "
                             f"dimension of x and y, of shape {out}")
        return [(out.merge_with(condition.shape.concatenate(out[1:])), dt)]
    if not condition.shape.is_compatible_with(out):
        raise ValueError(f"condition of shape {condition.shape} must have the shape of x "
                         f"and y, {out}, or be a vector of their first dimension")
    return [(out.merge_with(condition.shape), dt)]


def _select_v2_shape(inputs: list, attrs: dict) -> list:
    condition, x, y = inputs
    _check_condition(condition)
    dt = check_same_dtype([x, y])
    return [(broadcast_all([condition.shape, x.shape, y.shape]), dt)]


def _selected(op: Operation, chosen: Tensor, other: Tensor, first: bool) -> Tensor:
    """``chosen`` where the condition is true (false if not ``first``), ``other`` elsewhere."""
    a, b = (chosen, other) if first else (other, chosen)
    return _apply(op.type, [op.inputs[0], a, b])


def _select_vjp(op: Operation, grad: Tensor) -> list:
    condition, x, y = op.inputs
    zero = zeros_like(grad)
    gx, gy = _selected(op, grad, zero, True), _selected(op, grad, zero, False)
    if op.type == "SelectV2":
        gx, gy = unbroadcast(gx, x, condition, y), unbroadcast(gy, y, condition, x)
    return [None, gx, gy]


def _select_jvp(op: Operation, _: Any, tx: Tensor | None, ty: Tensor | None) -> list:
    if tx is None and ty is None:
        return [None]
    tx, ty = _fill_missing([tx, ty], op.inputs[1:])
    return [_apply(op.type, [op.inputs[0], tx, ty])]


define_op("Select", kernel=_select_kernel, shape_fn=_select_shape, vjp=_select_vjp,
          jvp=_select_jvp, non_differentiable=(0,),
          doc="x where condition, else y (condition: same shape, a scalar, or a vector "
              "over the first dimension).")
define_op("SelectV2", kernel=np.where, shape_fn=_select_v2_shape, vjp=_select_vjp,
          jvp=_select_jvp, non_differentiable=(0,),
          doc="x where condition, else y, all three broadcast together.")


def _where(op_type: str, condition: Any, x: Any, y: Any, name: str | None) -> Tensor:
    condition = convert_to_tensor(condition)
    if x is None and y is None:
        return _apply("Where", [condition], name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    tx, ty = convert_n([x, y], op_type)
    return _apply(op_type, [condition, tx, ty], name=name)


def where(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """``tf.where``: with x and y, x where ``condition`` else y (op "Select"; condition has
    their shape or is a vector over the first dimension); alone, the int64 coordinates of
    the true elements, shaped [N, rank]."""
    return _where("Select", condition, x, y, name)


def where_v2(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """``tf.where_v2``: like :func:`where`, but condition, x and y broadcast together."""
    return _where("SelectV2", condition, x, y, name)


# ----------------------------------------------------------------------------------------
# Compositions: boolean_mask, sequence_mask
# ----------------------------------------------------------------------------------------


def boolean_mask(tensor: Any, mask: Any, name: str = "boolean_mask",
                 axis: int | None = None) -> Tensor:
    """``tf.boolean_mask``: the slices of ``tensor`` where ``mask`` (covering dimensions
    ``axis`` to ``axis + mask rank``) is true, flattened into one dimension."""
    with op_scope(name, "boolean_mask"):
        x, mask = convert_to_tensor(tensor), convert_to_tensor(mask)
        mask_rank = mask.shape.ndims
        if mask_rank is None:
            raise ValueError("Number of mask dimensions must be specified, even if some "
                             "dimensions are None.  E.g. shape=[None] is ok, but shape=None "
                             "is not.")
        if mask_rank == 0:
            raise ValueError("mask cannot be scalar.")
        if x.shape.ndims is None:
            raise ValueError("boolean_mask needs a tensor of known rank")
        axis = 0 if axis is None else axis
        masked = x.shape[axis:axis + mask_rank]
        if not masked.is_compatible_with(mask.shape):
            raise ValueError(f"Shapes {masked} and {mask.shape} are incompatible")
        dims = [_dim_size(x, i) for i in _pyrange(x.shape.ndims)]
        x = reshape(x, dims[:axis] + [-1] + dims[axis + mask_rank:])
        indices = squeeze(where(reshape(mask, [-1])), axis=[1])
        return gather(x, indices, axis=axis)


def sequence_mask(lengths: Any, maxlen: Any = None, dtype: Any = dtypes.bool_,
                  name: str | None = None) -> Tensor:
    """``tf.sequence_mask``: ``mask[..., j] = j < lengths[...]`` up to ``maxlen`` (default
    the largest length)."""
    from .math_ops import cast, less  # comparisons and casts live with the math ops
    from .reduce_ops import reduce_max
    with op_scope(name, "SequenceMask"):
        lengths = convert_to_tensor(lengths)
        if maxlen is None:
            maxlen = reduce_max(lengths)
        maxlen = convert_to_tensor(maxlen, dtype=lengths.dtype) if not is_tensor_like(
            maxlen) else convert_to_tensor(maxlen)
        positions = range(0, maxlen, 1, dtype=maxlen.dtype)
        result = less(positions, expand_dims(cast(lengths, maxlen.dtype), -1))
        dtype = dtypes.as_dtype(dtype)
        return result if dtype.is_bool else cast(result, dtype)
