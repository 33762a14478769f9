"""``tf.sets`` (set operations along the last dimension), ``tf.edit_distance`` and
``tf.sparse.cross``.

Both read a tensor as a batch of rows: a dense ``[..., n]`` tensor's row holds its ``n``
elements; a SparseTensor's row holds the entries whose indices agree on all but the last
coordinate (ordered by that coordinate). Set results are SparseTensors whose last
dimension is the largest result set, each row's values sorted ascending, as TF1's.
None is differentiable (integer or string values; counts), as in TF1.
"""
from __future__ import annotations

from typing import Any

import itertools

import numpy as np

from ..core import dtypes
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .fill_ops import ones_like
from .framework import convert_to_tensor
from .gather_ops import gather_nd
from .selection_ops import where
from .shape_ops import shape as tf_shape
from .sparse_index_ops import check_in_bounds, run_index_op
from .sparse_tensor import SparseTensor, SparseTensorValue, as_sparse

__all__ = ["edit_distance"]  # tf.sets and tf.sparse.cross come from their namespaces

I64 = dtypes.int64
_SET_DTYPES = (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8,
               dtypes.uint16, dtypes.string)
_OPERATIONS = ("a-b", "b-a", "intersection", "union")


def _rows(indices: np.ndarray, values: np.ndarray, shape: np.ndarray, op_type: str
          ) -> dict[tuple, list]:
    """Each row's values (ordered by the last coordinate), keyed by the row's index."""
    check_in_bounds(indices, shape, op_type)
    if len(shape) < 1:
        raise ValueError(f"{op_type}: inputs must have rank >= 1, got shape {shape.tolist()}")
    rows: dict[tuple, list] = {}
    for k in np.lexsort(indices.T[::-1]) if indices.shape[1] else range(len(indices)):
        rows.setdefault(tuple(indices[k, :-1].tolist()), []).append(values[k])
    return rows


def _set_kernel(a_indices: np.ndarray, a_values: np.ndarray, a_shape: np.ndarray,
                b_indices: np.ndarray, b_values: np.ndarray, b_shape: np.ndarray, *,
                set_operation: str) -> tuple:
    if not np.array_equal(a_shape[:-1], b_shape[:-1]):
        raise ValueError(f"SetOperation: the batch dimensions of a {a_shape.tolist()} and b "
                         f"{b_shape.tolist()} (all but the last) must agree")
    a = _rows(a_indices, a_values, a_shape, "SetOperation")
    b = _rows(b_indices, b_values, b_shape, "SetOperation")
    combine = {"a-b": lambda x, y: x - y, "b-a": lambda x, y: y - x,
               "intersection": lambda x, y: x & y, "union": lambda x, y: x | y}[set_operation]
    out_indices, out_values, width = [], [], 0
    for row in sorted(set(a) | set(b)):
        members = sorted(combine(set(a.get(row, [])), set(b.get(row, []))))
        width = max(width, len(members))
        out_indices.extend([*row, k] for k in range(len(members)))
        out_values.extend(members)
    rank = len(a_shape)
    return (np.array(out_indices, np.int64).reshape(-1, rank),
            np.array(out_values, dtype=a_values.dtype),
            np.array([*a_shape[:-1], width], np.int64))


def _set_shape(inputs: list, attrs: dict) -> list:
    if attrs["set_operation"] not in _OPERATIONS:
        raise ValueError(f"set_operation must be one of {_OPERATIONS}, got "
                         f"{attrs['set_operation']!r}")
    a_values, b_values = inputs[1], inputs[4]
    for what, t in (("a", a_values), ("b", b_values)):
        if t.dtype not in _SET_DTYPES:
            raise TypeError(f"{what} must hold integers or strings, got {t.dtype.name}")
    if a_values.dtype != b_values.dtype:
        raise TypeError(f"a ({a_values.dtype.name}) and b ({b_values.dtype.name}) must have "
                        f"one dtype")
    rank = inputs[2].shape.as_tuple()[0] if inputs[2].shape.ndims == 1 else None
    return [(TensorShape([None, rank]), I64), (TensorShape([None]), a_values.dtype),
            (TensorShape([rank]), I64)]


define_op("SetOperation", kernel=_set_kernel, shape_fn=_set_shape, view_of={},
          non_differentiable=(0, 1, 2, 3, 4, 5),
          doc="A set operation between the rows (last dimension) of two batches of sets.")


