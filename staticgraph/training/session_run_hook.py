"""The ``SessionRunHook`` protocol of ``tf.train.MonitoredSession``.

A hook sees the session's life: ``begin`` (before the session exists; the graph may
still grow), ``after_create_session``, ``before_run``/``after_run`` around every
``run`` (adding fetches, feeds and stop requests), and ``end``.
"""
from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["SessionRunHook", "SessionRunArgs", "SessionRunContext", "SessionRunValues"]


class SessionRunHook:
    """Base class of hooks: every method does nothing until overridden."""

    def begin(self) -> None:
        """Called once before the session is created (the graph can still be changed)."""

    def after_create_session(self, session: Any, coord: Any) -> None:
        """Called once the session exists and its variables are initialized or restored."""

    def before_run(self, run_context: "SessionRunContext") -> "SessionRunArgs | None":
        """Called before each ``run``; may return fetches and feeds to add to it."""
        return None

    def after_run(self, run_context: "SessionRunContext",
                  run_values: "SessionRunValues") -> None:
        """Called after each successful ``run`` with the values this hook asked for."""

    def end(self, session: Any) -> None:
        """Called when the session closes without an error (or at the end of data)."""


class SessionRunArgs(NamedTuple):
    """What a hook adds to a ``run``: fetches (any fetch structure), a feed dict and
    run options."""

    fetches: Any
    feed_dict: dict | None = None
    options: Any = None


class SessionRunValues(NamedTuple):
    """What a hook gets back: the values of its fetches (``results``), the run options
    and run metadata."""

    results: Any
    options: Any = None
    run_metadata: Any = None


class SessionRunContext:
    """The ``run`` call in progress: its original arguments, the session (for extra
    runs inside a hook) and whether some hook asked to stop."""

    def __init__(self, original_args: SessionRunArgs, session: Any) -> None:
        self._original_args = original_args
        self._session = session
        self._stop_requested = False

    @property
    def original_args(self) -> SessionRunArgs:
        """The fetches and feeds the caller passed to ``run``."""
        return self._original_args

    @property
    def session(self) -> Any:
        """The session being run (runs on it do not call hooks)."""
        return self._session

    @property
    def stop_requested(self) -> bool:
        """Whether ``request_stop`` was called during this run."""
        return self._stop_requested

    def request_stop(self) -> None:
        """Makes the monitored session's ``should_stop()`` return True after this run."""
        self._stop_requested = True
