"""TF1's standard session hooks (``tf.train.StopAtStepHook``, ``CheckpointSaverHook``, ...).

Their timing follows TF1: a hook working "every N steps or seconds" fires on its first
chance, then once the global step (or the clock) has moved on by N.
"""
from __future__ import annotations

import os
import threading
import time
from typing import Any, Callable

import numpy as np

from .. import tf_logging as logging
from ..core.graph import GraphKeys, get_default_graph
from ..io.graph_def import graph_to_graph_def
from ..io.graph_util import write_graph
from ..io.protos import Summary
from ..train.training_util import get_global_step
from ..viz.file_writer import FileWriter
from .session_run_hook import SessionRunArgs, SessionRunHook

__all__ = ["SecondOrStepTimer", "StopAtStepHook", "LoggingTensorHook",
           "CheckpointSaverListener", "CheckpointSaverHook", "StepCounterHook",
           "NanLossDuringTrainingError", "NanTensorHook", "SummarySaverHook",
           "FinalOpsHook", "FeedFnHook", "FileWriterCache"]


class FileWriterCache:
    """``tf.summary.FileWriterCache``: one ``FileWriter`` per directory, shared."""

    _writers: dict[str, FileWriter] = {}
    _lock = threading.Lock()

    @classmethod
    def get(cls, logdir: str) -> FileWriter:
        """The writer of ``logdir`` (created on first use)."""
        with cls._lock:
            key = os.path.abspath(logdir)
            if key not in cls._writers:
                cls._writers[key] = FileWriter(logdir)
            return cls._writers[key]

    @classmethod
    def clear(cls) -> None:
        """Closes and forgets every cached writer."""
        with cls._lock:
            for writer in cls._writers.values():
                writer.close()
            cls._writers.clear()


class SecondOrStepTimer:
    """Triggers at most once every ``every_secs`` seconds or every ``every_steps`` steps
    (exactly one of them), and on the first step it is asked about."""

    def __init__(self, every_secs: float | None = None, every_steps: int | None = None
                 ) -> None:
        if (every_secs is None) == (every_steps is None):
            raise ValueError("exactly one of every_secs and every_steps must be given")
        self._every_secs, self._every_steps = every_secs, every_steps
        self.reset()

    def reset(self) -> None:
        """Forgets the last trigger."""
        self._last_step: int | None = None
        self._last_time: float | None = None

    def should_trigger_for_step(self, step: int) -> bool:
        """Whether ``step`` is due (the first step always is; the same step never twice)."""
        if self._last_step is None:
            return True
        if self._last_step == step:
            return False
        if self._every_secs is not None:
            return time.time() >= self._last_time + self._every_secs
        return step >= self._last_step + self._every_steps

    def update_last_triggered_step(self, step: int) -> tuple[float | None, int | None]:
        """Records a trigger at ``step``; returns (seconds, steps) since the previous one."""
        now = time.time()
        elapsed = (None, None) if self._last_time is None else (
            now - self._last_time, step - self._last_step)
        self._last_time, self._last_step = now, step
        return elapsed

    def last_triggered_step(self) -> int | None:
        """The step of the last trigger (None before the first)."""
        return self._last_step


class _NeverTimer(SecondOrStepTimer):
    def __init__(self) -> None:
        self.reset()

    def should_trigger_for_step(self, step: int) -> bool:
        return False


def _global_step_tensor(hook: str) -> Any:
    step = get_global_step()
    if step is None:
        raise RuntimeError(f"Global step should be created to use {hook}.")
    return step


