"""Images and sounds as the bytes TensorBoard shows: PNG and 16-bit PCM WAV encoders."""
from __future__ import annotations

import struct
import zlib

import numpy as np

__all__ = ["encode_png", "encode_wav"]

_PNG_COLOR_TYPES = {1: 0, 2: 4, 3: 2, 4: 6}  # channels -> grey, grey+alpha, RGB, RGBA


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def encode_png(image: np.ndarray) -> bytes:
    """The PNG file of a ``[height, width, channels]`` uint8 image (1 to 4 channels)."""
    height, width, channels = image.shape
    header = struct.pack(">IIBBBBB", width, height, 8, _PNG_COLOR_TYPES[channels], 0, 0, 0)
    rows = np.concatenate([np.zeros((height, 1), np.uint8),
                           np.ascontiguousarray(image, np.uint8).reshape(height, -1)], axis=1)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)) + _chunk(b"IEND", b""))


def encode_wav(samples: np.ndarray, sample_rate: int) -> bytes:
    """The WAV file (16-bit PCM) of ``[frames, channels]`` samples in [-1, 1] (scaled by
    32768 and clipped to int16, as TensorFlow encodes them)."""
    frames, channels = samples.shape
    scaled = np.round(np.clip(np.asarray(samples, np.float64), -1.0, 1.0) * 32768.0)
    pcm = np.clip(scaled, -32768, 32767).astype("<i2").tobytes()
    fmt = struct.pack("<HHIIHH", 1, channels, sample_rate, sample_rate * channels * 2,
                      channels * 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + \
        struct.pack("<I", len(pcm)) + pcm
    return b"RIFF" + struct.pack("<I", len(body)) + body
