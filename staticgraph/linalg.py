"""``tf.linalg``: inverse, determinant, solve, SVD, Cholesky, matmul and transpose."""
from __future__ import annotations

from .ops.linalg_ops import cholesky, svd
from .ops.linalg_ops import matrix_determinant as det
from .ops.linalg_ops import matrix_inverse as inv
from .ops.linalg_ops import matrix_solve as solve
from .ops.linalg_ops import matrix_transpose as transpose
from .ops.matmul_ops import matmul

adjoint = transpose  # real matrices only: the conjugate transpose is the transpose

__all__ = ["adjoint", "cholesky", "det", "inv", "matmul", "solve", "svd", "transpose"]
