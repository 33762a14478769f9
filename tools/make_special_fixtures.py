"""Writes tests/ops/data/special_tf.npz: TensorFlow's values of the special functions
added for issue 14 (Bessel I0/I1 and their scaled forms, erfinv, erfcinv, ndtri, the
regularized incomplete gamma and beta functions, igamma's derivative in ``a`` and the
implicit-reparameterization derivative of gamma samples) on grids with edge cases
(0, tails, inf, NaN, invalid parameters), in float64.

    /work/tfenv/bin/python tools/make_special_fixtures.py    # needs tensorflow

Keys are ``<function>/<argument or "value">``; ``<function>/mpmath`` holds mpmath's
values on the same grid for the functions where TF's float64 results lose digits
(IgammaGradA for large a, erfinv near 0 and ±1). The tests read the
file with ``allow_pickle=False`` and never need TensorFlow or mpmath.
"""
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "ops", "data", "special_tf.npz")

NAN, INF = np.nan, np.inf
BESSEL_X = np.array([0.0, -0.0, 1e-10, -1e-10, 0.5, -0.5, 1.0, -1.0, 5.0, -5.0, 29.9, -29.9,
                     30.1, -30.1, 50.0, -50.0, 200.0, -200.0, 700.0, 713.0, 800.0, INF, -INF,
                     NAN])
NDTRI_P = np.array([0.0, 5e-324, 1e-300, 1e-20, 1e-5, 0.02, 0.02425, 0.1, 0.3, 0.5, 0.7,
                    0.97575, 0.98, 0.999999, 1 - 1e-16, 1.0, -0.1, 1.1, NAN])
ERFINV_Y = np.array([-1.0, -0.999999, -0.5, -1e-20, 0.0, 1e-10, 0.3, 0.5, 0.7, 0.99,
                     1 - 1e-15, 1.0, 1.5, -1.5, NAN])
ERFCINV_Y = np.array([0.0, 1e-300, 1e-10, 0.5, 1.0, 1.5, 2 - 1e-10, 2.0, 2.5, -0.5, NAN])
GAMMA_A = np.array([1e-3, 0.1, 0.5, 1.0, 2.5, 10.0, 100.0, 1000.0, 1e5])
GAMMA_X = np.array([0.0, 1e-5, 0.1, 1.0, 2.5, 9.0, 11.0, 90.0, 110.0, 1000.0, 1e5, INF])
BETA_AB = np.array([0.1, 1.0, 3.0, 50.0])
BETA_X = np.array([0.0, 1e-8, 0.1, 0.5, 0.9, 1 - 1e-8, 1.0])


def _grids() -> dict:
    a, x = (g.ravel() for g in np.meshgrid(GAMMA_A, GAMMA_X, indexing="ij"))
    a = np.concatenate([a, [0.0, -1.0, NAN, 1.0, 1.0, 2.0]])
    x = np.concatenate([x, [1.0, 1.0, 1.0, -1.0, NAN, 0.5]])
    ba, bb, bx = (g.ravel() for g in np.meshgrid(BETA_AB, BETA_AB, BETA_X, indexing="ij"))
    ba = np.concatenate([ba, [0.0, 1.0, 1.0, 1.0, NAN]])
    bb = np.concatenate([bb, [1.0, -1.0, 1.0, 1.0, 1.0]])
    bx = np.concatenate([bx, [0.5, 0.5, -0.1, 1.1, 0.5]])
    ga = np.array([0.01, 0.1, 0.5, 1.0, 1.0, 2.0, 3.5, 10.0, 10.0, 100.0, 1000.0])
    gs = np.array([1e-30, 0.05, 0.3, 0.1, 2.0, 1.5, 3.5, 5.0, 14.0, 120.0, 950.0])
    return {"igamma/a": a, "igamma/x": x, "betainc/a": ba, "betainc/b": bb,
            "betainc/x": bx, "random_gamma_grad/alpha": ga, "random_gamma_grad/sample": gs}


