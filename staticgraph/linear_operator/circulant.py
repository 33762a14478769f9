"""``tf.linalg.LinearOperatorCirculant`` (and ``Circulant2D``/``Circulant3D``): the
(block-)circulant matrix ``C = F^-1 diag(spectrum) F`` for the 1-, 2- or 3-dimensional
DFT ``F``; products and solves are FFTs times or over the spectrum, the determinant is the
spectrum's product and the trace its sum."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..core.shapes import TensorShape
from ..ops.cast_ops import cast
from ..ops.complex_ops import complex_abs, complex_divide, complex_multiply, real
from ..ops.fft_ops import fft, fft2d, fft3d, ifft, ifft2d, ifft3d
from ..ops.fill_ops import ones
from ..ops.framework import constant, convert_to_tensor
from ..ops.linalg_ops import matrix_transpose
from ..ops.math_ops import log, multiply
from ..ops.reduce_ops import reduce_prod, reduce_sum
from ..ops.shape_ops import expand_dims, reshape
from ..ops.stack_ops import unstack
from .base import LinearOperator, tensor_adjoint

__all__ = ["LinearOperatorCirculant", "LinearOperatorCirculant2D",
           "LinearOperatorCirculant3D"]

_COMPLEX_OF = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}
_FORWARD = {1: fft, 2: fft2d, 3: fft3d}
_INVERSE = {1: ifft, 2: ifft2d, 3: ifft3d}


class _BaseCirculant(LinearOperator):
    """What the three circulant operators share; ``_depth`` is the block depth."""

    _depth = 1

    def __init__(self, spectrum: Any, input_output_dtype: Any, is_non_singular: bool | None,
                 is_self_adjoint: bool | None, is_positive_definite: bool | None,
                 is_square: bool, name: str) -> None:
        cls = type(self).__name__
        if is_square is False:
            raise ValueError(f"{cls}: a circulant operator is always square.")
        self._spectrum = convert_to_tensor(spectrum)
        dtype = dtypes.as_dtype(input_output_dtype)
        if not (dtype.is_complex or dtype in _COMPLEX_OF):
            raise TypeError(f"{cls}: input_output_dtype must be floating or complex, got "
                            f"{dtype.name}")
        shape = self._spectrum.shape
        if shape.ndims is None or shape.ndims < self._depth or \
                None in shape.as_list()[-self._depth:]:
            raise ValueError(f"{cls}: spectrum must have rank >= {self._depth} with known "
                             f"inner dimensions, got shape {shape}")
        self._complex = dtype if dtype.is_complex else _COMPLEX_OF[dtype]
        if is_self_adjoint is None and not self._spectrum.dtype.is_complex:
            is_self_adjoint = True  # a real spectrum: a Hermitian matrix
        super().__init__(dtype, graph_parents=[self._spectrum],
                         is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True,
                         name=name, parameters={"spectrum": spectrum,
                                                "input_output_dtype": input_output_dtype})

    @property
    def spectrum(self) -> Tensor:
        """The eigenvalues, ``[B1, ..., Bb] + block_shape``."""
        return self._spectrum

    @property
    def block_depth(self) -> int:
        """1, 2 or 3: how many dimensions the circulant blocks nest."""
        return self._depth

    @property
    def block_shape(self) -> TensorShape:
        """The spectrum's innermost ``block_depth`` dimensions."""
        return TensorShape(self._spectrum.shape.as_list()[-self._depth:])

    def _shape(self) -> TensorShape:
        dims = self._spectrum.shape.as_list()
        n = int(np.prod(dims[-self._depth:]))
        return TensorShape(dims[:-self._depth] + [n, n])

    def _axes(self) -> list[int]:
        return list(range(-self._depth, 0))

    def _complex_spectrum(self) -> Tensor:
        return cast(self._spectrum, self._complex)

    def _out(self, t: Tensor) -> Tensor:
        """A complex result in the operator's dtype (its real part for a real dtype)."""
        return t if self.dtype.is_complex else real(t)

    def _apply(self, x: Tensor, adjoint: bool, divide: bool) -> Tensor:
        block = self.block_shape.as_list()
        columns = matrix_transpose(cast(x, self._complex))  # [..., R, N]
        dims = columns.shape.as_list()
        if None in dims:
            raise ValueError(f"{self.name}: the argument's shape must be known, got {x.shape}")
        spectrum = expand_dims(self._complex_spectrum(), -(self._depth + 1))
        transformed = _FORWARD[self._depth](reshape(columns, dims[:-1] + block))
        scale = complex_divide if divide else complex_multiply
        result = _INVERSE[self._depth](scale(transformed, spectrum, conjugate_v=adjoint))
        out = result.shape.as_list()
        flat = reshape(result, out[:-self._depth] + [dims[-1]])
        return self._out(matrix_transpose(flat))

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return self._apply(tensor_adjoint(x) if adjoint_arg else x, adjoint, False)

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return self._apply(tensor_adjoint(rhs) if adjoint_arg else rhs, adjoint, True)

    def _to_dense(self) -> Tensor:
        eye = constant(np.eye(self.domain_dimension), dtype=self.dtype)
        return self._apply(eye, False, False)

    def _determinant(self) -> Tensor:
        if not self._spectrum.dtype.is_complex:
            return cast(reduce_prod(self._spectrum, self._axes()), self.dtype)
        # a chain of complex products (whose gradients follow TF's complex convention)
        values = reshape(self._complex_spectrum(), self.batch_shape.as_list() + [-1])
        product = None
        for value in unstack(values, self.domain_dimension, axis=-1):
            product = value if product is None else complex_multiply(product, value)
        return self._out(product)

    def _log_abs_determinant(self) -> Tensor:
        magnitude = complex_abs(self._complex_spectrum())
        return cast(reduce_sum(log(magnitude), self._axes()), self.dtype)

    def _trace(self) -> Tensor:
        return self._out(reduce_sum(self._complex_spectrum(), self._axes()))

    def _diag_part(self) -> Tensor:
        n = self.domain_dimension
        mean = multiply(self._trace(), constant(1.0 / n, dtype=self.dtype))
        return multiply(expand_dims(mean, -1), ones([n], dtype=self.dtype))

    def convolution_kernel(self, name: str = "convolution_kernel") -> Tensor:
        """The first column's block form: the inverse DFT of the spectrum."""
        with self._scope(name):
            return self._out(_INVERSE[self._depth](self._complex_spectrum()))


