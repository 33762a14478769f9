"""``tf.lookup``: static hash tables (``StaticHashTable``) filled by a
``KeyValueTensorInitializer`` or a ``TextFileInitializer``, and
``tf.tables_initializer`` / ``tf.initialize_all_tables``.

A table's contents live in the session (one dict per table and session), filled when
its initializer op runs; a lookup before that raises ``FailedPreconditionError``.
Running the initializer again with the same data is harmless; with other data it fails,
as in TF.
"""
from __future__ import annotations

import itertools
import os
import threading
import weakref
from typing import Any

import numpy as np

from .core import dtypes, errors
from .core.graph import Operation, Tensor, add_to_collection, get_collection, name_scope
from .core.registry import define_op
from .core.shapes import TensorShape
from .io.io_ops import as_bytes
from .ops.framework import apply_op, convert_to_tensor
from .ops.state_ops import group, no_op

__all__ = ["StaticHashTable", "KeyValueTensorInitializer", "TextFileInitializer",
           "TextFileIndex", "tables_initializer", "initialize_all_tables",
           "TABLE_INITIALIZERS"]

TABLE_INITIALIZERS = "table_initializer"
"""The collection of table initializer ops (TF1's ``GraphKeys.TABLE_INITIALIZERS``)."""

_TABLES: "weakref.WeakKeyDictionary[Any, dict[str, dict]]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
_keys = itertools.count()


def _key_of(value: Any) -> Any:
    if isinstance(value, (bytes, str)):
        return as_bytes(value)
    return value.item() if isinstance(value, np.generic) else value


def _fill(state: Any, table: dict, keys: np.ndarray, values: np.ndarray) -> None:
    entries: dict = {}
    for k, v in zip(keys.ravel(), values.ravel()):
        k = _key_of(k)
        if k in entries and entries[k] != v:
            raise errors.FailedPreconditionError(None, None, f"{table['name']}: key {k!r} "
                                                 "has two different values")
        entries[k] = v
    with _LOCK:
        tables = _TABLES.setdefault(state, {})
        old = tables.get(table["key"])
        if old is not None and old != entries:
            raise errors.FailedPreconditionError(None, None, f"Table {table['name']} was "
                                                 "already initialized with different data")
        tables[table["key"]] = entries


def _text_columns(path: str, table: dict) -> tuple[list, list]:
    """Keys and values from a text file, one entry per line (TF's column rules)."""
    try:
        with open(path, "rb") as f:
            lines = f.read().split(b"\n")
    except OSError as err:
        raise errors.NotFoundError(None, None, f"{table['name']}: cannot read {path}: "
                                   f"{err.strerror}") from None
    if lines and lines[-1] == b"":
        lines.pop()
    if table["vocab_size"] is not None:
        if len(lines) < table["vocab_size"]:
            raise errors.InvalidArgumentError(None, None, f"{table['name']}: vocab_size "
                                              f"{table['vocab_size']} but {path} has "
                                              f"{len(lines)} lines")
        lines = lines[:table["vocab_size"]]
    columns: tuple[list, list] = ([], [])
    for number, line in enumerate(lines):
        line = line.removesuffix(b"\r")
        fields = line.split(table["delimiter"])
        for out, index, dtype in zip(columns, table["indices"], table["dtypes"]):
            if index == TextFileIndex.LINE_NUMBER:
                out.append(number)
            elif index == TextFileIndex.WHOLE_LINE:
                out.append(line)
            elif index >= len(fields):
                raise errors.InvalidArgumentError(None, None, f"{table['name']}: line "
                                                  f"{number} of {path} has {len(fields)} "
                                                  f"fields, column {index} is needed")
            elif dtype == dtypes.string:
                out.append(fields[index])
            else:
                try:
                    out.append(int(fields[index]) if dtype.is_integer
                               else float(fields[index]))
                except ValueError:
                    raise errors.InvalidArgumentError(
                        None, None, f"{table['name']}: field {index} of line {number} of "
                        f"{path} is not a valid {dtype.name}: {fields[index]!r}") from None
    return columns


def _table_kernel(state: Any, *values: Any, action: str, table: dict, **unused: Any) -> Any:
    if action == "init":
        _fill(state, table, np.asarray(values[0], dtype=object), np.asarray(values[1]))
        return None
    if action == "init_from_file":
        keys, vals = _text_columns(os.fsdecode(as_bytes(np.asarray(values[0],
                                                                   dtype=object)[()])), table)
        _fill(state, table, np.array(keys, dtype=object),
              np.array(vals, dtype=object if table["dtypes"][1] == dtypes.string
                       else table["dtypes"][1].dtype))
        return None
    with _LOCK:
        entries = _TABLES.get(state, {}).get(table["key"])
    if entries is None:
        raise errors.FailedPreconditionError(None, None, f"Table {table['name']} not "
                                             "initialized.")
    if action == "size":
        return np.int64(len(entries))
    keys, default = np.asarray(values[0], dtype=object), values[1]
    value_type = table["dtypes"][1]
    out = np.empty(keys.shape, dtype=object if value_type == dtypes.string
                   else value_type.dtype)
    for index, k in np.ndenumerate(keys):
        out[index] = entries.get(_key_of(k), default)
    return out


