"""``tf.math.sobol_sample``: points of the Sobol low-discrepancy sequence, as TF computes
them (Joe and Kuo's direction numbers, Gray-code order, the all-zero point left out).

The points of indices n = skip + 1, ..., skip + num_results are, with D the bit length of
skip + num_results, the XOR of ``m_k << (D - 1 - k)`` over the set bits k of the Gray code
n ^ (n >> 1), divided by 2**D. The direction numbers m (ops/data/sobol_directions.npz) were
read off TensorFlow 2.21's points by tools/make_sobol_directions.py; they cover 1111
dimensions and skip + num_results < 2**29 (TF's own points are wrong beyond, where its
32-bit arithmetic overflows).
"""
from __future__ import annotations

import functools
import pathlib
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op, constant_value, convert_to_tensor

__all__ = ["sobol_sample"]

_TABLE = pathlib.Path(__file__).parent / "data" / "sobol_directions.npz"
_LIMIT = 2 ** 29


@functools.lru_cache(maxsize=1)
def _directions() -> np.ndarray:
    """The [dims, 29] direction numbers m_k (odd, m_k < 2**(k+1))."""
    with np.load(_TABLE, allow_pickle=False) as data:
        return data["m"].astype(np.uint64)


def _check(dim: int, num_results: int, skip: int) -> None:
    table_dims = _directions().shape[0]
    if not 1 <= dim <= table_dims:
        raise ValueError(f"SobolSample: dim must be in [1, {table_dims}], got {dim}")
    if num_results < 1 or skip < 0 or num_results + skip >= _LIMIT:
        raise ValueError(f"SobolSample: need num_results >= 1, skip >= 0 and num_results + "
                         f"skip < 2**29, got num_results {num_results} and skip {skip}")


def _kernel(dim: np.ndarray, num_results: np.ndarray, skip: np.ndarray, *,
            dtype: dtypes.DType) -> np.ndarray:
    dim, num_results, skip = int(dim), int(num_results), int(skip)
    _check(dim, num_results, skip)
    m = _directions()[:dim]
    digits = (num_results + skip).bit_length()
    n = np.arange(skip + 1, skip + num_results + 1, dtype=np.uint64)
    gray = n ^ (n >> np.uint64(1))
    acc = np.zeros((num_results, dim), np.uint64)
    for k in range(digits):
        bit = (gray >> np.uint64(k)) & np.uint64(1)
        acc ^= bit[:, None] * (m[:, k] << np.uint64(digits - 1 - k))[None, :]
    return (acc.astype(np.float64) / 2.0 ** digits).astype(dtype.dtype)


def _shape(inputs: list, attrs: dict) -> list:
    for t, what in zip(inputs, ("dim", "num_results", "skip")):
        if t.dtype not in (dtypes.int32, dtypes.int64) or t.shape.ndims not in (None, 0):
            raise ValueError(f"{what} must be an int32 scalar, got {t.dtype.name} of shape "
                             f"{t.shape}")
    known = [constant_value(t) for t in inputs]
    if all(v is not None for v in known):
        _check(*(int(v) for v in known))
    rows, cols = (None if v is None else int(v) for v in known[1::-1])
    return [(TensorShape([rows, cols]), attrs["dtype"])]


define_op("SobolSample", kernel=_kernel, shape_fn=_shape, view_of={},
          non_differentiable=(0, 1, 2),
          doc="Points of the Sobol sequence, [num_results, dim].")


def sobol_sample(dim: Any, num_results: Any, skip: Any = 0, dtype: Any = dtypes.float32,
                 name: str | None = None) -> Any:
    """``tf.math.sobol_sample``: ``num_results`` points of the ``dim``-dimensional Sobol
    sequence after the first ``skip`` (TF's points; dim <= 1111 and num_results + skip <
    2**29 here)."""
    dtype = dtypes.as_dtype(dtype)
    if dtype not in (dtypes.float32, dtypes.float64):
        raise ValueError(f"SobolSample: dtype must be float32 or float64, got {dtype.name}")
    inputs = [convert_to_tensor(v, dtype=dtypes.int32, name=n)
              for v, n in ((dim, "dim"), (num_results, "num_results"), (skip, "skip"))]
    return apply_op("SobolSample", inputs, {"dtype": dtype}, name=name).outputs[0]
