"""The protocol between kernels and the session that runs them.

An op declared with ``uses_state=True`` receives, as its first argument, the state of
the Session running it. This module states everything such a kernel may do with that
object; the runtime's ``SessionState`` implements it. Kernels never touch a session's
storage any other way, and generated plan code calls only ``assign`` (as ``S.assign``).

Rules a kernel follows:

* Never write into an array obtained from ``read`` or ``get``: every update stores a new
  array with ``assign``, so that a failed run can put the old one back and values already
  fetched or held by other runs never change. The one exception is a row update (the
  scatter ops, the optimizers' sparse updates), which writes the rows it changes into the
  array ``writable_rows`` gives, so that one step on an embedding table costs memory of
  the rows, not of the table: fetched values are copies, a failed run gets its rows back,
  but another thread's run holding the array sees the rows change (as with TF1's
  variables).
* Never pass ``assign`` an array the caller of ``Session.run`` can write (a fed value, or
  a view of one); copy it first. Only arrays the graph owns may be shared.
* A commit (the second half of an op declaring ``OpDef.commit``) writes in place into
  ``commit_target``'s array, or stores with ``commit_value``; it runs only in the commit
  block at the end of a plan, after everything that may fail, so it keeps no undo record.
* A read-modify-write asked for with ``use_locking=True`` happens inside ``locked`` for
  every variable it reads and writes.
"""
from __future__ import annotations

from typing import Any, ContextManager, Protocol, Sequence

import numpy as np


class KernelState(Protocol):
    """What a stateful kernel may ask of the session running it."""

    def read(self, key: str) -> np.ndarray:
        """The current value of variable ``key``; ``KeyError`` when it has none."""

    def get(self, key: str, default: Any = None) -> Any:
        """The current value of variable ``key``, or ``default`` when it has none."""

    def assign(self, key: str, value: np.ndarray) -> np.ndarray:
        """Makes ``value`` the value of variable ``key`` and returns it.

        The change belongs to the run in progress on this thread: if that run fails, the
        variable gets its old value back (unless another run has replaced it since).
        """

    def writable_rows(self, key: str, rows: np.ndarray) -> np.ndarray:
        """The array of variable ``key``, which the caller may change in place at
        ``rows`` (indices into its first axis) and nowhere else; the old rows belong to
        the run in progress on this thread and come back if it fails."""

    def writable_rows_and_old(self, key: str, rows: np.ndarray) -> tuple:
        """``(writable_rows(key, rows), the array's values at rows before any change)``;
        the second is a copy the caller reads (it may be the run's undo record of the
        rows) and never writes."""

    def commit_target(self, key: str) -> np.ndarray:
        """Variable ``key``'s own array, for a commit (``OpDef.commit``) to change in
        place; copied first when it may be shared. Keeps no undo record."""

    def commit_value(self, key: str, value: np.ndarray, private: bool = False
                     ) -> np.ndarray:
        """Stores ``value`` as variable ``key`` for a commit, keeping no undo record;
        ``private`` when only the state holds ``value``."""

    def locked(self, keys: Sequence[str]) -> ContextManager[Any]:
        """A context holding the locks of the variables ``keys`` (taken in a fixed order,
        so two runs locking overlapping sets cannot deadlock)."""

    def rng(self, key: str, seed: int | None) -> np.random.Generator:
        """The random generator of the random op ``key``, created from ``seed`` on first
        use and kept for the session's lifetime."""

    def run_function(self, func: Any, inputs: Sequence[Any],
                     fetches: Sequence[Any] | None = None) -> tuple:
        """Runs the function graph ``func`` (a branch or loop body) on ``inputs`` in this
        session, as part of the current run; returns the values of ``fetches`` (tensors
        of ``func``, by default its outputs)."""
