"""NumPy kernels of sliding-window ops over any number of spatial dims (channels last);
no graph objects. They serve the 3-D convolution and pooling ops and patch extraction.

The 2-D ops keep their own tuned kernels in :mod:`.window_kernels` and :mod:`.pool_kernels`
(benchmark W7); these are the plain general forms, sharing only the window geometry
(:func:`geometry`, which is rank-agnostic) and max-pooling's padding value:

- a convolution copies its windows into a ``[N*prod(out), prod(k)*C]`` matrix and
  multiplies it by the filter in one GEMM; the filter gradient is that matrix transposed
  times the output gradient; the input gradient multiplies the output gradient by the
  transposed filter and sums the windows back (``col2im``) tap by tap;
- pooling loops over the window's taps; the max-pool gradient goes to each of a
  window's tied maxima, as TF's CPU MaxPool3DGrad (unlike its 2-D kernel, which picks
  the first), and its gradient (MaxPool3DGradGrad) gathers at the first, as TF's;
  dilation and argmax pooling use the first maximum in row-major tap order.
"""
from __future__ import annotations

import itertools
from typing import Any, Iterator

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .pool_kernels import lowest
from .window_kernels import Geometry


def padded(x: np.ndarray, geo: Geometry, value: Any) -> np.ndarray:
    """``x`` placed in a ``value``-filled ``[N, *padded, C]`` array (``x`` if no padding)."""
    if tuple(geo.padded_hw) == tuple(geo.in_hw):
        return x
    out = np.full((x.shape[0], *geo.padded_hw, x.shape[-1]), value, dtype=x.dtype)
    out[interior(geo)] = x
    return out


def interior(geo: Geometry) -> tuple:
    """The index of the unpadded input inside a padded array."""
    return (slice(None), *[slice(b, b + s) for b, s in zip(geo.pad_before, geo.in_hw)],
            slice(None))


def tap_views(xp: np.ndarray, geo: Geometry) -> Iterator[tuple[tuple, np.ndarray]]:
    """``(tap, view)`` per kernel tap in row-major order: the ``[N, *out, C]`` view of
    padded ``xp`` that tap reads in every window (writable if ``xp`` is)."""
    for tap in itertools.product(*[range(k) for k in geo.ksize]):
        index = [slice(t * d, t * d + s * (o - 1) + 1, s)
                 for t, d, s, o in zip(tap, geo.dilations, geo.strides, geo.out_hw)]
        yield tap, xp[(slice(None), *index, slice(None))]


def windows(xp: np.ndarray, geo: Geometry) -> np.ndarray:
    """Read-only view ``[N, *out, *k, C]`` of the windows of a padded input."""
    rank = len(geo.ksize)
    strides = xp.strides
    spatial = strides[1:1 + rank]
    view_strides = (strides[0], *[st * s for st, s in zip(spatial, geo.strides)],
                    *[st * d for st, d in zip(spatial, geo.dilations)], strides[-1])
    shape = (xp.shape[0], *geo.out_hw, *geo.ksize, xp.shape[-1])
    return as_strided(xp, shape, view_strides, writeable=False)


def patches(x: np.ndarray, geo: Geometry) -> np.ndarray:
    """Each window of ``x`` (zero padding) flattened in (taps row-major, channel) order:
    ``[N, *out, prod(k)*C]`` (TF's ``extract_image_patches`` layout)."""
    cols = windows(padded(x, geo, 0), geo)
    return cols.reshape(x.shape[0], *geo.out_hw, -1).copy()


def patches_grad(g: np.ndarray, geo: Geometry) -> np.ndarray:
    """Adjoint of :func:`patches`: sums each window's entries back onto the input."""
    n, c = g.shape[0], g.shape[-1] // int(np.prod(geo.ksize))
    cols = g.reshape(n, *geo.out_hw, *geo.ksize, c)
    return _col2im(cols, geo, c)


def _col2im(cols: np.ndarray, geo: Geometry, channels: int) -> np.ndarray:
    """Sums ``cols [N, *out, *k, C]`` into the windows of a zero input, then unpads."""
    rank = len(geo.ksize)
    out = np.zeros((cols.shape[0], *geo.padded_hw, channels), dtype=cols.dtype)
    for tap, view in tap_views(out, geo):
        view += cols[(slice(None),) * (1 + rank) + tap]
    return out[interior(geo)].copy()


def conv(x: np.ndarray, w: np.ndarray, geo: Geometry) -> np.ndarray:
    """Cross-correlation of channels-last ``x`` with a ``[*k, in, out]`` filter."""
    cols = windows(padded(x, geo, 0), geo).reshape(-1, w[..., 0].size)
    out = cols @ w.reshape(-1, w.shape[-1])
    return out.reshape(x.shape[0], *geo.out_hw, w.shape[-1])


