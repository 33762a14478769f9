"""``tf.train.GlobalStepWaiterHook``: holds a worker's first step back until the global
step reaches a given value (so that workers start one after another)."""
from __future__ import annotations

import time
from typing import Any

from .. import tf_logging as logging
from .basic_hooks import _global_step_tensor
from .session_run_hook import SessionRunHook

__all__ = ["GlobalStepWaiterHook"]


class GlobalStepWaiterHook(SessionRunHook):
    """Before the first run, waits (polling every 0.5 s) until the global step is at
    least ``wait_until_step``."""

    def __init__(self, wait_until_step: int) -> None:
        self._wait_until_step = int(wait_until_step)
        self._global_step_tensor: Any = None
        self._worker_is_started = False

    def begin(self) -> None:
        self._worker_is_started = False
        self._global_step_tensor = _global_step_tensor("GlobalStepWaiterHook")

    def before_run(self, run_context: Any) -> None:
        if self._worker_is_started:
            return None
        if self._wait_until_step <= 0:
            self._worker_is_started = True
            return None
        logging.info("Waiting for global step %d before starting training.",
                     self._wait_until_step)
        while True:
            step = int(run_context.session.run(self._global_step_tensor))
            if step >= self._wait_until_step:
                self._worker_is_started = True
                return None
            logging.info("Waiting for global step %d before starting training. "
                         "Current step is %d.", self._wait_until_step, step)
            time.sleep(0.5)
