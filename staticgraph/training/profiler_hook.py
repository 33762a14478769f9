"""``tf.train.ProfilerHook``: traces one run every N steps or seconds and writes it as a
Chrome trace (``timeline-<global step>.json``, open it in chrome://tracing) plus the run
metadata to the folder's event file."""
from __future__ import annotations

import os
from typing import Any

from ..io.files import atomic_write_bytes
from ..runtime.config import RunOptions
from ..timeline import Timeline
from .basic_hooks import FileWriterCache, SecondOrStepTimer, _global_step_tensor
from .session_run_hook import SessionRunArgs, SessionRunHook

__all__ = ["ProfilerHook"]


class ProfilerHook(SessionRunHook):
    """Every ``save_steps`` steps or ``save_secs`` seconds (exactly one of them), runs
    the step with ``RunOptions.FULL_TRACE`` and writes ``output_dir/timeline-<step>.json``
    (TF1's ``Timeline.generate_chrome_trace_format(show_dataflow, show_memory)``)."""

    def __init__(self, save_steps: int | None = None, save_secs: float | None = None,
                 output_dir: str = "", show_dataflow: bool = True,
                 show_memory: bool = False) -> None:
        self._output_file = os.path.join(output_dir, "timeline-{}.json")
        self._output_dir = output_dir
        self._file_writer: Any = None
        self._show_dataflow, self._show_memory = show_dataflow, show_memory
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)
        self._next_step: int | None = None
        self._request_trace = False
        self._global_step: Any = None

    def begin(self) -> None:
        self._next_step = None
        self._global_step = _global_step_tensor("ProfilerHook")
        self._file_writer = FileWriterCache.get(self._output_dir or ".")

    def before_run(self, run_context: Any) -> SessionRunArgs:
        self._request_trace = (self._next_step is not None and
                               self._timer.should_trigger_for_step(self._next_step))
        options = RunOptions(trace_level=RunOptions.FULL_TRACE) \
            if self._request_trace else None
        return SessionRunArgs({"global_step": self._global_step}, options=options)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        stale_step = int(run_values.results["global_step"])
        if self._next_step is None:
            # the first run only sets the timer going (TF traces from the next one)
            self._timer.update_last_triggered_step(stale_step)
        step = stale_step + 1
        if self._request_trace:
            step = int(run_context.session.run(self._global_step))
            self._timer.update_last_triggered_step(step)
            trace = Timeline(run_values.run_metadata.step_stats).generate_chrome_trace_format(
                show_dataflow=self._show_dataflow, show_memory=self._show_memory)
            atomic_write_bytes(self._output_file.format(step), trace.encode("utf-8"))
            self._file_writer.add_run_metadata(run_values.run_metadata, f"step_{step}")
        self._next_step = step + 1