def conv_filter_grad(x: np.ndarray, dy: np.ndarray, geo: Geometry) -> np.ndarray:
    """Gradient w.r.t. the ``[*k, in, out]`` filter of ``sum(dy * conv(x, w))``."""
    cols = windows(padded(x, geo, 0), geo).reshape(-1, int(np.prod(geo.ksize)) * x.shape[-1])
    out = cols.T @ dy.reshape(-1, dy.shape[-1])
    return out.reshape(*geo.ksize, x.shape[-1], dy.shape[-1])


def conv_input_grad(dy: np.ndarray, w: np.ndarray, geo: Geometry) -> np.ndarray:
    """Gradient w.r.t. the input of ``sum(dy * conv(x, w))``."""
    cols = dy.reshape(-1, dy.shape[-1]) @ w.reshape(-1, w.shape[-1]).T
    return _col2im(cols.reshape(*dy.shape[:-1], *geo.ksize, w.shape[-2]), geo, w.shape[-2])


def _taps(x: np.ndarray, geo: Geometry, offsets: np.ndarray | None = None) -> list:
    """Each tap's values: the tap view of ``x`` padded with the lowest value, plus
    ``offsets[tap]`` when given."""
    views = tap_views(padded(x, geo, lowest(x.dtype)), geo)
    return [view if offsets is None else view + offsets[tap] for tap, view in views]


def _top(taps: list) -> np.ndarray:
    """Each window's maximum of its taps' values."""
    top = taps[0].copy()
    for view in taps[1:]:
        np.maximum(top, view, out=top)
    return top


def max_pool(x: np.ndarray, geo: Geometry, offsets: np.ndarray | None = None) -> np.ndarray:
    """The maximum of each window (padding never wins), of ``x + offsets[tap]`` if given
    (a morphological dilation)."""
    return _top(_taps(x, geo, offsets))


def max_masks(x: np.ndarray, geo: Geometry, offsets: np.ndarray | None = None,
              every: bool = False, top: np.ndarray | None = None) -> list[np.ndarray]:
    """One mask per tap (row-major): the windows whose first maximum is at that tap, or
    (``every``) whose maximum is at that tap, ties included. ``top``: the windows'
    maxima when known (the pooled output), else computed."""
    taps = _taps(x, geo, offsets)
    if top is None:
        top = _top(taps)
    free = np.ones(top.shape, bool)
    masks = []
    for view in taps:
        hit = np.equal(view, top)
        if not every:
            hit &= free
            free ^= hit
        masks.append(hit)
    return masks


def max_pool_grad(x: np.ndarray, top: np.ndarray, g: np.ndarray, geo: Geometry
                  ) -> np.ndarray:
    """Routes each window's gradient ``g`` to each element of the window in ``x`` equal to
    its maximum ``top`` (the pooled output), ties included (as TF's CPU MaxPool3DGrad)."""
    out = np.zeros((x.shape[0], *geo.padded_hw, x.shape[-1]), g.dtype)
    for hit, (_, view) in zip(max_masks(x, geo, every=True, top=top), tap_views(out, geo)):
        view += g * hit
    return out[interior(geo)].copy()


def max_pool_grad_grad(x: np.ndarray, top: np.ndarray, gg: np.ndarray, geo: Geometry
                       ) -> np.ndarray:
    """Gathers ``gg`` (shaped like ``x``) at each window's first element equal to its
    maximum ``top``: TF's CPU MaxPool3DGradGrad takes the first of tied maxima, although
    its MaxPool3DGrad routes to all of them (checked against TF 2.21; without ties the
    two are adjoint)."""
    out = np.zeros((x.shape[0], *geo.out_hw, x.shape[-1]), dtype=gg.dtype)
    gg_taps = tap_views(padded(gg, geo, 0), geo)
    for hit, (_, view) in zip(max_masks(x, geo, top=top), gg_taps):
        np.copyto(out, view, where=hit)
    return out


def valid_counts(geo: Geometry, dtype: np.dtype) -> np.ndarray:
    """Number of non-padding elements in each window, shaped ``[1, *out, 1]``."""
    total = np.ones((), dtype=np.int64)
    for out, pad, size, k, s in zip(geo.out_hw, geo.pad_before, geo.in_hw, geo.ksize,
                                    geo.strides):
        start = np.arange(out) * s - pad
        total = np.multiply.outer(total, np.minimum(start + k, size) - np.maximum(start, 0))
    return total.astype(dtype)[None, ..., None]


def avg_pool(x: np.ndarray, geo: Geometry) -> np.ndarray:
    """The mean of each window's non-padding elements."""
    total = np.zeros((x.shape[0], *geo.out_hw, x.shape[-1]), dtype=x.dtype)
    for _, view in tap_views(padded(x, geo, 0), geo):
        total += view
    total /= valid_counts(geo, x.dtype)
    return total


def avg_pool_grad(g: np.ndarray, geo: Geometry) -> np.ndarray:
    """Adjoint of :func:`avg_pool`: each window's gradient spread evenly over it."""
    share = g / valid_counts(geo, g.dtype)
    out = np.zeros((g.shape[0], *geo.padded_hw, g.shape[-1]), dtype=g.dtype)
    for _, view in tap_views(out, geo):
        view += share
    return out[interior(geo)].copy()
