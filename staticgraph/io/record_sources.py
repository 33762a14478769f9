"""The records of input files, as TF1's readers and file datasets see them: each
generator yields ``(key, value)`` pairs, keys in the readers' format
(``"<file>:<line number>"``, ``"<file>:<byte offset>"``, ``"<file>:<record index>"``).

Files may be compressed (``""``, ``"ZLIB"`` or ``"GZIP"``); they are read whole.
"""
from __future__ import annotations

import os
from typing import Iterator

from ..core.errors import InvalidArgumentError
from .tfrecord import _decompress, read_whole_file, split_records

__all__ = ["text_lines", "tfrecords", "fixed_length_records", "file_bytes"]

Records = Iterator[tuple[bytes, bytes]]


def file_bytes(work: bytes, compression: str = "") -> bytes:
    """The (decompressed) contents of the file named ``work``."""
    path = os.fsdecode(work)
    return _decompress(read_whole_file(path), compression, path)


def text_lines(work: bytes, compression: str = "", skip: int = 0) -> Records:
    """The lines of a text file without their ``\\n`` or ``\\r\\n`` (line numbers from
    1; the first ``skip`` lines are left out but counted)."""
    lines = file_bytes(work, compression).split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the newline ending the last line
    for number, line in enumerate(lines, start=1):
        if number > skip:
            yield work + b":" + str(number).encode(), line.removesuffix(b"\r")


def tfrecords(work: bytes, compression: str = "") -> Records:
    """The records of a TFRecord file, keyed by their offset."""
    data = file_bytes(work, compression)
    for offset, record in split_records(data, os.fsdecode(work)):
        yield work + b":" + str(offset).encode(), record


def fixed_length_records(work: bytes, record: int, header: int = 0, footer: int = 0,
                         hop: int = 0, compression: str = "", strict: bool = False
                         ) -> Records:
    """Records of ``record`` bytes between a header and a footer, one every ``hop``
    bytes (default: ``record``); a trailing partial record is dropped (the readers) or,
    when ``strict`` (the dataset), refused with ``InvalidArgumentError``."""
    data = file_bytes(work, compression)
    body = data[header:len(data) - footer]
    if strict and len(body) % record:
        raise InvalidArgumentError(None, None, f"Excluding the header ({header} bytes) and "
                                   f"footer ({footer} bytes), input file "
                                   f"{os.fsdecode(work)} has body length {len(body)} "
                                   f"bytes, which is not an exact multiple of the record "
                                   f"length ({record} bytes)")
    for index, start in enumerate(range(0, len(body) - record + 1, hop or record)):
        yield work + b":" + str(index).encode(), body[start:start + record]
