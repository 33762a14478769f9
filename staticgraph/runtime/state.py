"""What a Session owns while it lives: variable values and random generators.

Assignments during a run are logged so that a run that raises can put every variable
back as it was (:meth:`SessionState.rollback`).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

_MISSING = object()


class SessionState:
    """Variable storage (``values``: key -> array), an undo log, and per-op RNGs.

    ``options`` (the Session's compile options) also govern the plans of function
    graphs (branch and loop bodies) compiled by :meth:`run_function`.
    """

    def __init__(self, options: Any = None) -> None:
        self.options = options
        self.values: dict[str, np.ndarray] = {}
        self._undo: dict[str, Any] = {}
        self._rngs: dict[str, np.random.Generator] = {}
        self._functions: dict[tuple, tuple] = {}

    def assign(self, key: str, value: np.ndarray) -> np.ndarray:
        """Stores ``value`` as variable ``key`` (recording the old value for rollback)."""
        if key not in self._undo:
            self._undo[key] = self.values.get(key, _MISSING)
        self.values[key] = value
        return value

    def read(self, key: str) -> np.ndarray:
        """The current value of variable ``key`` (``KeyError`` if uninitialized)."""
        return self.values[key]

    def begin(self) -> None:
        """Starts a run: forgets the undo log of the previous one."""
        self._undo.clear()

    def rollback(self) -> None:
        """Restores every variable assigned since :meth:`begin`."""
        for key, old in self._undo.items():
            if old is _MISSING:
                self.values.pop(key, None)
            else:
                self.values[key] = old
        self._undo.clear()

    def rng(self, key: str, seed: int | None) -> np.random.Generator:
        """The random generator of one random op; seeded ops repeat across sessions."""
        gen = self._rngs.get(key)
        if gen is None:
            gen = np.random.default_rng(seed)
            self._rngs[key] = gen
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
