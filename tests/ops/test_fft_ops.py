"""Complex numbers and Fourier transforms: values and gradients against TensorFlow's
(tests/ops/data/fft_tf1.npz, written by tools/make_linalg_fixtures.py), finite differences
in both modes (real inputs through complex intermediates), and errors."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case
from staticgraph.ops.framework import apply_op

from . import tf1_fixtures
from .fft_tf1_cases import CASES

RNG = np.random.RandomState(9)


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_match_tf(name):
    tf1_fixtures.assert_case_matches("fft_tf1", name, CASES[name])


def _c2c(a, b):
    z = tf.complex(a, b)
    cube = tf.reshape(z, [1, 2, 4])
    return [tf.real(tf.fft(z)), tf.imag(tf.ifft(z)), tf.abs(tf.fft2d(z)),
            tf.angle(tf.ifft2d(z)), tf.real(tf.fft3d(cube)), tf.imag(tf.ifft3d(cube))]


def _r2c(x):
    return [tf.real(tf.signal.rfft(x)), tf.imag(tf.signal.rfft(x, fft_length=[3])),
            tf.abs(tf.signal.rfft2d(x, fft_length=[3, 6])),
            tf.imag(tf.signal.rfft3d(tf.reshape(x, [1, 2, 4])))]


def _c2r(a, b):
    z = tf.complex(a, b)
    return [tf.signal.irfft(z), tf.signal.irfft(z, fft_length=[3]),
            tf.signal.irfft(z, fft_length=[9]), tf.signal.irfft2d(z, fft_length=[2, 5]),
            tf.signal.irfft3d(tf.reshape(z, [1, 2, 4]))]


def _shifts(x):
    return [tf.signal.fftshift(x), tf.signal.ifftshift(x, axes=1)]


GRADIENT_CASES = [
    GradCase("fft_family", _c2c, [RNG.randn(2, 4), RNG.randn(2, 4)], order=2),
    GradCase("rfft_family", _r2c, [RNG.randn(2, 4)], order=2),
    GradCase("irfft_family", _c2r, [RNG.randn(2, 4), RNG.randn(2, 4)], order=2),
    GradCase("fftshift", _shifts, [RNG.randn(3, 4)]),
    GradCase("complex_parts", lambda a, b: [tf.abs(tf.complex(a, b)), tf.angle(tf.complex(
        a, b)), tf.real(tf.to_complex128(a)), tf.imag(tf.complex(a, b))],
        [RNG.randn(3), RNG.randn(3)], order=2),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=lambda c: c.name)
def test_gradients(case):
    result = check_case(case)
    assert result.max_error < 1e-6, result


def test_round_trips_and_dtypes():
    x = RNG.randn(2, 3, 8).astype(np.float32)
    z = x + 1j * RNG.randn(2, 3, 8)
    with tf.Session() as sess:
        back, spectrum, inverse, cube = sess.run([
            tf.signal.irfft(tf.signal.rfft(x)), tf.signal.rfft(x), tf.ifft(tf.fft(z)),
            tf.ifft3d(tf.fft3d(z))])
    assert spectrum.dtype == np.complex64 and spectrum.shape == (2, 3, 5)
    np.testing.assert_allclose(back, x, atol=1e-5)
    np.testing.assert_allclose(inverse, z, atol=1e-12)
    np.testing.assert_allclose(cube, z, atol=1e-12)
    assert tf.abs(tf.constant(z)).dtype == tf.float64


def test_linalg_adjoint_conjugates_complex_matrices():
    z = RNG.randn(2, 3) + 1j * RNG.randn(2, 3)
    with tf.Session() as sess:
        adj, real_adj = sess.run([tf.linalg.adjoint(z), tf.linalg.adjoint(z.real)])
    np.testing.assert_array_equal(adj, z.conj().T)
    np.testing.assert_array_equal(real_adj, z.real.T)


def test_shapes_at_build_time():
    x = tf.placeholder(tf.float64, [None, 10])
    assert tf.signal.rfft(x).shape.as_list() == [None, 6]
    assert tf.signal.rfft(x, fft_length=[4]).shape.as_list() == [None, 3]
    assert tf.signal.irfft(tf.signal.rfft(x)).shape.as_list() == [None, 10]
    assert tf.signal.rfft2d(tf.placeholder(tf.float32, [2, 3, 4])).dtype == tf.complex64


def test_errors():
    with pytest.raises(TypeError, match=r"FFT.*must be complex64 or complex128, got float64"):
        tf.fft(np.ones(4))
    with pytest.raises(TypeError, match=r"RFFT.*must be float32 or float64, got complex128"):
        tf.signal.rfft(np.ones(4) + 0j)
    with pytest.raises(ValueError, match=r"FFT2D.*rank >= 2, got shape \(4,\)"):
        tf.fft2d(np.ones(4) + 0j)
    with pytest.raises(ValueError, match="rfft: fft_length must be 1 non-negative sizes"):
        tf.signal.rfft(np.ones(4), fft_length=[2, 2])
    with pytest.raises(ValueError, match="fft_length is needed when the inner dimensions"):
        tf.signal.rfft(tf.placeholder(tf.float64, [2, None]))
    with pytest.raises(TypeError, match="Complex: .* float64, which does not match float32"):
        tf.complex(tf.ones(2), tf.constant(np.ones(2)))
    with pytest.raises(TypeError, match="Complex.*must be one of float32, float64"):
        tf.complex(np.ones(2, np.int32), np.ones(2, np.int32))
    with pytest.raises(TypeError, match="Real.*must be complex64 or complex128"):
        apply_op("Real", [tf.constant(np.ones(2))])


def test_windows_and_names():
    with tf.Graph().as_default():
        assert tf.fft(np.ones(2) + 0j).op.name == "FFT"
        assert tf.fft(np.ones(2) + 0j).op.name == "FFT_1"
        assert tf.signal.hann_window(4).dtype == tf.float32
    with tf.Session() as sess:
        ones = sess.run(tf.signal.hann_window(1))
    np.testing.assert_array_equal(ones, [1.0])