class LinearOperatorCirculant(_BaseCirculant):
    """``tf.linalg.LinearOperatorCirculant``: circulant ``[N, N]`` matrices from their
    spectrum ``[..., N]`` (eigenvalues, the DFT of the first column)."""

    _depth = 1

    def __init__(self, spectrum: Any, input_output_dtype: Any = dtypes.complex64,
                 is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool = True,
                 name: str = "LinearOperatorCirculant") -> None:
        super().__init__(spectrum, input_output_dtype, is_non_singular, is_self_adjoint,
                         is_positive_definite, is_square, name)


class LinearOperatorCirculant2D(_BaseCirculant):
    """``tf.linalg.LinearOperatorCirculant2D``: block-circulant matrices with circulant
    blocks, from a ``[..., N0, N1]`` spectrum (the 2-D DFT)."""

    _depth = 2

    def __init__(self, spectrum: Any, input_output_dtype: Any = dtypes.complex64,
                 is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool = True,
                 name: str = "LinearOperatorCirculant2D") -> None:
        super().__init__(spectrum, input_output_dtype, is_non_singular, is_self_adjoint,
                         is_positive_definite, is_square, name)


class LinearOperatorCirculant3D(_BaseCirculant):
    """``tf.linalg.LinearOperatorCirculant3D``: three nested levels of circulant blocks,
    from a ``[..., N0, N1, N2]`` spectrum (the 3-D DFT)."""

    _depth = 3

    def __init__(self, spectrum: Any, input_output_dtype: Any = dtypes.complex64,
                 is_non_singular: bool | None = None, is_self_adjoint: bool | None = None,
                 is_positive_definite: bool | None = None, is_square: bool = True,
                 name: str = "LinearOperatorCirculant3D") -> None:
        super().__init__(spectrum, input_output_dtype, is_non_singular, is_self_adjoint,
                         is_positive_definite, is_square, name)
