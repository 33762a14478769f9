"""NumPy kernels of the 2-D convolutions (NHWC) and the window machinery they share with
pooling (:mod:`.pool_kernels`); no graph objects.

How they compute, chosen by measurement on the W7 CNN's shapes (docs/benchmarks.md):

- A convolution copies its windows, block by block, into a reused buffer of about
  3 MB (whole images, or output rows of one image) laid out ``[.., OH, OW, KH, KW*C]``
  (with unit dilation along W, each window row is one contiguous run of the padded
  input, so the copy moves ``KW*C`` elements at a time), and multiplies each block, a
  ``[rows, KH*KW*C]`` matrix still in cache, by the ``[KH*KW*C, O]`` filter into its
  rows of the output. The filter gradient sums the blocks' transposed products with the
  output gradient's rows. On the W7 CNN's 14x14x32 -> 64 layer the blocks took 0.6-0.7x
  the CPU time of one copy into a 40 MB window matrix and one GEMM over it (which had
  been 1.2x faster than ``tensordot`` on the strided window view, and 1.4x faster than
  25 per-offset GEMMs, one per kernel tap). A one-channel input (the W7 CNN's first
  layer: window rows of only KW elements) builds each block transposed instead, one
  copy per kernel tap, and hands BLAS the transpose: 2.4 against 4.0-5.5 ms per call,
  forward and filter gradient alike (with three or four channels the two layouts
  measured within noise of each other, so only one channel takes it).
- Where the zero padding above and below the input holds at least 5% of the kernel rows
  the windows read (small maps: the W7 CNN's 5x5 SAME convolution of 14x14 maps, 6/70),
  the output rows are grouped in bands whose windows hold data in the same kernel rows,
  and each band's windows are copied and multiplied without the rows of padding, by the
  matching rows of the filter (the band's products are then copied into their output
  rows). On that layer: forward 17.7 -> 16.7 ms, filter gradient 16.7 -> 15.7, input
  gradient 19.2 -> 18.6 (GEMMs 8% fewer multiply-adds). Trimming the padding left and
  right as well (25 rectangles instead of 5 bands) measured slower than bands alone:
  its narrow rectangles cost more in copies than their GEMMs saved. A forward filter (or,
  for the filter gradient, an output gradient) holding inf or NaN takes the full
  windows, as TF1's forward and filter gradient multiply the padding (0 * inf is NaN).
- The input gradient of a stride-1 convolution is the convolution of the output
  gradient, zero-padded on every side, with the spatially flipped filter (twice as fast
  as the GEMM + scatter-add ``col2im`` it replaces); strided convolutions keep the
  GEMM + ``col2im``, since the flipped form would multiply by zeros stride^2 times.
- Fused forms (made by the compiler's chain_fusion pass): a convolution adds its bias and
  applies ReLU to each block of output rows right after the block's GEMM, while the rows
  are in cache, on rows of about 1024 elements (:class:`_BiasRelu`: the W7 CNN's first
  layer 3.6 -> 2.8 ms).

Window blocks and padded copies are kept per thread and reused across calls (allocating
and first touching fresh buffers every step cost more than the copy into them).
"""
from __future__ import annotations

import functools
import math

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .wide_rows import WIDE, max_with_zero_into

# ----------------------------------------------------------------------------------------
# Window geometry (TF's SAME/VALID rules)
# ----------------------------------------------------------------------------------------


