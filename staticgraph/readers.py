"""TF1's readers for queue-based input pipelines: ``tf.TextLineReader``,
``tf.TFRecordReader``, ``tf.WholeFileReader``, ``tf.FixedLengthRecordReader`` and
``tf.IdentityReader`` (all :class:`ReaderBase`).

``read(queue)`` produces the next ``(key, value)`` record; when the current file (a
*work unit*) is used up, the reader dequeues the next file name from ``queue`` (waiting
for one; ``OutOfRangeError`` once the queue is closed and empty). Keys follow TF1:
``"<file>:<line number>"`` (from 1, header lines counted) for text lines,
``"<file>:<byte offset>"`` for TFRecords, ``"<file>:<record index>"`` for fixed-length
records, the file name for whole files and the work string itself for the identity
reader. A reader's position lives in the session and is shared by the threads that run
its ops (under a lock, as TF's readers).
"""
from __future__ import annotations

import itertools
import threading
import weakref
from typing import Any, Iterator

import numpy as np

from .core import dtypes, errors
from .core.graph import GraphKeys, Operation, Tensor, get_default_graph, name_scope
from .core.registry import define_op
from .core.shapes import TensorShape
from .io.io_ops import as_bytes, matching_files, string_array
from .io.record_sources import (file_bytes, fixed_length_records, text_lines,
                                tfrecords)
from .io.tfrecord import compression_name
from .ops.framework import apply_op, convert_to_tensor
from .ops.queue_ops import _queue
from .ops.variables import Variable

__all__ = ["ReaderBase", "TextLineReader", "TFRecordReader", "WholeFileReader",
           "FixedLengthRecordReader", "IdentityReader", "match_filenames_once"]

_STATES: "weakref.WeakKeyDictionary[Any, dict[str, _ReaderState]]" = weakref.WeakKeyDictionary()
_STATES_LOCK = threading.Lock()
_keys = itertools.count()


class _ReaderState:
    """One reader's position in one session: the records left of the current work unit
    and the counters."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.records: Iterator[tuple[bytes, bytes]] | None = None
        self.produced = 0
        self.completed = 0


def _state(session_state: Any, key: str) -> _ReaderState:
    with _STATES_LOCK:
        table = _STATES.setdefault(session_state, {})
        return table.setdefault(key, _ReaderState())


def _take(session_state: Any, reader: _ReaderState, config: dict, queue_config: dict,
          wanted: int) -> list[tuple[bytes, bytes]]:
    """At least one and up to ``wanted`` records, all from one work unit (as TF's
    readers: the end of a file ends the batch), dequeuing new work while none is left."""
    got: list[tuple[bytes, bytes]] = []
    while not got:
        if reader.records is None:
            (element,) = _queue(session_state, queue_config).dequeue(1, False)
            work = as_bytes(np.asarray(element[0], dtype=object)[()])
            reader.records = config["records"](work, config)
        while len(got) < wanted:
            record = next(reader.records, None)
            if record is None:
                reader.records = None
                reader.completed += 1
                break
            got.append(record)
            reader.produced += 1
    return got


def _reader_kernel(state: Any, *values: Any, action: str, config: dict,
                   queue_config: dict | None = None, **unused: Any) -> Any:
    reader = _state(state, config["key"])
    with reader.lock:
        if action == "read":
            ((key, value),) = _take(state, reader, config, queue_config, 1)
            return string_array([key]), string_array([value])
        if action == "read_up_to":
            wanted = int(values[0])
            if wanted <= 0:
                raise errors.InvalidArgumentError(None, None, f"{config['name']}: "
                                                  f"num_records must be > 0, got {wanted}")
            got = _take(state, reader, config, queue_config, wanted)
            return (string_array([k for k, _ in got], (len(got),)),
                    string_array([v for _, v in got], (len(got),)))
        if action == "num_records_produced":
            return np.int64(reader.produced)
        if action == "num_work_units_completed":
            return np.int64(reader.completed)
        reader.records, reader.produced, reader.completed = None, 0, 0  # reset
        return None


def _reader_shape(inputs: list, attrs: dict) -> list:
    if attrs["action"] == "read_up_to" and (
            inputs[0].dtype not in (dtypes.int32, dtypes.int64)
            or not inputs[0].shape.is_compatible_with(TensorShape([]))):
        raise ValueError(f"read_up_to: num_records must be an integer scalar, got "
                         f"{inputs[0].dtype.name} {inputs[0].shape}")
    return list(attrs["outputs"])


define_op("ReaderOp", kernel=_reader_kernel, shape_fn=_reader_shape, stateful=True,
          uses_state=True, view_of={},
          doc="An action on a session's reader: read, read_up_to, num_records_produced, "
              "num_work_units_completed, reset.")


class ReaderBase:
    """A reader of records from the files (work units) named in a queue of strings.

    Subclasses give ``_records(work, config)``: the ``(key, value)`` records of one work
    unit."""

    def __init__(self, config: dict, name: str) -> None:
        self._name = get_default_graph().unique_name(name)
        self._config = dict(config, name=self._name, key=f"{self._name}_{next(_keys)}",
                            records=type(self)._records)

    @staticmethod
    def _records(work: bytes, config: dict) -> Iterator[tuple[bytes, bytes]]:
        raise NotImplementedError  # every reader class defines it

    @property
    def reader_ref(self) -> str:
        """The reader's name (TF1 gives a resource handle)."""
        return self._name

    @property
    def supports_serialize(self) -> bool:
        """Whether ``serialize_state`` works: never here."""
        return False

    def _op(self, action: str, inputs: list, outputs: list, name: str | None,
            queue: Any = None) -> Operation:
        attrs = {"action": action, "config": self._config, "outputs": tuple(outputs)}
        if queue is not None:
            if not hasattr(queue, "_config") or len(queue.dtypes) != 1 or \
                    queue.dtypes[0] != dtypes.string:
                raise TypeError(f"{self._name}: read needs a queue of strings (file names),"
                                f" got {queue!r}")
            attrs["queue_config"] = queue._config
        return apply_op("ReaderOp", inputs, attrs, name=name or f"{self._name}_{action}")

    def read(self, queue: Any, name: str | None = None) -> tuple[Tensor, Tensor]:
        """The next record as ``(key, value)`` scalar strings."""
        scalar = (TensorShape([]), dtypes.string)
        op = self._op("read", [], [scalar, scalar], name, queue)
        return op.outputs[0], op.outputs[1]

    def read_up_to(self, queue: Any, num_records: Any, name: str | None = None
                   ) -> tuple[Tensor, Tensor]:
        """Up to ``num_records`` records as ``(keys, values)`` string vectors (fewer at
        the end of the input)."""
        n = convert_to_tensor(num_records, dtype=dtypes.int64)
        vector = (TensorShape([None]), dtypes.string)
        op = self._op("read_up_to", [n], [vector, vector], name, queue)
        return op.outputs[0], op.outputs[1]

    def num_records_produced(self, name: str | None = None) -> Tensor:
        """How many records this reader has produced (an int64 scalar)."""
        return self._op("num_records_produced", [], [(TensorShape([]), dtypes.int64)],
                        name).outputs[0]

    def num_work_units_completed(self, name: str | None = None) -> Tensor:
        """How many work units (files) this reader has finished (an int64 scalar)."""
        return self._op("num_work_units_completed", [], [(TensorShape([]), dtypes.int64)],
                        name).outputs[0]

    def reset(self, name: str | None = None) -> Operation:
        """An op restoring the reader to its initial clean state."""
        return self._op("reset", [], [], name)


