"""``tf.train.MonitoredSession``, ``SingularMonitoredSession`` and
``MonitoredTrainingSession``: a session that initializes or restores itself and calls
hooks around every run.

Leaving a ``with`` block on ``tf.errors.OutOfRangeError`` or ``StopIteration`` (the end
of the input) closes the session normally, calling the hooks' ``end``, as in TF1.
staticgraph runs in one process, so there are no workers to wait for and no session to
recover after a preemption: an error in ``run`` propagates.
"""
from __future__ import annotations

from typing import Any, Callable

from ..core import errors
from ..core.graph import Graph, get_default_graph
from ..runtime.config import RunMetadata, RunOptions
from .basic_hooks import CheckpointSaverHook, StepCounterHook, SummarySaverHook
from .coordinator import Coordinator
from .queues import QUEUE_RUNNERS, start_queue_runners
from .scaffold import ChiefSessionCreator, Scaffold, SessionCreator, WorkerSessionCreator
from .session_run_hook import SessionRunArgs, SessionRunContext, SessionRunValues

__all__ = ["MonitoredSession", "SingularMonitoredSession", "MonitoredTrainingSession",
           "StepContext"]

USE_DEFAULT = object()


class StepContext:
    """What ``run_step_fn``'s function gets: the raw ``session``, ``run_with_hooks``
    and ``request_stop``."""

    def __init__(self, session: Any, run_with_hooks: Callable[..., Any]) -> None:
        self._session = session
        self._run_with_hooks = run_with_hooks

    @property
    def session(self) -> Any:
        """The underlying session (runs on it call no hooks)."""
        return self._session

    def run_with_hooks(self, *args: Any, **kwargs: Any) -> Any:
        """``run`` with the hooks, as ``MonitoredSession.run``."""
        return self._run_with_hooks(*args, **kwargs)

    def request_stop(self) -> None:
        """Ends the step function; the monitored session then stops."""
        raise StopIteration("step_fn has requested the iterations to stop.")