def _table_shape(inputs: list, attrs: dict) -> list:
    table, action = attrs["table"], attrs["action"]
    if action == "find":
        keys, default = inputs
        if keys.dtype != table["dtypes"][0]:
            raise TypeError(f"{table['name']}: keys must be {table['dtypes'][0].name}, got "
                            f"{keys.name} of {keys.dtype.name}")
        if not default.shape.is_compatible_with(TensorShape([])):
            raise ValueError(f"{table['name']}: default_value must be a scalar, got "
                             f"{default.shape}")
        return [(keys.shape, table["dtypes"][1])]
    if action == "size":
        return [(TensorShape([]), dtypes.int64)]
    return []


define_op("LookupTable", kernel=_table_kernel, shape_fn=_table_shape, stateful=True,
          uses_state=True, view_of={},
          doc="A session's hash table: init, init_from_file, find, size.")


class TextFileIndex:
    """Special columns of a ``TextFileInitializer``: the whole line or its number."""
    WHOLE_LINE = -2
    LINE_NUMBER = -1


class KeyValueTensorInitializer:
    """Fills a table from a tensor of keys and a tensor of values (same length)."""

    def __init__(self, keys: Any, values: Any, key_dtype: Any = None,
                 value_dtype: Any = None, name: str | None = None) -> None:
        self._keys = convert_to_tensor(keys, dtype=key_dtype)
        self._values = convert_to_tensor(values, dtype=value_dtype)
        if not self._keys.shape.is_compatible_with(self._values.shape):
            raise ValueError(f"KeyValueTensorInitializer: keys of shape "
                             f"{self._keys.shape} and values of shape "
                             f"{self._values.shape} do not match")
        self.key_dtype, self.value_dtype = self._keys.dtype, self._values.dtype

    def _initialize(self, table: dict) -> Operation:
        return apply_op("LookupTable", [self._keys, self._values],
                        {"action": "init", "table": table}, name="table_init")


class TextFileInitializer:
    """Fills a table from a text file: per line, the key from column ``key_index`` and
    the value from column ``value_index`` (columns split at ``delimiter``;
    ``TextFileIndex.WHOLE_LINE`` is the line, ``LINE_NUMBER`` its number from 0)."""

    def __init__(self, filename: Any, key_dtype: Any, key_index: int, value_dtype: Any,
                 value_index: int, vocab_size: int | None = None, delimiter: str = "\t",
                 name: str | None = None) -> None:
        self._filename = convert_to_tensor(filename, dtype=dtypes.string)
        self.key_dtype, self.value_dtype = (dtypes.as_dtype(key_dtype),
                                            dtypes.as_dtype(value_dtype))
        for what, index, dtype in (("key", key_index, self.key_dtype),
                                   ("value", value_index, self.value_dtype)):
            if index < TextFileIndex.WHOLE_LINE:
                raise ValueError(f"TextFileInitializer: invalid {what}_index {index}")
            if index == TextFileIndex.LINE_NUMBER and not dtype.is_integer:
                raise ValueError(f"TextFileInitializer: {what} column LINE_NUMBER needs an "
                                 f"integer dtype, got {dtype.name}")
            if index == TextFileIndex.WHOLE_LINE and dtype != dtypes.string:
                raise ValueError(f"TextFileInitializer: {what} column WHOLE_LINE needs "
                                 f"string, got {dtype.name}")
        self._file = {"indices": (int(key_index), int(value_index)),
                      "delimiter": delimiter.encode(), "vocab_size": vocab_size}

    def _initialize(self, table: dict) -> Operation:
        return apply_op("LookupTable", [self._filename],
                        {"action": "init_from_file", "table": dict(table, **self._file)},
                        name="table_init")


class StaticHashTable:
    """``tf.lookup.StaticHashTable``: an immutable key -> value map filled by
    ``initializer``; keys not in it look up as ``default_value``."""

    def __init__(self, initializer: Any, default_value: Any, name: str | None = None) -> None:
        with name_scope(name, "hash_table") as scope:
            self._name = scope.rstrip("/")
            self._default = convert_to_tensor(default_value, dtype=initializer.value_dtype)
            self._table = {"name": self._name, "key": f"{self._name}_{next(_keys)}",
                           "dtypes": (initializer.key_dtype, initializer.value_dtype)}
            self._init = initializer._initialize(self._table)
        add_to_collection(TABLE_INITIALIZERS, self._init)

    @property
    def name(self) -> str:
        """The table's name."""
        return self._name

    @property
    def initializer(self) -> Operation:
        """The op filling the table."""
        return self._init

    @property
    def key_dtype(self) -> dtypes.DType:
        """The dtype of the keys."""
        return self._table["dtypes"][0]

    @property
    def value_dtype(self) -> dtypes.DType:
        """The dtype of the values."""
        return self._table["dtypes"][1]

    @property
    def default_value(self) -> Tensor:
        """The value of keys not in the table."""
        return self._default

    def lookup(self, keys: Any, name: str | None = None) -> Tensor:
        """The value of each key (``default_value`` for unknown keys), shaped as keys."""
        keys = keys if isinstance(keys, Tensor) else convert_to_tensor(keys, self.key_dtype)
        return apply_op("LookupTable", [keys, self._default],
                        {"action": "find", "table": self._table},
                        name=name or f"{self._name}_Lookup").outputs[0]

    def size(self, name: str | None = None) -> Tensor:
        """The number of entries (an int64 scalar)."""
        return apply_op("LookupTable", [], {"action": "size", "table": self._table},
                        name=name or f"{self._name}_Size").outputs[0]


def tables_initializer(name: str = "init_all_tables") -> Operation:
    """``tf.tables_initializer``: one op running every table initializer of the graph."""
    ops = get_collection(TABLE_INITIALIZERS)
    return group(*ops, name=name) if ops else no_op(name=name)


initialize_all_tables = tables_initializer
