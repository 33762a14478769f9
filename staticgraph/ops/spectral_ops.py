"""Small ``tf.signal`` helpers: ``fftshift``/``ifftshift`` (rotations built from slices,
so gradients flow) and the raised-cosine windows ``hann_window``/``hamming_window``."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from .framework import constant, convert_to_tensor
from .join_ops import concat
from .op_util import op_scope
from .state_ops import identity

__all__ = ["fftshift", "ifftshift", "hann_window", "hamming_window"]


def _shift(x: Any, axes: Any, inverse: bool, name: str | None, what: str) -> Tensor:
    with op_scope(name, what, [x]) as scope:
        x = convert_to_tensor(x)
        if x.shape.ndims is None:
            raise ValueError(f"{what}: the input's rank must be known")
        rank = x.shape.ndims
        axes = range(rank) if axes is None else np.atleast_1d(axes).tolist()
        for axis in axes:
            axis = int(axis) % rank
            n = x.shape.as_list()[axis]
            if n is None:
                raise ValueError(f"{what}: dimension {axis} of shape {x.shape} must be known")
            split = n // 2 if inverse else n - n // 2  # where the output starts
            head = (slice(None),) * axis
            x = concat([x[head + (slice(split, None),)], x[head + (slice(0, split),)]], axis)
        return identity(x, name=scope)


def fftshift(x: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """``tf.signal.fftshift``: moves the zero frequency to the centre of ``axes`` (all
    by default): rotates each by ``n // 2``."""
    return _shift(x, axes, False, name, "fftshift")


def ifftshift(x: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """``tf.signal.ifftshift``: the inverse of ``fftshift``."""
    return _shift(x, axes, True, name, "ifftshift")


def _raised_cosine(window_length: int, periodic: bool, dtype: Any, a: float, b: float,
                   what: str, name: str | None) -> Tensor:
    length = int(window_length)
    dtype = dtypes.as_dtype(dtype)
    if length < 0 or not dtype.is_floating:
        raise ValueError(f"{what}: window_length must be >= 0 and dtype floating, got "
                         f"{length} and {dtype.name}")
    if length == 1:
        return constant(np.ones(1), dtype=dtype, name=name or what)
    # TF's periodic windows differ only for even lengths: the denominator gains one.
    denominator = length - 1 + (1 if periodic and length % 2 == 0 else 0)
    k = np.arange(length)
    values = a - b * np.cos(2 * np.pi * k / max(denominator, 1))
    return constant(values, dtype=dtype, name=name or what)


def hann_window(window_length: int, periodic: bool = True, dtype: Any = dtypes.float32,
                name: str | None = None) -> Tensor:
    """``tf.signal.hann_window``: ``0.5 - 0.5 cos(2 pi n / N)``."""
    return _raised_cosine(window_length, periodic, dtype, 0.5, 0.5, "hann_window", name)


def hamming_window(window_length: int, periodic: bool = True, dtype: Any = dtypes.float32,
                   name: str | None = None) -> Tensor:
    """``tf.signal.hamming_window``: ``0.54 - 0.46 cos(2 pi n / N)``."""
    return _raised_cosine(window_length, periodic, dtype, 0.54, 0.46, "hamming_window", name)
