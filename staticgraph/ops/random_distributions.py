"""Gamma, Poisson, binomial and parameterized truncated normal samples, stateless
(``tf.random.stateless_gamma``...) and stateful (``tf.random.gamma``/``tf.random_gamma``,
``tf.random.poisson``/``tf.random_poisson``), and ``tf.random_crop``.

Each distribution has one stateless op, a pure function of (shape, seed, parameters)
(see :mod:`.stateless_random_ops`). A stateful sampler is that op fed by a fresh seed that
a stateful ``RandomUniformInt`` draws on every run (seeded by TF1's graph and op seeds), so
the compiler never folds or merges the stateful draws, while a stateless op with constant
inputs may be folded.

Gamma samples are differentiable in ``alpha`` (and through the division in ``beta``) by
implicit reparameterization, as in TF: ``d sample / d alpha = -(dP/dalpha) / (dP/dx)`` with
P the gamma CDF, i.e. the sample moves so that its CDF value stays put.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from . import special_kernels as K
from .broadcast_ops import unbroadcast
from .cast_ops import cast
from .fill_ops import zeros_like
from .framework import apply_op, convert_to_tensor
from .join_ops import concat
from .math_ops import _float_binary, add, maximum, multiply, realdiv
from .op_util import as_index_tensor, op_scope
from .random_ops import random_uniform
from .shape_ops import shape as shape_of
from .stateless_random_ops import (_dims, _as, check_float, philox, sample, sample_shape,
                                   seed_tensor)

__all__ = ["stateless_random_gamma", "stateless_random_poisson", "stateless_random_binomial",
           "stateless_parameterized_truncated_normal", "random_gamma", "random_poisson"]


def _params_shape(inputs: list, attrs: dict) -> list:
    """Output ``shape`` (input 0); every parameter (inputs 2...) must broadcast to it."""
    out = sample_shape(inputs[0], inputs[1])
    for param in inputs[2:]:
        dims, pdims = out.as_list(), param.shape.as_list()
        if dims is None or pdims is None:
            continue
        if len(pdims) > len(dims) or any(
                p is not None and d is not None and p not in (1, d)
                for p, d in zip(reversed(pdims), reversed(dims))):
            raise ValueError(f"parameter of shape {param.shape} does not broadcast to the "
                             f"sample shape {out}")
    return [(out, attrs["dtype"])]


def _broadcast_params(op_type: str, shape: np.ndarray, *params: np.ndarray) -> list:
    dims = _dims(shape)
    try:
        return [np.broadcast_to(np.asarray(p, np.float64), dims) for p in params]
    except ValueError:
        raise ValueError(f"{op_type}: parameters of shapes {[np.shape(p) for p in params]} "
                         f"do not broadcast to the sample shape {list(dims)}") from None


# ----------------------------------------------------------------------------------------
# Gamma
# ----------------------------------------------------------------------------------------


def _gamma_kernel(shape: np.ndarray, seed: np.ndarray, alpha: np.ndarray, *,
                  dtype: dtypes.DType) -> np.ndarray:
    (alpha,) = _broadcast_params("StatelessRandomGammaV2", shape, alpha)
    valid = alpha > 0
    draws = philox(seed).standard_gamma(np.where(valid, alpha, 1.0))
    return _as(np.where(valid, draws, np.nan), dtype)


def _gamma_partial(op: Operation) -> Tensor:
    return apply_op("RandomGammaGrad", [op.inputs[2], op.outputs[0]]).outputs[0]


def _gamma_vjp(op: Operation, g: Tensor) -> list:
    alpha = op.inputs[2]
    return [None, None, unbroadcast(multiply(g, _gamma_partial(op)), alpha, op.outputs[0])]


def _gamma_jvp(op: Operation, t_shape: None, t_seed: None, t_alpha: Tensor | None) -> list:
    return [None if t_alpha is None else multiply(t_alpha, _gamma_partial(op))]


define_op("RandomGammaGrad", kernel=K.random_gamma_grad, shape_fn=_float_binary,
          elementwise=True, view_of={}, fresh=True,
          doc="d sample / d alpha of Gamma(alpha, 1) samples (implicit reparameterization).")
define_op("StatelessRandomGammaV2", kernel=_gamma_kernel, shape_fn=_params_shape,
          vjp=_gamma_vjp, jvp=_gamma_jvp, non_differentiable=(0, 1), view_of={},
          doc="Gamma(alpha, 1) samples of the given shape, keyed by a seed.")


def _gamma(shape: Any, seed: Tensor, alpha: Any, beta: Any, dtype: Any) -> Tensor:
    """max(tiny, Gamma(alpha) / beta) samples of ``shape`` (alpha, beta broadcast to it)."""
    dtype = check_float(dtype)
    alpha = convert_to_tensor(alpha, dtype=dtype, name="alpha")
    draws = sample("StatelessRandomGammaV2", shape, seed, {"dtype": dtype}, alpha)
    if beta is not None:
        draws = realdiv(draws, convert_to_tensor(beta, dtype=dtype, name="beta"))
    return maximum(np.finfo(dtype.dtype).tiny, draws)


def stateless_random_gamma(shape: Any, seed: Any, alpha: Any, beta: Any = None,
                           dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:
    """``tf.random.stateless_gamma``: Gamma(alpha, rate beta) samples of ``shape`` (alpha
    and beta broadcast to it), a pure function of (shape, seed, alpha, beta);
    differentiable in alpha and beta."""
    with op_scope(name, "stateless_random_gamma"):
        return _gamma(shape, seed_tensor(seed), alpha, beta, dtype)


def _fresh_seed(seed: int | None) -> Tensor:
    """A stateful draw of a shape-[2] int64 seed: new on every run, reproducible across
    sessions under TF1's graph and op seeds."""
    info = np.iinfo(np.int64)
    return random_uniform([2], info.min, info.max, dtypes.int64, seed=seed, name="seed")


