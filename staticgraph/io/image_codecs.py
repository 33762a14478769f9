"""``tf.image`` PNG codecs: ``encode_png``, ``decode_png``, ``decode_image`` (PNG only),
``is_png`` and ``is_jpeg`` -- written on zlib, with no image library.

The decoder reads non-interlaced PNGs of bit depth 8 or 16 in every colour type
(grey, grey+alpha, RGB, RGBA, palette with optional transparency) and undoes the five
row filters. Channel conversions follow libpng as TF configures it: grey repeated into
RGB, opaque alpha added, alpha dropped, RGB to grey with TF's 0.299/0.587 weights in
libpng's 15-bit fixed point; 16-bit files read as uint8 keep the high byte, 8-bit files
read as uint16 are scaled by 257.
"""
from __future__ import annotations

import struct
import zlib
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.registry import define_op
from ..core.shapes import TensorShape
from ..ops.framework import apply_op, convert_to_tensor
from ..ops.image_color_ops import convert_image_dtype
from ..ops.op_util import op_scope
from .media import _PNG_COLOR_TYPES, _chunk

__all__ = ["encode_png", "decode_png", "decode_image", "is_png", "is_jpeg"]

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 3, 4: 2, 6: 4}  # colour type -> channels (palette: RGB)


def _encode_png_kernel(image: np.ndarray, *, compression: int) -> np.ndarray:
    if image.ndim != 3 or not 1 <= image.shape[2] <= 4:
        raise ValueError(f"EncodePng: image must be [height, width, channels] with 1 to 4 "
                         f"channels, got shape {list(image.shape)}")
    height, width, channels = image.shape
    depth = 16 if image.dtype == np.uint16 else 8
    header = struct.pack(">IIBBBBB", width, height, depth, _PNG_COLOR_TYPES[channels], 0, 0, 0)
    pixels = np.ascontiguousarray(image, ">u2" if depth == 16 else np.uint8)
    rows = np.concatenate([np.zeros((height, 1), np.uint8),
                           pixels.view(np.uint8).reshape(height, -1)], axis=1)
    data = (_SIGNATURE + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows.tobytes(), compression))
            + _chunk(b"IEND", b""))
    return np.array(data, dtype=object)


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(_SIGNATURE):
        raise ValueError("DecodePng: the contents are not a PNG file (bad signature)")
    chunks, pos = [], len(_SIGNATURE)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length:
            raise ValueError(f"DecodePng: truncated {kind.decode('latin-1')} chunk")
        chunks.append((kind, body))
        pos += 12 + length
        if kind == b"IEND":
            break
    return chunks


def _unfilter(raw: np.ndarray, height: int, stride: int, bpp: int) -> np.ndarray:
    """The pixel bytes of ``height`` filtered rows (filter byte + ``stride`` bytes)."""
    rows = raw.reshape(height, stride + 1)
    out = np.zeros((height, stride), np.int64)
    prior = np.zeros(stride, np.int64)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:].astype(np.int64)
        if kind == 0:
            cur = line
        elif kind == 2:
            cur = (line + prior) % 256
        else:
            cur = line.copy()
            for x in range(stride):
                left = cur[x - bpp] if x >= bpp else 0
                if kind == 1:
                    pred = left
                elif kind == 3:
                    pred = (left + prior[x]) // 2
                elif kind == 4:
                    up_left = prior[x - bpp] if x >= bpp else 0
                    p = left + prior[x] - up_left
                    pa, pb, pc = abs(p - left), abs(p - prior[x]), abs(p - up_left)
                    pred = left if pa <= pb and pa <= pc else prior[x] if pb <= pc else up_left
                else:
                    raise ValueError(f"DecodePng: unknown row filter {kind}")
                cur[x] = (cur[x] + pred) % 256
        out[y] = prior = cur
    return out.astype(np.uint8)


