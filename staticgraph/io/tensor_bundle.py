"""TensorFlow's V2 checkpoint format (a "tensor bundle"): writing and checked reading.

A checkpoint ``<prefix>`` is two files:

- ``<prefix>.data-00000-of-00001``: the tensors' bytes, one after another (little-endian,
  row-major);
- ``<prefix>.index``: a sorted table (:mod:`.table`) whose entry under the empty key is a
  ``BundleHeaderProto`` (number of data shards, endianness, format version) and whose
  other entries map each tensor's name to a ``BundleEntryProto``: dtype, shape, data
  shard, offset, size and the masked CRC32C of its bytes.

``write_bundle`` writes both through temporary files (data first, index last, so a
checkpoint exists only once it is complete). ``BundleReader`` reads an index, checks it
and reads each tensor on request, checking its size against its shape and dtype, its
extent against the data file's size, and its checksum.
"""
from __future__ import annotations

import os
from typing import Any, Mapping

import numpy as np
from google.protobuf.message import DecodeError

from ..core.errors import (DataLossError, InvalidArgumentError, NotFoundError,
                           UnimplementedError)
from .crc import masked_crc32c
from .files import atomic_write_all
from .protos import (BundleEntryProto, BundleHeaderProto, TensorShapeProto, VersionDef,
                     datatype_of, dtype_name_of, numpy_dtype_of)
from .table import build_table, read_table

__all__ = ["write_bundle", "BundleReader", "index_path", "data_path", "bundle_exists"]

BUNDLE_VERSION = 1  # the format version TensorFlow writes and reads
_HEADER_KEY = b""


def index_path(prefix: str) -> str:
    """``<prefix>.index``."""
    return prefix + ".index"


def data_path(prefix: str, shard: int = 0, num_shards: int = 1) -> str:
    """``<prefix>.data-<shard>-of-<num_shards>`` (five digits each)."""
    return f"{prefix}.data-{shard:05d}-of-{num_shards:05d}"


def bundle_exists(prefix: str) -> bool:
    """Whether the index of the V2 checkpoint ``prefix`` exists."""
    return os.path.isfile(index_path(prefix))


def _shape_proto(shape: tuple[int, ...]) -> TensorShapeProto:
    return TensorShapeProto(dim=[TensorShapeProto.Dim(size=int(d)) for d in shape])


def write_bundle(prefix: str, tensors: Mapping[str, np.ndarray]) -> None:
    """Writes ``tensors`` (name → array) as the V2 checkpoint ``prefix``."""
    names = sorted(tensors, key=lambda n: n.encode("utf-8"))
    arrays = {}
    for name in names:
        array = np.asarray(tensors[name])
        arrays[name] = np.asarray(array, dtype=array.dtype.newbyteorder("<"), order="C")
    entries = []
    offset = 0
    for name in names:
        raw = arrays[name].reshape(-1).view(np.uint8)
        entry = BundleEntryProto(dtype=datatype_of(arrays[name].dtype),
                                 shape=_shape_proto(arrays[name].shape),
                                 offset=offset, size=len(raw), crc32c=masked_crc32c(raw))
        entries.append((name.encode("utf-8"), entry.SerializeToString()))
        offset += len(raw)

    def write_data(f) -> None:
        for name in names:
            f.write(arrays[name].reshape(-1).view(np.uint8).data)

    header = BundleHeaderProto(num_shards=1, version=VersionDef(producer=BUNDLE_VERSION))
    index = build_table([(_HEADER_KEY, header.SerializeToString())] + entries)
    atomic_write_all([(data_path(prefix), write_data),
                      (index_path(prefix), lambda f: f.write(index))])


