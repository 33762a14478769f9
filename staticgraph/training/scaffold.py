"""``tf.train.Scaffold`` and the session creators of monitored sessions.

A scaffold gathers what a training session needs besides the model: the init op, the
local init op, the summary op, the saver and a readiness check. ``finalize`` fills in
TF1's defaults (from the graph's collections, else built) and finalizes the graph.
A chief session creator restores the newest checkpoint of ``checkpoint_dir`` when there
is one, and otherwise runs the init op; the local init op runs in both cases.
"""
from __future__ import annotations

from typing import Any, Callable

from .. import tf_logging as logging
from ..core.graph import GraphKeys, get_default_graph
from ..ops.state_ops import group, is_variable_initialized
from ..ops.variables import (global_variables, global_variables_initializer,
                             local_variables, local_variables_initializer)
from ..runtime.session import Session
from ..train.saver import Saver, latest_checkpoint
from ..viz.summary import merge_all

__all__ = ["Scaffold", "SessionCreator", "ChiefSessionCreator", "WorkerSessionCreator"]

READY_OP = "ready_op"
LOCAL_INIT_OP = "local_init_op"
SUMMARY_OP = "summary_op"


def _from_collection_or(key: str, what: str, build: Callable[[], Any]) -> Any:
    """The single item of collection ``key``, else ``build()`` (added to it)."""
    graph = get_default_graph()
    found = graph.get_collection(key)
    if len(found) > 1:
        raise RuntimeError(f"More than one item in the collection {key!r}; pass the one to "
                           f"use to tf.train.Scaffold({what}=...)")
    if found:
        return found[0]
    item = build()
    if item is not None:
        graph.add_to_collection(key, item)
    return item


def _readiness() -> Any:
    """Bool scalars saying which global and local variables have a value in the
    session, and those variables."""
    variables = global_variables() + local_variables()
    return ([is_variable_initialized(v) for v in variables], variables) if variables else None


def _default_saver() -> Saver:
    savers = get_default_graph().get_collection(GraphKeys.SAVERS)
    if len(savers) > 1:
        raise RuntimeError("More than one saver in the 'savers' collection; pass the one to "
                           "use to tf.train.Scaffold(saver=...)")
    if savers:
        return savers[0]
    saver = Saver(allow_empty=True, max_to_keep=5)
    get_default_graph().add_to_collection(GraphKeys.SAVERS, saver)
    return saver


class Scaffold:
    """The init, local init, summary and readiness ops and the saver of a training
    session; ``init_fn(scaffold, session)`` runs after the init op."""

    def __init__(self, init_op: Any = None, init_feed_dict: dict | None = None,
                 init_fn: Callable[[Any, Any], None] | None = None, ready_op: Any = None,
                 ready_for_local_init_op: Any = None, local_init_op: Any = None,
                 summary_op: Any = None, saver: Any = None,
                 copy_from_scaffold: "Scaffold | None" = None,
                 local_init_feed_dict: dict | None = None) -> None:
        if copy_from_scaffold is not None:
            init_op = init_op or copy_from_scaffold.init_op
            init_feed_dict = init_feed_dict or copy_from_scaffold.init_feed_dict
            init_fn = init_fn or copy_from_scaffold._user_init_fn
            local_init_op = local_init_op or copy_from_scaffold.local_init_op
            summary_op = summary_op or copy_from_scaffold.summary_op
            saver = saver or copy_from_scaffold.saver
        self._init_op, self._init_feed_dict = init_op, init_feed_dict
        self._user_init_fn = init_fn
        self._ready_op = ready_op
        self._local_init_op, self._local_init_feed_dict = local_init_op, local_init_feed_dict
        self._summary_op, self._saver = summary_op, saver
        self._ready_variables: list = []

    def finalize(self) -> "Scaffold":
        """Builds the missing pieces with TF1's defaults, then finalizes the graph."""
        if self._init_op is None:
            self._init_op = _from_collection_or(GraphKeys.INIT_OP, "init_op",
                                                global_variables_initializer)
        if self._ready_op is None:
            ready = _readiness()
            if ready is not None:
                self._ready_op, self._ready_variables = ready
        if self._local_init_op is None:
            self._local_init_op = _from_collection_or(
                LOCAL_INIT_OP, "local_init_op",
                lambda: group(local_variables_initializer()))
        if self._summary_op is None:
            self._summary_op = _from_collection_or(SUMMARY_OP, "summary_op", merge_all)
        if self._saver is None:
            self._saver = _default_saver()
        get_default_graph().finalize()
        logging.info("Graph was finalized.")
        return self

    @property
    def init_op(self) -> Any:
        """Initializes the model when there is no checkpoint."""
        return self._init_op

    @property
    def init_feed_dict(self) -> dict | None:
        """The feed dict for ``init_op``."""
        return self._init_feed_dict

    @property
    def init_fn(self) -> Callable[[Any], None] | None:
        """``init_fn(session)``: the user's function, given this scaffold."""
        if self._user_init_fn is None:
            return None
        return lambda session: self._user_init_fn(self, session)

    @property
    def ready_op(self) -> Any:
        """Evaluates to whether each variable has a value (ready when all do)."""
        return self._ready_op

    @property
    def local_init_op(self) -> Any:
        """Initializes local variables (metrics, ...) in every new session."""
        return self._local_init_op

    @property
    def local_init_feed_dict(self) -> dict | None:
        """The feed dict for ``local_init_op``."""
        return self._local_init_feed_dict

    @property
    def summary_op(self) -> Any:
        """The merged summaries (None when the graph has none)."""
        return self._summary_op

    @property
    def saver(self) -> Any:
        """The saver of checkpoints."""
        return self._saver

    def uninitialized_variables(self, session: Any) -> list[str]:
        """The names of the variables without a value in ``session`` (with the default
        ready check)."""
        if not self._ready_variables:
            return []
        flags = session.run(self._ready_op)
        return [v.op.name for v, ok in zip(self._ready_variables, flags) if not ok]


