"""What a Session owns while it lives: variable values and random generators.

Each run that may change variables keeps its own undo record (one per thread, since a
thread runs one plan at a time; a run nested inside a kernel saves and restores the
outer record). A run that raises puts back the variables *it* assigned, and only those
whose value is still the one it stored: an update another thread committed meanwhile is
never reverted, and runs on other threads are never disturbed.

Writes made in a plan's commit block (``commit_target``/``commit_value``, see
``compiler/passes/commit_phase``) keep no undo record: they run after everything in the
run that may fail. The one exception is an interrupt (``KeyboardInterrupt``,
``MemoryError``) raised inside the commit block itself: the variables committed before
it keep their new values, and the one being written may be left half-written (TF1 has
no rollback at all). The same holds for a floating-point error there when NumPy is set
to raise them (``np.seterr(all="raise")``); by default NumPy only warns.

Implements :class:`staticgraph.core.session_state.KernelState`.
"""
from __future__ import annotations

import contextlib
import threading
from typing import Any, ContextManager, Iterator, Sequence

import numpy as np

from ..core.session_state import KernelState

_MISSING = object()


class _SavedRows:
    """The undo entry of a variable whose array a run changed in place, row by row
    (:meth:`SessionState.writable_rows`): the array and the old values of the rows,
    put back in reverse order."""

    def __init__(self, array: np.ndarray) -> None:
        self.array = array
        self.saved: list[tuple[np.ndarray, np.ndarray]] = []

    def restore(self) -> np.ndarray:
        for rows, old in reversed(self.saved):
            self.array[rows] = old
        return self.array


class _CurrentRun(threading.local):
    """``undo``: the record of the run in progress on this thread (None outside runs),
    variable key -> [value before the run, value the run stored last]. Starting a run
    sets a new record and ending it puts back the one it replaced (see ``begin``)."""

    undo: dict[str, list] | None = None