class BundleReader:
    """The checked contents of the V2 checkpoint ``prefix``.

    Opening reads and checks the whole index (``NotFoundError`` if it is missing,
    ``DataLossError`` if it is corrupt, ``InvalidArgumentError`` for a format version this
    reader does not know); ``tensor(name)`` reads one tensor and checks it.
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._index = index_path(prefix)
        try:
            with open(self._index, "rb") as f:
                table = read_table(f.read(), self._index)
        except FileNotFoundError:
            raise NotFoundError(None, None, f"Unsuccessful TensorSliceReader constructor: "
                                            f"Failed to find any matching files for "
                                            f"{prefix} (no file {self._index})") from None
        except IsADirectoryError:
            raise NotFoundError(None, None, f"{self._index} is a directory, not a "
                                            "checkpoint index") from None
        if not table or table[0][0] != _HEADER_KEY:
            raise DataLossError(None, None, f"Checkpoint index {self._index} has no header "
                                            "entry: not a tensor bundle")
        self.num_shards = self._check_header(table[0][1])
        self._entries: dict[str, BundleEntryProto] = {}
        for key, value in table[1:]:
            self._entries[self._decode_key(key)] = self._decode_entry(key, value)

    def _parse(self, message: Any, value: bytes, what: str) -> Any:
        """``message`` parsed from ``value``; ``DataLossError`` naming ``what`` if corrupt."""
        try:
            message.ParseFromString(value)
        except DecodeError as err:
            raise DataLossError(None, None, f"Corrupt {what} in checkpoint index "
                                            f"{self._index}: {err}") from None
        return message

    def _check_header(self, value: bytes) -> int:
        header = self._parse(BundleHeaderProto(), value, "header")
        version = header.version
        if version.min_consumer > BUNDLE_VERSION or BUNDLE_VERSION in version.bad_consumers:
            raise InvalidArgumentError(
                None, None, f"Checkpoint {self._index} needs a reader of format version "
                            f"{version.min_consumer} or newer (this one reads version "
                            f"{BUNDLE_VERSION})")
        if header.endianness != BundleHeaderProto.LITTLE:
            raise UnimplementedError(None, None, f"Checkpoint {self._index} is big-endian; "
                                                 "staticgraph reads little-endian ones")
        if header.num_shards < 1:
            raise DataLossError(None, None, f"Corrupt header in checkpoint index "
                                            f"{self._index}: {header.num_shards} data shards")
        return header.num_shards

    def _decode_key(self, key: bytes) -> str:
        try:
            return key.decode("utf-8")
        except UnicodeDecodeError:
            raise DataLossError(None, None, f"Corrupt checkpoint index {self._index}: "
                                            f"tensor name {key!r} is not UTF-8") from None

    def _decode_entry(self, key: bytes, value: bytes) -> BundleEntryProto:
        entry = self._parse(BundleEntryProto(), value,
                            f"entry for tensor {key.decode(errors='replace')}")
        if not 0 <= entry.shard_id < self.num_shards or entry.offset < 0 or entry.size < 0:
            raise DataLossError(None, None, f"Corrupt entry for tensor {key.decode()} in "
                                            f"checkpoint index {self._index}: shard "
                                            f"{entry.shard_id}, offset {entry.offset}, size "
                                            f"{entry.size}")
        return entry

    # -- what is stored -------------------------------------------------------------------

    def names(self) -> list[str]:
        """The stored tensors' names, sorted."""
        return list(self._entries)

    def has_tensor(self, name: str) -> bool:
        """Whether a tensor ``name`` is stored."""
        return name in self._entries

    def _entry(self, name: str) -> BundleEntryProto:
        try:
            return self._entries[name]
        except KeyError:
            raise NotFoundError(None, None, f"Key {name} not found in checkpoint "
                                            f"{self.prefix}") from None

    def shape(self, name: str) -> list[int]:
        """The stored shape of tensor ``name``."""
        return [d.size for d in self._entry(name).shape.dim]

    def dtype(self, name: str) -> np.dtype:
        """The NumPy dtype of tensor ``name`` (``TypeError`` for one NumPy lacks)."""
        return numpy_dtype_of(self._entry(name).dtype,
                              f"tensor {name} in checkpoint {self.prefix}")

    def dtype_name(self, name: str) -> str:
        """TensorFlow's name of the stored dtype (``DT_FLOAT``)."""
        return dtype_name_of(self._entry(name).dtype)

    def tensor(self, name: str) -> np.ndarray:
        """The stored value of tensor ``name``, its size, extent and checksum checked."""
        entry = self._entry(name)
        if len(entry.slices):
            raise UnimplementedError(None, None, f"Tensor {name} in checkpoint {self.prefix} "
                                                 "is stored in slices (a partitioned "
                                                 "variable), which staticgraph does not read")
        dtype = self.dtype(name).newbyteorder("<")
        shape = tuple(self.shape(name))
        if any(d < 0 for d in shape) or dtype.itemsize * int(np.prod(shape)) != entry.size:
            raise DataLossError(None, None, f"Corrupt entry for tensor {name} in checkpoint "
                                            f"index {self._index}: {entry.size} bytes do not "
                                            f"hold shape {list(shape)} of "
                                            f"{self.dtype_name(name)}")
        path = data_path(self.prefix, entry.shard_id, self.num_shards)
        raw = self._read_extent(path, name, entry)
        if masked_crc32c(raw) != entry.crc32c:
            raise DataLossError(None, None, f"Checksum does not match: stored {entry.crc32c} "
                                            f"vs. calculated on the restored bytes "
                                            f"{masked_crc32c(raw)} for tensor {name} in "
                                            f"{path}")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))

    def _read_extent(self, path: str, name: str, entry: BundleEntryProto) -> bytes:
        try:
            with open(path, "rb") as f:
                file_size = os.fstat(f.fileno()).st_size
                if entry.offset + entry.size > file_size:
                    raise DataLossError(None, None, f"Tensor {name} lies at bytes "
                                                    f"{entry.offset}..{entry.offset + entry.size} "
                                                    f"but {path} has only {file_size} bytes "
                                                    "(truncated)")
                f.seek(entry.offset)
                return f.read(entry.size)
        except FileNotFoundError:
            raise NotFoundError(None, None, f"Data file {path} of checkpoint {self.prefix} "
                                            f"not found (reading tensor {name})") from None
