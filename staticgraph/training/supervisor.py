"""``tf.train.Supervisor``: TF 1.0's training loop helper.

A supervisor gathers a model's init, local init, ready and summary ops, its saver and its
global step (TF1's defaults when not given), finalizes the graph and makes sessions
through a :class:`SessionManager`: the chief restores the newest checkpoint of
``logdir`` (or initializes the model), other workers wait for a ready model. In the chief
its standard services are daemon threads tied to its coordinator: one saving a
checkpoint ``logdir/model.ckpt-<step>`` at the start and every ``save_model_secs``, one
writing the summaries every ``save_summaries_secs`` and one the steps per second. The
queue runners of the graph start too. ``stop`` (and leaving ``managed_session``) stops
and joins every thread; there is no final checkpoint, as in TF.
"""
from __future__ import annotations

import contextlib
import os
import time
from typing import Any, Callable, Iterator, Sequence

from .. import tf_logging as logging
from ..core.graph import Graph, GraphKeys, get_default_graph
from ..io.graph_util import write_graph
from ..io.protos import Event, SessionLog, Summary
from ..lookup import tables_initializer
from ..ops.state_ops import group
from ..ops.variable_checks import report_uninitialized_variables
from ..ops.variables import (global_variables, global_variables_initializer,
                             local_variables_initializer)
from ..runtime.session import Session
from ..train.saver import Saver
from ..train.training_util import get_global_step
from ..viz.file_writer import FileWriter
from ..viz.summary import merge_all
from .coordinator import Coordinator
from .looper import LooperThread
from .session_manager import SessionManager

__all__ = ["Supervisor"]


class _UseDefault:
    """Marks an argument left to its TF1 default (``Supervisor.USE_DEFAULT``)."""

    def __repr__(self) -> str:
        return "Supervisor.USE_DEFAULT"


USE_DEFAULT = _UseDefault()


def _collected_or(graph: Graph, key: str, build: Callable[[], Any]) -> Any:
    """The first item of collection ``key`` of ``graph``, else ``build()``."""
    found = graph.get_collection(key)
    return found[0] if found else build()


