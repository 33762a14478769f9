"""Diagonals and bands of (batches of) matrices: MatrixDiag, MatrixDiagPart, MatrixSetDiag,
MatrixBandPart, and the TF1 functions built from them (``eye``, ``diag``, ``diag_part``,
``trace``, ``matrix_band_part``). All four ops are linear, so each VJP is another of them
and each JVP is the op applied to the tangents."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .fill_ops import zeros_like
from .framework import apply_op, constant, convert_to_tensor
from .op_util import _linear_jvp, as_index_tensor, op_scope
from .reduce_ops import reduce_sum
from .shape_ops import reshape

__all__ = [
    "eye", "diag", "diag_part", "matrix_diag", "matrix_diag_part", "matrix_set_diag",
    "matrix_band_part",
]  # and ``trace``, for tf.linalg (the top-level ``tf.trace`` is staticgraph's tracer)


def _batch_and_matrix(t: Tensor, what: str) -> tuple[list | None, Any, Any]:
    """(batch dims, rows, cols) of a ``[..., M, N]`` tensor; ``ValueError`` for rank < 2."""
    if t.shape.ndims is None:
        return None, None, None
    if t.shape.ndims < 2:
        raise ValueError(f"{what} must have rank >= 2, got shape {t.shape}")
    dims = t.shape.as_list()
    return dims[:-2], dims[-2], dims[-1]


def _shortest(rows: Any, cols: Any) -> Any:
    return None if rows is None or cols is None else min(rows, cols)


# ----------------------------------------------------------------------------------------
# MatrixDiag: [..., K] -> [..., K, K]
# ----------------------------------------------------------------------------------------


def _matrix_diag_kernel(v: np.ndarray) -> np.ndarray:
    k = v.shape[-1]
    out = np.zeros(v.shape + (k,), dtype=v.dtype)
    out[..., np.arange(k), np.arange(k)] = v
    return out


def _matrix_diag_shape(inputs: list, attrs: dict) -> list:
    v = inputs[0]
    if v.shape.ndims is None:
        return [(TensorShape(None), v.dtype)]
    if v.shape.ndims < 1:
        raise ValueError(f"diagonal must have rank >= 1, got shape {v.shape}")
    dims = v.shape.as_list()
    return [(TensorShape(dims + dims[-1:]), v.dtype)]


define_op("MatrixDiag", kernel=_matrix_diag_kernel, shape_fn=_matrix_diag_shape,
          vjp=lambda op, g: [matrix_diag_part(g)], jvp=_linear_jvp(), view_of={},
          fresh=True, doc="Square matrices with the given diagonals, zeros elsewhere.")


def matrix_diag(diagonal: Any, name: str = "diag") -> Tensor:
    """``tf.matrix_diag`` / ``tf.linalg.diag``: ``[..., K]`` to diagonal ``[..., K, K]``."""
    return apply_op("MatrixDiag", [convert_to_tensor(diagonal)], name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# MatrixDiagPart: [..., M, N] -> [..., min(M, N)]
# ----------------------------------------------------------------------------------------


def _matrix_diag_part_kernel(a: np.ndarray) -> np.ndarray:
    return np.diagonal(a, axis1=-2, axis2=-1).copy()


def _matrix_diag_part_shape(inputs: list, attrs: dict) -> list:
    a = inputs[0]
    batch, rows, cols = _batch_and_matrix(a, "input")
    if batch is None:
        return [(TensorShape(None), a.dtype)]
    return [(TensorShape(batch + [_shortest(rows, cols)]), a.dtype)]


def _matrix_diag_part_vjp(op: Operation, g: Tensor) -> list:
    return [matrix_set_diag(zeros_like(op.inputs[0]), g)]


define_op("MatrixDiagPart", kernel=_matrix_diag_part_kernel, shape_fn=_matrix_diag_part_shape,
          vjp=_matrix_diag_part_vjp, jvp=_linear_jvp(), view_of={}, fresh=True,
          doc="The main diagonals of a batch of (possibly rectangular) matrices.")


def matrix_diag_part(input: Any, name: str = "diag_part") -> Tensor:
    """``tf.matrix_diag_part`` / ``tf.linalg.diag_part``: main diagonals, ``[..., min(M, N)]``."""
    return apply_op("MatrixDiagPart", [convert_to_tensor(input)], name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# MatrixSetDiag: input with its main diagonals replaced
# ----------------------------------------------------------------------------------------


def _matrix_set_diag_kernel(a: np.ndarray, diagonal: np.ndarray) -> np.ndarray:
    out = np.array(a, copy=True)
    k = min(a.shape[-2:])
    out[..., np.arange(k), np.arange(k)] = diagonal
    return out


def _matrix_set_diag_shape(inputs: list, attrs: dict) -> list:
    a, diagonal = inputs
    if a.dtype != diagonal.dtype:
        raise TypeError(f"input and diagonal must have one dtype, got {a.dtype.name} and "
                        f"{diagonal.dtype.name}")
    batch, rows, cols = _batch_and_matrix(a, "input")
    if batch is not None:
        expected = TensorShape(batch + [_shortest(rows, cols)])
        if not expected.is_compatible_with(diagonal.shape):
            raise ValueError(f"diagonal must have shape {expected} to fit input of shape "
                             f"{a.shape}, got {diagonal.shape}")
    return [(a.shape, a.dtype)]


def _matrix_set_diag_vjp(op: Operation, g: Tensor) -> list:
    return [matrix_set_diag(g, zeros_like(op.inputs[1])), matrix_diag_part(g)]


def _matrix_set_diag_jvp(op: Operation, ta: Tensor | None, td: Tensor | None) -> list:
    if ta is None and td is None:
        return [None]
    a, diagonal = op.inputs
    return [matrix_set_diag(zeros_like(a) if ta is None else ta,
                            zeros_like(diagonal) if td is None else td)]


define_op("MatrixSetDiag", kernel=_matrix_set_diag_kernel, shape_fn=_matrix_set_diag_shape,
          vjp=_matrix_set_diag_vjp, jvp=_matrix_set_diag_jvp, view_of={}, fresh=True,
          doc="Input matrices with their main diagonals replaced.")


def matrix_set_diag(input: Any, diagonal: Any, name: str = "set_diag") -> Tensor:
    """``tf.matrix_set_diag`` / ``tf.linalg.set_diag``: ``input`` with new main diagonals."""
    a = convert_to_tensor(input)
    return apply_op("MatrixSetDiag", [a, convert_to_tensor(diagonal, dtype=a.dtype)],
                    name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# MatrixBandPart: entries with -num_lower <= col - row <= num_upper (negative: all)
# ----------------------------------------------------------------------------------------


def _band_kernel(a: np.ndarray, num_lower: np.ndarray, num_upper: np.ndarray) -> np.ndarray:
    rows, cols = a.shape[-2:]
    lower, upper = int(num_lower), int(num_upper)
    if lower > rows or upper > cols:
        raise ValueError(f"MatrixBandPart: num_lower ({lower}) must be <= {rows} rows and "
                         f"num_upper ({upper}) <= {cols} columns")
    offset = np.arange(cols)[None, :] - np.arange(rows)[:, None]
    keep = np.ones((rows, cols), dtype=bool)
    if lower >= 0:
        keep &= offset >= -lower
    if upper >= 0:
        keep &= offset <= upper
    return np.where(keep, a, np.zeros((), a.dtype))


def _band_shape(inputs: list, attrs: dict) -> list:
    a, num_lower, num_upper = inputs
    _batch_and_matrix(a, "input")
    for t, what in ((num_lower, "num_lower"), (num_upper, "num_upper")):
        if t.shape.ndims not in (None, 0):
            raise ValueError(f"{what} must be a scalar, got shape {t.shape}")
    return [(a.shape, a.dtype)]


def _band_vjp(op: Operation, g: Tensor) -> list:
    return [apply_op("MatrixBandPart", [g, *op.inputs[1:]]).outputs[0], None, None]


define_op("MatrixBandPart", kernel=_band_kernel, shape_fn=_band_shape, vjp=_band_vjp,
          jvp=_linear_jvp(), non_differentiable=(1, 2), view_of={}, fresh=True,
          doc="A band of each matrix: num_lower subdiagonals and num_upper superdiagonals "
              "(a negative count keeps the whole triangle), zeros outside.")


def matrix_band_part(input: Any, num_lower: Any, num_upper: Any, name: str | None = None
                     ) -> Tensor:
    """``tf.matrix_band_part`` / ``tf.linalg.band_part``: keeps ``num_lower`` diagonals
    below and ``num_upper`` above the main one (negative: the whole triangle)."""
    return apply_op("MatrixBandPart", [convert_to_tensor(input),
                                       as_index_tensor(num_lower, "num_lower"),
                                       as_index_tensor(num_upper, "num_upper")],
                    name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# Functions built from them
# ----------------------------------------------------------------------------------------


def _static_dims(x: Tensor, what: str) -> list[int]:
    if not x.shape.is_fully_defined():
        raise ValueError(f"{what} needs a statically known shape, got {x.shape}")
    return x.shape.as_list()


def diag(diagonal: Any, name: str | None = None) -> Tensor:
    """``tf.diag``: for input of shape ``S`` (rank k >= 1), the tensor of shape ``S + S``
    whose entry ``[i..., i...]`` is ``diagonal[i...]`` and zero elsewhere."""
    with op_scope(name, "Diag", [diagonal]) as scope:
        x = convert_to_tensor(diagonal)
        dims = _static_dims(x, "diag")
        if not dims:
            raise ValueError("diag: input must have rank >= 1, got a scalar")
        flat = matrix_diag(reshape(x, [math.prod(dims)]))
        return reshape(flat, dims + dims, name=scope)


def diag_part(input: Any, name: str | None = None) -> Tensor:
    """``tf.diag_part``: the inverse of :func:`diag` (input of shape ``S + S``)."""
    with op_scope(name, "DiagPart", [input]) as scope:
        x = convert_to_tensor(input)
        dims = _static_dims(x, "diag_part")
        half = len(dims) // 2
        if not dims or len(dims) % 2 or dims[:half] != dims[half:]:
            raise ValueError(f"diag_part: input must have shape S + S for some S (even rank "
                             f">= 2), got {x.shape}")
        n = math.prod(dims[:half])
        return reshape(matrix_diag_part(reshape(x, [n, n])), dims[:half], name=scope)


def trace(x: Any, name: str | None = None) -> Tensor:
    """``tf.linalg.trace``: the sum of each matrix's main diagonal, shape ``[...]``."""
    with op_scope(name, "Trace", [x]) as scope:
        return reduce_sum(matrix_diag_part(convert_to_tensor(x)), -1, name=scope)


def eye(num_rows: int, num_columns: int | None = None, batch_shape: Any = None,
        dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
    """``tf.eye``: the identity matrix ``[num_rows, num_columns]`` (square by default),
    repeated over ``batch_shape``; a constant."""
    rows = int(num_rows)
    cols = rows if num_columns is None else int(num_columns)
    batch = [] if batch_shape is None else [int(d) for d in batch_shape]
    if rows < 0 or cols < 0 or any(d < 0 for d in batch):
        raise ValueError(f"eye: dimensions must be >= 0, got num_rows={rows}, "
                         f"num_columns={cols}, batch_shape={batch}")
    dtype = dtypes.as_dtype(dtype)
    value = np.broadcast_to(np.eye(rows, cols, dtype=dtype.dtype), batch + [rows, cols])
    return constant(value, dtype=dtype, name=name or "eye")