class StopAtStepHook(SessionRunHook):
    """Requests a stop once the global step reaches ``last_step`` (or ``num_steps``
    steps after the session was created)."""

    def __init__(self, num_steps: int | None = None, last_step: int | None = None) -> None:
        if (num_steps is None) == (last_step is None):
            raise ValueError("exactly one of num_steps and last_step must be given")
        self._num_steps, self._last_step = num_steps, last_step

    def begin(self) -> None:
        self._step = _global_step_tensor("StopAtStepHook")

    def after_create_session(self, session: Any, coord: Any) -> None:
        if self._last_step is None:
            self._last_step = int(session.run(self._step)) + self._num_steps

    def before_run(self, run_context: Any) -> SessionRunArgs:
        return SessionRunArgs(self._step)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        if run_values.results + 1 >= self._last_step:
            if run_context.session.run(self._step) >= self._last_step:
                run_context.request_stop()


class LoggingTensorHook(SessionRunHook):
    """Logs tensors (a dict tag -> tensor or tensor name, or a list of them) at INFO
    level every ``every_n_iter`` runs or ``every_n_secs`` seconds, and/or ``at_end``."""

    def __init__(self, tensors: Any, every_n_iter: int | None = None,
                 every_n_secs: float | None = None, at_end: bool = False,
                 formatter: Callable[[dict], str] | None = None) -> None:
        only_at_end = at_end and every_n_iter is None and every_n_secs is None
        if not only_at_end and (every_n_iter is None) == (every_n_secs is None):
            raise ValueError("give at_end and/or exactly one of every_n_iter and "
                             "every_n_secs")
        if every_n_iter is not None and every_n_iter <= 0:
            raise ValueError(f"invalid every_n_iter={every_n_iter}")
        if isinstance(tensors, dict):
            self._order = sorted(tensors)
        else:
            self._order = list(tensors)
            tensors = {item: item for item in tensors}
        self._tensors = tensors
        self._formatter = formatter
        self._at_end = at_end
        self._timer = (_NeverTimer() if only_at_end else
                       SecondOrStepTimer(every_secs=every_n_secs, every_steps=every_n_iter))

    def begin(self) -> None:
        self._timer.reset()
        self._iteration = 0
        graph = get_default_graph()
        self._fetch = {tag: graph.as_graph_element(t) for tag, t in self._tensors.items()}

    def before_run(self, run_context: Any) -> SessionRunArgs | None:
        self._due = self._timer.should_trigger_for_step(self._iteration)
        return SessionRunArgs(self._fetch) if self._due else None

    def _log(self, values: dict) -> None:
        elapsed, _ = self._timer.update_last_triggered_step(self._iteration)
        if self._formatter is not None:
            logging.info(self._formatter(values))
            return
        with np.printoptions(suppress=True):
            text = ", ".join(f"{tag} = {values[tag]!s}" for tag in self._order)
        if elapsed is None:
            logging.info("%s", text)
        else:
            logging.info("%s (%.3f sec)", text, elapsed)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        if self._due:
            self._log(run_values.results)
        self._iteration += 1

    def end(self, session: Any) -> None:
        if self._at_end:
            self._log(session.run(self._fetch))


class CheckpointSaverListener:
    """Called around each save of a ``CheckpointSaverHook``; ``after_save`` returning
    True requests a stop."""

    def begin(self) -> None:
        """Called when the hook begins."""

    def before_save(self, session: Any, global_step_value: int) -> None:
        """Called before each save."""

    def after_save(self, session: Any, global_step_value: int) -> bool | None:
        """Called after each save; True asks training to stop."""
        return None

    def end(self, session: Any, global_step_value: int) -> None:
        """Called when the hook ends (after the last save)."""


