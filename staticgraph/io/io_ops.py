"""File and byte ops: ``tf.read_file``, ``tf.write_file``, ``tf.matching_files``,
``tf.decode_raw``, ``tf.decode_compressed``, ``tf.serialize_tensor`` and
``tf.parse_tensor``.

A ``tf.string`` value is a NumPy object array of ``bytes``. None of these ops is
differentiable (their results are bytes, or numbers decoded from bytes).
"""
from __future__ import annotations

import glob
import gzip
import os
import zlib
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..core.registry import define_op
from ..core.shapes import TensorShape
from ..ops.framework import apply_op, convert_to_tensor
from .attr_values import from_tensor_proto, to_shape_proto, to_tensor_proto
from .protos import TensorProto
from .tfrecord import read_whole_file

__all__ = ["read_file", "write_file", "matching_files", "decode_raw", "decode_compressed",
           "serialize_tensor", "parse_tensor", "string_array", "as_bytes", "scalar_bytes"]

_DT_STRING = 7


def string_array(items: list, shape: tuple = ()) -> np.ndarray:
    """An object array of ``bytes`` of ``shape`` holding ``items`` (row-major)."""
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out.reshape(shape)


def as_bytes(value: Any) -> bytes:
    """One element of a string tensor as ``bytes`` (``str`` is encoded as UTF-8)."""
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def scalar_bytes(value: Any) -> bytes:
    """The ``bytes`` of a scalar string tensor's value."""
    return as_bytes(np.asarray(value, dtype=object)[()])


def _need(t: Any, dtype: dtypes.DType, op: str, what: str, rank: int | None = None) -> None:
    if t.dtype != dtype:
        raise TypeError(f"{op}: {what} must be {dtype.name}, got {t.name} of {t.dtype.name}")
    if rank is not None and not t.shape.is_compatible_with(TensorShape([None] * rank)):
        raise ValueError(f"{op}: {what} must have rank {rank}, got {t.name} of shape "
                         f"{t.shape}")


def _string_input(value: Any, op: str, what: str, rank: int | None = None) -> Any:
    t = convert_to_tensor(value, dtype=dtypes.string)
    _need(t, dtypes.string, op, what, rank)
    return t


# -- files ------------------------------------------------------------------------------


def _read_file_kernel(filename: Any, **unused: Any) -> np.ndarray:
    return string_array([read_whole_file(os.fsdecode(scalar_bytes(filename)))])


def _scalar_string_shape(inputs: list, attrs: dict) -> list:
    for t in inputs:
        _need(t, dtypes.string, attrs["op"], "each input", 0)
    return [(TensorShape([]), dtypes.string)] if attrs["op"] != "write_file" else []


define_op("ReadFile", kernel=_read_file_kernel, shape_fn=_scalar_string_shape, view_of={},
          stateful=True, doc="The whole contents of a file, as one string.")


def read_file(filename: Any, name: str | None = None) -> Any:
    """``tf.read_file`` / ``tf.io.read_file``: the bytes of the named file (a scalar
    string; ``NotFoundError`` naming it when missing)."""
    return apply_op("ReadFile", [_string_input(filename, "read_file", "filename", 0)],
                    {"op": "read_file"}, name=name or "ReadFile").outputs[0]


def _write_file_kernel(filename: Any, contents: Any, **unused: Any) -> None:
    path = os.fsdecode(scalar_bytes(filename))
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    with open(path, "wb") as f:
        f.write(scalar_bytes(contents))


define_op("WriteFile", kernel=_write_file_kernel, shape_fn=_scalar_string_shape,
          view_of={}, stateful=True, doc="Writes a string to a file (replacing it).")


def write_file(filename: Any, contents: Any, name: str | None = None) -> Any:
    """``tf.write_file`` / ``tf.io.write_file``: an op writing the scalar string
    ``contents`` to ``filename`` (directories are created, an old file replaced)."""
    return apply_op("WriteFile", [_string_input(filename, "write_file", "filename", 0),
                                  _string_input(contents, "write_file", "contents", 0)],
                    {"op": "write_file"}, name=name or "WriteFile")