class Supervisor:
    """Initializes or restores a model from ``logdir``, saves checkpoints and summaries
    there from background threads, and coordinates the stop of every thread."""

    USE_DEFAULT = USE_DEFAULT

    def __init__(self, graph: Graph | None = None, ready_op: Any = USE_DEFAULT,
                 ready_for_local_init_op: Any = USE_DEFAULT, is_chief: bool = True,
                 init_op: Any = USE_DEFAULT, init_feed_dict: dict | None = None,
                 local_init_op: Any = USE_DEFAULT, logdir: str | None = None,
                 summary_op: Any = USE_DEFAULT, saver: Any = USE_DEFAULT,
                 global_step: Any = USE_DEFAULT, save_summaries_secs: float = 120,
                 save_model_secs: float = 600, recovery_wait_secs: float = 30,
                 stop_grace_secs: float = 120, checkpoint_basename: str = "model.ckpt",
                 session_manager: SessionManager | None = None,
                 summary_writer: Any = USE_DEFAULT,
                 init_fn: Callable[[Session], None] | None = None,
                 local_init_run_options: Any = None) -> None:
        self._graph = graph if graph is not None else get_default_graph()
        with self._graph.as_default():
            self._ready_op = (report_uninitialized_variables() if ready_op is USE_DEFAULT
                              else ready_op)
            self._ready_for_local_init_op = (
                report_uninitialized_variables(global_variables())
                if ready_for_local_init_op is USE_DEFAULT else ready_for_local_init_op)
            self._init_op = (_collected_or(self._graph, GraphKeys.INIT_OP,
                                           global_variables_initializer)
                             if init_op is USE_DEFAULT else init_op)
            self._local_init_op = (
                _collected_or(self._graph, "local_init_op",
                              lambda: group(local_variables_initializer(),
                                            tables_initializer()))
                if local_init_op is USE_DEFAULT else local_init_op)
            self._summary_op = merge_all() if summary_op is USE_DEFAULT else summary_op
            self._saver = (_collected_or(self._graph, GraphKeys.SAVERS,
                                         lambda: Saver() if global_variables() else None)
                           if saver is USE_DEFAULT else saver)
            self._global_step = (get_global_step(self._graph) if global_step is USE_DEFAULT
                                 else global_step)
        self._is_chief = is_chief
        self._init_feed_dict, self._init_fn = init_feed_dict, init_fn
        self._logdir = logdir
        self._save_summaries_secs, self._save_model_secs = (save_summaries_secs,
                                                             save_model_secs)
        self._recovery_wait_secs, self._stop_grace_secs = recovery_wait_secs, stop_grace_secs
        self._save_path = os.path.join(logdir, checkpoint_basename) if logdir else None
        self._coord = Coordinator()
        self._started_threads: list = []
        self._session_manager = session_manager or SessionManager(
            local_init_op=self._local_init_op, ready_op=self._ready_op,
            ready_for_local_init_op=self._ready_for_local_init_op, graph=self._graph,
            recovery_wait_secs=recovery_wait_secs,
            local_init_run_options=local_init_run_options)
        if summary_writer is USE_DEFAULT:
            summary_writer = FileWriter(logdir) if logdir and is_chief else None
        self._summary_writer = summary_writer
        self._graph_added_to_summary = False
        self._graph.finalize()

    @property
    def session_manager(self) -> SessionManager:
        """Makes this supervisor's sessions."""
        return self._session_manager

    @property
    def coord(self) -> Coordinator:
        """The coordinator of every thread this supervisor starts."""
        return self._coord

    @property
    def init_op(self) -> Any:
        """Initializes the model when there is no checkpoint."""
        return self._init_op

    @property
    def init_feed_dict(self) -> dict | None:
        """The feed dict of ``init_op``."""
        return self._init_feed_dict

    @property
    def ready_op(self) -> Any:
        """The names of the variables still without a value."""
        return self._ready_op

    @property
    def ready_for_local_init_op(self) -> Any:
        """The names of the global variables still without a value."""
        return self._ready_for_local_init_op

    @property
    def summary_writer(self) -> Any:
        """The ``FileWriter`` of ``logdir`` (None without one, or when not chief)."""
        return self._summary_writer

    @property
    def summary_op(self) -> Any:
        """The merged summaries written every ``save_summaries_secs``."""
        return self._summary_op

    @property
    def save_summaries_secs(self) -> float:
        """Seconds between two summaries."""
        return self._save_summaries_secs

    @property
    def global_step(self) -> Any:
        """The global step variable (None when the graph has none)."""
        return self._global_step

    @property
    def saver(self) -> Any:
        """The saver of the checkpoints in ``logdir``."""
        return self._saver

    @property
    def save_model_secs(self) -> float:
        """Seconds between two checkpoints."""
        return self._save_model_secs

    @property
    def save_path(self) -> str | None:
        """The checkpoints' prefix: ``logdir/checkpoint_basename``."""
        return self._save_path

    @property
    def is_chief(self) -> bool:
        """Whether this supervisor initializes the model and runs the services."""
        return self._is_chief

    def _step(self, sess: Session) -> int | None:
        return None if self._global_step is None else int(sess.run(self._global_step))

    def _log_session(self, status: int, sess: Session, path: str = "") -> None:
        if self._summary_writer is not None:
            self._summary_writer.add_event(Event(
                wall_time=time.time(), step=self._step(sess) or 0,
                session_log=SessionLog(status=status, checkpoint_path=path)))

    def _write_graph(self) -> None:
        """Writes ``graph.pbtxt`` to ``logdir`` and the graph to the summary writer."""
        if self._is_chief and self._logdir:
            write_graph(self._graph, self._logdir, "graph.pbtxt")
        if self._summary_writer is not None and not self._graph_added_to_summary:
            self._summary_writer.add_graph(self._graph)
            self._graph_added_to_summary = True

    def start_standard_services(self, sess: Session) -> list:
        """Starts the checkpoint, summary and step-counter threads (those ``logdir``
        and the supervisor's pieces allow); returns them."""
        if not self._is_chief:
            raise RuntimeError("Only chief supervisor can start standard services. Because "
                               "only chief supervisors can write events.")
        threads = []
        if self._logdir:
            self._log_session(SessionLog.START, sess)
            if self._summary_writer is not None and self._summary_op is not None and \
                    self._save_summaries_secs:
                threads.append(self.loop(self._save_summaries_secs,
                                         self._write_summaries, args=(sess,)))
            if self._summary_writer is not None and self._global_step is not None and \
                    self._save_summaries_secs:
                threads.append(_StepCounterThread(self, sess))
                threads[-1].start()
            if self._saver is not None and self._save_model_secs:
                threads.append(self.loop(self._save_model_secs, self._save_checkpoint,
                                         args=(sess,)))
        self._started_threads.extend(threads)
        return threads

    def _write_summaries(self, sess: Session) -> None:
        summary, step = sess.run([self._summary_op, self._global_step]) \
            if self._global_step is not None else (sess.run(self._summary_op), None)
        self._summary_writer.add_summary(summary, step)

    def _save_checkpoint(self, sess: Session) -> None:
        logging.info("Saving checkpoint to path %s", self._save_path)
        path = self._saver.save(sess, self._save_path, global_step=self._global_step)
        self._log_session(SessionLog.CHECKPOINT, sess, path)

    def prepare_or_wait_for_session(self, master: str = "", config: Any = None,
                                    wait_for_checkpoint: bool = False,
                                    max_wait_secs: float = 7200,
                                    start_standard_services: bool = True) -> Session:
        """The chief's session, restored from ``logdir`` or initialized (then the
        standard services start), or a worker's once the model is ready; the queue
        runners start in both."""
        self._coord.clear_stop()
        if self._is_chief:
            sess = self._session_manager.prepare_session(
                master, init_op=self._init_op, saver=self._saver,
                checkpoint_dir=self._logdir, wait_for_checkpoint=wait_for_checkpoint,
                max_wait_secs=max_wait_secs, config=config,
                init_feed_dict=self._init_feed_dict, init_fn=self._init_fn)
            self._write_graph()
            if start_standard_services:
                self.start_standard_services(sess)
        else:
            sess = self._session_manager.wait_for_session(master, config=config,
                                                          max_wait_secs=max_wait_secs)
        if start_standard_services:
            self.start_queue_runners(sess)
        return sess

    def start_queue_runners(self, sess: Session, queue_runners: Sequence | None = None
                            ) -> list:
        """Starts the threads of ``queue_runners`` (the graph's by default) under this
        supervisor's coordinator; returns them."""
        if queue_runners is None:
            queue_runners = self._graph.get_collection(GraphKeys.QUEUE_RUNNERS)
        threads = []
        for runner in queue_runners:
            threads.extend(runner.create_threads(sess, coord=self._coord, daemon=True,
                                                 start=True))
        return threads

    def loop(self, timer_interval_secs: float, target: Callable[..., Any],
             args: Sequence | None = None, kwargs: dict | None = None) -> LooperThread:
        """Starts a :class:`LooperThread` calling ``target`` every
        ``timer_interval_secs`` under this supervisor's coordinator."""
        return LooperThread.loop(self._coord, timer_interval_secs, target, args, kwargs)

    def stop(self, threads: Sequence | None = None, close_summary_writer: bool = True,
             ignore_live_threads: bool = False) -> None:
        """Requests the stop and joins every thread (within ``stop_grace_secs``);
        re-raises an exception a thread (or ``request_stop``) reported."""
        self._coord.request_stop()
        try:
            self._coord.join(threads, stop_grace_period_secs=self._stop_grace_secs,
                             ignore_live_threads=ignore_live_threads)
        finally:
            self._started_threads = []
            if close_summary_writer and self._summary_writer is not None:
                self._summary_writer.add_event(Event(
                    wall_time=time.time(), session_log=SessionLog(status=SessionLog.STOP)))
                self._summary_writer.close()
                self._graph_added_to_summary = False

    def request_stop(self, ex: BaseException | tuple | None = None) -> None:
        """Asks every thread to stop (``ex``: an exception ``stop`` re-raises)."""
        self._coord.request_stop(ex)

    def should_stop(self) -> bool:
        """Whether a stop was requested."""
        return self._coord.should_stop()

    def stop_on_exception(self) -> Any:
        """A context in which an exception requests the stop."""
        return self._coord.stop_on_exception()

    def wait_for_stop(self) -> None:
        """Blocks until a stop is requested."""
        self._coord.wait_for_stop()

    def summary_computed(self, sess: Session, summary: Any, global_step: Any = None
                         ) -> None:
        """Writes ``summary`` (a serialized ``Summary``) at ``global_step`` (the
        current global step by default)."""
        if self._summary_writer is None:
            raise RuntimeError("Writing a summary requires a summary writer.")
        if global_step is None and self._global_step is not None:
            global_step = self._step(sess)
        self._summary_writer.add_summary(summary, global_step)

    @contextlib.contextmanager
    def managed_session(self, master: str = "", config: Any = None,
                        start_standard_services: bool = True,
                        close_summary_writer: bool = True) -> Iterator[Session]:
        """A session with the standard services running; on leaving, every thread is
        stopped and joined and the session closed. An exception raised inside requests
        the stop and is re-raised (``OutOfRangeError`` ends the loop cleanly)."""
        sess = None
        try:
            sess = self.prepare_or_wait_for_session(
                master=master, config=config,
                start_standard_services=start_standard_services)
            yield sess
        except Exception as err:  # noqa: BLE001  (re-raised by stop's join)
            self.request_stop(err)
        finally:
            try:
                self.stop(close_summary_writer=close_summary_writer)
            finally:
                if sess is not None:
                    sess.close()


class _StepCounterThread(LooperThread):
    """Writes the summary ``global_step/sec`` every ``save_summaries_secs``."""

    def __init__(self, sv: Supervisor, sess: Session) -> None:
        super().__init__(sv.coord, sv.save_summaries_secs)
        self._sv, self._sess = sv, sess
        self._last_time, self._last_step = time.time(), 0
        self._tag = f"{sv.global_step.op.name}/sec"

    def start_loop(self) -> None:
        self._last_time, self._last_step = time.time(), self._sv._step(self._sess)

    def run_loop(self) -> None:
        step = self._sv._step(self._sess)
        now = time.time()
        elapsed = now - self._last_time
        if elapsed > 0 and step is not None:
            rate = (step - self._last_step) / elapsed
            self._sv.summary_writer.add_summary(
                Summary(value=[Summary.Value(tag=self._tag, simple_value=rate)]), step)
        self._last_time, self._last_step = now, step