def _as_set_input(value: Any, what: str) -> SparseTensor:
    """A SparseTensor as is; a dense ``[..., n]`` tensor as a SparseTensor of all its
    elements (each row's set holds all ``n``)."""
    if isinstance(value, (SparseTensor, SparseTensorValue)):
        return as_sparse(value, what)
    dense = convert_to_tensor(value)
    if dense.shape.ndims is not None and dense.shape.ndims < 2:
        raise ValueError(f"{what}: a dense input must have rank >= 2, got shape "
                         f"{dense.shape}")
    positions = where(ones_like(dense, dtype=dtypes.bool_))
    return SparseTensor(positions, gather_nd(dense, positions),
                        tf_shape(dense, out_type=I64))


def _set_operation(a: Any, b: Any, operation: str, what: str) -> SparseTensor:
    sa, sb = _as_set_input(a, what), _as_set_input(b, what)
    indices, values, shape = run_index_op(
        "SetOperation", [sa.indices, sa.values, sa.dense_shape, sb.indices, sb.values,
                         sb.dense_shape], {"set_operation": operation}, name=what)
    return SparseTensor(indices, values, shape)


def set_intersection(a: Any, b: Any, validate_indices: bool = True) -> SparseTensor:
    """``tf.sets.intersection``: per row, the values in both ``a`` and ``b``."""
    del validate_indices  # rows are grouped whatever the order of the entries
    return _set_operation(a, b, "intersection", "set_intersection")


def set_union(a: Any, b: Any, validate_indices: bool = True) -> SparseTensor:
    """``tf.sets.union``: per row, the values in ``a`` or ``b``."""
    del validate_indices
    return _set_operation(a, b, "union", "set_union")


def set_difference(a: Any, b: Any, aminusb: bool = True,
                   validate_indices: bool = True) -> SparseTensor:
    """``tf.sets.difference``: per row, ``a - b`` (or ``b - a`` when not ``aminusb``)."""
    del validate_indices
    return _set_operation(a, b, "a-b" if aminusb else "b-a", "set_difference")


def _set_size_kernel(indices: np.ndarray, values: np.ndarray, shape: np.ndarray
                     ) -> np.ndarray:
    out = np.zeros(shape[:-1], np.int32)
    for row, members in _rows(indices, values, shape, "SetSize").items():
        out[row] = len(set(members))
    return out


define_op("SetSize", kernel=_set_size_kernel, view_of={}, non_differentiable=(0, 1, 2),
          shape_fn=lambda inputs, attrs: [(TensorShape(None), dtypes.int32)],
          doc="The number of distinct values in each row of a SparseTensor.")


def set_size(a: Any, validate_indices: bool = True) -> Any:
    """``tf.sets.size``: the number of distinct values in each row (the last dimension)
    of a SparseTensor, int32 of its batch shape."""
    del validate_indices
    sp = as_sparse(a, "set_size")
    out = run_index_op("SetSize", [sp.indices, sp.values, sp.dense_shape],
                       name="set_size")[0]
    if sp.shape.ndims is not None:
        out.set_shape(sp.shape[:-1])
    return out


# ----------------------------------------------------------------------------------------
# EditDistance
# ----------------------------------------------------------------------------------------


def _levenshtein(x: list, y: list) -> int:
    previous = list(range(len(y) + 1))
    for i, xi in enumerate(x, 1):
        current = [i]
        for j, yj in enumerate(y, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (xi != yj)))
        previous = current
    return previous[-1]


def _edit_distance_kernel(h_indices: np.ndarray, h_values: np.ndarray, h_shape: np.ndarray,
                          t_indices: np.ndarray, t_values: np.ndarray, t_shape: np.ndarray,
                          *, normalize: bool) -> np.ndarray:
    if len(h_shape) != len(t_shape):
        raise ValueError(f"EditDistance: hypothesis of shape {h_shape.tolist()} and truth "
                         f"of shape {t_shape.tolist()} must have one rank")
    hyp = _rows(h_indices, h_values, h_shape, "EditDistance")
    truth = _rows(t_indices, t_values, t_shape, "EditDistance")
    out = np.zeros(np.maximum(h_shape[:-1], t_shape[:-1]), np.float32)
    for row in set(hyp) | set(truth):
        h, t = hyp.get(row, []), truth.get(row, [])
        distance = float(_levenshtein(h, t))
        if normalize:
            distance = distance / len(t) if t else (np.inf if h else 0.0)
        out[row] = distance
    return out


