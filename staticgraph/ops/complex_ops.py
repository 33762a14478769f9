"""Complex numbers: ``tf.complex``, ``tf.real``, ``tf.imag``, ``tf.angle``, the modulus
``complex_abs`` and ``tf.to_complex64``/``to_complex128``.

Gradients follow TensorFlow's convention for complex tensors: the gradient of a real loss
L with respect to ``z = x + iy`` is ``dL/dx + i dL/dy``, so for a holomorphic step
``w = f(z)`` the gradient is ``conj(f'(z)) * grad_w``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import broadcast_shapes
from .broadcast_ops import unbroadcast
from .cast_ops import cast
from .comparison_ops import less
from .fill_ops import zeros_like
from .framework import apply_op, constant, convert_n, convert_to_tensor
from . import math_ops
from .linalg_ops import matrix_transpose
from .math_ops import add, conj, multiply, realdiv, square, subtract
from .selection_ops import where_v2

__all__ = ["complex", "real", "imag", "angle", "abs", "complex_abs", "to_complex64",
           "to_complex128", "complex_multiply", "complex_divide", "adjoint"]

_COMPLEX_OF = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}


def _complex_shape(inputs: list, attrs: dict) -> list:
    re, im = inputs
    if re.dtype != im.dtype or re.dtype not in _COMPLEX_OF:
        raise TypeError(f"the real and imag components have incorrect types: "
                        f"{re.dtype.name} {im.dtype.name}; they must be one of float32, "
                        f"float64")
    return [(broadcast_shapes(re.shape, im.shape), _COMPLEX_OF[re.dtype])]


def _complex_kernel(re: np.ndarray, im: np.ndarray) -> np.ndarray:
    out_type = np.complex64 if re.dtype == np.float32 else np.complex128
    return (re + 1j * im).astype(out_type)


def _complex_vjp(op: Operation, g: Tensor) -> list:
    re, im = op.inputs
    return [unbroadcast(real(g), re, im), unbroadcast(imag(g), im, re)]


def _complex_jvp(op: Operation, t_re: Tensor | None, t_im: Tensor | None) -> list:
    if t_re is None and t_im is None:
        return [None]
    out = op.outputs[0]
    re = real(zeros_like(out)) if t_re is None else t_re
    im = real(zeros_like(out)) if t_im is None else t_im
    return [complex(add(re, zeros_like(im)), add(im, zeros_like(re)))]


define_op("Complex", kernel=_complex_kernel, shape_fn=_complex_shape, vjp=_complex_vjp,
          jvp=_complex_jvp, view_of={}, doc="real + i * imag, broadcasting.")


def _part_shape(inputs: list, attrs: dict) -> list:
    z = inputs[0]
    if not z.dtype.is_complex:
        raise TypeError(f"input must be complex64 or complex128, got {z.dtype.name}")
    return [(z.shape, z.dtype.real_dtype)]


define_op("Real", kernel=lambda z: np.real(z).copy(), shape_fn=_part_shape,
          vjp=lambda op, g: [complex(g, zeros_like(g))],
          jvp=lambda op, t: [None if t is None else real(t)], view_of={},
          doc="The real part of a complex tensor.")
define_op("Imag", kernel=lambda z: np.imag(z).copy(), shape_fn=_part_shape,
          vjp=lambda op, g: [complex(zeros_like(g), g)],
          jvp=lambda op, t: [None if t is None else imag(t)], view_of={},
          doc="The imaginary part of a complex tensor.")


def _angle_vjp(op: Operation, g: Tensor) -> list:
    z = op.inputs[0]
    x, y = real(z), imag(z)
    scale = realdiv(g, add(square(x), square(y)))
    return [complex(multiply(scale, -y), multiply(scale, x))]


def _angle_jvp(op: Operation, t: Tensor | None) -> list:
    if t is None:
        return [None]
    z = op.inputs[0]
    x, y = real(z), imag(z)
    return [realdiv(subtract(multiply(x, imag(t)), multiply(y, real(t))),
                    add(square(x), square(y)))]


define_op("Angle", kernel=lambda z: np.angle(z), shape_fn=_part_shape, vjp=_angle_vjp,
          jvp=_angle_jvp, view_of={}, doc="The argument of each complex number.")


# Both rules use only real products (the real and imaginary parts), so they can be
# differentiated again whatever convention a complex product's own rule follows.


def _abs_vjp(op: Operation, g: Tensor) -> list:
    z, modulus = op.inputs[0], op.outputs[0]
    scale = realdiv(g, modulus)
    return [complex(multiply(scale, real(z)), multiply(scale, imag(z)))]


def _abs_jvp(op: Operation, t: Tensor | None) -> list:
    if t is None:
        return [None]
    z, modulus = op.inputs[0], op.outputs[0]
    return [realdiv(add(multiply(real(z), real(t)), multiply(imag(z), imag(t))), modulus)]


define_op("ComplexAbs", kernel=lambda z: np.abs(z), shape_fn=_part_shape, vjp=_abs_vjp,
          jvp=_abs_jvp, view_of={}, doc="The modulus of each complex number.")


def complex(real: Any, imag: Any, name: str | None = None) -> Tensor:
    """``tf.complex``: ``real + i * imag`` (float32 parts give complex64, float64 parts
    complex128; the parts must share one dtype)."""
    re, im = convert_n([real, imag], "Complex")
    return apply_op("Complex", [re, im], name=name).outputs[0]


def _part(op_type: str, z: Any, name: str | None) -> Tensor | None:
    z = convert_to_tensor(z)
    return apply_op(op_type, [z], name=name).outputs[0] if z.dtype.is_complex else None


def real(input: Any, name: str | None = None) -> Tensor:
    """``tf.real`` / ``tf.math.real``: the real part (a real tensor is returned as is)."""
    part = _part("Real", input, name)
    return convert_to_tensor(input) if part is None else part


def imag(input: Any, name: str | None = None) -> Tensor:
    """``tf.imag`` / ``tf.math.imag``: the imaginary part (zeros for a real tensor)."""
    part = _part("Imag", input, name)
    return zeros_like(convert_to_tensor(input), name=name) if part is None else part


def angle(input: Any, name: str | None = None) -> Tensor:
    """``tf.angle`` / ``tf.math.angle``: the argument ``atan2(imag, real)``; for a real
    tensor pi where it is negative and 0 elsewhere, as in TF."""
    part = _part("Angle", input, name)
    if part is not None:
        return part
    x = convert_to_tensor(input)
    return where_v2(less(x, 0), constant(np.pi, dtype=x.dtype), zeros_like(x), name=name)


def complex_abs(x: Any, name: str | None = None) -> Tensor:
    """``|z|`` of a complex tensor, real-valued (TF's ``ComplexAbs``, what ``tf.abs``
    computes for complex input)."""
    return apply_op("ComplexAbs", [convert_to_tensor(x)], name=name).outputs[0]


def abs(x: Any, name: str | None = None) -> Tensor:
    """``tf.abs`` / ``tf.math.abs``: ``|x|``; for complex ``x`` the real-valued modulus
    (``ComplexAbs``), as in TF."""
    x = convert_to_tensor(x)
    return complex_abs(x, name=name) if x.dtype.is_complex else math_ops.abs(x, name=name)


def adjoint(matrix: Any, name: str | None = None) -> Tensor:
    """``tf.linalg.adjoint``: the conjugate transpose of the last two dimensions (the
    transpose for real matrices)."""
    return conj(matrix_transpose(matrix, name=name or "adjoint"))


def to_complex64(x: Any, name: str = "ToComplex64") -> Tensor:
    """``tf.to_complex64``: cast to complex64 (deprecated in TF for ``tf.cast``)."""
    return cast(x, dtypes.complex64, name=name)


def to_complex128(x: Any, name: str = "ToComplex128") -> Tensor:
    """``tf.to_complex128``: cast to complex128."""
    return cast(x, dtypes.complex128, name=name)


def complex_multiply(u: Tensor, v: Tensor, conjugate_v: bool = False) -> Tensor:
    """``u * v`` (``u * conj(v)``) of complex tensors from real products of their parts,
    so its gradients follow TF's complex convention through this module's rules."""
    a, b, c, d = real(u), imag(u), real(v), imag(v)
    if conjugate_v:
        return complex(add(multiply(a, c), multiply(b, d)),
                       subtract(multiply(b, c), multiply(a, d)))
    return complex(subtract(multiply(a, c), multiply(b, d)),
                   add(multiply(a, d), multiply(b, c)))


def complex_divide(u: Tensor, v: Tensor, conjugate_v: bool = False) -> Tensor:
    """``u / v`` (``u / conj(v)``) of complex tensors, from real operations as in
    :func:`complex_multiply`."""
    product = complex_multiply(u, v, conjugate_v=not conjugate_v)
    size = add(square(real(v)), square(imag(v)))
    return complex(realdiv(real(product), size), realdiv(imag(product), size))