class CheckpointSaverHook(SessionRunHook):
    """Saves a checkpoint when the session is created, every ``save_steps`` steps or
    ``save_secs`` seconds, and at the end (unless that step was just saved). With
    ``save_graph_def`` it also writes the graph, as TF1 does: ``graph.pbtxt`` (with
    output shapes) in ``checkpoint_dir``, the graph in its event file, ``.meta`` files."""

    def __init__(self, checkpoint_dir: str, save_secs: float | None = None,
                 save_steps: int | None = None, saver: Any = None,
                 checkpoint_basename: str = "model.ckpt", scaffold: Any = None,
                 listeners: list | None = None, save_graph_def: bool = True) -> None:
        if saver is not None and scaffold is not None:
            raise ValueError("give a saver or a scaffold, not both")
        self._saver, self._scaffold = saver, scaffold
        self._dir = checkpoint_dir
        self._save_path = os.path.join(checkpoint_dir, checkpoint_basename)
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)
        self._listeners = list(listeners or [])
        self._save_graph_def = save_graph_def

    def begin(self) -> None:
        self._step = _global_step_tensor("CheckpointSaverHook")
        os.makedirs(self._dir, exist_ok=True)  # as TF1's event writer for the folder does
        for listener in self._listeners:
            listener.begin()

    def after_create_session(self, session: Any, coord: Any) -> None:
        step = int(session.run(self._step))
        if self._save_graph_def:
            write_graph(graph_to_graph_def(session.graph, add_shapes=True), self._dir,
                        "graph.pbtxt")
            FileWriterCache.get(self._dir).add_graph(session.graph)
        self._save(session, step)
        self._timer.update_last_triggered_step(step)

    def before_run(self, run_context: Any) -> SessionRunArgs:
        return SessionRunArgs(self._step)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        step = int(run_context.session.run(self._step))
        if self._timer.should_trigger_for_step(step):
            self._timer.update_last_triggered_step(step)
            if self._save(run_context.session, step):
                run_context.request_stop()

    def end(self, session: Any) -> None:
        step = int(session.run(self._step))
        if step != self._timer.last_triggered_step():
            self._save(session, step)
        for listener in self._listeners:
            listener.end(session, step)

    def _save(self, session: Any, step: int) -> bool:
        """Saves at ``step``; True when a listener asks to stop."""
        for listener in self._listeners:
            listener.before_save(session, step)
        logging.info("Saving checkpoints for %d into %s.", step, self._save_path)
        self._get_saver().save(session, self._save_path, global_step=step,
                               write_meta_graph=self._save_graph_def)
        return any([bool(listener.after_save(session, step)) for listener in self._listeners])

    def _get_saver(self) -> Any:
        if self._saver is not None:
            return self._saver
        if self._scaffold is not None:
            return self._scaffold.saver
        savers = get_default_graph().get_collection(GraphKeys.SAVERS)
        if len(savers) != 1:
            raise RuntimeError(f"CheckpointSaverHook needs exactly one saver in the "
                               f"'savers' collection, found {len(savers)}; pass a saver "
                               "or a scaffold")
        self._saver = savers[0]
        return self._saver


class StepCounterHook(SessionRunHook):
    """Every ``every_n_steps`` steps (or ``every_n_secs`` seconds) logs the global steps
    per second as ``<global step op>/sec`` and, with ``summary_writer`` or
    ``output_dir``, writes it as a scalar summary at the global step, as TF1 does."""

    def __init__(self, every_n_steps: int | None = 100, every_n_secs: float | None = None,
                 output_dir: str | None = None, summary_writer: Any = None) -> None:
        if (every_n_steps is None) == (every_n_secs is None):
            raise ValueError("exactly one of every_n_steps and every_n_secs must be given")
        self._timer = SecondOrStepTimer(every_secs=every_n_secs, every_steps=every_n_steps)
        self._writer, self._output_dir = summary_writer, output_dir
        self.steps_per_sec: list[tuple[int, float]] = []

    def begin(self) -> None:
        if self._writer is None and self._output_dir:
            self._writer = FileWriterCache.get(self._output_dir)
        self._step = _global_step_tensor("StepCounterHook")
        self._tag = get_global_step().op.name + "/sec"

    def before_run(self, run_context: Any) -> SessionRunArgs:
        return SessionRunArgs(self._step)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        step = int(run_context.session.run(self._step))
        if self._timer.should_trigger_for_step(step):
            seconds, steps = self._timer.update_last_triggered_step(step)
            if seconds:
                rate = steps / seconds
                self.steps_per_sec.append((step, rate))
                logging.info("%s: %g", self._tag, rate)
                if self._writer is not None:
                    self._writer.add_summary(Summary(value=[Summary.Value(
                        tag=self._tag, simple_value=rate)]), step)