class TextLineReader(ReaderBase):
    """Lines of text files (without the line ending), skipping ``skip_header_lines``
    lines at the start of each file."""

    def __init__(self, skip_header_lines: int | None = None, name: str | None = None) -> None:
        super().__init__({"skip": int(skip_header_lines or 0)}, name or "TextLineReader")

    @staticmethod
    def _records(work: bytes, config: dict) -> Iterator[tuple[bytes, bytes]]:
        return text_lines(work, skip=config["skip"])


class TFRecordReader(ReaderBase):
    """The records of TFRecord files (``options``: their compression)."""

    def __init__(self, name: str | None = None, options: Any = None) -> None:
        super().__init__({"compression": compression_name(options)},
                         name or "TFRecordReader")

    @staticmethod
    def _records(work: bytes, config: dict) -> Iterator[tuple[bytes, bytes]]:
        return tfrecords(work, config["compression"])


class WholeFileReader(ReaderBase):
    """Each file whole: the key is its name, the value its contents."""

    def __init__(self, name: str | None = None) -> None:
        super().__init__({}, name or "WholeFileReader")

    @staticmethod
    def _records(work: bytes, config: dict) -> Iterator[tuple[bytes, bytes]]:
        yield work, file_bytes(work)


class FixedLengthRecordReader(ReaderBase):
    """Records of ``record_bytes`` bytes, after ``header_bytes`` and before
    ``footer_bytes``; a new record starts every ``hop_bytes`` (default: record_bytes).
    A trailing partial record is dropped, as in TF."""

    def __init__(self, record_bytes: int, header_bytes: int | None = None,
                 footer_bytes: int | None = None, hop_bytes: int | None = None,
                 name: str | None = None, encoding: str | None = None) -> None:
        if int(record_bytes) <= 0:
            raise ValueError(f"FixedLengthRecordReader: record_bytes must be > 0, got "
                             f"{record_bytes}")
        super().__init__({"record": int(record_bytes), "header": int(header_bytes or 0),
                          "footer": int(footer_bytes or 0),
                          "hop": int(hop_bytes or 0) or int(record_bytes),
                          "compression": compression_name(encoding)},
                         name or "FixedLengthRecordReader")

    @staticmethod
    def _records(work: bytes, config: dict) -> Iterator[tuple[bytes, bytes]]:
        return fixed_length_records(work, config["record"], config["header"],
                                    config["footer"], config["hop"], config["compression"])


class IdentityReader(ReaderBase):
    """Each work string itself, as both key and value."""

    def __init__(self, name: str | None = None) -> None:
        super().__init__({}, name or "IdentityReader")

    @staticmethod
    def _records(work: bytes, config: dict) -> Iterator[tuple[bytes, bytes]]:
        yield work, work


def match_filenames_once(pattern: Any, name: str | None = None) -> Any:
    """``tf.train.match_filenames_once``: a local variable holding the files matching
    ``pattern`` (a glob, or a vector of them), computed once by
    ``tf.local_variables_initializer()``."""
    with name_scope(name, "matching_filenames", [pattern]) as scope:
        return Variable(matching_files(pattern), trainable=False, validate_shape=False,
                        collections=[GraphKeys.LOCAL_VARIABLES], name=scope)
