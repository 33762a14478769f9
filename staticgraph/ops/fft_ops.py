"""Fast Fourier transforms over the innermost 1, 2 or 3 dimensions: ``tf.fft``/``ifft``
(and 2d/3d) on complex tensors, and ``tf.signal.rfft``/``irfft`` (and 2d/3d) between real
signals and their non-negative-frequency half spectra.

Gradients follow TF's complex convention (see complex_ops): a complex-linear map's
gradient is its adjoint, so ``fft``'s is ``N * ifft`` and ``ifft``'s is ``fft / N``;
``rfft``'s is the real part of ``N * ifft`` of the zero-padded spectrum and ``irfft``'s
the spectrum of the gradient with the doubled (not self-conjugate) bins weighted twice.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .complex_ops import real
from .framework import apply_op, constant, convert_to_tensor
from .join_ops import concat
from .math_ops import multiply
from .op_util import op_scope

__all__ = ["fft", "ifft", "fft2d", "ifft2d", "fft3d", "ifft3d", "rfft", "irfft", "rfft2d",
           "irfft2d", "rfft3d", "irfft3d"]

_COMPLEX_OF = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}


def _axes(rank: int) -> tuple[int, ...]:
    return tuple(range(-rank, 0))


def _inner(t: Tensor, rank: int, what: str) -> list:
    """The static sizes of ``t``'s innermost ``rank`` dimensions (None where unknown)."""
    if t.shape.ndims is None:
        return [None] * rank
    if t.shape.ndims < rank:
        raise ValueError(f"{what}: input must have rank >= {rank}, got shape {t.shape}")
    return t.shape.as_list()[-rank:]


def _size(t: Tensor, rank: int, what: str) -> int:
    dims = _inner(t, rank, what)
    if None in dims:
        raise ValueError(f"the gradient of {what} needs statically known inner dimensions, "
                         f"got shape {t.shape}")
    return int(np.prod(dims))


# ----------------------------------------------------------------------------------------
# Complex-to-complex transforms
# ----------------------------------------------------------------------------------------


def _c2c_kernel(x: np.ndarray, *, rank: int, inverse: bool) -> np.ndarray:
    fn = np.fft.ifftn if inverse else np.fft.fftn
    return fn(x, axes=_axes(rank)).astype(x.dtype)


def _c2c_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if not x.dtype.is_complex:
        raise TypeError(f"input must be complex64 or complex128, got {x.dtype.name}")
    _inner(x, attrs["rank"], "FFT")
    return [(x.shape, x.dtype)]


def _c2c(x: Tensor, rank: int, inverse: bool, name: str | None = None) -> Tensor:
    op_type = ("IFFT" if inverse else "FFT") + ("" if rank == 1 else f"{rank}D")
    return apply_op(op_type, [x], {"rank": rank, "inverse": inverse}, name=name).outputs[0]


def _scaled(t: Tensor, factor: float) -> Tensor:
    return multiply(t, constant(factor, dtype=t.dtype))


def _c2c_vjp(op: Operation, g: Tensor) -> list:
    rank, inverse = op.get_attr("rank"), op.get_attr("inverse")
    n = _size(op.inputs[0], rank, op.type)
    return [_scaled(_c2c(g, rank, not inverse), 1.0 / n if inverse else float(n))]


def _c2c_jvp(op: Operation, t: Tensor | None) -> list:
    return [None if t is None else _c2c(t, op.get_attr("rank"), op.get_attr("inverse"))]


for _rank in (1, 2, 3):
    for _inverse in (False, True):
        define_op(("IFFT" if _inverse else "FFT") + ("" if _rank == 1 else f"{_rank}D"),
                  kernel=_c2c_kernel, shape_fn=_c2c_shape, vjp=_c2c_vjp, jvp=_c2c_jvp,
                  view_of={}, doc=f"The {'inverse ' if _inverse else ''}discrete Fourier "
                                  f"transform over the innermost {_rank} dimension(s).")


def fft(input: Any, name: str | None = None) -> Tensor:
    """``tf.fft`` / ``tf.signal.fft``: the DFT over the innermost dimension."""
    return _c2c(convert_to_tensor(input), 1, False, name)


def ifft(input: Any, name: str | None = None) -> Tensor:
    """``tf.ifft`` / ``tf.signal.ifft``: the inverse DFT over the innermost dimension."""
    return _c2c(convert_to_tensor(input), 1, True, name)


