"""TensorBoard event files: ``Event`` protocol buffers in TFRecord framing.

Each record is the event's length (uint64, little-endian), the masked CRC32C of those 8
bytes, the serialized event, and its masked CRC32C. The file is named
``events.out.tfevents.<seconds>.<host><suffix>`` (``.<n>`` before the suffix when that
name is taken) and starts with a ``file_version`` event, as TensorFlow writes it;
TensorBoard reads it as it grows.
"""
from __future__ import annotations

import os
import socket
import time
from typing import Iterator

from .protos import Event
from .tfrecord import frame_record, read_file_records

__all__ = ["EventFileWriter", "read_records", "read_events", "FILE_VERSION"]

FILE_VERSION = "brain.Event:2"


class EventFileWriter:
    """Appends events to a new event file in ``logdir``; writes them out when
    ``max_queue`` are pending, when ``flush_secs`` have passed, and on ``flush``."""

    def __init__(self, logdir: str, max_queue: int = 10, flush_secs: float = 120,
                 filename_suffix: str = "") -> None:
        os.makedirs(logdir, exist_ok=True)
        now = time.time()
        base = os.path.join(logdir, f"events.out.tfevents.{int(now):010d}."
                                    f"{socket.gethostname()}")
        self.path, n = base + (filename_suffix or ""), 0
        while True:  # a second writer in the same second gets a file of its own
            try:
                self._file = open(self.path, "xb")
                break
            except FileExistsError:
                n += 1
                self.path = f"{base}.{n}{filename_suffix or ''}"
        self._pending: list[bytes] = []
        self._max_queue = max(1, int(max_queue))
        self._flush_secs = flush_secs
        self._last_flush = now
        self.add_event(Event(wall_time=now, file_version=FILE_VERSION))
        self.flush()

    def add_event(self, event: Event) -> None:
        """Queues one event (``wall_time`` is set to now when missing)."""
        if not event.wall_time:
            event.wall_time = time.time()
        self._pending.append(frame_record(event.SerializeToString()))
        if (len(self._pending) >= self._max_queue
                or time.time() - self._last_flush >= self._flush_secs):
            self.flush()

    def flush(self) -> None:
        """Writes the queued events to the file."""
        if self._file.closed:
            return
        self._file.write(b"".join(self._pending))
        self._pending.clear()
        self._file.flush()
        self._last_flush = time.time()

    def close(self) -> None:
        """Flushes and closes the file."""
        if not self._file.closed:
            self.flush()
            self._file.close()

    @property
    def closed(self) -> bool:
        """Whether ``close`` was called."""
        return self._file.closed


def read_records(path: str) -> Iterator[bytes]:
    """The records of a TFRecord file, checksums verified (``DataLossError`` naming the
    file and offset on a corrupt or truncated record)."""
    return read_file_records(path)


def read_events(path: str) -> list[Event]:
    """Every event of an event file."""
    return list(summary_iterator(path))


def summary_iterator(path: str) -> Iterator[Event]:
    """``tf.train.summary_iterator``: the ``Event`` protos of an event file, in order."""
    for record in read_records(path):
        yield Event.FromString(record)