class _MonitoredSession:
    """The shared machinery: hooks, session creation, hooked runs and closing."""

    def __init__(self, session_creator: SessionCreator | None, hooks: Any,
                 stop_grace_period_secs: float = 120) -> None:
        self._graph_was_finalized = get_default_graph().finalized
        self._hooks = list(hooks or [])
        for hook in self._hooks:
            hook.begin()
        self._creator = session_creator or ChiefSessionCreator()
        self._grace = stop_grace_period_secs
        self._sess = self._creator.create_session()
        self._coord = Coordinator(clean_stop_exception_types=[])
        self._stop_requested = False
        if self._sess.graph.get_collection(QUEUE_RUNNERS):
            start_queue_runners(self._sess, self._coord)
        for hook in self._hooks:
            hook.after_create_session(self._sess, self._coord)

    @property
    def graph(self) -> Graph:
        """The graph this session runs."""
        return self._sess.graph if self._sess is not None else get_default_graph()

    def should_stop(self) -> bool:
        """Whether a hook (or the coordinator) asked to stop, or the session is closed."""
        return self._sess is None or self._stop_requested or self._coord.should_stop()

    def run(self, fetches: Any, feed_dict: dict | None = None, options: Any = None,
            run_metadata: Any = None) -> Any:
        """``Session.run`` with every hook's ``before_run``/``after_run`` around it."""
        if self.should_stop():
            raise RuntimeError("Run called even after should_stop requested.")
        context = SessionRunContext(SessionRunArgs(fetches, feed_dict), self._sess)
        all_fetches: dict[str, Any] = {"caller": fetches}
        hook_feeds: dict = {}
        hook_options = []
        for index, hook in enumerate(self._hooks):
            request = hook.before_run(context)
            if request is None:
                continue
            if request.fetches is not None:
                all_fetches[f"hook{index}"] = request.fetches
            if request.feed_dict:
                _refuse_overlap(hook_feeds, request.feed_dict, "Same tensor is fed by two hooks.")
                hook_feeds.update(request.feed_dict)
            if request.options is not None:
                hook_options.append(request.options)
        if hook_feeds and feed_dict:
            _refuse_overlap(feed_dict, hook_feeds,
                            "Same tensor is fed by a SessionRunHook and user.")
        feeds = {**hook_feeds, **(feed_dict or {})} if hook_feeds else feed_dict
        caller_metadata = run_metadata
        if hook_options:
            options = merge_run_options(options, hook_options)
            run_metadata = RunMetadata()
        outputs = self._sess.run(all_fetches, feed_dict=feeds, options=options,
                                 run_metadata=run_metadata)
        if caller_metadata is not None and run_metadata is not caller_metadata:
            caller_metadata.MergeFrom(run_metadata)
        for index, hook in enumerate(self._hooks):
            hook.after_run(context, SessionRunValues(outputs.get(f"hook{index}"), options,
                                                     run_metadata))
        self._stop_requested = self._stop_requested or context.stop_requested
        return outputs["caller"]

    def run_step_fn(self, step_fn: Callable[[StepContext], Any]) -> Any:
        """Calls ``step_fn(step_context)``; a ``request_stop`` inside it makes
        ``should_stop()`` true and returns None."""
        try:
            return step_fn(StepContext(self._sess, self.run))
        except StopIteration:
            self._stop_requested = True
            return None

    def close(self) -> None:
        """Calls the hooks' ``end`` and closes the session."""
        self._close(None)

    def _close(self, exception_type: type | None) -> None:
        if self._sess is None:
            raise RuntimeError("Session is already closed.")
        try:
            if exception_type is None:
                for hook in self._hooks:
                    hook.end(self._sess)
        finally:
            try:
                self._coord.request_stop()
                self._coord.join(stop_grace_period_secs=self._grace,
                                 ignore_live_threads=True)
            finally:
                self._sess.close()
                self._sess = None
                if not self._graph_was_finalized:
                    get_default_graph()._unsafe_unfinalize()

    def __enter__(self) -> "_MonitoredSession":
        return self

    def __exit__(self, exception_type: Any, exception_value: Any, traceback: Any) -> bool:
        if exception_type is not None and issubclass(
                exception_type, (errors.OutOfRangeError, StopIteration)):
            exception_type = None
        self._close(exception_type)
        return exception_type is None


def _refuse_overlap(first: dict, second: dict, message: str) -> None:
    both = set(first) & set(second)
    if both:
        raise RuntimeError(f"{message} Conflict(s): {sorted(map(str, both))}")


class MonitoredSession(_MonitoredSession):
    """``tf.train.MonitoredSession``: a session made by ``session_creator`` (default: a
    chief session creator) whose runs call ``hooks``."""

    def __init__(self, session_creator: SessionCreator | None = None, hooks: Any = None,
                 stop_grace_period_secs: float = 120) -> None:
        super().__init__(session_creator, hooks, stop_grace_period_secs)


class SingularMonitoredSession(_MonitoredSession):
    """``tf.train.SingularMonitoredSession``: a monitored session built from a scaffold
    and a checkpoint directory, whose raw session is reachable."""

    def __init__(self, hooks: Any = None, scaffold: Scaffold | None = None,
                 master: str = "", config: Any = None, checkpoint_dir: str | None = None,
                 stop_grace_period_secs: float = 120,
                 checkpoint_filename_with_path: str | None = None) -> None:
        creator = ChiefSessionCreator(
            scaffold=scaffold or Scaffold(), master=master, config=config,
            checkpoint_dir=checkpoint_dir,
            checkpoint_filename_with_path=checkpoint_filename_with_path)
        super().__init__(creator, hooks, stop_grace_period_secs)

    def raw_session(self) -> Any:
        """The underlying ``tf.Session``."""
        return self._sess


def _pick(steps: Any, secs: Any, default_secs: Any, default_steps: Any
          ) -> tuple[Any, Any]:
    """TF1's rule for a pair of "every N steps" / "every N seconds" arguments."""
    if steps is USE_DEFAULT and secs is USE_DEFAULT:
        return default_steps, default_secs
    return (None if steps is USE_DEFAULT else steps), (None if secs is USE_DEFAULT else secs)