class SessionState(KernelState):
    """Variable storage (``values``: key -> array), per-run undo records, per-variable
    locks for ``use_locking`` updates, and per-op random generators.

    ``options`` (the Session's compile options) also govern the plans of function
    graphs (branch and loop bodies) compiled by :meth:`run_function`.
    """

    def __init__(self, options: Any = None) -> None:
        self.options = options
        self.values: dict[str, np.ndarray] = {}
        self.current_run = _CurrentRun()  # read by Session's per-run path
        self._store_lock = threading.Lock()  # makes record-and-store and undo atomic
        self._locks: dict[str, threading.Lock] = {}
        self._rngs: dict[str, np.random.Generator] = {}
        self._functions: dict[tuple, tuple] = {}
        self._private: dict[str, np.ndarray] = {}  # arrays only this state holds

    # -- KernelState --------------------------------------------------------------------
    def read(self, key: str) -> np.ndarray:
        """The current value of variable ``key`` (``KeyError`` if uninitialized)."""
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        """The current value of variable ``key``, or ``default``."""
        return self.values.get(key, default)

    def assign(self, key: str, value: np.ndarray) -> np.ndarray:
        """Stores ``value`` as variable ``key``, recording it in this thread's run."""
        undo = self.current_run.undo
        lock = self._store_lock
        lock.acquire()  # cheaper than ``with`` on this path, which every update takes
        try:
            if undo is not None:
                entry = undo.get(key)
                if entry is None:
                    undo[key] = [self.values.get(key, _MISSING), value]
                else:
                    entry[1] = value
            self.values[key] = value
            private = self._private.get(key)
            if private is not None and private is not value:
                del self._private[key]  # so that the replaced array can be freed
        finally:
            lock.release()
        return value

    def writable_rows(self, key: str, rows: np.ndarray) -> np.ndarray:
        """Variable ``key``'s array, for the caller to change in place at ``rows``
        (indices into its first axis) and nowhere else. The old rows are recorded in this
        thread's run, so a sparse update costs memory of its rows, not of the variable.
        The first time (and whenever another array has been stored since) the array is
        copied, as it may be shared (a graph constant, an array given to ``load``)."""
        value = self.values[key]
        if self._private.get(key) is not value:
            value = self.assign(key, np.array(value, order="C", copy=True))
            self._private[key] = value
            return value
        undo = self.current_run.undo
        if undo is not None:
            with self._store_lock:
                entry = undo.get(key)
                if entry is None:
                    entry = undo[key] = [_SavedRows(value), value]
                if isinstance(entry[0], _SavedRows) and entry[0].array is value:
                    entry[0].saved.append((rows, value[rows]))
        return value

    def writable_rows_and_old(self, key: str, rows: np.ndarray) -> tuple:
        """``writable_rows(key, rows)`` and the array's values at ``rows`` before the
        caller changes them: a read-only view of the copy the run's undo record keeps
        when it keeps one (so the rows are gathered once), else a new copy."""
        value = self.writable_rows(key, rows)
        undo = self.current_run.undo
        entry = undo.get(key) if undo is not None else None
        if entry is None or not isinstance(entry[0], _SavedRows) or \
                entry[0].array is not value or not entry[0].saved or \
                entry[0].saved[-1][0] is not rows:
            return value, value[rows]
        old = entry[0].saved[-1][1].view()
        old.flags.writeable = False
        return value, old

    def commit_target(self, key: str) -> np.ndarray:
        """Variable ``key``'s array, for a commit (see ``CommitPhase``) to change in place:
        the state's own array, copied first when it may be shared (a graph constant, an
        array given to ``load``, a value an update stored). No undo record is kept: the
        commit block runs after everything in the run that may fail."""
        value = self.values[key]
        if self._private.get(key) is not value:
            value = self.commit_value(key, np.array(value, order="C", copy=True), True)
        return value

    def commit_value(self, key: str, value: np.ndarray, private: bool = False
                     ) -> np.ndarray:
        """Stores ``value`` as variable ``key`` for a commit, with no undo record;
        ``private``: only the state holds ``value``, so later commits and row updates
        may write into it without copying it first."""
        with self._store_lock:
            self.values[key] = value
            if private:
                self._private[key] = value
            else:
                self._private.pop(key, None)
        return value

    def locked(self, keys: Sequence[str]) -> ContextManager[Any]:
        """Holds the locks of ``keys``, taken in sorted order."""
        if len(keys) == 1:
            return self._lock_of(keys[0])
        return self._locked_all(sorted(set(keys)))

    def rng(self, key: str, seed: int | None) -> np.random.Generator:
        """The random generator of one random op; seeded ops repeat across sessions."""
        gen = self._rngs.get(key)
        if gen is None:
            gen = self._rngs.setdefault(key, np.random.default_rng(seed))
        return gen

    def run_function(self, func: Any, inputs: Sequence[Any],
                     fetches: Sequence[Any] | None = None) -> tuple:
        """Runs a function graph (a branch or loop body) on ``inputs`` in this session.

        Fetches ``func.outputs`` unless ``fetches`` (tensors of ``func``) are given. The
        plan is compiled on first use, with the session's options, and cached per
        (function, fetches, function version).
        """
        wanted = func.outputs if fetches is None else fetches
        key = (id(func), func.version, tuple(id(t) for t in wanted))
        entry = self._functions.get(key)
        if entry is None:
            from ..compiler.plan import compile_plan  # compiled lazily: kernels call this
            entry = (func, compile_plan(list(wanted), [], list(func.inputs), self,
                                        self.options))
            self._functions[key] = entry
        return entry[1].run(tuple(inputs), self.values)

    # -- runs -----------------------------------------------------------------------------
    def begin(self) -> dict | None:
        """Starts a run on this thread; returns the record of the run it interrupts (to
        hand back to :meth:`end` or :meth:`rollback`)."""
        current = self.current_run
        outer = current.undo
        current.undo = {}
        return outer

    def end(self, outer: dict | None) -> None:
        """Ends this thread's run, keeping its updates."""
        self.current_run.undo = outer

    def rollback(self, outer: dict | None) -> None:
        """Ends this thread's run, restoring each variable it assigned whose value is
        still the one it stored. Never raises."""
        current = self.current_run
        undo, current.undo = current.undo, outer
        if not undo:
            return
        values = self.values
        with self._store_lock:
            for key, (old, stored) in undo.items():
                if values.get(key, _MISSING) is not stored:
                    continue  # replaced by another run since: that update stands
                if old is _MISSING:
                    del values[key]
                elif isinstance(old, _SavedRows):
                    values[key] = old.restore()
                else:
                    values[key] = old

    # -- locks ----------------------------------------------------------------------------
    def _lock_of(self, key: str) -> threading.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks.setdefault(key, threading.Lock())
        return lock

    @contextlib.contextmanager
    def _locked_all(self, keys: list[str]) -> Iterator[None]:
        with contextlib.ExitStack() as stack:
            for key in keys:
                stack.enter_context(self._lock_of(key))
            yield