def _mpmath_grad_a(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """dP(a, x)/da by mpmath at 30 digits, differentiating whichever of P and Q is smaller
    (NaN where P is undefined, 0 at x = 0 or inf)."""
    import mpmath
    mpmath.mp.dps = 30
    out = np.full(a.shape, np.nan)
    for i, (ai, xi) in enumerate(zip(a, x)):
        if not (ai > 0 and xi >= 0):
            continue
        if xi == 0 or np.isinf(xi):
            out[i] = 0.0
            continue
        lower = mpmath.gammainc(ai, 0, xi, regularized=True) < 0.5
        sign, bounds = (1, (0, mpmath.mpf(xi))) if lower else (-1, (mpmath.mpf(xi), mpmath.inf))
        smaller = lambda t: mpmath.gammainc(t, *bounds, regularized=True)  # noqa: E731
        out[i] = sign * float(mpmath.diff(smaller, mpmath.mpf(ai)))
    return out


def _mpmath_quantiles() -> dict:
    """ndtri, erfinv and erfcinv on their grids by mpmath at 30 digits (TF's float64
    erfinv loses digits near 0 and near ±1)."""
    import mpmath
    mpmath.mp.dps = 30

    def table(function, values, low, high, at_low, at_high):
        out = []
        for v in values:
            if np.isnan(v) or v < low or v > high:
                out.append(np.nan)
            elif v in (low, high):
                out.append(at_low if v == low else at_high)
            else:
                out.append(float(function(mpmath.mpf(float(v)))))
        return np.array(out)
    def inverse(function, increasing=True):
        """The root of function(t) = v in [-40, 40], by bisection (monotone function)."""
        def solve(v):
            lo, hi = mpmath.mpf(-40), mpmath.mpf(40)
            for _ in range(200):
                mid = (lo + hi) / 2
                if (function(mid) < v) == increasing:
                    lo = mid
                else:
                    hi = mid
            return (lo + hi) / 2
        return solve
    return {
        "ndtri/mpmath": table(inverse(mpmath.ncdf), NDTRI_P, 0.0, 1.0, -INF, INF),
        "erfinv/mpmath": table(mpmath.erfinv, ERFINV_Y, -1.0, 1.0, -INF, INF),
        "erfcinv/mpmath": table(inverse(mpmath.erfc, False), ERFCINV_Y, 0.0, 2.0, INF, -INF),
    }


def main() -> None:
    """Evaluates every function with TensorFlow (graph mode) and saves the arrays."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution()
    out = {"bessel/x": BESSEL_X, "ndtri/p": NDTRI_P, "erfinv/y": ERFINV_Y,
           "erfcinv/y": ERFCINV_Y, **_grids()}
    s = tf.math.special
    fetches = {
        "bessel_i0/value": tf.math.bessel_i0(BESSEL_X),
        "bessel_i0e/value": tf.math.bessel_i0e(BESSEL_X),
        "bessel_i1/value": tf.math.bessel_i1(BESSEL_X),
        "bessel_i1e/value": tf.math.bessel_i1e(BESSEL_X),
        "ndtri/value": s.ndtri(NDTRI_P) if hasattr(s, "ndtri") else tf.math.ndtri(NDTRI_P),
        "erfinv/value": tf.math.erfinv(ERFINV_Y),
        "erfcinv/value": tf.math.erfcinv(ERFCINV_Y),
        "igamma/value": tf.math.igamma(out["igamma/a"], out["igamma/x"]),
        "igammac/value": tf.math.igammac(out["igamma/a"], out["igamma/x"]),
        "igamma_grad_a/value": tf.raw_ops.IgammaGradA(a=out["igamma/a"], x=out["igamma/x"]),
        "betainc/value": tf.math.betainc(out["betainc/a"], out["betainc/b"],
                                         out["betainc/x"]),
        "random_gamma_grad/value": tf.raw_ops.RandomGammaGrad(
            alpha=out["random_gamma_grad/alpha"], sample=out["random_gamma_grad/sample"]),
    }
    with tf.Session() as sess:
        out.update(sess.run(fetches))
    out["igamma_grad_a/mpmath"] = _mpmath_grad_a(out["igamma/a"], out["igamma/x"])
    out.update(_mpmath_quantiles())
    np.savez(OUT, **out)
    print(f"wrote {len(out)} arrays to {OUT}")


if __name__ == "__main__":
    main()