def MonitoredTrainingSession(  # noqa: N802  (TF1's name)
        master: str = "", is_chief: bool = True, checkpoint_dir: str | None = None,
        scaffold: Scaffold | None = None, hooks: Any = None, chief_only_hooks: Any = None,
        save_checkpoint_secs: Any = USE_DEFAULT, save_summaries_steps: Any = USE_DEFAULT,
        save_summaries_secs: Any = USE_DEFAULT, config: Any = None,
        stop_grace_period_secs: float = 120, log_step_count_steps: int | None = 100,
        max_wait_secs: float = 7200, save_checkpoint_steps: Any = USE_DEFAULT,
        summary_dir: str | None = None, save_graph_def: bool = True) -> MonitoredSession:
    """A monitored session for training: restores the latest checkpoint of
    ``checkpoint_dir`` and saves one every ``save_checkpoint_steps`` steps or
    ``save_checkpoint_secs`` seconds (default 600 s), writes summaries every
    ``save_summaries_steps`` steps (default 100) to ``summary_dir`` (default
    ``checkpoint_dir``) and logs the steps per second every ``log_step_count_steps``."""
    summary_steps, summary_secs = _pick(save_summaries_steps, save_summaries_secs, None, 100)
    checkpoint_steps, checkpoint_secs = _pick(save_checkpoint_steps, save_checkpoint_secs,
                                              600, None)
    scaffold = scaffold or Scaffold()
    if not is_chief:
        return MonitoredSession(WorkerSessionCreator(scaffold, master, config, max_wait_secs),
                                hooks, stop_grace_period_secs)
    all_hooks = list(chief_only_hooks or [])
    creator = ChiefSessionCreator(scaffold=scaffold, master=master, config=config,
                                  checkpoint_dir=checkpoint_dir)
    summary_dir = summary_dir or checkpoint_dir
    if summary_dir:
        if log_step_count_steps and log_step_count_steps > 0:
            all_hooks.append(StepCounterHook(output_dir=summary_dir,
                                             every_n_steps=log_step_count_steps))
        if (summary_steps and summary_steps > 0) or (summary_secs and summary_secs > 0):
            all_hooks.append(SummarySaverHook(scaffold=scaffold, save_steps=summary_steps,
                                              save_secs=summary_secs, output_dir=summary_dir))
    if checkpoint_dir and ((checkpoint_secs and checkpoint_secs > 0)
                           or (checkpoint_steps and checkpoint_steps > 0)):
        all_hooks.append(CheckpointSaverHook(checkpoint_dir, save_steps=checkpoint_steps,
                                             save_secs=checkpoint_secs, scaffold=scaffold,
                                             save_graph_def=save_graph_def))
    all_hooks.extend(hooks or [])
    return MonitoredSession(creator, all_hooks, stop_grace_period_secs)


def merge_run_options(options: Any, requested: list) -> Any:
    """The caller's ``RunOptions`` merged with those hooks request, as TF1's monitored
    session merges them: the highest trace level, timeout and thread pool, partition
    graphs or OOM reports if anyone asks, the debug watches of all."""
    merged = RunOptions()
    if options is not None:
        merged.CopyFrom(options)
    for extra in requested:
        merged.trace_level = max(merged.trace_level, extra.trace_level)
        merged.timeout_in_ms = max(merged.timeout_in_ms, extra.timeout_in_ms)
        merged.inter_op_thread_pool = max(merged.inter_op_thread_pool,
                                          extra.inter_op_thread_pool)
        merged.output_partition_graphs |= extra.output_partition_graphs
        merged.report_tensor_allocations_upon_oom |= extra.report_tensor_allocations_upon_oom
        merged.debug_options.debug_tensor_watch_opts.extend(
            extra.debug_options.debug_tensor_watch_opts)
        merged.debug_options.reset_disk_byte_usage |= extra.debug_options.reset_disk_byte_usage
    return merged
