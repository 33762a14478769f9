"""``tf.orthogonal_initializer`` / ``tf.initializers.orthogonal``: TF1's rule.

The shape is flattened to (product of all dimensions but the last, last) and transposed
to have at least as many rows as columns; a matrix of normal samples is QR-factored, Q's
columns are multiplied by the signs of R's diagonal (which makes Q uniformly distributed
over the orthogonal matrices), transposed back if needed, reshaped and scaled by ``gain``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from .decomposition_ops import qr
from .init_ops import Initializer, _float_dtype, _shape_list
from .linalg_ops import matrix_transpose
from .math_ops import multiply, sign
from .matrix_ops import matrix_diag_part
from .random_ops import random_normal
from .shape_ops import reshape

__all__ = ["orthogonal_initializer"]


class Orthogonal(Initializer):
    """``tf.orthogonal_initializer``: a (reshaped) orthogonal matrix times ``gain``."""

    def __init__(self, gain: float = 1.0, seed: int | None = None,
                 dtype: Any = dtypes.float32) -> None:
        self.gain = gain
        self.seed = seed
        self.dtype = _float_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dims = [int(d) for d in _shape_list(shape)]
        if len(dims) < 2:
            raise ValueError("The tensor to initialize, specified by argument `shape` must "
                             f"be at least two-dimensional. Received shape={dims}")
        dtype = _float_dtype(dtype or self.dtype)
        rows, cols = int(np.prod(dims[:-1])), dims[-1]
        flat = (cols, rows) if rows < cols else (rows, cols)
        q, r = qr(random_normal(flat, dtype=dtype, seed=self.seed), full_matrices=False)
        q = multiply(q, sign(matrix_diag_part(r)))
        if rows < cols:
            q = matrix_transpose(q)
        return multiply(self.gain, reshape(q, dims))

    def get_config(self) -> dict:
        return {"gain": self.gain, "seed": self.seed, "dtype": self.dtype.name}


orthogonal_initializer = Orthogonal
