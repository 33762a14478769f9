"""Matrix functions: the exponential (``tf.linalg.expm``), the principal square root
(``tf.linalg.sqrtm``) and the principal logarithm (``tf.linalg.logm``, complex only as in
TF), with a Sylvester-equation solve built from graph ops for the square root's
derivatives.

Kernels are NumPy: the exponential by scaling and squaring with a degree-13 Padé
approximant (Higham 2005), the square root by the scaled Denman–Beavers iteration, the
logarithm by inverse scaling and squaring (square roots until the matrix is near the
identity, then a Gauss–Legendre partial-fraction Padé approximant of ``log(I + X)``).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from .einsum_ops import einsum
from .framework import apply_op, constant, convert_to_tensor
from .join_ops import concat
from .linalg_ops import _static_size, matrix_solve, matrix_transpose
from .fill_ops import zeros_like
from .math_ops import add
from .op_util import op_scope
from .shape_ops import reshape, shape_of
from .indexing_ops import strided_slice

__all__ = ["expm", "sqrtm", "logm", "sylvester_solve"]


def _per_matrix(fn: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """A kernel applying ``fn`` to every matrix of a ``[..., n, n]`` batch."""
    def kernel(a: np.ndarray) -> np.ndarray:
        out = np.empty_like(a)
        for index in np.ndindex(*a.shape[:-2]):
            out[index] = fn(a[index])
        return out
    return kernel


def _check_square(inputs: list, op: str, complex_only: bool = False) -> list:
    a = inputs[0]
    allowed = a.dtype.is_complex if complex_only else (a.dtype.is_floating
                                                       or a.dtype.is_complex)
    if not allowed:
        kinds = "complex64 or complex128" if complex_only else "floating point or complex"
        raise TypeError(f"{op}: input must be {kinds}, got {a.dtype.name}")
    if a.shape.ndims is not None:
        dims = a.shape.as_list()
        if len(dims) < 2 or (None not in dims[-2:] and dims[-1] != dims[-2]):
            raise ValueError(f"{op}: input must be a (batch of) square matrices, got shape "
                             f"{a.shape}")
    return [(a.shape, a.dtype)]


# ----------------------------------------------------------------------------------------
# Kernels
# ----------------------------------------------------------------------------------------

_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0,
           1187353796428800.0, 129060195264000.0, 10559470521600.0, 670442572800.0,
           33522128640.0, 1323241920.0, 40840800.0, 960960.0, 16380.0, 182.0, 1.0)
_THETA13 = 5.371920351148152


def _expm_one(a: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(a, 1)
    squarings = int(max(0, np.ceil(np.log2(norm / _THETA13)))) if norm > 0 else 0
    a = a / 2.0 ** squarings
    b = _PADE13
    eye = np.eye(a.shape[-1], dtype=a.dtype)
    a2 = a @ a
    a4 = a2 @ a2
    a6 = a4 @ a2
    u = a @ (a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2)
             + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * eye)
    v = a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 \
        + b[0] * eye
    result = np.linalg.solve(v - u, v + u)
    for _ in range(squarings):
        result = result @ result
    return result


def _sqrtm_one(a: np.ndarray) -> np.ndarray:
    """Scaled Denman–Beavers; NaN where it does not converge (no principal root)."""
    n = a.shape[-1]
    if not np.any(a):
        return np.zeros_like(a)
    y, z = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64), np.eye(n)
    with np.errstate(all="ignore"):
        for _ in range(100):
            try:
                y_inv, z_inv = np.linalg.inv(y), np.linalg.inv(z)
            except np.linalg.LinAlgError:
                break
            scale = np.abs(np.linalg.det(y) * np.linalg.det(z)) ** (-1.0 / (2 * n))
            if not np.isfinite(scale) or scale == 0:
                scale = 1.0
            y_next = 0.5 * (scale * y + z_inv / scale)
            z = 0.5 * (scale * z + y_inv / scale)
            change = np.linalg.norm(y_next - y, 1)
            y = y_next
            if change <= 1e-15 * max(np.linalg.norm(y, 1), 1e-300) * n:
                return y.astype(a.dtype)
    return np.full_like(a, np.nan)


_GAUSS_NODES, _GAUSS_WEIGHTS = np.polynomial.legendre.leggauss(12)


def _logm_one(a: np.ndarray) -> np.ndarray:
    eye = np.eye(a.shape[-1], dtype=a.dtype)
    roots = 0
    while np.linalg.norm(a - eye, 1) > 0.25 and roots < 60:
        a = _sqrtm_one(a)
        roots += 1
    x = a - eye
    total = np.zeros_like(a)
    for node, weight in zip(_GAUSS_NODES, _GAUSS_WEIGHTS):
        t = 0.5 * (node + 1.0)  # the nodes on [0, 1]
        total += 0.5 * weight * np.linalg.solve(eye + t * x, x)
    return total * 2.0 ** roots


# ----------------------------------------------------------------------------------------
# Graph helpers: block matrices and the Sylvester solve
# ----------------------------------------------------------------------------------------


def _block_upper_right(a: Tensor, upper: Tensor, n: int) -> Tensor:
    """The upper-right ``n x n`` block of ``expm([[a, upper], [0, a]])``: the derivative
    of expm at ``a`` in the direction ``upper``."""
    top = concat([a, upper], -1)
    bottom = concat([zeros_like(a), a], -1)
    big = expm(concat([top, bottom], -2))
    return big[..., :n, n:]


def sylvester_solve(x: Any, c: Any, name: str | None = None) -> Tensor:
    """Solves ``x @ d + d @ x = c`` for ``d`` (each ``[..., n, n]``) through the
    ``n² x n²`` Kronecker system, built from graph ops so it can be differentiated."""
    with op_scope(name, "sylvester_solve", [x, c]) as scope:
        x, c = convert_to_tensor(x), convert_to_tensor(c)
        n = _static_size(x, -1, "sylvester_solve")
        eye = constant(np.eye(n, dtype=x.dtype.dtype), name="eye")
        kron = add(einsum("...ik,jl->...ijkl", x, eye), einsum("ik,...lj->...ijkl", eye, x))
        batch = strided_slice(shape_of(x), [0], [-2], [1])
        square = concat([batch, constant(np.array([n * n, n * n], np.int32))], 0)
        column = concat([batch, constant(np.array([n * n, 1], np.int32))], 0)
        flat = matrix_solve(reshape(kron, square), reshape(c, column))
        return reshape(flat, shape_of(c), name=scope)


# ----------------------------------------------------------------------------------------
# Ops
# ----------------------------------------------------------------------------------------


def _expm_vjp(op: Operation, g: Tensor) -> list:
    a = op.inputs[0]
    return [_block_upper_right(matrix_transpose(a), g, _static_size(a, -1, "expm"))]


def _expm_jvp(op: Operation, t: Tensor | None) -> list:
    if t is None:
        return [None]
    a = op.inputs[0]
    return [_block_upper_right(a, t, _static_size(a, -1, "expm"))]


define_op("MatrixExponential", kernel=_per_matrix(_expm_one),
          shape_fn=lambda inputs, attrs: _check_square(inputs, "MatrixExponential"),
          vjp=_expm_vjp, jvp=_expm_jvp, view_of={},
          doc="exp of each square matrix (scaling and squaring, Padé 13).")


def _sqrtm_vjp(op: Operation, g: Tensor) -> list:
    return [sylvester_solve(matrix_transpose(op.outputs[0]), g)]


def _sqrtm_jvp(op: Operation, t: Tensor | None) -> list:
    return [None if t is None else sylvester_solve(op.outputs[0], t)]


define_op("MatrixSquareRoot", kernel=_per_matrix(_sqrtm_one),
          shape_fn=lambda inputs, attrs: _check_square(inputs, "MatrixSquareRoot"),
          vjp=_sqrtm_vjp, jvp=_sqrtm_jvp, view_of={},
          doc="The principal square root of each square matrix (NaN where none is real).")

define_op("MatrixLogarithm", kernel=_per_matrix(_logm_one),
          shape_fn=lambda inputs, attrs: _check_square(inputs, "MatrixLogarithm",
                                                       complex_only=True),
          view_of={}, doc="The principal logarithm of each complex square matrix.")


def expm(input: Any, name: str | None = None) -> Tensor:
    """``tf.linalg.expm``: the matrix exponential of each ``[..., n, n]`` matrix."""
    return apply_op("MatrixExponential", [convert_to_tensor(input)], name=name).outputs[0]


def sqrtm(input: Any, name: str | None = None) -> Tensor:
    """``tf.linalg.sqrtm`` / ``tf.matrix_square_root``: the principal square root of each
    matrix (NaN for a real matrix with no real principal root, e.g. negative eigenvalues);
    its derivative solves the Sylvester equation ``X dX + dX X = dA``."""
    return apply_op("MatrixSquareRoot", [convert_to_tensor(input)], name=name).outputs[0]


def logm(input: Any, name: str | None = None) -> Tensor:
    """``tf.linalg.logm``: the principal logarithm of each complex matrix (complex64 or
    complex128 only, as in TF; not differentiable, as in TF)."""
    return apply_op("MatrixLogarithm", [convert_to_tensor(input)], name=name).outputs[0]