def fft2d(input: Any, name: str | None = None) -> Tensor:
    """``tf.fft2d`` / ``tf.signal.fft2d``: the DFT over the innermost 2 dimensions."""
    return _c2c(convert_to_tensor(input), 2, False, name)


def ifft2d(input: Any, name: str | None = None) -> Tensor:
    """``tf.ifft2d`` / ``tf.signal.ifft2d``: the inverse DFT over the innermost 2."""
    return _c2c(convert_to_tensor(input), 2, True, name)


def fft3d(input: Any, name: str | None = None) -> Tensor:
    """``tf.fft3d`` / ``tf.signal.fft3d``: the DFT over the innermost 3 dimensions."""
    return _c2c(convert_to_tensor(input), 3, False, name)


def ifft3d(input: Any, name: str | None = None) -> Tensor:
    """``tf.ifft3d`` / ``tf.signal.ifft3d``: the inverse DFT over the innermost 3."""
    return _c2c(convert_to_tensor(input), 3, True, name)


# ----------------------------------------------------------------------------------------
# Real-to-complex and complex-to-real transforms
# ----------------------------------------------------------------------------------------


def _fit(x: np.ndarray, sizes: list[int]) -> np.ndarray:
    """``x`` cropped or zero-padded to ``sizes`` in its innermost dimensions."""
    rank = len(sizes)
    x = x[(Ellipsis,) + tuple(slice(0, s) for s in sizes)]
    pad = [(0, 0)] * (x.ndim - rank) + [(0, s - d) for s, d in zip(sizes, x.shape[-rank:])]
    return np.pad(x, pad) if any(p for _, p in pad) else x


def _rfft_kernel(x: np.ndarray, *, fft_length: tuple) -> np.ndarray:
    out = _COMPLEX_OF[dtypes.as_dtype(x.dtype)].dtype
    return np.fft.rfftn(_fit(x, list(fft_length)), axes=_axes(len(fft_length))).astype(out)