def _read_png(data: bytes) -> np.ndarray:
    """The pixels of a PNG file as ``[height, width, channels]`` uint8 or uint16."""
    chunks = _chunks(data)
    if not chunks or chunks[0][0] != b"IHDR":
        raise ValueError("DecodePng: the PNG file has no IHDR chunk")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    if depth not in (8, 16) or colour not in _CHANNELS or interlace:
        raise ValueError(f"DecodePng: unsupported PNG (bit depth {depth}, colour type "
                         f"{colour}, interlace {interlace}): only non-interlaced 8- and "
                         f"16-bit images are read")
    stored = 1 if colour == 3 else _CHANNELS[colour]
    bpp = stored * depth // 8
    raw = np.frombuffer(zlib.decompress(b"".join(b for k, b in chunks if k == b"IDAT")),
                        np.uint8)
    if raw.size != height * (width * bpp + 1):
        raise ValueError(f"DecodePng: image data of {raw.size} bytes does not match "
                         f"{width}x{height} pixels")
    pixels = _unfilter(raw, height, width * bpp, bpp)
    if depth == 16:
        return pixels.view(">u2").astype(np.uint16).reshape(height, width, stored)
    pixels = pixels.reshape(height, width, stored)
    if colour != 3:
        return pixels
    palette = np.frombuffer(dict(chunks).get(b"PLTE", b""), np.uint8).reshape(-1, 3)
    alpha = np.frombuffer(dict(chunks).get(b"tRNS", b""), np.uint8)
    if alpha.size:
        full = np.full(len(palette), 255, np.uint8)
        full[:alpha.size] = alpha[:len(palette)]
        palette = np.concatenate([palette, full[:, None]], axis=1)
    return palette[pixels[..., 0]]


def _channels_as(pixels: np.ndarray, channels: int) -> np.ndarray:
    """libpng's channel conversions, in the file's bit depth."""
    have = pixels.shape[2]
    if channels in (0, have):
        return pixels
    colour, alpha = pixels[..., :3 if have >= 3 else 1], pixels[..., have - 1:]
    if channels in (1, 2) and have >= 3:
        weights = np.array([9798, 19235, 3735], np.int64)  # 0.299, 0.587, the rest
        colour = ((colour.astype(np.int64) @ weights) >> 15)[..., None].astype(pixels.dtype)
    elif channels in (3, 4) and have <= 2:
        colour = np.repeat(colour, 3, axis=2)
    if channels in (1, 3):
        return colour
    if have in (2, 4):
        return np.concatenate([colour, alpha], axis=2)
    opaque = np.full(colour.shape[:2] + (1,), np.iinfo(pixels.dtype).max, pixels.dtype)
    return np.concatenate([colour, opaque], axis=2)


def _convert(pixels: np.ndarray, channels: int, dtype: np.dtype) -> np.ndarray:
    """The channel conversion, then the bit depth: 16 to 8 bits keeps the high byte,
    8 to 16 multiplies by 257."""
    pixels = _channels_as(pixels, channels)
    if pixels.dtype == np.uint16 and dtype == np.uint8:
        return (pixels >> 8).astype(np.uint8)
    if pixels.dtype == np.uint8 and dtype == np.uint16:
        return pixels.astype(np.uint16) * 257
    return pixels


def _decode_png_kernel(contents: np.ndarray, *, channels: int, dtype: dtypes.DType
                       ) -> np.ndarray:
    data = contents.item() if isinstance(contents, np.ndarray) else contents
    data = data if isinstance(data, bytes) else str(data).encode("latin-1")
    return _convert(_read_png(data), channels, dtype.dtype)


def _scalar_string(inputs: list, what: str) -> None:
    if inputs[0].dtype != dtypes.string or inputs[0].shape.ndims not in (None, 0):
        raise ValueError(f"{what}: contents must be a scalar string, got "
                         f"{inputs[0].dtype.name} {inputs[0].shape}")


def _decode_shape(inputs: list, attrs: dict) -> list:
    _scalar_string(inputs, "DecodePng")
    return [(TensorShape([None, None, attrs["channels"] or None]), attrs["dtype"])]


