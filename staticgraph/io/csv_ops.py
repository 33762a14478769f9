"""``tf.decode_csv`` / ``tf.io.decode_csv``: CSV records to columns.

Each record is split at ``field_delim`` (a quoted field, when ``use_quote_delim``, may
hold the delimiter, and ``""`` inside it stands for one quote), and each field is
converted to the dtype of its column's default. An empty field, or one equal to
``na_value``, takes the default; a column whose default is empty is required.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..core.graph import Tensor
from ..core.registry import define_op
from ..ops.framework import apply_op, constant_value, convert_to_tensor
from .io_ops import as_bytes, string_array

__all__ = ["decode_csv"]

_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.string)


def _split(record: bytes, delim: bytes, quoted: bool, where: str) -> list[tuple[bytes, bool]]:
    """The fields of one record, each with whether it was quoted."""
    fields: list[tuple[bytes, bool]] = []
    pos, n = 0, len(record)
    while True:
        if quoted and pos < n and record[pos:pos + 1] == b'"':
            out, pos = bytearray(), pos + 1
            while True:
                if pos >= n:
                    raise InvalidArgumentError(None, None, f"decode_csv: {where} ends inside"
                                               " a quoted field")
                if record[pos:pos + 1] == b'"':
                    if record[pos + 1:pos + 2] == b'"':
                        out += b'"'
                        pos += 2
                        continue
                    pos += 1
                    break
                out += record[pos:pos + 1]
                pos += 1
            if pos < n and record[pos:pos + len(delim)] != delim:
                raise InvalidArgumentError(None, None, f"decode_csv: quote inside a field "
                                           f"must be escaped as '\"\"' in {where}")
            fields.append((bytes(out), True))
        else:
            end = record.find(delim, pos)
            end = n if end < 0 else end
            text = record[pos:end]
            if quoted and b'"' in text:
                raise InvalidArgumentError(None, None, f"decode_csv: an unquoted field "
                                           f"contains a quote in {where}: {text!r}")
            fields.append((text, False))
            pos = end
        if pos >= n:
            return fields
        pos += len(delim)
        if pos == n:
            fields.append((b"", False))
            return fields


def _convert(text: bytes, dtype: dtypes.DType, column: int, where: str) -> Any:
    if dtype == dtypes.string:
        return text
    try:
        if dtype.is_integer:
            value = int(text.strip(), 10)
            info = np.iinfo(dtype.dtype)
            if not info.min <= value <= info.max:
                raise ValueError
            return value
        return float(text)
    except ValueError:
        raise InvalidArgumentError(None, None, f"decode_csv: field {column} in {where} is "
                                   f"not a valid {dtype.name}: {text!r}") from None


def _decode_csv_kernel(records: Any, *defaults: Any, field_delim: str,
                       use_quote_delim: bool, na_value: str, select_cols: tuple | None,
                       types: tuple) -> Any:
    items = np.asarray(records, dtype=object)
    delim, na = field_delim.encode(), na_value.encode()
    columns: list[list] = [[] for _ in types]
    for i, record in enumerate(items.ravel()):
        where = f"record {i}"
        fields = _split(as_bytes(record), delim, use_quote_delim, where)
        wanted = select_cols if select_cols is not None else range(len(fields))
        if select_cols is None and len(fields) != len(types):
            raise InvalidArgumentError(None, None, f"decode_csv: expect {len(types)} fields "
                                       f"but have {len(fields)} in {where}")
        if select_cols is not None and select_cols[-1] >= len(fields):
            raise InvalidArgumentError(None, None, f"decode_csv: {where} has {len(fields)} "
                                       f"fields, select_cols asks for column "
                                       f"{select_cols[-1]}")
        for out, column in enumerate(wanted):
            text, was_quoted = fields[column]
            if (not text and not was_quoted) or (na and text == na):
                default = np.asarray(defaults[out], dtype=object if types[out] ==
                                     dtypes.string else None).ravel()
                if default.size == 0:
                    raise InvalidArgumentError(None, None, f"decode_csv: field {column} is "
                                               f"required but missing in {where}")
                columns[out].append(default[0])
            else:
                columns[out].append(_convert(text, types[out], column, where))
    out = tuple(string_array(col, items.shape) if t == dtypes.string
                else np.array(col, dtype=t.dtype).reshape(items.shape)
                for col, t in zip(columns, types))
    return out[0] if len(out) == 1 else out


def _decode_csv_shape(inputs: list, attrs: dict) -> list:
    records, defaults = inputs[0], inputs[1:]
    if records.dtype != dtypes.string:
        raise TypeError(f"decode_csv: records must be strings, got {records.name} of "
                        f"{records.dtype.name}")
    for i, d in enumerate(defaults):
        if d.shape.ndims is not None and d.shape.ndims > 1 or (
                d.shape.ndims == 1 and (d.shape.as_tuple()[0] or 0) > 1):
            raise ValueError(f"decode_csv: record_defaults[{i}] must have at most one "
                             f"element, got shape {d.shape}")
    return [(records.shape, t) for t in attrs["types"]]


define_op("DecodeCSV", kernel=_decode_csv_kernel, shape_fn=_decode_csv_shape, view_of={},
          doc="Splits CSV records into typed columns.")


def _default_tensor(value: Any, index: int) -> Tensor:
    if isinstance(value, (list, tuple)) and not value:
        return convert_to_tensor(np.zeros((0,), np.float32))
    t = convert_to_tensor(value)
    if t.dtype not in _TYPES:
        raise TypeError(f"decode_csv: record_defaults[{index}] must be float32, float64, "
                        f"int32, int64 or string, got {t.dtype.name}")
    return t


def decode_csv(records: Any, record_defaults: Sequence[Any], field_delim: str = ",",
               use_quote_delim: bool = True, name: str | None = None, na_value: str = "",
               select_cols: Sequence[int] | None = None) -> list[Tensor]:
    """``tf.decode_csv`` / ``tf.io.decode_csv``: one tensor per column (shaped like
    ``records``), of the dtype of its default in ``record_defaults`` (``[]`` marks a
    required float32 column; give a typed empty default such as ``tf.constant([],
    tf.int64)`` for another dtype)."""
    if len(field_delim) != 1:
        raise ValueError(f"decode_csv: field_delim must be one character, got "
                         f"{field_delim!r}")
    defaults = [_default_tensor(d, i) for i, d in enumerate(record_defaults)]
    cols = None
    if select_cols is not None:
        cols = tuple(int(c) for c in select_cols)
        if list(cols) != sorted(set(cols)) or (cols and cols[0] < 0):
            raise ValueError("decode_csv: select_cols must be non-negative and strictly "
                             f"increasing, got {list(select_cols)}")
        if len(cols) != len(defaults):
            raise ValueError(f"decode_csv: {len(cols)} select_cols but "
                             f"{len(defaults)} record_defaults")
    for i, d in enumerate(defaults):
        known = constant_value(d)
        if known is not None and np.size(known) > 1:
            raise ValueError(f"decode_csv: record_defaults[{i}] must have at most one "
                             f"element, got {np.shape(known)}")
    op = apply_op("DecodeCSV", [convert_to_tensor(records, dtype=dtypes.string), *defaults],
                  {"field_delim": field_delim, "use_quote_delim": bool(use_quote_delim),
                   "na_value": na_value, "select_cols": cols,
                   "types": tuple(d.dtype for d in defaults)}, name=name or "DecodeCSV")
    return list(op.outputs)