def _with_shape_of(shape: Any, param: Tensor) -> Tensor:
    """``concat(shape, shape(param))``: TF1's sample shape for per-parameter draws."""
    return concat([cast(as_index_tensor(shape, "shape"), dtypes.int32), shape_of(param)], 0)


def random_gamma(shape: Any, alpha: Any, beta: Any = None, dtype: Any = dtypes.float32,
                 seed: int | None = None, name: str | None = None) -> Tensor:
    """``tf.random.gamma`` / ``tf.random_gamma``: ``shape`` samples for each entry of
    alpha and beta broadcast together (output shape ``shape + broadcast shape``), with
    rate ``beta``; differentiable in alpha (implicit reparameterization) and beta."""
    dtype = check_float(dtype)
    with op_scope(name, "random_gamma"):
        alpha = convert_to_tensor(alpha, dtype=dtype, name="alpha")
        if beta is not None:
            beta = convert_to_tensor(beta, dtype=dtype, name="beta")
            alpha = add(alpha, zeros_like(beta))
        return _gamma(_with_shape_of(shape, alpha), _fresh_seed(seed), alpha, beta, dtype)


# ----------------------------------------------------------------------------------------
# Poisson and binomial
# ----------------------------------------------------------------------------------------


def _poisson_kernel(shape: np.ndarray, seed: np.ndarray, lam: np.ndarray, *,
                    dtype: dtypes.DType) -> np.ndarray:
    (lam,) = _broadcast_params("StatelessRandomPoisson", shape, lam)
    if np.any(lam < 0) or np.any(np.isnan(lam)):
        raise ValueError("StatelessRandomPoisson: lam must be non-negative")
    return _as(philox(seed).poisson(lam), dtype)


def _binomial_kernel(shape: np.ndarray, seed: np.ndarray, counts: np.ndarray,
                     probs: np.ndarray, *, dtype: dtypes.DType) -> np.ndarray:
    counts, probs = _broadcast_params("StatelessRandomBinomial", shape, counts, probs)
    if np.any(~((probs >= 0) & (probs <= 1))) or np.any(~(counts >= 0)):
        raise ValueError("StatelessRandomBinomial: need counts >= 0 and 0 <= probs <= 1")
    return _as(philox(seed).binomial(counts.astype(np.int64), probs), dtype)


for _type, _kernel, _n, _doc in (
        ("StatelessRandomPoisson", _poisson_kernel, 3,
         "Poisson(lam) samples of the given shape, keyed by a seed."),
        ("StatelessRandomBinomial", _binomial_kernel, 4,
         "Binomial(counts, probs) samples of the given shape, keyed by a seed.")):
    define_op(_type, kernel=_kernel, shape_fn=_params_shape, view_of={}, doc=_doc,
              non_differentiable=tuple(range(_n)))


