"""The sorted-table file format TensorFlow uses for a checkpoint's ``.index`` (LevelDB's).

A table is a sequence of blocks followed by a fixed-size footer:

- a *data block* holds sorted key/value entries. Each entry stores how many bytes its key
  shares with the previous key, the lengths of the rest of the key and of the value
  (varints), then those bytes. Every ``RESTART_INTERVAL``-th entry stores its whole key
  (a *restart point*); the block ends with the offsets of its restart points (uint32 each)
  and their count;
- each block is followed by a 5-byte trailer: the compression type (0 = none) and the
  masked CRC32C of the block and that type byte;
- the *metaindex block* (empty here) and the *index block*, whose entries map a key that
  is >= every key of a data block (and < every key of the next) to that block's handle
  (offset and size, varints);
- the footer: the handles of the metaindex and index blocks, zero-padded to 40 bytes,
  then the 8-byte magic number.

Reading checks every bound against the file's size and every block's checksum, and
raises ``DataLossError`` naming the file.
"""
from __future__ import annotations

import struct
from typing import Iterable

from ..core.errors import DataLossError
from .crc import decode_varint, encode_varint, masked_crc32c

__all__ = ["build_table", "read_table"]

MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
HANDLES_SIZE = 40
BLOCK_TRAILER_SIZE = 5
BLOCK_SIZE = 4096
RESTART_INTERVAL = 16
_NO_COMPRESSION = 0


class _BlockBuilder:
    """Accumulates sorted entries into one block's bytes."""

    def __init__(self, restart_interval: int) -> None:
        self._interval = restart_interval
        self._buf = bytearray()
        self._restarts = [0]
        self._count = 0
        self._last_key = b""

    def add(self, key: bytes, value: bytes) -> None:
        shared = 0
        if self._count % self._interval == 0:
            if self._count:
                self._restarts.append(len(self._buf))
        else:
            limit = min(len(key), len(self._last_key))
            while shared < limit and key[shared] == self._last_key[shared]:
                shared += 1
        self._buf += encode_varint(shared) + encode_varint(len(key) - shared)
        self._buf += encode_varint(len(value)) + key[shared:] + value
        self._last_key = key
        self._count += 1

    @property
    def size_estimate(self) -> int:
        return len(self._buf) + 4 * (len(self._restarts) + 1)

    @property
    def empty(self) -> bool:
        return self._count == 0

    def finish(self) -> bytes:
        restarts = b"".join(struct.pack("<I", r) for r in self._restarts)
        return bytes(self._buf) + restarts + struct.pack("<I", len(self._restarts))


def _separator(start: bytes, limit: bytes | None) -> bytes:
    """A short key >= ``start`` and < ``limit`` (any key > ``start`` when ``limit`` is None),
    as the index block stores (the choice LevelDB's bytewise comparator makes)."""
    if limit is None:
        for i, byte in enumerate(start):
            if byte != 0xFF:
                return start[:i] + bytes([byte + 1])
        return start
    common = 0
    while common < min(len(start), len(limit)) and start[common] == limit[common]:
        common += 1
    if common < min(len(start), len(limit)) and start[common] < 0xFF \
            and start[common] + 1 < limit[common]:
        return start[:common] + bytes([start[common] + 1])
    return start


def _handle(offset: int, size: int) -> bytes:
    return encode_varint(offset) + encode_varint(size)


def build_table(entries: Iterable[tuple[bytes, bytes]]) -> bytes:
    """The table file holding ``entries`` (keys strictly increasing, bytewise)."""
    out = bytearray()
    index = _BlockBuilder(1)

    def emit(block: _BlockBuilder) -> tuple[int, int]:
        contents = block.finish()
        offset = len(out)
        trailer = bytes([_NO_COMPRESSION])
        out.extend(contents + trailer + struct.pack("<I", masked_crc32c(contents + trailer)))
        return offset, len(contents)

    block = _BlockBuilder(RESTART_INTERVAL)
    last_key: bytes | None = None
    pending: tuple[int, int] | None = None  # a finished block whose index key waits
    for key, value in entries:
        if last_key is not None and key <= last_key:
            raise ValueError(f"table keys must be strictly increasing: {key!r} after "
                             f"{last_key!r}")
        if pending is not None:
            index.add(_separator(last_key or b"", key), _handle(*pending))
            pending = None
        block.add(key, value)
        last_key = key
        if block.size_estimate >= BLOCK_SIZE:
            pending = emit(block)
            block = _BlockBuilder(RESTART_INTERVAL)
    if not block.empty:
        pending = emit(block)
    if pending is not None:
        index.add(_separator(last_key or b"", None), _handle(*pending))
    metaindex = emit(_BlockBuilder(RESTART_INTERVAL))
    index_handle = emit(index)
    handles = _handle(*metaindex) + _handle(*index_handle)
    out.extend(handles.ljust(HANDLES_SIZE, b"\0") + struct.pack("<Q", MAGIC))
    return bytes(out)


