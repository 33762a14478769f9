"""``tf.train.LooperThread`` (a thread calling a function until its coordinator stops)
and ``tf.train.basic_train_loop`` (the simplest loop over a ``Supervisor``)."""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, Sequence

from ..core import errors
from .coordinator import Coordinator

__all__ = ["LooperThread", "basic_train_loop"]


class LooperThread(threading.Thread):
    """A daemon thread registered with ``coord`` that calls ``run_loop`` (by default
    ``target(*args, **kwargs)``) back to back, or, with ``timer_interval_secs``, once
    at the start and then every ``timer_interval_secs``, until ``coord`` stops. An
    exception in it requests the stop (and is re-raised by ``coord.join``)."""

    def __init__(self, coord: Coordinator, timer_interval_secs: float | None,
                 target: Callable[..., Any] | None = None, args: Sequence | None = None,
                 kwargs: dict | None = None) -> None:
        if not isinstance(coord, Coordinator):
            raise ValueError(f"'coord' argument must be a Coordinator: {coord!r}")
        if target is None and (args or kwargs):
            raise ValueError("'args' and 'kwargs' argument require that you also pass "
                             "'target'")
        super().__init__(daemon=True)
        self._coord = coord
        self._timer_interval_secs = timer_interval_secs
        self._target_fn = target
        self._target_args = tuple(args or ())
        self._target_kwargs = dict(kwargs or {})
        coord.register_thread(self)

    @staticmethod
    def loop(coord: Coordinator, timer_interval_secs: float | None,
             target: Callable[..., Any], args: Sequence | None = None,
             kwargs: dict | None = None) -> "LooperThread":
        """Starts and returns a LooperThread calling ``target``."""
        looper = LooperThread(coord, timer_interval_secs, target=target, args=args,
                              kwargs=kwargs)
        looper.start()
        return looper

    def run(self) -> None:
        with self._coord.stop_on_exception():
            self.start_loop()
            if self._timer_interval_secs is None:
                while not self._coord.should_stop():
                    self.run_loop()
            else:
                next_time = time.time()
                while not self._coord.wait_for_stop(max(next_time - time.time(), 0)):
                    next_time += self._timer_interval_secs
                    self.run_loop()
            self.stop_loop()

    def start_loop(self) -> None:
        """Called once when the thread starts (subclasses override it)."""

    def stop_loop(self) -> None:
        """Called once when the thread stops (subclasses override it)."""

    def run_loop(self) -> None:
        """One iteration: calls the target (subclasses override it)."""
        if self._target_fn is not None:
            self._target_fn(*self._target_args, **self._target_kwargs)


def basic_train_loop(supervisor: Any, train_step_fn: Callable[..., Any],
                     args: Sequence | None = None, kwargs: dict | None = None,
                     master: str = "") -> None:
    """Calls ``train_step_fn(session, *args, **kwargs)`` in ``supervisor``'s managed
    session until it should stop; starts over with a new session on ``AbortedError``."""
    args, kwargs = list(args or []), dict(kwargs or {})
    should_retry = True
    while should_retry:
        should_retry = False
        try:
            with supervisor.managed_session(master) as sess:
                while not supervisor.should_stop():
                    train_step_fn(sess, *args, **kwargs)
        except errors.AbortedError:
            should_retry = True
