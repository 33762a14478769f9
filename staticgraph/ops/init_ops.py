"""TF1 initializers: objects called with a shape (and dtype) that build an initial value.

``initializer(shape, dtype=None, partition_info=None)`` returns a Tensor built from ops;
random initializers use the random ops with their ``seed``.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Tensor
from ..core.shapes import TensorShape
from . import random_ops
from .fill_ops import ones, zeros
from .framework import constant

# TF1's top-level names; the classes and he_*/lecun_* are tf.initializers' (initializers.py).
__all__ = [
    "zeros_initializer", "ones_initializer", "constant_initializer",
    "random_normal_initializer", "random_uniform_initializer", "truncated_normal_initializer",
    "variance_scaling_initializer", "glorot_uniform_initializer", "glorot_normal_initializer",
    "uniform_unit_scaling_initializer",
]


def _shape_list(shape: Any) -> Any:
    """A TensorShape becomes a list of ints; other shape arguments pass through."""
    return shape.as_list() if isinstance(shape, TensorShape) else shape


def _float_dtype(dtype: Any) -> dtypes.DType:
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"Expected floating point type, got {dtype.name}.")
    return dtype


class Initializer:
    """Base class: ``__call__(shape, dtype=None, partition_info=None)`` builds a Tensor."""

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} must define __call__ (an abstract "
                                  "Initializer)")

    def get_config(self) -> dict:
        """The constructor arguments (``from_config(get_config())`` rebuilds it)."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> "Initializer":
        """An initializer built from ``get_config()``'s dictionary."""
        return cls(**config)


class _Filled(Initializer):
    """Tensors filled with one value (zeros or ones)."""

    _fill = staticmethod(zeros)

    def __init__(self, dtype: Any = dtypes.float32) -> None:
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        return self._fill(_shape_list(shape), dtype or self.dtype)

    def get_config(self) -> dict:
        return {"dtype": self.dtype.name}


class Zeros(_Filled):
    """``tf.zeros_initializer``: all zeros."""


class Ones(_Filled):
    """``tf.ones_initializer``: all ones."""

    _fill = staticmethod(ones)


class Constant(Initializer):
    """``tf.constant_initializer``: a scalar filling the shape, or a value of that shape."""

    def __init__(self, value: Any = 0, dtype: Any = dtypes.float32,
                 verify_shape: bool = False) -> None:
        if not np.isscalar(value) and not isinstance(value, (list, tuple, np.ndarray)):
            raise TypeError(f"Invalid type for initial value: {type(value).__name__} "
                            "(expected a Python scalar, list, tuple or numpy array)")
        self.value = value
        self.dtype = dtypes.as_dtype(dtype)
        self._verify_shape = verify_shape

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None,
                 verify_shape: bool | None = None) -> Tensor:
        verify = self._verify_shape if verify_shape is None else verify_shape
        return constant(self.value, dtype=dtype or self.dtype, shape=_shape_list(shape),
                        verify_shape=verify)

    def get_config(self) -> dict:
        return {"value": self.value, "dtype": self.dtype.name}


class _Normal(Initializer):
    """Shared by the normal initializers: mean, stddev, seed and a float dtype."""

    _sample = staticmethod(random_ops.random_normal)

    def __init__(self, mean: float = 0.0, stddev: float = 1.0, seed: int | None = None,
                 dtype: Any = dtypes.float32) -> None:
        self.mean = mean
        self.stddev = stddev
        self.seed = seed
        self.dtype = _float_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        return self._sample(_shape_list(shape), self.mean, self.stddev,
                            _float_dtype(dtype or self.dtype), seed=self.seed)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed,
                "dtype": self.dtype.name}


class RandomNormal(_Normal):
    """``tf.random_normal_initializer``: normal samples."""


class TruncatedNormal(_Normal):
    """``tf.truncated_normal_initializer``: normal samples redrawn beyond two stddevs."""

    _sample = staticmethod(random_ops.truncated_normal)


class RandomUniform(Initializer):
    """``tf.random_uniform_initializer``: uniform samples in [minval, maxval)."""

    def __init__(self, minval: Any = 0, maxval: Any = None, seed: int | None = None,
                 dtype: Any = dtypes.float32) -> None:
        self.minval = minval
        self.maxval = maxval
        self.seed = seed
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        return random_ops.random_uniform(_shape_list(shape), self.minval, self.maxval,
                                         dtype or self.dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed,
                "dtype": self.dtype.name}


