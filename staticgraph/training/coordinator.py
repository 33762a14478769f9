"""``tf.train.Coordinator``: lets threads ask each other to stop and be joined."""
from __future__ import annotations

import contextlib
import sys
import threading
import time
from typing import Any, Iterable, Iterator

from ..core import errors

__all__ = ["Coordinator"]


class Coordinator:
    """A stop flag shared by threads, with the first exception reported to it.

    ``clean_stop_exception_types`` (default: ``OutOfRangeError``) are exceptions that
    only mean "stop": reported, they stop the threads without being re-raised by
    :meth:`join`.
    """

    def __init__(self, clean_stop_exception_types: Iterable[type] | None = None) -> None:
        self._clean_stop = tuple(clean_stop_exception_types
                                 if clean_stop_exception_types is not None
                                 else (errors.OutOfRangeError,))
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info: Any = None
        self._registered: set[threading.Thread] = set()
        self._joined = False

    def request_stop(self, ex: BaseException | tuple | None = None) -> None:
        """Asks every thread to stop; ``ex`` (an exception or ``sys.exc_info()``) is
        kept to be raised by :meth:`join`, unless it is a clean-stop exception."""
        with self._lock:
            if ex is not None and self._exc_info is None:
                info = ex if isinstance(ex, tuple) else (type(ex), ex, ex.__traceback__)
                if not issubclass(info[0], self._clean_stop):
                    self._exc_info = info
            self._stop_event.set()

    def clear_stop(self) -> None:
        """Clears the stop request and any kept exception (to reuse the coordinator)."""
        with self._lock:
            self._joined = False
            self._exc_info = None
            self._stop_event.clear()

    def should_stop(self) -> bool:
        """Whether a stop was requested."""
        return self._stop_event.is_set()

    def wait_for_stop(self, timeout: float | None = None) -> bool:
        """Waits until a stop is requested (or ``timeout`` seconds); returns
        :meth:`should_stop`."""
        return self._stop_event.wait(timeout)

    @contextlib.contextmanager
    def stop_on_exception(self) -> Iterator[None]:
        """A context in which an exception requests a stop instead of propagating."""
        try:
            yield
        except BaseException:  # noqa: BLE001  (every exception stops the threads)
            self.request_stop(sys.exc_info())

    def register_thread(self, thread: threading.Thread) -> None:
        """Adds ``thread`` to those :meth:`join` waits for."""
        with self._lock:
            self._registered.add(thread)

    def join(self, threads: Iterable[threading.Thread] | None = None,
             stop_grace_period_secs: float = 120,
             ignore_live_threads: bool = False) -> None:
        """Waits for a stop request, then for the threads (given and registered) to
        end; re-raises an exception reported with :meth:`request_stop`. Threads still
        alive after ``stop_grace_period_secs`` are a ``RuntimeError`` naming them,
        unless ``ignore_live_threads``."""
        with self._lock:
            waiting = set(self._registered) | set(threads or ())
        while any(t.is_alive() for t in waiting) and not self.wait_for_stop(0.05):
            pass
        deadline = time.monotonic() + stop_grace_period_secs
        for thread in waiting:
            thread.join(max(deadline - time.monotonic(), 0))
        with self._lock:
            self._joined = True
            self._registered = set()
            exc_info = self._exc_info
        if exc_info is not None:
            raise exc_info[1].with_traceback(exc_info[2])
        alive = sorted(t.name for t in waiting if t.is_alive())
        if alive and not ignore_live_threads:
            raise RuntimeError(f"Coordinator stopped with threads still running: {alive}")

    @property
    def joined(self) -> bool:
        """Whether :meth:`join` has returned since the last :meth:`clear_stop`."""
        return self._joined

    def raise_requested_exception(self) -> None:
        """Raises the exception reported with :meth:`request_stop`, if any."""
        with self._lock:
            exc_info = self._exc_info
        if exc_info is not None:
            raise exc_info[1].with_traceback(exc_info[2])