def output_size(size: int | None, k: int, stride: int, dilation: int, padding: str
                ) -> tuple[int | None, int]:
    """TF's (output size, padding before) of one spatial dim; None size stays unknown."""
    if size is None:
        return None, 0
    extent = (k - 1) * dilation + 1
    if padding == "SAME":
        out = -(-size // stride)
        return out, max((out - 1) * stride + extent - size, 0) // 2
    if size < extent:
        raise ValueError(f"the window (extent {extent} with dilation {dilation}) is larger "
                         f"than the input dimension {size} under VALID padding")
    return (size - extent) // stride + 1, 0


@dataclass(frozen=True)
class Geometry:
    """Where the windows of one 2-D sliding-window op lie on an ``[N, H, W, C]`` input."""

    in_hw: tuple[int, int]
    out_hw: tuple[int, int]
    pad_before: tuple[int, int]
    padded_hw: tuple[int, int]
    ksize: tuple[int, int]
    strides: tuple[int, int]
    dilations: tuple[int, int]


def geometry(in_hw: Sequence[int], ksize: Sequence[int], strides: Sequence[int],
             dilations: Sequence[int], padding: str) -> Geometry:
    """The :class:`Geometry` of windows ``ksize`` over an input of spatial size ``in_hw``."""
    outs, befores, padded = [], [], []
    for size, k, s, d in zip(in_hw, ksize, strides, dilations):
        out, before = output_size(size, k, s, d, padding)
        outs.append(out)
        befores.append(before)
        padded.append(max(size, (out - 1) * s + (k - 1) * d + 1))
    return Geometry(tuple(in_hw), tuple(outs), tuple(befores), tuple(padded),
                    tuple(ksize), tuple(strides), tuple(dilations))


# ----------------------------------------------------------------------------------------
# Reused buffers
# ----------------------------------------------------------------------------------------

_CACHE_BYTES = 256 * 2 ** 20  # per thread; the least recently used buffers go first
_LOCAL = threading.local()


def _scratch(key: tuple, shape: tuple, dtype: np.dtype) -> tuple[np.ndarray, bool]:
    """A per-thread buffer for ``key`` (reused while it stays cached) and whether it is
    new. Callers use it only within one kernel call and never return it."""
    cache = getattr(_LOCAL, "buffers", None)
    if cache is None:
        cache = _LOCAL.buffers = OrderedDict()
    key = (key, shape, np.dtype(dtype).str)
    buf = cache.get(key)
    if buf is not None:
        cache.move_to_end(key)
        return buf, False
    buf = np.empty(shape, dtype)
    cache[key] = buf
    while sum(b.nbytes for b in cache.values()) > _CACHE_BYTES and len(cache) > 1:
        cache.popitem(last=False)
    return buf, True


def pad_input(x: np.ndarray, geo: Geometry, value: Any) -> np.ndarray:
    """``x`` placed in a ``value``-filled array of the padded spatial size (a reused
    buffer whose border keeps ``value``; ``x`` itself when there is no padding)."""
    (ph, pw), (hp, wp), (h, w) = geo.pad_before, geo.padded_hw, geo.in_hw
    if (hp, wp) == (h, w):
        return x
    return _placed(x, (hp, wp), (ph, pw), value)


def _placed(x: np.ndarray, padded_hw: tuple, before: tuple, value: Any) -> np.ndarray:
    """``x`` at offset ``before`` in a reused ``value``-filled ``[N, *padded_hw, C]``."""
    (n, h, w, c), (ph, pw) = x.shape, before
    out, new = _scratch(("pad", before, (h, w), value), (n, *padded_hw, c), x.dtype)
    if new:
        out.fill(value)
    out[:, ph:ph + h, pw:pw + w, :] = x
    return out


def _windows(xp: np.ndarray, geo: Geometry) -> np.ndarray:
    """Read-only view ``[N, OH, OW, KH, KW, C]`` of the windows of a padded input."""
    n, _, _, c = xp.shape
    sn, sh, sw, sc = xp.strides
    shape = (n, *geo.out_hw, *geo.ksize, c)
    strides = (sn, sh * geo.strides[0], sw * geo.strides[1], sh * geo.dilations[0],
               sw * geo.dilations[1], sc)
    return as_strided(xp, shape, strides, writeable=False)


# Window rows copied per GEMM: the block stays in the (shared, 32 MB) L3 cache. 3 MB
# against 1.5 MB: within noise per kernel alone, but the W7 step's forward+backward
# took 1.45-1.51x the GEMM floor against 1.61-1.65x (alternating processes, 4 pairs).
_BLOCK_BYTES = 3 * 2 ** 20


def _window_rows(xp: np.ndarray, geo: Geometry) -> np.ndarray:
    """The windows of padded ``xp`` as a read-only view ``[N, OH, OW, KH, KW*C]`` when
    each window row is one contiguous run of ``xp`` (unit dilation along W), else the
    6-D ``[N, OH, OW, KH, KW, C]`` view; axis 3 is the kernel row either way."""
    n, c = xp.shape[0], xp.shape[3]
    (oh, ow), (kh, kw) = geo.out_hw, geo.ksize
    sn, sh, sw, sc = xp.strides
    if geo.dilations[1] == 1 and sc * c == sw:
        return as_strided(xp, (n, oh, ow, kh, kw * c), (sn, sh * geo.strides[0],
                          sw * geo.strides[1], sh * geo.dilations[0], sc), writeable=False)
    return _windows(xp, geo)


def _window_blocks(xp: np.ndarray, geo: Geometry) -> Iterator[tuple[np.ndarray, slice]]:
    """The window matrix of padded ``xp`` (``[N*OH*OW, KH*KW*C]``, rows in output
    order) block by block: ``(block, rows)`` with each block copied into one reused
    buffer of about ``_BLOCK_BYTES`` (whole images, or output rows of one image), valid
    until the next block is produced."""
    n, c = xp.shape[0], xp.shape[3]
    (oh, ow), (kh, kw) = geo.out_hw, geo.ksize
    view = _window_rows(xp, geo)
    if view.size == 0:
        return
    width = kh * kw * c
    if c == 1:  # one channel: window rows of KW elements are slow to copy
        yield from _tap_major_blocks(xp, geo)
        return
    row_bytes = ow * width * xp.dtype.itemsize  # one output row's windows
    rows = max(1, min(oh * n, _BLOCK_BYTES // max(row_bytes, 1)))
    images = rows // oh
    buf, _ = _scratch(("windows",), ((images * oh if images else rows) * ow, width),
                      xp.dtype)
    if images:
        for start in range(0, n, images):
            part = view[start:start + images]
            block = buf[:part.shape[0] * oh * ow]
            np.copyto(block.reshape(part.shape), part)
            yield block, slice(start * oh * ow, (start + part.shape[0]) * oh * ow)
        return
    for image in range(n):
        for top in range(0, oh, rows):
            part = view[image, top:top + rows]
            block = buf[:part.shape[0] * ow]
            np.copyto(block.reshape(part.shape), part)
            first = (image * oh + top) * ow
            yield block, slice(first, first + part.shape[0] * ow)


def _tap_major_blocks(xp: np.ndarray, geo: Geometry) -> Iterator[tuple[np.ndarray, slice]]:
    """As :func:`_window_blocks`, for a one-channel input: each block (whole images) is
    built as its transpose ``[KH*KW, rows]``, one copy per kernel tap of the tap's
    ``[n, OH, OW]`` view (runs of ``OW`` elements, where the row-major layout copies
    runs of ``KW``), and yielded as the ``[rows, KH*KW]`` transposed view. All taps are
    copied in one call, from a ``[KH, KW, n, OH, OW]`` view (0.43 against 0.60 ms per
    W7 first-layer call for one call per tap)."""
    n, per_image = xp.shape[0], geo.out_hw[0] * geo.out_hw[1]
    taps = geo.ksize[0] * geo.ksize[1]
    images = max(1, min(n, _BLOCK_BYTES // max(per_image * taps * xp.itemsize, 1)))
    buf, _ = _scratch(("tap-major windows",), (taps, images * per_image), xp.dtype)
    sn, sh, sw, _ = xp.strides
    tap_strides = (sh * geo.dilations[0], sw * geo.dilations[1], sn, sh * geo.strides[0],
                   sw * geo.strides[1])
    for start in range(0, n, images):
        count = min(images, n - start)
        block = buf[:, :count * per_image]
        shape = (*geo.ksize, count, *geo.out_hw)
        np.copyto(block.reshape(shape), as_strided(xp[start:start + count], shape,
                                                   tap_strides, writeable=False))
        yield block.T, slice(start * per_image, (start + count) * per_image)


@dataclass(frozen=True)
class _Band:
    """Output rows ``rows`` whose windows hold data only in kernel rows ``taps``: their
    other kernel rows fall in the zero padding above or below the input."""

    rows: slice
    taps: slice


# Trimming pays only when padding holds this share of the kernel rows the output rows
# read (the W7 CNN's 5x5 SAME convolution of 14x14 maps: 6/70; 3x3 of 7x7 maps: 2/21).
_TRIM_MIN = 0.05


@functools.lru_cache(maxsize=256)
def _row_bands(geo: Geometry, data_start: int, data_rows: int, min_share: float
               ) -> tuple[_Band, ...] | None:
    """The output rows of ``geo`` grouped into bands reading the same kernel rows of
    data, when the padded input holds data only in rows ``data_start`` to
    ``data_start + data_rows`` (zeros elsewhere); None when the padding holds less than
    ``min_share`` of the kernel rows read, or a window lies wholly in the padding."""
    (oh, kh), (stride, dilation) = (geo.out_hw[0], geo.ksize[0]), (geo.strides[0],
                                                                  geo.dilations[0])
    bounds: list[list[int]] = []  # [first row, end row, first tap, end tap]
    for h in range(oh):
        top = h * stride  # the padded row under kernel row 0
        first = max(0, -(-(data_start - top) // dilation))
        end = min(kh, (data_start + data_rows - 1 - top) // dilation + 1)
        if first >= end:
            return None
        if bounds and bounds[-1][2:] == [first, end]:
            bounds[-1][1] = h + 1
        else:
            bounds.append([h, h + 1, first, end])
    trimmed = sum((b[1] - b[0]) * (kh - b[3] + b[2]) for b in bounds)
    if trimmed < min_share * oh * kh:
        return None
    return tuple(_Band(slice(a, b), slice(i, j)) for a, b, i, j in bounds)


def all_finite(a: np.ndarray) -> bool:
    """Whether ``a`` holds no inf or NaN, tested by its sum (one pass, no mask): a sum
    that overflows sends the caller down its exact general path too."""
    return math.isfinite(float(np.add.reduce(a, axis=None))) if a.size else True


def _band_blocks(xp: np.ndarray, geo: Geometry, bands: tuple[_Band, ...]
                 ) -> Iterator[tuple[np.ndarray, _Band, slice]]:
    """As :func:`_window_blocks`, band by band, each window trimmed to the band's kernel
    rows: ``(block, band, images)`` with ``block`` the ``[images * rows * OW, taps * KW
    * C]`` window matrix of the band's rows of those images (whole images per block)."""
    view = _window_rows(xp, geo)
    n, per_row = xp.shape[0], geo.out_hw[1] * geo.ksize[1] * xp.shape[3]
    counts = _band_images(bands, xp, per_row)
    buf, _ = _scratch(("band windows",), (max(c * _band_size(b, per_row)
                                            for b, c in zip(bands, counts)),), xp.dtype)
    for band, images in zip(bands, counts):
        sub = view[:, band.rows, :, band.taps]
        for start in range(0, n, images):
            part = sub[start:start + images]
            block = buf[:part.size].reshape(part.shape)
            np.copyto(block, part)
            yield (block.reshape(part.shape[0] * part.shape[1] * part.shape[2], -1), band,
                   slice(start, start + part.shape[0]))


def _band_images(bands: tuple[_Band, ...], xp: np.ndarray, per_row: int) -> list[int]:
    """Images per block of each band: as many as fit in ``_BLOCK_BYTES``, at least one."""
    return [max(1, min(xp.shape[0], _BLOCK_BYTES // max(_band_size(b, per_row) * xp.itemsize,
                                                        1))) for b in bands]


def _band_size(band: _Band, per_row: int) -> int:
    """Elements of one image's band windows (``per_row`` per output row and kernel row)."""
    return (band.rows.stop - band.rows.start) * (band.taps.stop - band.taps.start) * per_row


def _conv_windows(xp: np.ndarray, w2: np.ndarray, geo: Geometry, data: tuple[int, int],
                  bias: np.ndarray | None = None, relu: bool = False) -> np.ndarray:
    """The ``[N*OH*OW, O]`` product of padded ``xp``'s window matrix with ``w2``; with
    ``bias`` and/or ``relu``, each block's rows get ``+ bias`` and then ``max(., 0)``
    while they are in cache (the same NumPy operations as separate ops would apply to
    the whole output, so the same bits). ``data`` is (first row, rows) of ``xp`` that
    hold the input: the zero rows around it are skipped by band where that pays, unless
    ``w2`` holds an inf or NaN (TF1 multiplies the padding too: 0 * inf is NaN there)."""
    out = np.empty((xp.shape[0] * geo.out_hw[0] * geo.out_hw[1], w2.shape[1]),
                   np.result_type(xp, w2))
    epilogue = _BiasRelu(bias, relu, out.dtype, w2.shape[1])
    bands = (_row_bands(geo, *data, _TRIM_MIN)
             if xp.shape[3] > 1 and out.size and all_finite(w2) else None)
    if bands is None:
        for block, rows in _window_blocks(xp, geo):
            part = out[rows]
            np.matmul(block, w2, out=part)
            epilogue(part)
        return out
    out4 = out.reshape(xp.shape[0], *geo.out_hw, w2.shape[1])
    per_tap = w2.shape[0] // geo.ksize[0]
    ow, per_row = geo.out_hw[1], geo.out_hw[1] * geo.ksize[1] * xp.shape[3]
    rows = max(c * (b.rows.stop - b.rows.start) * ow  # the largest block's output rows
               for b, c in zip(bands, _band_images(bands, xp, per_row)))
    products, _ = _scratch(("band products",), (rows, out.shape[1]), out.dtype)
    for block, band, images in _band_blocks(xp, geo, bands):
        part = products[:block.shape[0]]
        np.matmul(block, w2[band.taps.start * per_tap:band.taps.stop * per_tap], out=part)
        epilogue(part)
        target = out4[images, band.rows]
        target[...] = part.reshape(target.shape)
    return out


class _BiasRelu:
    """``part + bias`` then ``max(., 0)``, each when asked, in place on C-contiguous
    ``[rows, O]`` blocks. The bias is added on rows of about ``wide_rows.WIDE`` elements
    (``bias`` repeated along them) and the maximum taken by
    :func:`.wide_rows.max_with_zero_into`: NumPy ran these 2-2.5x faster than on rows of
    O (32 or 64) elements and than the maximum with a scalar 0; the same operations on the
    same elements, so the same bits."""

    def __init__(self, bias: np.ndarray | None, relu: bool, dtype: np.dtype, width: int):
        self.group = max(1, WIDE // max(width, 1))
        self.bias = None if bias is None else np.tile(bias.astype(dtype, copy=False),
                                                      self.group)
        self.relu = relu

    def __call__(self, part: np.ndarray) -> None:
        rows, width = part.shape
        if self.bias is not None:
            whole = rows // self.group * self.group
            for piece, k in ((part[:whole], self.group), (part[whole:], 1)):
                if piece.size:
                    wide = piece.reshape(-1, k * width)
                    np.add(wide, self.bias[:k * width], out=wide)
        if self.relu:
            flat = part.reshape(-1)
            max_with_zero_into(flat, flat)


def _col2im(cols: np.ndarray, geo: Geometry) -> np.ndarray:
    """Adjoint of windowing: sums ``cols [N, OH, OW, KH, KW, C]`` into an unpadded input."""
    n, c = cols.shape[0], cols.shape[-1]
    out = np.zeros((n, *geo.padded_hw, c), dtype=cols.dtype)
    for (i, j), view in tap_views(out, geo):
        view += cols[:, :, :, i, j, :]
    (ph, pw), (h, w) = geo.pad_before, geo.in_hw
    return out[:, ph:ph + h, pw:pw + w, :]


def tap_views(xp: np.ndarray, geo: Geometry) -> list:
    """``((i, j), view)`` per kernel tap in row-major order: the ``[N, OH, OW, C]`` view
    of padded ``xp`` that tap ``(i, j)`` of every window reads (writable if ``xp`` is)."""
    (oh, ow), (sh, sw), (dh, dw) = geo.out_hw, geo.strides, geo.dilations
    return [((i, j), xp[:, i * dh:i * dh + sh * (oh - 1) + 1:sh,
                        j * dw:j * dw + sw * (ow - 1) + 1:sw, :])
            for i in range(geo.ksize[0]) for j in range(geo.ksize[1])]


# ----------------------------------------------------------------------------------------
# Convolution
# ----------------------------------------------------------------------------------------


def conv2d(x: np.ndarray, w: np.ndarray, geo: Geometry, bias: np.ndarray | None = None,
           relu: bool = False) -> np.ndarray:
    """Cross-correlation of NHWC ``x`` with HWIO ``w`` over the windows ``geo``; then
    ``+ bias`` (a channel vector) and ``max(., 0)`` when asked (as ``_FusedConv2D``)."""
    out = _conv_windows(pad_input(x, geo, 0), w.reshape(-1, w.shape[3]), geo,
                        (geo.pad_before[0], geo.in_hw[0]), bias, relu)
    return out.reshape(x.shape[0], *geo.out_hw, w.shape[3])


def conv2d_filter_grad(x: np.ndarray, dy: np.ndarray, geo: Geometry) -> np.ndarray:
    """Gradient w.r.t. the ``[KH, KW, C, O]`` filter of ``sum(dy * conv2d(x, w))``."""
    dy2 = dy.reshape(-1, dy.shape[3])
    out = np.zeros((geo.ksize[0] * geo.ksize[1] * x.shape[3], dy.shape[3]),
                   np.result_type(x, dy))
    part = np.empty_like(out)
    xp = pad_input(x, geo, 0)
    bands = (_row_bands(geo, geo.pad_before[0], geo.in_hw[0], _TRIM_MIN)
             if x.shape[3] > 1 and dy.size and all_finite(dy) else None)
    if bands is None:
        for block, rows in _window_blocks(xp, geo):
            out += np.matmul(block.T, dy2[rows], out=part)
        return out.reshape(*geo.ksize, x.shape[3], dy.shape[3])
    per_tap = out.shape[0] // geo.ksize[0]
    for block, band, images in _band_blocks(xp, geo, bands):
        taps = slice(band.taps.start * per_tap, band.taps.stop * per_tap)
        rows = dy[images, band.rows].reshape(block.shape[0], dy.shape[3])
        out[taps] += np.matmul(block.T, rows, out=part[taps])
    return out.reshape(*geo.ksize, x.shape[3], dy.shape[3])


def conv2d_input_grad(dy: np.ndarray, w: np.ndarray, geo: Geometry) -> np.ndarray:
    """Gradient w.r.t. the ``[N, H, W, C]`` input of ``sum(dy * conv2d(x, w))``.

    A filter holding inf or NaN takes the GEMM + ``col2im`` path, TF1's own CPU
    algorithm, which never multiplies padding (the flipped convolution would, making
    0 * inf = NaN where TF1 gives inf)."""
    if geo.strides != (1, 1) or not all_finite(w):
        cols = dy.reshape(-1, dy.shape[3]) @ w.reshape(-1, w.shape[3]).T
        return _col2im(cols.reshape(*dy.shape[:3], *geo.ksize, w.shape[2]), geo)
    # dx[h] = sum_i dy[h + pad - i*d] w[i]: a VALID convolution of dy, placed at offset
    # (k-1)*d - pad in a zero array of size h + (k-1)*d, with the flipped filter.
    extents = [(k - 1) * d for k, d in zip(geo.ksize, geo.dilations)]
    full = geometry([h + e for h, e in zip(geo.in_hw, extents)], geo.ksize, (1, 1),
                    geo.dilations, "VALID")
    before = tuple(e - p for e, p in zip(extents, geo.pad_before))
    dyp = _placed(dy, full.in_hw, before, 0)
    flipped = np.ascontiguousarray(w[::-1, ::-1].transpose(0, 1, 3, 2))
    out = _conv_windows(dyp, flipped.reshape(-1, w.shape[2]), full, (before[0], dy.shape[1]))
    return out.reshape(dy.shape[0], *geo.in_hw, w.shape[2])


# ----------------------------------------------------------------------------------------
# Depthwise convolution (tap by tap: each tap is a broadcast product over the channels)
# ----------------------------------------------------------------------------------------


def depthwise_conv2d(x: np.ndarray, w: np.ndarray, geo: Geometry) -> np.ndarray:
    """Channel c of NHWC ``x`` convolved with ``w[:, :, c, m]`` into channel c*M + m."""
    n, c, m = x.shape[0], x.shape[3], w.shape[3]
    out = np.zeros((n, *geo.out_hw, c, m), dtype=np.result_type(x, w))
    for (i, j), view in tap_views(pad_input(x, geo, 0), geo):
        out += view[..., None] * w[i, j]
    return out.reshape(n, *geo.out_hw, c * m)


def depthwise_input_grad(dy: np.ndarray, w: np.ndarray, geo: Geometry) -> np.ndarray:
    """Gradient w.r.t. the input of ``sum(dy * depthwise_conv2d(x, w))``."""
    n, (c, m) = dy.shape[0], w.shape[2:]
    dy5 = dy.reshape(*dy.shape[:3], c, m)
    out = np.zeros((n, *geo.padded_hw, c), dtype=dy.dtype)
    for (i, j), view in tap_views(out, geo):
        view += np.einsum("nhwcm,cm->nhwc", dy5, w[i, j])
    (ph, pw), (h, wd) = geo.pad_before, geo.in_hw
    return out[:, ph:ph + h, pw:pw + wd, :]


def depthwise_filter_grad(x: np.ndarray, dy: np.ndarray, geo: Geometry) -> np.ndarray:
    """Gradient w.r.t. the ``[KH, KW, C, M]`` filter of ``sum(dy * depthwise_conv2d(x, w))``."""
    c = x.shape[3]
    dy5 = dy.reshape(*dy.shape[:3], c, dy.shape[3] // c)
    out = np.empty((*geo.ksize, c, dy5.shape[4]), dtype=dy.dtype)
    for (i, j), view in tap_views(pad_input(x, geo, 0), geo):
        out[i, j] = np.einsum("nhwc,nhwcm->cm", view, dy5)
    return out
