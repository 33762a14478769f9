"""``tf.linalg``: decompositions, solves, determinants, diagonals and bands, products."""

from .ops.clip_ops import global_norm
from .ops.decomposition_ops import (cholesky_solve, cross, logdet, matrix_rank, matvec, norm,
                                    pinv, qr, slogdet)
from .ops.decomposition_ops import matrix_solve_ls as lstsq
from .ops.decomposition_ops import matrix_triangular_solve as triangular_solve
from .ops.decomposition_ops import self_adjoint_eig as eigh
from .ops.decomposition_ops import self_adjoint_eigvals as eigvalsh
from .ops.einsum_ops import einsum, tensordot
from .ops.linalg_ops import cholesky, svd
from .ops.linalg_ops import matrix_determinant as det
from .ops.linalg_ops import matrix_inverse as inv
from .ops.linalg_ops import matrix_solve as solve
from .ops.linalg_ops import matrix_transpose
from .ops.linalg_ops import matrix_transpose as transpose
from .ops.matmul_ops import matmul
from .ops.matrix_ops import diag as tensor_diag
from .ops.matrix_ops import diag_part as tensor_diag_part
from .ops.matrix_ops import eye, trace
from .ops.matrix_ops import matrix_band_part as band_part
from .ops.matrix_ops import matrix_diag as diag
from .ops.matrix_ops import matrix_diag_part as diag_part
from .ops.matrix_ops import matrix_set_diag as set_diag
from .ops.nn_impl import l2_normalize
# matrix functions, LU, tridiagonal matrices, the complex adjoint (wt-linalg)
from .ops.complex_ops import adjoint
from .ops.lu_ops import lu, lu_matrix_inverse, lu_reconstruct, lu_solve
from .ops.matrix_functions_ops import expm, logm, sqrtm
from .ops.normalize_ops import normalize
from .ops.tridiagonal_ops import eigh_tridiagonal, tridiagonal_matmul, tridiagonal_solve
from .linear_operator import *  # noqa: F401,F403  (the LinearOperator family)
from .linear_operator import __all__ as _operators


__all__ = ["adjoint", "band_part", "cholesky", "cholesky_solve", "cross", "det", "diag",
           "diag_part", "eigh", "eigvalsh", "einsum", "eye", "global_norm", "inv",
           "l2_normalize", "logdet", "lstsq", "matmul", "matrix_rank", "matrix_transpose",
           "matvec", "norm", "pinv", "qr", "set_diag",
           "slogdet", "solve", "svd", "tensor_diag", "tensor_diag_part", "tensordot",
           "trace", "transpose", "triangular_solve",
           # matrix functions, LU, tridiagonal matrices (wt-linalg)
           "eigh_tridiagonal", "expm", "logm", "lu", "lu_matrix_inverse", "lu_reconstruct",
           "lu_solve", "normalize", "sqrtm", "tridiagonal_matmul", "tridiagonal_solve",
           *_operators]