def _edit_distance_shape(inputs: list, attrs: dict) -> list:
    if inputs[1].dtype != inputs[4].dtype:
        raise TypeError(f"hypothesis ({inputs[1].dtype.name}) and truth "
                        f"({inputs[4].dtype.name}) must have one dtype")
    rank = inputs[2].shape.as_tuple()[0] if inputs[2].shape.ndims == 1 else None
    return [(TensorShape(None if rank is None else [None] * (rank - 1)), dtypes.float32)]


define_op("EditDistance", kernel=_edit_distance_kernel, shape_fn=_edit_distance_shape,
          view_of={}, non_differentiable=(0, 1, 2, 3, 4, 5),
          doc="Levenshtein distances between the rows of two SparseTensors.")


def edit_distance(hypothesis: Any, truth: Any, normalize: bool = True,
                  name: str = "edit_distance") -> Any:
    """``tf.edit_distance``: the Levenshtein distance between the sequences in each row
    (the last dimension) of two SparseTensors, float32 of their batch shape; with
    ``normalize`` divided by the truth's length (inf for an empty truth against a
    non-empty hypothesis, 0 when both are empty)."""
    h, t = as_sparse(hypothesis, "edit_distance"), as_sparse(truth, "edit_distance")
    return run_index_op("EditDistance", [h.indices, h.values, h.dense_shape, t.indices,
                                         t.values, t.dense_shape],
                        {"normalize": bool(normalize)}, name=name)[0]


# ----------------------------------------------------------------------------------------
# SparseCross
# ----------------------------------------------------------------------------------------


def _as_bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(int(value)).encode()


def _cross_kernel(*parts: np.ndarray) -> tuple:
    n = len(parts) // 3
    features = [_rows(parts[i], parts[n + i], parts[2 * n + i], "SparseCross")
                for i in range(n)]
    batches = {int(p[0]) for p in parts[2 * n:]}
    if len(batches) != 1:
        raise ValueError(f"SparseCross: all inputs must have one batch size, got dense shapes "
                         f"{[p.tolist() for p in parts[2 * n:]]}")
    out_indices, out_values, width = [], [], 0
    for row in range(batches.pop()):
        crossed = [b"_X_".join(map(_as_bytes, combo)) for combo in itertools.product(
            *(f.get((row,), []) for f in features))]
        width = max(width, len(crossed))
        out_indices.extend([row, k] for k in range(len(crossed)))
        out_values.extend(crossed)
    return (np.array(out_indices, np.int64).reshape(-1, 2),
            np.array(out_values, dtype=object),
            np.array([int(parts[2 * n][0]), width], np.int64))


def _cross_shape(inputs: list, attrs: dict) -> list:
    n = len(inputs) // 3
    for t in inputs[n:2 * n]:
        if t.dtype not in (dtypes.int64, dtypes.string):
            raise TypeError(f"inputs must hold int64 or strings, got {t.dtype.name}")
    for t in inputs[2 * n:]:
        if t.shape.ndims == 1 and t.shape.as_tuple()[0] not in (None, 2):
            raise ValueError(f"inputs must be 2-D [batch, features], got rank {t.shape[0]}")
    return [(TensorShape([None, 2]), I64), (TensorShape([None]), dtypes.string),
            (TensorShape([2]), I64)]


define_op("SparseCross", kernel=_cross_kernel, shape_fn=_cross_shape, view_of={},
          doc="The crossed features (joined with '_X_') of each row of 2-D inputs.")


def sparse_cross(inputs: Any, name: str | None = None, separator: Any = None) -> SparseTensor:
    """``tf.sparse.cross``: per row of the 2-D inputs (SparseTensors or dense tensors of
    int64 or strings), every combination of one feature from each input, joined with
    ``"_X_"`` (the first input varying slowest), as a SparseTensor of strings."""
    if separator not in (None, "_X_"):
        raise ValueError(f"sparse.cross: only the separator '_X_' of TF1 is supported, got "
                         f"{separator!r}")
    parts = [_as_set_input(x, "sparse.cross") for x in inputs]
    if not parts:
        raise ValueError("sparse.cross: inputs must not be empty")
    indices, values, shape = run_index_op(
        "SparseCross", [p.indices for p in parts] + [p.values for p in parts]
        + [p.dense_shape for p in parts], name=name or "SparseCross")
    return SparseTensor(indices, values, shape)