class SessionCreator:
    """Makes the session a monitored session runs on."""

    def create_session(self) -> Session:
        """A new, initialized session."""
        raise NotImplementedError(f"{type(self).__name__} must define create_session() "
                                  "(see ChiefSessionCreator and WorkerSessionCreator)")


class ChiefSessionCreator(SessionCreator):
    """Restores the latest checkpoint of ``checkpoint_dir`` (or the checkpoint
    ``checkpoint_filename_with_path``) into a new session, or initializes it."""

    def __init__(self, scaffold: Scaffold | None = None, master: str = "",
                 config: Any = None, checkpoint_dir: str | None = None,
                 checkpoint_filename_with_path: str | None = None) -> None:
        if checkpoint_dir and checkpoint_filename_with_path:
            raise ValueError("give checkpoint_dir or checkpoint_filename_with_path, not both")
        self._scaffold = scaffold or Scaffold()
        self._config = config
        self._checkpoint_dir = checkpoint_dir
        self._checkpoint_path = checkpoint_filename_with_path

    def create_session(self) -> Session:
        """A new session, restored or initialized, then locally initialized."""
        scaffold = self._scaffold.finalize()
        session = Session(graph=get_default_graph(), config=self._config)
        path = self._checkpoint_path or (latest_checkpoint(self._checkpoint_dir)
                                         if self._checkpoint_dir else None)
        if path:
            logging.info("Restoring parameters from %s", path)
            scaffold.saver.restore(session, path)
        else:
            if scaffold.init_op is not None:
                session.run(scaffold.init_op, feed_dict=scaffold.init_feed_dict)
            if scaffold.init_fn is not None:
                scaffold.init_fn(session)
        if scaffold.local_init_op is not None:
            session.run(scaffold.local_init_op, feed_dict=scaffold.local_init_feed_dict)
        missing = scaffold.uninitialized_variables(session)
        if missing:
            session.close()
            raise RuntimeError("Init operations did not make model ready. Variables not "
                               f"initialized: {', '.join(missing)}")
        return session


class WorkerSessionCreator(ChiefSessionCreator):
    """A chief session creator without checkpoint restoring (one process: the worker
    initializes the model itself)."""

    def __init__(self, scaffold: Scaffold | None = None, master: str = "",
                 config: Any = None, max_wait_secs: float = 30 * 60) -> None:
        super().__init__(scaffold=scaffold, master=master, config=config)
