"""Matrix multiplication: MatMul, and MatVec (made by the compiler's matvec pass)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.graph import Operation, Tensor
from ..core.registry import Role, define_op
from ..core.shapes import TensorShape, broadcast_shapes
from .framework import apply_binary, convert_to_tensor
from .broadcast_ops import sum_to_shape
from .math_ops import _add_tangents, conj
from .shape_ops import shape_of

__all__ = [
    "matmul",
]


# ----------------------------------------------------------------------------------------
# Matrix multiplication
# ----------------------------------------------------------------------------------------


def _matmul_kernel(a: np.ndarray, b: np.ndarray, *, transpose_a: bool = False,
                   transpose_b: bool = False) -> np.ndarray:
    # Methods, not np.swapaxes: these kernels run per step and the functions' dispatch
    # costs as much as a small product.
    if transpose_a:
        a = a.swapaxes(-1, -2)
    if transpose_b:
        b = b.swapaxes(-1, -2)
    return np.matmul(a, b)


def _matmul_inline(attrs: dict, constants: list, specs: list) -> str:
    """``_matmul_kernel`` as an expression of the generated code (``@`` is np.matmul)."""
    a = "{0}.swapaxes(-1, -2)" if attrs.get("transpose_a") else "{0}"
    b = "{1}.swapaxes(-1, -2)" if attrs.get("transpose_b") else "{1}"
    return f"{a} @ {b}"


def _matmul_shape(inputs: list, attrs: dict) -> list:
    a, b = inputs
    if a.dtype != b.dtype:
        raise TypeError(f"MatMul inputs must have the same dtype, got {a.dtype.name} and "
                        f"{b.dtype.name}")
    if a.shape.ndims is None or b.shape.ndims is None:
        return [(TensorShape(None), a.dtype)]
    if a.shape.ndims < 2 or b.shape.ndims < 2:
        raise ValueError(f"both inputs must be at least rank 2, got shapes {a.shape} and "
                         f"{b.shape}")
    da, db = a.shape.as_list(), b.shape.as_list()
    m, ka = (da[-1], da[-2]) if attrs.get("transpose_a") else (da[-2], da[-1])
    kb, n = (db[-1], db[-2]) if attrs.get("transpose_b") else (db[-2], db[-1])
    if ka is not None and kb is not None and ka != kb:
        raise ValueError(f"inner dimensions do not match: shapes {a.shape} and {b.shape} "
                         f"(transpose_a={attrs.get('transpose_a', False)}, "
                         f"transpose_b={attrs.get('transpose_b', False)})")
    batch = broadcast_shapes(TensorShape(da[:-2]), TensorShape(db[:-2]))
    return [(batch.concatenate([m, n]), a.dtype)]


def _matmul_vjp(op: Operation, g: Tensor) -> list:
    a, b = op.inputs
    # Complex inputs: the products take the conjugates (TF's adjoints); real: no op added.
    a, b = conj(a), conj(b)
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    if not ta and not tb:
        ga, gb = matmul(g, b, transpose_b=True), matmul(a, g, transpose_a=True)
    elif not ta and tb:
        ga, gb = matmul(g, b), matmul(g, a, transpose_a=True)
    elif ta and not tb:
        ga, gb = matmul(b, g, transpose_b=True), matmul(a, g)
    else:
        ga, gb = matmul(b, g, transpose_a=True, transpose_b=True), \
            matmul(g, a, transpose_a=True, transpose_b=True)
    if a.shape.ndims != 2 or b.shape.ndims != 2:  # batched: undo batch broadcasting
        ga, gb = sum_to_shape(ga, shape_of(a)), sum_to_shape(gb, shape_of(b))
    return [ga, gb]


def _matmul_jvp(op: Operation, ta: Tensor | None, tb: Tensor | None) -> list:
    a, b = op.inputs
    kw = {"transpose_a": op.get_attr("transpose_a"), "transpose_b": op.get_attr("transpose_b")}
    parts = [matmul(ta, b, **kw) if ta is not None else None,
             matmul(a, tb, **kw) if tb is not None else None]
    return [_add_tangents(parts[0], parts[1])]


define_op("MatMul", kernel=_matmul_kernel, shape_fn=_matmul_shape, vjp=_matmul_vjp,
          jvp=_matmul_jvp, inline=_matmul_inline,
          view_of={}, fresh=True, role=Role.MATMUL,
          row_wise=lambda attrs: () if attrs["transpose_a"] else (0,))


def _matvec_shape(inputs: list, attrs: dict) -> list:
    a, v = inputs
    rows, cols = a.shape.as_list()
    if attrs["transpose_a"]:
        rows, cols = cols, rows
    if not TensorShape([cols]).is_compatible_with(v.shape):
        raise ValueError(f"MatVec of a matrix {a.shape} (transpose_a={attrs['transpose_a']})"
                         f" and a vector {v.shape}: inner dimensions differ")
    return [(TensorShape([rows]), a.dtype)]


def _matvec_inline(attrs: dict, constants: list, specs: list) -> str:
    """``_matmul_kernel`` of a matrix and a vector as an expression: ``np.dot`` when the
    matrix is C-contiguous and aligned, else ``@``.

    ``np.dot`` skips the generalized ufunc's dispatch (about 0.5 µs a call, as much as a
    product with a few hundred rows costs). For such a matrix both make the same BLAS
    gemv call (or the same plain loop for types BLAS lacks), so the bits are the same
    (tested for every dtype, both orientations, strided vectors); for a strided matrix
    they may not be, so those keep ``@``."""
    if attrs.get("transpose_a"):
        return "(np.dot({1}, {0}) if {0}.flags.carray else {0}.swapaxes(-1, -2) @ {1})"
    return "(np.dot({0}, {1}) if {0}.flags.carray else {0} @ {1})"


# Not part of TF1's API: the compiler's matvec pass makes it from MatMul with a column.
# MatMul's kernel serves it: NumPy's matmul takes a 1-d second operand.
define_op("MatVec", kernel=_matmul_kernel, shape_fn=_matvec_shape, inline=_matvec_inline,
          doc="A matrix (optionally transposed) times a vector, made by the compiler.",
          view_of={}, fresh=True, role=Role.MATVEC)


def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False,
           adjoint_a: bool = False, adjoint_b: bool = False, a_is_sparse: bool = False,
           b_is_sparse: bool = False, name: str | None = None) -> Tensor:
    """``tf.matmul``: matrix product of the last two dims, batched over leading dims;
    ``adjoint_a``/``adjoint_b`` transpose and conjugate (for real inputs: transpose)."""
    if adjoint_a or adjoint_b:
        a, b = convert_to_tensor(a), convert_to_tensor(b)
        a, b = conj(a) if adjoint_a else a, conj(b) if adjoint_b else b
    return apply_binary("MatMul", a, b, name, {"transpose_a": bool(transpose_a or adjoint_a),
                                               "transpose_b": bool(transpose_b or adjoint_b)})