def _matching_files_kernel(pattern: Any) -> np.ndarray:
    found: list[str] = []
    for p in np.asarray(pattern, dtype=object).ravel():
        found.extend(glob.glob(os.fsdecode(as_bytes(p))))
    return string_array([f.encode() for f in sorted(found)], (len(found),))


def _matching_files_shape(inputs: list, attrs: dict) -> list:
    (pattern,) = inputs
    _need(pattern, dtypes.string, "matching_files", "pattern")
    if pattern.shape.ndims is not None and pattern.shape.ndims > 1:
        raise ValueError(f"matching_files: pattern must be a scalar or vector, got "
                         f"{pattern.shape}")
    return [(TensorShape([None]), dtypes.string)]


define_op("MatchingFiles", kernel=_matching_files_kernel, shape_fn=_matching_files_shape,
          view_of={}, stateful=True, doc="The sorted file names matching glob patterns.")


def matching_files(pattern: Any, name: str | None = None) -> Any:
    """``tf.matching_files`` / ``tf.io.matching_files``: the sorted names of the files
    matching a glob pattern (or a vector of them), as a string vector."""
    return apply_op("MatchingFiles", [convert_to_tensor(pattern, dtype=dtypes.string)], {},
                    name=name or "MatchingFiles").outputs[0]


# -- bytes to numbers -------------------------------------------------------------------