def _compute_fans(shape: Sequence[int]) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight shape; conv kernels count their receptive field."""
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    receptive_field = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return int(shape[-2]) * receptive_field, int(shape[-1]) * receptive_field


# Standard deviation of the standard normal truncated to [-2, 2].
_TRUNCATED_STDDEV = 0.87962566103423978
_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("normal", "uniform", "truncated_normal", "untruncated_normal")


class VarianceScaling(Initializer):
    """``tf.variance_scaling_initializer``: samples with variance ``scale / n``, where n is
    fan_in, fan_out or their average (``mode``), from a truncated normal, an untruncated
    normal or a uniform ``distribution`` ("normal" means truncated, as in TF1)."""

    def __init__(self, scale: float = 1.0, mode: str = "fan_in",
                 distribution: str = "truncated_normal", seed: int | None = None,
                 dtype: Any = dtypes.float32) -> None:
        if scale <= 0.0:
            raise ValueError("`scale` must be positive float.")
        if mode not in _MODES:
            raise ValueError(f"Invalid `mode` argument: {mode}")
        distribution = distribution.lower()
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(f"Invalid `distribution` argument: {distribution}")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.seed = seed
        self.dtype = _float_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dims = _shape_list(shape)
        dtype = _float_dtype(dtype or self.dtype)
        full = getattr(partition_info, "full_shape", None) or dims
        fan_in, fan_out = _compute_fans(full)
        divisor = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        scale = self.scale / max(1.0, divisor[self.mode])
        if self.distribution in ("normal", "truncated_normal"):
            return random_ops.truncated_normal(dims, 0.0, math.sqrt(scale) / _TRUNCATED_STDDEV,
                                               dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random_ops.random_normal(dims, 0.0, math.sqrt(scale), dtype, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return random_ops.random_uniform(dims, -limit, limit, dtype, seed=self.seed)

    def get_config(self) -> dict:
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed, "dtype": self.dtype.name}


class _Glorot(VarianceScaling):
    """Glorot/Xavier: variance 1 / fan_avg."""

    _distribution = "uniform"

    def __init__(self, seed: int | None = None, dtype: Any = dtypes.float32) -> None:
        super().__init__(1.0, "fan_avg", self._distribution, seed, dtype)

    def get_config(self) -> dict:
        return {"seed": self.seed, "dtype": self.dtype.name}


class GlorotUniform(_Glorot):
    """``tf.glorot_uniform_initializer``: uniform in ±sqrt(6 / (fan_in + fan_out))."""


class GlorotNormal(_Glorot):
    """``tf.glorot_normal_initializer``: truncated normal, stddev sqrt(2 / (fan_in +
    fan_out))."""

    _distribution = "truncated_normal"


zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_normal_initializer = RandomNormal
random_uniform_initializer = RandomUniform
truncated_normal_initializer = TruncatedNormal
variance_scaling_initializer = VarianceScaling
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal


def he_normal(seed: int | None = None) -> VarianceScaling:
    """``tf.initializers.he_normal``: truncated normal with variance 2 / fan_in."""
    return VarianceScaling(2.0, "fan_in", "truncated_normal", seed)


def he_uniform(seed: int | None = None) -> VarianceScaling:
    """``tf.initializers.he_uniform``: uniform with variance 2 / fan_in."""
    return VarianceScaling(2.0, "fan_in", "uniform", seed)


def lecun_normal(seed: int | None = None) -> VarianceScaling:
    """``tf.initializers.lecun_normal``: truncated normal with variance 1 / fan_in."""
    return VarianceScaling(1.0, "fan_in", "truncated_normal", seed)


def lecun_uniform(seed: int | None = None) -> VarianceScaling:
    """``tf.initializers.lecun_uniform``: uniform with variance 1 / fan_in."""
    return VarianceScaling(1.0, "fan_in", "uniform", seed)


class UniformUnitScaling(Initializer):
    """``tf.uniform_unit_scaling_initializer`` (TF1, deprecated there): uniform in
    ±sqrt(3 / fan_in)·factor, fan_in the product of every dimension but the last."""

    def __init__(self, factor: float = 1.0, seed: int | None = None,
                 dtype: Any = dtypes.float32) -> None:
        self.factor = factor
        self.seed = seed
        self.dtype = _float_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dims = _shape_list(shape)
        fan_in = max(float(np.prod([int(d) for d in dims[:-1]])), 1.0)
        limit = math.sqrt(3.0 / fan_in) * self.factor
        return random_ops.random_uniform(dims, -limit, limit,
                                         _float_dtype(dtype or self.dtype), seed=self.seed)

    def get_config(self) -> dict:
        return {"factor": self.factor, "seed": self.seed, "dtype": self.dtype.name}


class Identity(Initializer):
    """``tf.initializers.identity``: ``gain`` times the identity matrix (2-D shapes only)."""

    def __init__(self, gain: float = 1.0, dtype: Any = dtypes.float32) -> None:
        self.gain = gain
        self.dtype = _float_dtype(dtype)

    def __call__(self, shape: Any, dtype: Any = None, partition_info: Any = None) -> Tensor:
        dims = _shape_list(shape)
        if len(dims) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices "
                             f"(got shape {list(dims)}).")
        dtype = _float_dtype(dtype or self.dtype)
        return constant(self.gain * np.eye(int(dims[0]), int(dims[1])), dtype=dtype)

    def get_config(self) -> dict:
        return {"gain": self.gain, "dtype": self.dtype.name}


uniform_unit_scaling_initializer = UniformUnitScaling
