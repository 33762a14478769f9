"""NumPy kernels of special functions (no SciPy): modified Bessel functions I0 and I1, the
normal quantile ``ndtri`` and ``erfinv``, the regularized incomplete gamma and beta
functions, and the derivatives that have no closed form (igamma in ``a``, gamma samples in
``alpha``). Every kernel computes in float64 and returns its input's dtype.

Methods (textbook facts, written here from their formulas):
- I0, I1: the power series for |x| <= 30, the Hankel asymptotic expansion of
  ``exp(-|x|) I_nu(|x|)`` beyond;
- ndtri: Acklam's rational approximation refined by one Halley step on ``erfc``;
  erfinv: ndtri (or its ``erfc`` form near ±1) refined by a Newton step;
- igamma: the power series of P(a, x) for x < a + 1, the continued fraction of Q(a, x)
  (modified Lentz) otherwise;
- betainc: the continued fraction of I_x(a, b), on the side of the symmetry
  ``I_x(a, b) = 1 - I_{1-x}(b, a)`` where it converges fast;
- d igamma / d a: Richardson-extrapolated central differences in ``a`` of the log of
  whichever of P, Q is smaller, accurate to about 1e-9 relative.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

__all__ = ["bessel_i0e", "bessel_i1e", "bessel_i0", "bessel_i1", "ndtri", "erfinv",
           "igamma", "igammac", "igamma_grad_a", "random_gamma_grad", "betainc", "lgamma"]

_EPS = np.finfo(np.float64).eps
_TINY = 1e-300
_ASYMPTOTIC_FROM = 30.0


def _vectorize(function: Callable[[float], float]) -> Callable[[np.ndarray], np.ndarray]:
    """A float64 array function applying a scalar ``math`` function (inf at its poles)."""
    def scalar(v: float) -> float:
        try:
            return function(v)
        except (ValueError, OverflowError):
            return math.inf
    vectorized = np.frompyfunc(scalar, 1, 1)
    return lambda x: np.asarray(vectorized(np.asarray(x, np.float64)), dtype=np.float64)


lgamma = _vectorize(math.lgamma)
_erfc = _vectorize(math.erfc)
_erf = _vectorize(math.erf)


def _as_float64(*arrays: np.ndarray) -> tuple[np.dtype, list[np.ndarray]]:
    """The result dtype of the inputs and the inputs broadcast, as float64 copies."""
    dtype = np.result_type(*[np.asarray(a) for a in arrays])
    if dtype.kind != "f":
        dtype = np.dtype(np.float64)
    arrays = np.broadcast_arrays(*[np.asarray(a, np.float64) for a in arrays])
    return dtype, [np.array(a, copy=True) for a in arrays]


# ----------------------------------------------------------------------------------------
# Modified Bessel functions of the first kind, orders 0 and 1
# ----------------------------------------------------------------------------------------


def _bessel_scaled(nu: int, x: np.ndarray) -> np.ndarray:
    """``exp(-|x|) I_nu(|x|)`` for nu in (0, 1), float64."""
    ax = np.abs(x)
    out = np.full_like(ax, np.nan)
    small = ax <= _ASYMPTOTIC_FROM
    s = ax[small]
    quarter = s * s / 4
    term = (s / 2) ** nu  # (x/2)^nu / nu! for nu in (0, 1)
    total = term.copy()
    for k in range(1, 200):
        term = term * quarter / (k * (k + nu))
        total += term
        if not np.any(term > _EPS * total):
            break
    out[small] = total * np.exp(-s)
    big = ax > _ASYMPTOTIC_FROM
    b = ax[big]
    mu = 4.0 * nu * nu
    term = np.ones_like(b)
    total = term.copy()
    for k in range(1, 40):  # terms keep shrinking for x > 30 well past k = 40
        term = -term * (mu - (2 * k - 1) ** 2) / (k * 8.0 * b)
        total += term
    with np.errstate(divide="ignore"):
        out[big] = total / np.sqrt(2 * np.pi * b)
    out[np.isnan(x)] = np.nan
    return out


def bessel_i0e(x: np.ndarray) -> np.ndarray:
    """``exp(-|x|) I0(x)``."""
    dtype, (x,) = _as_float64(x)
    return _bessel_scaled(0, x).astype(dtype)


def bessel_i1e(x: np.ndarray) -> np.ndarray:
    """``exp(-|x|) I1(x)`` (odd in x)."""
    dtype, (x,) = _as_float64(x)
    return (np.sign(x) * _bessel_scaled(1, x)).astype(dtype)


def _unscaled(scaled: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """``scaled(x) * exp(|x|)``: inf once that overflows, NaN at ±inf (0 * inf, as TF)."""
    def kernel(x: np.ndarray) -> np.ndarray:
        dtype, (x,) = _as_float64(x)
        with np.errstate(over="ignore", invalid="ignore"):
            return (scaled(x) * np.exp(np.abs(x))).astype(dtype)
    return kernel


bessel_i0 = _unscaled(bessel_i0e)
bessel_i1 = _unscaled(bessel_i1e)


# ----------------------------------------------------------------------------------------
# The normal quantile and the inverse error function
# ----------------------------------------------------------------------------------------

_CENTRAL_NUM = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00)
_CENTRAL_DEN = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                6.680131188771972e+01, -1.328068155288572e+01, 1.0)
_TAIL_NUM = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00)
_TAIL_DEN = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
             3.754408661907416e+00, 1.0)
_P_LOW = 0.02425


def _horner(coeffs: tuple, x: np.ndarray) -> np.ndarray:
    out = np.zeros_like(x)
    for c in coeffs:
        out = out * x + c
    return out


def _lower_quantile(p: np.ndarray) -> np.ndarray:
    """ndtri for 0 < p <= 0.5, refined to full precision."""
    x = np.empty_like(p)
    tail = p < _P_LOW
    q = np.sqrt(-2 * np.log(p[tail]))
    x[tail] = _horner(_TAIL_NUM, q) / _horner(_TAIL_DEN, q)
    q = p[~tail] - 0.5
    r = q * q
    x[~tail] = _horner(_CENTRAL_NUM, r) * q / _horner(_CENTRAL_DEN, r)
    # Halley: e = Phi(x) - p; u = e / phi(x), with p / phi(x) formed in logs for tiny p
    e = 0.5 * _erfc(-x / math.sqrt(2)) - p
    u = (e / p) * np.exp(np.log(p) + x * x / 2 + 0.5 * math.log(2 * math.pi))
    x = x - u / (1 + x * u / 2)
    far = x < -20  # Phi(x) near the underflow threshold: Newton on log Phi instead
    x[far] = _far_lower_quantile(x[far], np.log(p[far]))
    return x


def _far_lower_quantile(x: np.ndarray, log_p: np.ndarray) -> np.ndarray:
    """Newton steps on log Phi(x) = log p for x < -20, with Phi(x) = phi(x) S / |x| and
    S = sum of (-1)^k (2k-1)!! / x^(2k) (the asymptotic series of Mills' ratio)."""
    for _ in range(2):
        inv2 = 1 / (x * x)
        series, term = np.ones_like(x), np.ones_like(x)
        for k in range(1, 10):
            term = -term * (2 * k - 1) * inv2
            series += term
        log_cdf = -x * x / 2 - 0.5 * math.log(2 * math.pi) - np.log(-x) + np.log(series)
        x = x - (log_cdf - log_p) * series / -x
    return x


def _ndtri64(p: np.ndarray) -> np.ndarray:
    out = np.full_like(p, np.nan)
    out[p == 0] = -np.inf
    out[p == 1] = np.inf
    lower = (p > 0) & (p <= 0.5)
    upper = (p > 0.5) & (p < 1)
    out[lower] = _lower_quantile(p[lower])
    out[upper] = -_lower_quantile(1 - p[upper])
    return out


def ndtri(p: np.ndarray) -> np.ndarray:
    """The inverse of the standard normal CDF (NaN outside [0, 1])."""
    dtype, (p,) = _as_float64(p)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        return _ndtri64(p).astype(dtype)


def erfinv(y: np.ndarray) -> np.ndarray:
    """The inverse of ``erf`` on [-1, 1] (NaN outside)."""
    dtype, (y,) = _as_float64(y)
    a = np.abs(y)
    out = np.full_like(y, np.nan)
    out[a == 1] = np.inf
    central = a <= 0.5
    tails = (a > 0.5) & (a < 1)
    scale = 2 / math.sqrt(math.pi)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        x = _ndtri64((a[central] + 1) / 2) / math.sqrt(2)
        out[central] = x - (_erf(x) - a[central]) / (scale * np.exp(-x * x))
        rest = 1 - a[tails]  # exact for a in [0.5, 1]
        x = -_ndtri64(rest / 2) / math.sqrt(2)
        out[tails] = x + (_erfc(x) - rest) / (scale * np.exp(-x * x))
    return (np.sign(y) * out).astype(dtype)


# ----------------------------------------------------------------------------------------
# Regularized incomplete gamma functions
# ----------------------------------------------------------------------------------------


_STIRLING = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360)