def _irfft_kernel(x: np.ndarray, *, fft_length: tuple) -> np.ndarray:
    half = list(fft_length[:-1]) + [fft_length[-1] // 2 + 1]
    out = np.fft.irfftn(_fit(x, half), s=fft_length, axes=_axes(len(fft_length)))
    return out.astype(np.float32 if x.dtype == np.complex64 else np.float64)


def _real_shape(inputs: list, attrs: dict, inverse: bool) -> list:
    x, lengths = inputs[0], list(attrs["fft_length"])
    rank = len(lengths)
    kind = "complex64 or complex128" if inverse else "float32 or float64"
    if (x.dtype.is_complex if inverse else x.dtype in _COMPLEX_OF) is False:
        raise TypeError(f"input must be {kind}, got {x.dtype.name}")
    _inner(x, rank, "IRFFT" if inverse else "RFFT")
    inner = lengths if inverse else lengths[:-1] + [lengths[-1] // 2 + 1]
    dtype = x.dtype.real_dtype if inverse else _COMPLEX_OF[x.dtype]
    shape = TensorShape(None) if x.shape.ndims is None else \
        TensorShape(x.shape.as_list()[:-rank] + inner)
    return [(shape, dtype)]


def _fit_tensor(t: Tensor, sizes: list[int]) -> Tensor:
    """Graph version of :func:`_fit` (static shapes)."""
    rank = len(sizes)
    for axis, size in zip(range(-rank, 0), sizes):
        have = t.shape.as_list()[axis]
        if have > size:
            t = t[(Ellipsis, slice(0, size)) + (slice(None),) * (-axis - 1)]
        elif have < size:
            pad_shape = t.shape.as_list()
            pad_shape[axis] = size - have
            t = concat([t, constant(np.zeros(pad_shape), dtype=t.dtype)], axis)
    return t


def _rfft_vjp(op: Operation, g: Tensor) -> list:
    x, lengths = op.inputs[0], list(op.get_attr("fft_length"))
    rank = len(lengths)
    full = _fit_tensor(g, lengths)  # the spectrum with its negative frequencies as zeros
    grad = real(_scaled(_c2c(full, rank, True), float(np.prod(lengths))))
    return [_fit_tensor(grad, _inner(x, rank, "RFFT"))]


def _rfft_jvp(op: Operation, t: Tensor | None) -> list:
    return [None if t is None else _real(t, op.get_attr("fft_length"), False)]


def _irfft_vjp(op: Operation, g: Tensor) -> list:
    x, lengths = op.inputs[0], list(op.get_attr("fft_length"))
    rank, n = len(lengths), lengths[-1]
    weights = np.full(n // 2 + 1, 2.0)
    weights[0] = 1.0
    if n % 2 == 0:
        weights[-1] = 1.0
    spectrum = _real(g, tuple(lengths), False)
    weighted = multiply(spectrum, constant(weights / np.prod(lengths), dtype=spectrum.dtype))
    return [_fit_tensor(weighted, _inner(x, rank, "IRFFT"))]


def _irfft_jvp(op: Operation, t: Tensor | None) -> list:
    return [None if t is None else _real(t, op.get_attr("fft_length"), True)]


for _rank in (1, 2, 3):
    _suffix = "" if _rank == 1 else f"{_rank}D"
    define_op(f"RFFT{_suffix}", kernel=_rfft_kernel,
              shape_fn=lambda inputs, attrs: _real_shape(inputs, attrs, False),
              vjp=_rfft_vjp, jvp=_rfft_jvp, view_of={},
              doc=f"The DFT of a real signal over the innermost {_rank} dimension(s), "
                  f"non-negative frequencies of the last.")
    define_op(f"IRFFT{_suffix}", kernel=_irfft_kernel,
              shape_fn=lambda inputs, attrs: _real_shape(inputs, attrs, True),
              vjp=_irfft_vjp, jvp=_irfft_jvp, view_of={},
              doc=f"The real signal of a half spectrum over the innermost {_rank} "
                  f"dimension(s).")


def _real(x: Tensor, fft_length: tuple, inverse: bool, name: str | None = None) -> Tensor:
    rank = len(fft_length)
    op_type = ("IRFFT" if inverse else "RFFT") + ("" if rank == 1 else f"{rank}D")
    return apply_op(op_type, [x], {"fft_length": tuple(fft_length)}, name=name).outputs[0]


def _lengths(x: Tensor, fft_length: Any, rank: int, inverse: bool, what: str) -> tuple:
    """``fft_length`` as a tuple of ints (default: from ``x``'s static shape)."""
    if fft_length is None:
        dims = _inner(x, rank, what)
        if None in dims:
            raise ValueError(f"{what}: fft_length is needed when the inner dimensions are "
                             f"unknown, got shape {x.shape}")
        if inverse:
            dims[-1] = 2 * (dims[-1] - 1)
        return tuple(dims)
    if isinstance(fft_length, Tensor):
        value = fft_length.op.get_attr("value") if fft_length.op.type == "Const" else None
        if value is None:
            raise ValueError(f"{what}: fft_length must be a constant, got {fft_length}")
        fft_length = value
    lengths = tuple(int(v) for v in np.atleast_1d(fft_length))
    if len(lengths) != rank or min(lengths) < 0:
        raise ValueError(f"{what}: fft_length must be {rank} non-negative sizes, got "
                         f"{list(lengths)}")
    return lengths


def _real_transform(input: Any, fft_length: Any, rank: int, inverse: bool,
                    name: str | None) -> Tensor:
    what = ("irfft" if inverse else "rfft") + ("" if rank == 1 else f"{rank}d")
    with op_scope(name, what, [input]):
        x = convert_to_tensor(input)
        return _real(x, _lengths(x, fft_length, rank, inverse, what), inverse)


def rfft(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """``tf.signal.rfft``: the DFT of real signals over the innermost dimension (cropped
    or zero-padded to ``fft_length``), its ``fft_length // 2 + 1`` non-negative bins."""
    return _real_transform(input_tensor, fft_length, 1, False, name)


def irfft(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """``tf.signal.irfft``: real signals of length ``fft_length`` (default
    ``2 * (inner - 1)``) from their half spectra."""
    return _real_transform(input_tensor, fft_length, 1, True, name)


def rfft2d(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """``tf.signal.rfft2d``: ``rfft`` over the innermost 2 dimensions."""
    return _real_transform(input_tensor, fft_length, 2, False, name)


def irfft2d(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """``tf.signal.irfft2d``: ``irfft`` over the innermost 2 dimensions."""
    return _real_transform(input_tensor, fft_length, 2, True, name)


def rfft3d(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """``tf.signal.rfft3d``: ``rfft`` over the innermost 3 dimensions."""
    return _real_transform(input_tensor, fft_length, 3, False, name)


def irfft3d(input_tensor: Any, fft_length: Any = None, name: str | None = None) -> Tensor:
    """``tf.signal.irfft3d``: ``irfft`` over the innermost 3 dimensions."""
    return _real_transform(input_tensor, fft_length, 3, True, name)