def stateless_random_poisson(shape: Any, seed: Any, lam: Any, dtype: Any = dtypes.int32,
                             name: str | None = None) -> Tensor:
    """``tf.random.stateless_poisson``: Poisson(lam) samples of ``shape`` (lam broadcast to
    it), a pure function of (shape, seed, lam)."""
    with op_scope(name, "stateless_random_poisson"):
        lam = convert_to_tensor(lam, preferred_dtype=dtypes.float32, name="lam")
        return sample("StatelessRandomPoisson", shape, seed_tensor(seed),
                      {"dtype": dtypes.as_dtype(dtype)}, lam)


def random_poisson(lam: Any, shape: Any, dtype: Any = dtypes.float32, seed: int | None = None,
                   name: str | None = None) -> Tensor:
    """``tf.random.poisson`` / ``tf.random_poisson`` (TF1 argument order): ``shape``
    samples for each entry of ``lam`` (output shape ``shape + lam.shape``)."""
    with op_scope(name, "random_poisson"):
        lam = convert_to_tensor(lam, preferred_dtype=dtypes.float32, name="lam")
        return sample("StatelessRandomPoisson", _with_shape_of(shape, lam), _fresh_seed(seed),
                      {"dtype": dtypes.as_dtype(dtype)}, lam)


def stateless_random_binomial(shape: Any, seed: Any, counts: Any, probs: Any,
                              output_dtype: Any = dtypes.int32,
                              name: str | None = None) -> Tensor:
    """``tf.random.stateless_binomial``: Binomial(counts, probs) samples of ``shape``
    (counts and probs broadcast to it), a pure function of its inputs."""
    with op_scope(name, "stateless_random_binomial"):
        counts = convert_to_tensor(counts, preferred_dtype=dtypes.float32, name="counts")
        probs = convert_to_tensor(probs, dtype=counts.dtype, name="probs")
        return sample("StatelessRandomBinomial", shape, seed_tensor(seed),
                      {"dtype": dtypes.as_dtype(output_dtype)}, counts, probs)


# ----------------------------------------------------------------------------------------
# Parameterized truncated normal
# ----------------------------------------------------------------------------------------


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    return 0.5 * K._erfc(-x / np.sqrt(2))


def _truncated_normal_kernel(shape: np.ndarray, seed: np.ndarray, means: np.ndarray,
                             stddevs: np.ndarray, minvals: np.ndarray, maxvals: np.ndarray,
                             *, dtype: dtypes.DType) -> np.ndarray:
    means, stddevs, low, high = _broadcast_params(
        "StatelessParameterizedTruncatedNormal", shape, means, stddevs, minvals, maxvals)
    if np.any(~(stddevs > 0)) or np.any(~(low < high)):
        raise ValueError("StatelessParameterizedTruncatedNormal: need stddevs > 0 and "
                         "minvals < maxvals")
    a, b = (low - means) / stddevs, (high - means) / stddevs
    flip = a > 0  # sample the mirrored interval, where the CDF keeps its precision
    a, b = np.where(flip, -b, a), np.where(flip, -a, b)
    u = philox(seed).random(a.shape)
    ca, cb = _normal_cdf(a), _normal_cdf(b)
    z = np.clip(K.ndtri(ca + u * (cb - ca)), a, b)
    return _as(means + stddevs * np.where(flip, -z, z), dtype)


define_op("StatelessParameterizedTruncatedNormal", kernel=_truncated_normal_kernel,
          shape_fn=_params_shape, view_of={}, non_differentiable=(0, 1, 2, 3, 4, 5),
          doc="Normal(means, stddevs) samples truncated to [minvals, maxvals], keyed by a "
              "seed (inverse-CDF sampling).")


def stateless_parameterized_truncated_normal(shape: Any, seed: Any, means: Any = 0.0,
                                             stddevs: Any = 1.0, minvals: Any = -2.0,
                                             maxvals: Any = 2.0,
                                             name: str | None = None) -> Tensor:
    """``tf.random.stateless_parameterized_truncated_normal``: Normal(means, stddevs)
    samples truncated to [minvals, maxvals] (all broadcast to ``shape``), a pure function
    of its inputs; the dtype is that of ``means``."""
    with op_scope(name, "stateless_parameterized_truncated_normal"):
        means = convert_to_tensor(means, name="means")
        dtype = check_float(means.dtype)
        params = [means] + [convert_to_tensor(v, dtype=dtype, name=n) for v, n in
                            ((stddevs, "stddevs"), (minvals, "minvals"), (maxvals, "maxvals"))]
        return sample("StatelessParameterizedTruncatedNormal", shape, seed_tensor(seed),
                      {"dtype": dtype}, *params)

