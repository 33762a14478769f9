"""Complex-number and FFT cases written against the TF1 API only, so
tools/make_linalg_fixtures.py runs them in TensorFlow (tests/ops/data/fft_tf1.npz) and
tests/ops/test_fft_ops.py runs them in staticgraph and compares values and gradients
(TF's complex convention: dL/dx + i dL/dy)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

_RNG = np.random.RandomState(4)
_Z = _RNG.randn(2, 3, 4) + 1j * _RNG.randn(2, 3, 4)
_X = _RNG.randn(2, 3, 6)
_W = _RNG.randn(2, 3, 4)


def _loss(tf: Any, ys: list) -> Any:
    """A real loss reading real and imaginary parts of every output with weights."""
    terms = []
    for i, y in enumerate(ys):
        parts = [tf.real(y), tf.imag(y)] if y.dtype.is_complex else [y]
        terms += [tf.reduce_sum(tf.sin(p * (1.0 + 0.5 * i + 0.25 * j)))
                  for j, p in enumerate(parts)]
    return tf.add_n(terms)


def _c2c(tf: Any) -> list:
    z = tf.constant(_Z)
    ys = [tf.fft(z), tf.ifft(z), tf.fft2d(z), tf.ifft2d(z), tf.fft3d(z), tf.ifft3d(z),
          tf.signal.fft(z)]
    return ys + tf.gradients(_loss(tf, ys), [z])


def _r2c(tf: Any) -> list:
    x = tf.constant(_X)
    ys = [tf.signal.rfft(x), tf.signal.rfft(x, fft_length=[9]), tf.signal.rfft2d(x),
          tf.signal.rfft2d(x, fft_length=[4, 8])]
    # values only: TF's gradient fails for an fft_length that crops the input, and TF
    # has none for RFFT3D (tests/ops/test_fft_ops.py checks those by finite differences)
    more = [tf.signal.rfft(x, fft_length=[4]), tf.signal.rfft2d(x, fft_length=[2, 5]),
            tf.signal.rfft3d(x)]
    return ys + more + tf.gradients(_loss(tf, ys), [x])


def _c2r(tf: Any) -> list:
    z = tf.constant(_Z)
    ys = [tf.signal.irfft(z), tf.signal.irfft(z, fft_length=[7]),
          tf.signal.irfft(z, fft_length=[10]), tf.signal.irfft2d(z),
          tf.signal.irfft2d(z, fft_length=[3, 8])]
    # values only: cropping fft_lengths (TF's gradient fails), IRFFT3D (TF has none)
    more = [tf.signal.irfft(z, fft_length=[4]), tf.signal.irfft2d(z, fft_length=[3, 5]),
            tf.signal.irfft3d(z)]
    return ys + more + tf.gradients(_loss(tf, ys), [z])


def _parts(tf: Any) -> list:
    z = tf.constant(_Z)
    a, b = tf.constant(_W), tf.constant(_W[::-1])
    made = tf.complex(a, b)
    ys = [tf.real(z), tf.imag(z), tf.angle(z), tf.abs(made), tf.angle(made),
          tf.real(made), tf.imag(made), tf.angle(a), tf.imag(a)]
    return ys + tf.gradients(_loss(tf, ys), [z, a, b])


def _casts(tf: Any) -> list:
    x = tf.constant(_W)
    return [tf.to_complex64(x), tf.to_complex128(x), tf.complex(_W[0], _W[1]),
            tf.signal.rfft(tf.cast(x, tf.float32)), tf.signal.fftshift(x),
            tf.signal.ifftshift(x, axes=[1, 2]), tf.signal.hann_window(6),
            tf.signal.hamming_window(5, periodic=False, dtype=tf.float64)]


CASES: dict[str, Callable[[Any], list]] = {
    "c2c": _c2c, "r2c": _r2c, "c2r": _c2r, "parts": _parts, "casts": _casts,
}