def _decode_raw_kernel(data: Any, *, out_type: dtypes.DType, little_endian: bool
                       ) -> np.ndarray:
    items = np.asarray(data, dtype=object)
    dtype = np.dtype(out_type.dtype).newbyteorder("<" if little_endian else ">")
    lengths = {len(as_bytes(b)) for b in items.ravel()}
    if len(lengths) > 1:
        raise InvalidArgumentError(None, None, "decode_raw: every input string must have "
                                   f"the same length, got lengths {sorted(lengths)}")
    size = lengths.pop() if lengths else 0
    if size % dtype.itemsize:
        raise InvalidArgumentError(None, None, f"decode_raw: input size {size} is not a "
                                   f"multiple of {dtype.itemsize} (the size of "
                                   f"{out_type.name})")
    rows = [np.frombuffer(as_bytes(b), dtype=dtype) for b in items.ravel()]
    flat = np.stack(rows) if rows else np.zeros((0, size // dtype.itemsize), dtype)
    return flat.astype(out_type.dtype).reshape(items.shape + (size // dtype.itemsize,))


def _decode_raw_shape(inputs: list, attrs: dict) -> list:
    _need(inputs[0], dtypes.string, "decode_raw", "input_bytes")
    out = attrs["out_type"]
    if not (out.is_numeric or out.is_bool):
        raise TypeError(f"decode_raw: out_type must be numeric, got {out.name}")
    return [(inputs[0].shape.concatenate(TensorShape([None])), out)]


define_op("DecodeRaw", kernel=_decode_raw_kernel, shape_fn=_decode_raw_shape, view_of={},
          doc="Reinterprets the bytes of each string as a vector of numbers.")


def decode_raw(input_bytes: Any = None, out_type: Any = None, little_endian: bool = True,
               name: str | None = None, bytes: Any = None) -> Any:  # noqa: A002
    """``tf.decode_raw`` / ``tf.io.decode_raw``: each string's bytes as a vector of
    ``out_type`` (all strings of one length; the result has one more dimension)."""
    data = input_bytes if input_bytes is not None else bytes
    return apply_op("DecodeRaw", [convert_to_tensor(data, dtype=dtypes.string)],
                    {"out_type": dtypes.as_dtype(out_type),
                     "little_endian": bool(little_endian)},
                    name=name or "DecodeRaw").outputs[0]


def _decompress_one(item: bytes, compression_type: str) -> bytes:
    try:
        if compression_type == "ZLIB":
            return zlib.decompress(item)
        if compression_type == "GZIP":
            return gzip.decompress(item)
    except (zlib.error, OSError, EOFError) as err:
        raise InvalidArgumentError(None, None, f"decode_compressed: not valid "
                                   f"{compression_type} data: {err}") from None
    return item


def _decode_compressed_kernel(data: Any, *, compression_type: str, **unused: Any
                              ) -> np.ndarray:
    items = np.asarray(data, dtype=object)
    return string_array([_decompress_one(as_bytes(b), compression_type)
                         for b in items.ravel()], items.shape)


def _same_string_shape(inputs: list, attrs: dict) -> list:
    _need(inputs[0], dtypes.string, attrs["op"], "bytes")
    return [(inputs[0].shape, dtypes.string)]


define_op("DecodeCompressed", kernel=_decode_compressed_kernel, shape_fn=_same_string_shape,
          view_of={}, doc="Decompresses each string (ZLIB or GZIP).")


def decode_compressed(bytes: Any, compression_type: str = "",  # noqa: A002
                      name: str | None = None) -> Any:
    """``tf.decode_compressed`` / ``tf.io.decode_compressed``: each string decompressed
    (``compression_type`` ``""``, ``"ZLIB"`` or ``"GZIP"``)."""
    kind = compression_type.upper()
    if kind not in ("", "ZLIB", "GZIP"):
        raise ValueError(f"decode_compressed: compression_type must be '', 'ZLIB' or "
                         f"'GZIP', got {compression_type!r}")
    return apply_op("DecodeCompressed", [convert_to_tensor(bytes, dtype=dtypes.string)],
                    {"compression_type": kind, "op": "decode_compressed"},
                    name=name or "DecodeCompressed").outputs[0]


# -- TensorProto bytes ------------------------------------------------------------------


def _serialize_kernel(tensor: Any) -> np.ndarray:
    array = np.asarray(tensor)
    if array.dtype == object:
        proto = TensorProto(dtype=_DT_STRING, tensor_shape=to_shape_proto(
            TensorShape(list(array.shape))))
        proto.string_val.extend(as_bytes(b) for b in array.ravel())
    else:
        proto = to_tensor_proto(array)
    return string_array([proto.SerializeToString()])


def _serialize_shape(inputs: list, attrs: dict) -> list:
    return [(TensorShape([]), dtypes.string)]


define_op("SerializeTensor", kernel=_serialize_kernel, shape_fn=_serialize_shape,
          view_of={}, doc="A tensor as the bytes of its TensorProto.")


def serialize_tensor(tensor: Any, name: str | None = None) -> Any:
    """``tf.serialize_tensor`` / ``tf.io.serialize_tensor``: the serialized
    ``TensorProto`` of a tensor (a scalar string)."""
    return apply_op("SerializeTensor", [convert_to_tensor(tensor)], {},
                    name=name or "SerializeTensor").outputs[0]


def _parse_tensor_kernel(serialized: Any, *, out_type: dtypes.DType) -> np.ndarray:
    try:
        proto = TensorProto.FromString(scalar_bytes(serialized))
    except Exception as err:  # protobuf's DecodeError
        raise InvalidArgumentError(None, None, "parse_tensor: could not parse the input "
                                   f"as a TensorProto: {err}") from None
    if proto.dtype == _DT_STRING:
        got = dtypes.string
        dims = [d.size for d in proto.tensor_shape.dim]
        value = string_array(list(proto.string_val), tuple(dims))
    else:
        value = from_tensor_proto(proto, "parse_tensor")
        got = dtypes.as_dtype(value.dtype)
    if got != out_type:
        raise InvalidArgumentError(None, None, f"parse_tensor: type mismatch between the "
                                   f"parsed tensor ({got.name}) and out_type "
                                   f"({out_type.name})")
    return value


def _parse_tensor_shape(inputs: list, attrs: dict) -> list:
    _need(inputs[0], dtypes.string, "parse_tensor", "serialized", 0)
    return [(TensorShape(None), attrs["out_type"])]


define_op("ParseTensor", kernel=_parse_tensor_kernel, shape_fn=_parse_tensor_shape,
          view_of={}, doc="The tensor a serialized TensorProto holds.")


def parse_tensor(serialized: Any, out_type: Any, name: str | None = None) -> Any:
    """``tf.parse_tensor`` / ``tf.io.parse_tensor``: the tensor of ``out_type`` a
    serialized ``TensorProto`` holds (its shape is known only when run)."""
    return apply_op("ParseTensor", [convert_to_tensor(serialized, dtype=dtypes.string)],
                    {"out_type": dtypes.as_dtype(out_type)},
                    name=name or "ParseTensor").outputs[0]
