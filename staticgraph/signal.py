"""``tf.signal`` (and TF1's older ``tf.spectral``): Fourier transforms, shifts, windows."""

from .ops.fft_ops import (fft, fft2d, fft3d, ifft, ifft2d, ifft3d, irfft, irfft2d, irfft3d,
                          rfft, rfft2d, rfft3d)
from .ops.spectral_ops import fftshift, hamming_window, hann_window, ifftshift

__all__ = ["fft", "fft2d", "fft3d", "fftshift", "hamming_window", "hann_window", "ifft",
           "ifft2d", "ifft3d", "ifftshift", "irfft", "irfft2d", "irfft3d", "rfft", "rfft2d",
           "rfft3d"]