class NanLossDuringTrainingError(RuntimeError):
    """Raised by ``NanTensorHook`` when the loss is NaN."""

    def __str__(self) -> str:
        return "NaN loss during training."


class NanTensorHook(SessionRunHook):
    """Checks ``loss_tensor`` after each run: NaN raises
    ``NanLossDuringTrainingError`` (or, with ``fail_on_nan_loss=False``, requests a
    stop)."""

    def __init__(self, loss_tensor: Any, fail_on_nan_loss: bool = True) -> None:
        self._loss = loss_tensor
        self._fail = fail_on_nan_loss

    def before_run(self, run_context: Any) -> SessionRunArgs:
        return SessionRunArgs(self._loss)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        if np.isnan(run_values.results):
            if self._fail:
                logging.error("Model diverged with loss = NaN.")
                raise NanLossDuringTrainingError
            logging.warning("Model diverged with loss = NaN.")
            run_context.request_stop()


class SummarySaverHook(SessionRunHook):
    """Runs the summary op every ``save_steps`` steps or ``save_secs`` seconds and
    writes its value at the global step (to ``summary_writer`` or ``output_dir``)."""

    def __init__(self, save_steps: int | None = None, save_secs: float | None = None,
                 output_dir: str | None = None, summary_writer: Any = None,
                 scaffold: Any = None, summary_op: Any = None) -> None:
        if (scaffold is None) == (summary_op is None):
            raise ValueError("exactly one of scaffold and summary_op must be given")
        self._summary_op, self._scaffold = summary_op, scaffold
        self._writer, self._output_dir = summary_writer, output_dir
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)

    def begin(self) -> None:
        if self._writer is None and self._output_dir:
            self._writer = FileWriterCache.get(self._output_dir)
        self._next_step: int | None = None
        self._step = _global_step_tensor("SummarySaverHook")

    def _ops(self) -> list:
        op = self._summary_op if self._summary_op is not None else self._scaffold.summary_op
        return [] if op is None else (list(op) if isinstance(op, (list, tuple)) else [op])

    def before_run(self, run_context: Any) -> SessionRunArgs:
        self._due = self._next_step is None or self._timer.should_trigger_for_step(
            self._next_step)
        requests: dict[str, Any] = {"global_step": self._step}
        if self._due and self._ops():
            requests["summary"] = self._ops()
        return SessionRunArgs(requests)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        if self._writer is None:
            return
        # The step after this run, read afresh: a value fetched in the same run as the
        # train op may come from before or after its increment.
        step = int(run_context.session.run(self._step))
        if self._due:
            self._timer.update_last_triggered_step(step)
            for summary in run_values.results.get("summary", []):
                self._writer.add_summary(summary, step)
        self._next_step = step + 1

    def end(self, session: Any = None) -> None:
        if self._writer is not None:
            self._writer.flush()


class FinalOpsHook(SessionRunHook):
    """Runs ``final_ops`` (a tensor, list or dict) when the session ends; their values
    are then in ``final_ops_values``."""

    def __init__(self, final_ops: Any, final_ops_feed_dict: dict | None = None) -> None:
        self._final_ops = final_ops
        self._feed = final_ops_feed_dict
        self._values: Any = None

    @property
    def final_ops_values(self) -> Any:
        """The values of the final ops (None before the session ended)."""
        return self._values

    def end(self, session: Any) -> None:
        if self._final_ops is not None:
            self._values = session.run(self._final_ops, feed_dict=self._feed)


class FeedFnHook(SessionRunHook):
    """Adds ``feed_fn()`` (a feed dict) to every run."""

    def __init__(self, feed_fn: Callable[[], dict]) -> None:
        self.feed_fn = feed_fn

    def before_run(self, run_context: Any) -> SessionRunArgs:
        return SessionRunArgs(fetches=None, feed_dict=self.feed_fn())
