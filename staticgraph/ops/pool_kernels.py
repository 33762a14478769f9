"""NumPy kernels of 2-D pooling (NHWC), tap by tap; no graph objects.

Pooling loops over the window's taps (``KH*KW`` elementwise ops over strided views),
which was 10x faster than NumPy's reduction over the two window axes of the 6-D view.
The max-pool gradient goes to each window's first maximum in row-major order, as TF's
CPU kernel: taps are tested for equality with the window's maximum in that order, and
a tap takes the gradient only if no earlier tap did. The maxima are the pooled output,
which MaxPoolGrad takes as input (orig_output, as TF's op), not recomputed: on the W7
CNN's first layer that took the routing from 4.0 to 2.6 ms. (Comparing and routing
whole window rows of tiling windows -- ``top`` and ``g`` repeated along the channels,
one long-rowed operation per window row, ties detected by counting hits -- measured
slower than the tap-by-tap masks, 3.4 ms; not kept.)

Fused form (made by the compiler's chain_fusion pass): the max-pool gradient followed by a
ReLU's gradient masks the pooled gradient (a quarter of the elements for 2x2 windows)
instead of the routed one.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .window_kernels import Geometry, all_finite, pad_input, tap_views


def lowest(dtype: np.dtype) -> Any:
    """The padding value that never wins a maximum."""
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def max_pool(x: np.ndarray, geo: Geometry) -> np.ndarray:
    """The maximum of each window (padding never wins)."""
    taps = [view for _, view in tap_views(pad_input(x, geo, lowest(x.dtype)), geo)]
    out = taps[0].copy()
    for view in taps[1:]:
        np.maximum(out, view, out=out)
    return out


def _first_max_masks(x: np.ndarray, top: np.ndarray, geo: Geometry) -> list:
    """The masks ``hit`` per tap in row-major order: ``hit`` marks the windows whose
    first element equal to their maximum ``top`` is at that tap."""
    taps = [view for _, view in tap_views(pad_input(x, geo, lowest(x.dtype)), geo)]
    masks = [np.equal(taps[0], top)]
    free = ~masks[0]
    for k, view in enumerate(taps[1:], 2):
        hit = np.equal(view, top)
        hit &= free
        if k < len(taps):  # the last tap needs no record of what it took
            free ^= hit
        masks.append(hit)
    return masks


def _tiles(geo: Geometry) -> bool:
    """Whether the windows cover the padded input exactly once (no overlap, no gap)."""
    return geo.ksize == geo.strides and geo.padded_hw == tuple(
        o * k for o, k in zip(geo.out_hw, geo.ksize))


def max_pool_grad(x: np.ndarray, top: np.ndarray, g: np.ndarray, geo: Geometry,
                  relu_features: np.ndarray | None = None) -> np.ndarray:
    """Routes each window's gradient ``g`` to the window's first element in ``x`` equal
    to its maximum ``top`` (``max_pool(x)``, which TF's MaxPoolGrad takes as input).

    With ``relu_features``, the result is then multiplied by ``relu_features > 0`` (a
    ReLU's gradient, as ``_FusedMaxPoolGrad``). When those features are ``x`` itself
    and the windows tile the input, the mask is applied to ``g`` instead -- at its
    window's first maximum an element of ``x`` *is* the maximum, so ``g * (max > 0)``
    routed gives the same bits, signed zeros and NaNs included -- which is a quarter of
    the work for 2x2 windows."""
    tiles = _tiles(geo)
    if relu_features is x and tiles:
        g = np.multiply(g, top > 0, dtype=g.dtype)
        relu_features = None
    # Multiplying by a mask is the fast way to route, but inf·0 is NaN: with a non-finite
    # gradient, masked adds leave a window's other taps 0, as TF does.
    finite = all_finite(g)
    shape = (x.shape[0], *geo.padded_hw, x.shape[3])
    out = np.empty(shape, g.dtype) if tiles and finite else np.zeros(shape, g.dtype)
    for hit, (_, view) in zip(_first_max_masks(x, top, geo), tap_views(out, geo)):
        if not finite and tiles:
            np.copyto(view, g, where=hit)
        elif not finite:
            np.add(view, g, out=view, where=hit)
        elif tiles:  # each element is one window's tap: written once
            np.multiply(g, hit.view(np.uint8), out=view)  # (a bool operand is slower)
        else:
            view += g * hit
    (ph, pw), (h, w) = geo.pad_before, geo.in_hw
    out = out[:, ph:ph + h, pw:pw + w, :]
    if relu_features is None:
        return out
    return np.multiply(out, relu_features > 0, dtype=out.dtype)


def max_pool_grad_grad(x: np.ndarray, top: np.ndarray, gg: np.ndarray,
                       geo: Geometry) -> np.ndarray:
    """Gathers ``gg`` (shaped like ``x``) at each window's first element equal to its
    maximum ``top``."""
    out = np.zeros((x.shape[0], *geo.out_hw, x.shape[3]), dtype=gg.dtype)
    gg_taps = tap_views(pad_input(gg, geo, 0), geo)
    for hit, (_, view) in zip(_first_max_masks(x, top, geo), gg_taps):
        np.copyto(out, view, where=hit)
    return out


def valid_counts(geo: Geometry, dtype: np.dtype) -> np.ndarray:
    """Number of non-padding elements in each window, shaped ``[1, OH, OW, 1]``."""
    counts = []
    for out, pad, size, k, s in zip(geo.out_hw, geo.pad_before, geo.in_hw, geo.ksize,
                                    geo.strides):
        start = np.arange(out) * s - pad
        counts.append(np.minimum(start + k, size) - np.maximum(start, 0))
    return np.multiply.outer(*counts).astype(dtype)[None, :, :, None]


def avg_pool(x: np.ndarray, geo: Geometry) -> np.ndarray:
    """The mean of each window's non-padding elements."""
    taps = [view for _, view in tap_views(pad_input(x, geo, 0), geo)]
    total = taps[0].copy()
    for view in taps[1:]:
        total += view
    total /= valid_counts(geo, x.dtype)
    return total


def avg_pool_grad(g: np.ndarray, geo: Geometry) -> np.ndarray:
    """Adjoint of :func:`avg_pool`: each window's gradient spread evenly over it."""
    share = g / valid_counts(geo, g.dtype)
    out = np.zeros((g.shape[0], *geo.padded_hw, g.shape[3]), dtype=g.dtype)
    for _, view in tap_views(out, geo):
        view += share
    (ph, pw), (h, w) = geo.pad_before, geo.in_hw
    return out[:, ph:ph + h, pw:pw + w, :]