# -- reading --------------------------------------------------------------------------


def _block(data: bytes, offset: int, size: int, path: str) -> bytes:
    """The checked contents of the block at ``offset``; ``DataLossError`` if not sound."""
    end = offset + size + BLOCK_TRAILER_SIZE
    if offset < 0 or size < 4 or end > len(data) - FOOTER_SIZE:
        raise DataLossError(None, None, f"Corrupt checkpoint index {path}: a block at "
                                        f"offset {offset} of size {size} lies outside the "
                                        f"file ({len(data)} bytes)")
    contents = data[offset:offset + size]
    kind = data[offset + size]
    (stored,) = struct.unpack_from("<I", data, offset + size + 1)
    if masked_crc32c(data[offset:offset + size + 1]) != stored:
        raise DataLossError(None, None, f"Corrupt checkpoint index {path}: checksum "
                                        f"mismatch in the block at offset {offset}")
    if kind != _NO_COMPRESSION:
        raise DataLossError(None, None, f"Checkpoint index {path}: block at offset {offset} "
                                        f"uses compression type {kind}, which staticgraph "
                                        "does not read")
    return contents


def _entries(block: bytes, path: str) -> list[tuple[bytes, bytes]]:
    """The key/value entries of one block's contents."""
    (n_restarts,) = struct.unpack_from("<I", block, len(block) - 4)
    limit = len(block) - 4 - 4 * n_restarts
    if limit < 0:
        raise DataLossError(None, None, f"Corrupt checkpoint index {path}: a block claims "
                                        f"{n_restarts} restart points in {len(block)} bytes")
    out: list[tuple[bytes, bytes]] = []
    pos, key = 0, b""
    try:
        while pos < limit:
            shared, pos = decode_varint(block, pos, limit)
            unshared, pos = decode_varint(block, pos, limit)
            value_len, pos = decode_varint(block, pos, limit)
            if shared > len(key) or pos + unshared + value_len > limit:
                raise ValueError("entry runs past its block")
            key = key[:shared] + block[pos:pos + unshared]
            pos += unshared
            out.append((key, block[pos:pos + value_len]))
            pos += value_len
    except ValueError as err:
        raise DataLossError(None, None, f"Corrupt checkpoint index {path}: {err}") from None
    return out


def _decode_handle(value: bytes, path: str) -> tuple[int, int]:
    try:
        offset, pos = decode_varint(value, 0, len(value))
        size, _ = decode_varint(value, pos, len(value))
    except ValueError as err:
        raise DataLossError(None, None, f"Corrupt checkpoint index {path}: bad block "
                                        f"handle ({err})") from None
    return offset, size


def read_table(data: bytes, path: str) -> list[tuple[bytes, bytes]]:
    """Every ``(key, value)`` of the table file ``data``, in order, all checksums checked.

    ``path`` names the file in errors: a file too short, without the magic number,
    with a block out of bounds, a checksum mismatch or unsorted keys raises
    ``DataLossError``.
    """
    if len(data) < FOOTER_SIZE:
        raise DataLossError(None, None, f"Checkpoint index {path} is too short "
                                        f"({len(data)} bytes) to be a table file")
    (magic,) = struct.unpack_from("<Q", data, len(data) - 8)
    if magic != MAGIC:
        raise DataLossError(None, None, f"{path} is not a checkpoint index (bad magic "
                                        "number: not an SSTable)")
    footer = data[len(data) - FOOTER_SIZE:len(data) - 8]
    try:
        meta_offset, pos = decode_varint(footer, 0, HANDLES_SIZE)
        meta_size, pos = decode_varint(footer, pos, HANDLES_SIZE)
        index_offset, pos = decode_varint(footer, pos, HANDLES_SIZE)
        index_size, _ = decode_varint(footer, pos, HANDLES_SIZE)
    except ValueError as err:
        raise DataLossError(None, None, f"Corrupt checkpoint index {path}: bad footer "
                                        f"({err})") from None
    _block(data, meta_offset, meta_size, path)  # unused, but checked all the same
    result: list[tuple[bytes, bytes]] = []
    for _, handle in _entries(_block(data, index_offset, index_size, path), path):
        result.extend(_entries(_block(data, *_decode_handle(handle, path), path), path))
    for (a, _), (b, _) in zip(result, result[1:]):
        if b <= a:
            raise DataLossError(None, None, f"Corrupt checkpoint index {path}: keys out of "
                                            f"order ({b!r} after {a!r})")
    return result
