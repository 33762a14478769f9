"""TFRecord files: ``tf.python_io.TFRecordWriter``, ``tf_record_iterator`` and their
options.

Each record is its length (uint64, little-endian), the masked CRC32C of those 8 bytes,
the data and the masked CRC32C of the data. A compressed file is the whole framed
stream compressed with zlib (``ZLIB``: a zlib stream) or gzip (``GZIP``), as TensorFlow
writes it. Reading checks every checksum: a corrupt or truncated record raises
``DataLossError`` naming the file and the record's offset.
"""
from __future__ import annotations

import gzip
import struct
import zlib
from typing import Any, Iterator

from ..core.errors import DataLossError, NotFoundError
from .crc import masked_crc32c

__all__ = ["TFRecordCompressionType", "TFRecordOptions", "TFRecordWriter",
           "tf_record_iterator", "frame_record", "split_records", "read_file_records"]


class TFRecordCompressionType:
    """The compression of a TFRecord file (TF1's enum values)."""
    NONE = 0
    ZLIB = 1
    GZIP = 2


_NAMES = {TFRecordCompressionType.NONE: "", TFRecordCompressionType.ZLIB: "ZLIB",
          TFRecordCompressionType.GZIP: "GZIP"}


def compression_name(value: Any) -> str:
    """``""``, ``"ZLIB"`` or ``"GZIP"`` for an enum value, a name, None or options."""
    if isinstance(value, TFRecordOptions):
        value = value.compression_type
    if value is None:
        return ""
    if isinstance(value, str):
        if value.upper() not in ("", "ZLIB", "GZIP"):
            raise ValueError(f"Unsupported TFRecord compression type {value!r} (expected "
                             "'', 'ZLIB' or 'GZIP')")
        return value.upper()
    try:
        return _NAMES[value]
    except (KeyError, TypeError):
        raise ValueError(f"Unsupported TFRecord compression type {value!r}") from None


class TFRecordOptions:
    """How a TFRecord file is written: ``compression_type`` (a
    :class:`TFRecordCompressionType`, ``"ZLIB"``, ``"GZIP"`` or None) and the zlib
    ``compression_level`` (0-9, or None for zlib's default)."""

    compression_type_map = {TFRecordCompressionType.ZLIB: "ZLIB",
                            TFRecordCompressionType.GZIP: "GZIP",
                            TFRecordCompressionType.NONE: ""}

    def __init__(self, compression_type: Any = None, flush_mode: Any = None,
                 input_buffer_size: Any = None, output_buffer_size: Any = None,
                 window_bits: Any = None, compression_level: int | None = None,
                 compression_method: Any = None, mem_level: Any = None,
                 compression_strategy: Any = None) -> None:
        compression_name(compression_type)  # validates
        self.compression_type = compression_type
        self.compression_level = compression_level

    @classmethod
    def get_compression_type_string(cls, options: Any) -> str:
        """``""``, ``"ZLIB"`` or ``"GZIP"`` for options, an enum value or a name."""
        return compression_name(options)


def frame_record(data: bytes) -> bytes:
    """One record in TFRecord framing."""
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", masked_crc32c(length)) + data
            + struct.pack("<I", masked_crc32c(data)))


def split_records(data: bytes, path: str, start: int = 0) -> Iterator[tuple[int, bytes]]:
    """``(offset, record)`` for each record of the (uncompressed) framed ``data`` read
    from ``path``, checksums verified."""
    pos = start
    while pos < len(data):
        if pos + 12 > len(data):
            raise DataLossError(None, None, f"Truncated record header at offset {pos} of "
                                            f"{path}")
        header = data[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (header_crc,) = struct.unpack_from("<I", data, pos + 8)
        if masked_crc32c(header) != header_crc:
            raise DataLossError(None, None, f"Corrupt record length at offset {pos} of {path}")
        end = pos + 12 + length
        if end + 4 > len(data):
            raise DataLossError(None, None, f"Truncated record at offset {pos} of {path}")
        body = data[pos + 12:end]
        if masked_crc32c(body) != struct.unpack_from("<I", data, end)[0]:
            raise DataLossError(None, None, f"Corrupt record at offset {pos} of {path}")
        yield pos, body
        pos = end + 4


def _decompress(raw: bytes, compression: str, path: str) -> bytes:
    try:
        if compression == "ZLIB":
            return zlib.decompress(raw)
        if compression == "GZIP":
            return gzip.decompress(raw)
    except (zlib.error, OSError, EOFError) as err:
        raise DataLossError(None, None, f"{path} is not a valid {compression} "
                                        f"TFRecord file: {err}") from None
    return raw


def read_whole_file(path: str) -> bytes:
    """The bytes of ``path`` (``NotFoundError`` naming it when missing)."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise NotFoundError(None, None, f"{path}; No such file or directory") from None
    except IsADirectoryError:
        raise NotFoundError(None, None, f"{path} is a directory, not a file") from None


def read_file_records(path: str, compression: Any = None) -> Iterator[bytes]:
    """The records of a TFRecord file (compression: as :func:`compression_name`)."""
    name = compression_name(compression)
    data = _decompress(read_whole_file(path), name, path)
    for _, record in split_records(data, path):
        yield record


def tf_record_iterator(path: str, options: Any = None) -> Iterator[bytes]:
    """``tf.python_io.tf_record_iterator``: the records of a TFRecord file, one
    ``bytes`` at a time (``DataLossError`` on a corrupt or truncated record)."""
    return read_file_records(path, options)


class TFRecordWriter:
    """``tf.python_io.TFRecordWriter``: writes records to a new TFRecord file at
    ``path`` (compressed per ``options``); a context manager that closes the file."""

    def __init__(self, path: str, options: Any = None) -> None:
        self._compression = compression_name(options)
        level = getattr(options, "compression_level", None)
        level = -1 if level is None or level < 0 else int(level)
        self._path = path
        self._file = open(path, "wb")
        self._zlib = zlib.compressobj(level) if self._compression == "ZLIB" else None
        self._gzip = (gzip.GzipFile(fileobj=self._file, mode="wb", compresslevel=level
                                    if level >= 0 else 9, mtime=0)
                      if self._compression == "GZIP" else None)

    def write(self, record: bytes) -> None:
        """Appends one record (``bytes``; ``str`` is written as UTF-8)."""
        if self._file.closed:
            raise ValueError(f"TFRecordWriter for {self._path} is closed")
        if isinstance(record, str):
            record = record.encode("utf-8")
        framed = frame_record(bytes(record))
        if self._gzip is not None:
            self._gzip.write(framed)
        elif self._zlib is not None:
            self._file.write(self._zlib.compress(framed))
        else:
            self._file.write(framed)

    def flush(self) -> None:
        """Writes buffered records to the file (a compressed stream is synced)."""
        if self._gzip is not None:
            self._gzip.flush()
        elif self._zlib is not None:
            self._file.write(self._zlib.flush(zlib.Z_SYNC_FLUSH))
        self._file.flush()

    def close(self) -> None:
        """Finishes the compressed stream, if any, and closes the file."""
        if self._file.closed:
            return
        if self._gzip is not None:
            self._gzip.close()
        elif self._zlib is not None:
            self._file.write(self._zlib.flush())
        self._file.close()

    def __enter__(self) -> "TFRecordWriter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