def _log_power_exp(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``log(x^a e^-x / Gamma(a))``. For a >= 20 it is formed as ``a (log1p(t) - t)`` with
    ``t = (x - a) / a`` minus Stirling's series of lgamma, whose rounding error is about
    eps * |x - a| rather than eps * a * log(x)."""
    out = a * np.log(x) - x - lgamma(a)
    big = a >= 20
    ab, t = a[big], (x[big] - a[big]) / a[big]
    stirling = sum(c / ab ** (2 * k + 1) for k, c in enumerate(_STIRLING))
    out[big] = (ab * (np.log1p(t) - t) - 0.5 * np.log(2 * np.pi * ab) - stirling
                + np.log(ab))
    return out


def _gamma_series(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """P(a, x) by its power series (for x < a + 1)."""
    term = 1 / a  # x^a e^-x / Gamma(a) times sum of x^n / (a (a+1) ... (a+n))
    total = term.copy()
    active = np.ones(a.shape, bool)
    n = 0
    while np.any(active) and n < 100000:
        n += 1
        term = np.where(active, term * x / (a + n), term)
        total = np.where(active, total + term, total)
        active = term > _EPS * total
    return total * np.exp(_log_power_exp(a, x))


def _gamma_fraction(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Q(a, x) by its continued fraction (for x >= a + 1), modified Lentz."""
    b = x + 1 - a
    c = np.full_like(a, 1 / _TINY)
    d = 1 / b
    h = d.copy()
    active = np.ones(a.shape, bool)
    i = 0
    while np.any(active) and i < 100000:
        i += 1
        an = -i * (i - a)
        b = b + 2
        d = an * d + b
        d = np.where(np.abs(d) < _TINY, _TINY, d)
        c = b + an / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        d = 1 / d
        delta = d * c
        h = np.where(active, h * delta, h)
        active = np.abs(delta - 1) > _EPS
    return h * np.exp(_log_power_exp(a, x))


def _igamma_pair(a: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(P, Q) in float64 with TF's edge values: NaN for a <= 0, x < 0 or NaN; P = 0 at
    x = 0 and P = 1 at x = inf."""
    p = np.full_like(a, np.nan)
    q = np.full_like(a, np.nan)
    valid = (a > 0) & (x >= 0)
    zero = valid & (x == 0)
    inf = valid & np.isinf(x)
    p[zero], q[zero] = 0.0, 1.0
    p[inf], q[inf] = 1.0, 0.0
    inner = valid & ~zero & ~inf
    series = inner & (x < a + 1)
    fraction = inner & ~series
    with np.errstate(all="ignore"):
        p[series] = _gamma_series(a[series], x[series])
        q[series] = 1 - p[series]
        q[fraction] = _gamma_fraction(a[fraction], x[fraction])
        p[fraction] = 1 - q[fraction]
    return p, q


def igamma(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """P(a, x), the regularized lower incomplete gamma function."""
    dtype, (a, x) = _as_float64(a, x)
    return _igamma_pair(a, x)[0].astype(dtype)


def igammac(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Q(a, x) = 1 - P(a, x), the regularized upper incomplete gamma function."""
    dtype, (a, x) = _as_float64(a, x)
    return _igamma_pair(a, x)[1].astype(dtype)


def _dp_da(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """dP(a, x)/da in float64: Richardson-extrapolated central differences of the log of
    whichever of P, Q is smaller (smooth and nearly linear in a even in the far tails)."""
    p, q = _igamma_pair(a, x)
    use_q = q < p
    smallest = np.where(use_q, q, p)

    def log_smaller(at: np.ndarray) -> np.ndarray:
        pp, qq = _igamma_pair(at, x)
        return np.log(np.where(use_q, qq, pp))

    h = 2e-3 * a / (1 + np.sqrt(a))  # P varies over a scale of about min(a, sqrt(a))
    d1 = (log_smaller(a + h) - log_smaller(a - h)) / (2 * h)
    d2 = (log_smaller(a + h / 2) - log_smaller(a - h / 2)) / h
    out = np.where(use_q, -smallest, smallest) * (4 * d2 - d1) / 3
    flat = ~(np.isfinite(x) & (x > 0)) | (smallest == 0)
    return np.where(np.isnan(p), np.nan, np.where(flat, 0.0, out))


def igamma_grad_a(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """dP(a, x)/da (TF's ``IgammaGradA``)."""
    dtype, (a, x) = _as_float64(a, x)
    with np.errstate(all="ignore"):
        return _dp_da(a, x).astype(dtype)


def _log_gamma_density(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """log of dP(a, x)/dx = x^(a-1) e^(-x) / Gamma(a)."""
    return (a - 1) * np.log(x) - x - lgamma(a)


def random_gamma_grad(alpha: np.ndarray, sample: np.ndarray) -> np.ndarray:
    """d sample / d alpha for Gamma(alpha, 1) samples with the CDF held fixed (implicit
    reparameterization): ``-(dP/dalpha) / (dP/dx)`` at the sample."""
    dtype, (alpha, sample) = _as_float64(alpha, sample)
    with np.errstate(all="ignore"):
        out = -_dp_da(alpha, sample) * np.exp(-_log_gamma_density(alpha, sample))
    return out.astype(dtype)


# ----------------------------------------------------------------------------------------
# The regularized incomplete beta function
# ----------------------------------------------------------------------------------------


def _beta_fraction(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The continued fraction of I_x(a, b) / front (modified Lentz)."""
    qab, qap, qam = a + b, a + 1, a - 1
    c = np.ones_like(a)
    d = 1 - qab * x / qap
    d = 1 / np.where(np.abs(d) < _TINY, _TINY, d)
    h = d.copy()
    active = np.ones(a.shape, bool)
    m = 0
    while np.any(active) and m < 100000:
        m += 1
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((qam + m2) * (a + m2)),
                   -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1 + aa * d
            d = 1 / np.where(np.abs(d) < _TINY, _TINY, d)
            c = 1 + aa / c
            c = np.where(np.abs(c) < _TINY, _TINY, c)
            delta = d * c
            h = np.where(active, h * delta, h)
        active = np.abs(delta - 1) > _EPS
    return h


def betainc(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """I_x(a, b), the regularized incomplete beta function (NaN for a <= 0, b <= 0 or x
    outside [0, 1])."""
    dtype, (a, b, x) = _as_float64(a, b, x)
    out = np.full_like(x, np.nan)
    valid = (a > 0) & (b > 0) & (x >= 0) & (x <= 1)
    out[valid & (x == 0)] = 0.0
    out[valid & (x == 1)] = 1.0
    inner = valid & (x > 0) & (x < 1)
    direct = inner & (x < (a + 1) / (a + b + 2))
    flipped = inner & ~direct
    with np.errstate(all="ignore"):
        for mask, p, q, t, complement in ((direct, a, b, x, False),
                                          (flipped, b, a, 1 - x, True)):
            p, q, t = p[mask], q[mask], t[mask]
            front = np.exp(lgamma(p + q) - lgamma(p) - lgamma(q) + p * np.log(t)
                           + q * np.log1p(-t))
            value = front * _beta_fraction(p, q, t) / p
            out[mask] = 1 - value if complement else value
    return out.astype(dtype)
