"""CRC32C checksums as TensorFlow stores them (masked), and the varints of its file formats.

The checksum itself comes from ``google-crc32c``. TensorFlow (like LevelDB) stores a
*masked* CRC — rotated right by 15 bits plus a constant — so that the CRC of data that
itself contains CRCs stays well distributed.
"""
from __future__ import annotations

from typing import Any

import google_crc32c
import numpy as np

__all__ = ["crc32c", "masked_crc32c", "encode_varint", "decode_varint"]

_MASK_DELTA = 0xA282EAD8


def crc32c(data: Any, crc: int = 0) -> int:
    """The CRC32C of ``data`` (bytes or a contiguous array, continuing from ``crc``)."""
    if not isinstance(data, (bytes, np.ndarray)):
        data = bytes(data)
    return google_crc32c.extend(crc, data)


def mask(crc: int) -> int:
    """TensorFlow's masked form of a CRC32C."""
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + _MASK_DELTA) & 0xFFFFFFFF


def masked_crc32c(data: Any) -> int:
    """``mask(crc32c(data))``: the checksum TensorFlow's files store."""
    return mask(crc32c(data))


def encode_varint(value: int) -> bytes:
    """The little-endian base-128 varint of a non-negative integer."""
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_varint(data: bytes, pos: int, limit: int) -> tuple[int, int]:
    """``(value, next position)`` of the varint at ``data[pos:limit]``.

    Raises ``ValueError`` if it runs past ``limit`` or is longer than 10 bytes.
    """
    value = shift = 0
    while True:
        if pos >= limit or shift > 63:
            raise ValueError("truncated or overlong varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