def _encode_shape(inputs: list, attrs: dict) -> list:
    image = inputs[0]
    if image.dtype not in (dtypes.uint8, dtypes.uint16) or image.shape.ndims not in (None, 3):
        raise ValueError(f"EncodePng: image must be a 3-D uint8 or uint16 tensor, got "
                         f"{image.dtype.name} {image.shape}")
    return [(TensorShape([]), dtypes.string)]


def _magic_kernel(contents: np.ndarray, *, prefix: bytes) -> np.ndarray:
    data = contents.item()
    data = data if isinstance(data, bytes) else str(data).encode("latin-1")
    return np.array(data.startswith(prefix))


def _magic_shape(inputs: list, attrs: dict) -> list:
    _scalar_string(inputs, "IsImageFormat")
    return [(TensorShape([]), dtypes.bool_)]


define_op("EncodePng", kernel=_encode_png_kernel, shape_fn=_encode_shape,
          non_differentiable=(0,), view_of={}, doc="The PNG file of an image.")
define_op("DecodePng", kernel=_decode_png_kernel, shape_fn=_decode_shape,
          non_differentiable=(0,), view_of={},
          doc="The pixels of a PNG file, converted to the requested channels and dtype.")
define_op("IsImageFormat", kernel=_magic_kernel, shape_fn=_magic_shape,
          non_differentiable=(0,), view_of={},
          doc="Whether the contents start with a file format's signature.")


def encode_png(image: Any, compression: int = -1, name: str | None = None) -> Any:
    """``tf.image.encode_png``: a 3-D uint8 or uint16 image (1 to 4 channels) as the
    string of a PNG file (zlib ``compression`` level, -1 for the default)."""
    if not -1 <= compression <= 9:
        raise ValueError(f"encode_png: compression must be in [-1, 9], got {compression}")
    return apply_op("EncodePng", [convert_to_tensor(image, name="image")],
                    {"compression": int(compression)}, name=name).outputs[0]


def decode_png(contents: Any, channels: int = 0, dtype: Any = dtypes.uint8,
               name: str | None = None) -> Any:
    """``tf.image.decode_png``: a ``[height, width, channels]`` uint8 or uint16 image
    (``channels`` 0: as stored; 1, 2, 3 or 4: converted as libpng does)."""
    dtype = dtypes.as_dtype(dtype)
    if channels not in (0, 1, 2, 3, 4) or dtype not in (dtypes.uint8, dtypes.uint16):
        raise ValueError(f"decode_png: channels must be 0-4 and dtype uint8 or uint16, got "
                         f"{channels} and {dtype.name}")
    return apply_op("DecodePng", [convert_to_tensor(contents, dtype=dtypes.string)],
                    {"channels": channels, "dtype": dtype}, name=name).outputs[0]


def decode_image(contents: Any, channels: int | None = None, dtype: Any = dtypes.uint8,
                 name: str | None = None, expand_animations: bool = True) -> Any:
    """``tf.image.decode_image`` for PNG files (JPEG, GIF and BMP are not decoded here):
    the image in ``dtype``; other dtypes than uint8 are converted from a uint16 decoding
    by ``convert_image_dtype``, as TF does."""
    with op_scope(name, "decode_image"):
        dtype = dtypes.as_dtype(dtype)
        storage = dtypes.uint8 if dtype == dtypes.uint8 else dtypes.uint16  # as TF
        image = decode_png(contents, channels or 0, storage)
        return image if dtype == storage else convert_image_dtype(image, dtype)


def is_png(contents: Any, name: str | None = None) -> Any:
    """``tf.io.is_png``: whether ``contents`` starts with the PNG signature."""
    return apply_op("IsImageFormat", [convert_to_tensor(contents, dtype=dtypes.string)],
                    {"prefix": _SIGNATURE}, name=name).outputs[0]


def is_jpeg(contents: Any, name: str | None = None) -> Any:
    """``tf.image.is_jpeg``: whether ``contents`` starts with the JPEG signature."""
    return apply_op("IsImageFormat", [convert_to_tensor(contents, dtype=dtypes.string)],
                    {"prefix": b"\xff\xd8\xff"}, name=name).outputs[0]
