"""``max(x, 0)`` over contiguous float arrays on rows of ``WIDE`` elements.

NumPy 2.4 does not use its vector loop for float32 ``maximum`` against a scalar (float64
is unaffected), and loops over short rows pay a per-row overhead; the maximum against a
``WIDE``-element row of zeros does the same operation on every element (so gives the same
bits) about twice as fast on large float32 arrays (docs/benchmarks.md, 2026-12-04
evening). Shared by the ReLU kernel and the fused convolution's epilogue."""
from __future__ import annotations

import numpy as np

WIDE = 1024
_ZEROS: dict[np.dtype, np.ndarray] = {}


def max_with_zero_into(flat: np.ndarray, out: np.ndarray) -> None:
    """``out[:] = np.maximum(flat, 0)`` for 1-D contiguous arrays of one float dtype of
    the same size (``out`` may be ``flat``)."""
    zeros = _ZEROS.get(flat.dtype)
    if zeros is None:
        zeros = _ZEROS.setdefault(flat.dtype, np.zeros(WIDE, flat.dtype))
    whole = flat.size - flat.size % WIDE
    np.maximum(flat[:whole].reshape(-1, WIDE), zeros, out=out[:whole].reshape(-1, WIDE))
    np.maximum(flat[whole:], zeros[:flat.size - whole], out=out[whole:])
