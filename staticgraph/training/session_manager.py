"""``tf.train.SessionManager``: makes sessions whose model is ready to use.

``prepare_session`` restores the newest checkpoint of a folder (or a given one) or, when
there is none, runs the init op / init function; ``recover_session`` only restores;
``wait_for_session`` waits until another process made the model ready. Each then runs
the local init op (when the global variables are ready for it) and checks readiness
with the ready op: a 1-D string tensor of the names of variables still without a value
(``tf.report_uninitialized_variables``).
"""
from __future__ import annotations

import math
import time
from typing import Any, Callable

import numpy as np

from .. import tf_logging as logging
from ..core import errors
from ..core.graph import Graph, get_default_graph
from ..io.checkpoint_reader import get_checkpoint_state
from ..runtime.session import Session

__all__ = ["SessionManager"]


def _not_ready(sess: Session, op: Any, what: str) -> str | None:
    """None when ``op`` (a ready op) reports nothing, else a message naming the
    variables it reports."""
    if op is None:
        return None
    names = np.asarray(sess.run(op)).reshape(-1)
    if names.size == 0:
        return None
    listed = ", ".join(n.decode() if isinstance(n, bytes) else str(n) for n in names)
    return f"{what}: variables not initialized: {listed}"


class SessionManager:
    """Creates sessions for ``graph``, restored from checkpoints or initialized, and
    checks with ``ready_op`` that their model is ready."""

    def __init__(self, local_init_op: Any = None, ready_op: Any = None,
                 ready_for_local_init_op: Any = None, graph: Graph | None = None,
                 recovery_wait_secs: float = 30, local_init_run_options: Any = None,
                 local_init_feed_dict: dict | None = None) -> None:
        if ready_for_local_init_op is not None and local_init_op is None:
            raise ValueError("If you pass a ready_for_local_init_op you must also pass a "
                             "local_init_op")
        self._local_init_op = local_init_op
        self._ready_op = ready_op
        self._ready_for_local_init_op = ready_for_local_init_op
        self._graph = graph if graph is not None else get_default_graph()
        self._recovery_wait_secs = recovery_wait_secs
        self._local_init_run_options = local_init_run_options
        self._local_init_feed_dict = local_init_feed_dict

    def _restore_checkpoint(self, config: Any, saver: Any, checkpoint_dir: str | None,
                            checkpoint_filename_with_path: str | None,
                            wait_for_checkpoint: bool, max_wait_secs: float
                            ) -> tuple[Session, bool]:
        """A new session and whether a checkpoint was restored into it."""
        if checkpoint_dir and checkpoint_filename_with_path:
            raise ValueError("Can not provide both checkpoint_dir and "
                             "checkpoint_filename_with_path.")
        sess = Session(graph=self._graph, config=config)
        if saver is not None and checkpoint_filename_with_path:
            saver.restore(sess, checkpoint_filename_with_path)
            return sess, True
        if saver is None or not checkpoint_dir:
            return sess, False
        waited = 0.0
        state = get_checkpoint_state(checkpoint_dir)
        while state is None or not state.model_checkpoint_path:
            if not wait_for_checkpoint or waited >= max_wait_secs:
                return sess, False
            logging.info("Waiting for checkpoint to be available.")
            time.sleep(self._recovery_wait_secs)
            waited += self._recovery_wait_secs
            state = get_checkpoint_state(checkpoint_dir)
        saver.restore(sess, state.model_checkpoint_path)
        saver.recover_last_checkpoints(list(state.all_model_checkpoint_paths))
        return sess, True

    def _try_run_local_init_op(self, sess: Session) -> tuple[bool, str | None]:
        """Runs the local init op once the global variables are ready for it."""
        if self._local_init_op is None:
            return True, None
        message = _not_ready(sess, self._ready_for_local_init_op,
                             "Model not ready for local init")
        if message is not None:
            return False, message
        sess.run(self._local_init_op, feed_dict=self._local_init_feed_dict,
                 options=self._local_init_run_options)
        return True, None

    def _ready(self, sess: Session) -> str | None:
        """None when the model is ready, else why it is not."""
        done, message = self._try_run_local_init_op(sess)
        return message if not done else _not_ready(sess, self._ready_op, "Model not ready")

    def prepare_session(self, master: str = "", init_op: Any = None, saver: Any = None,
                        checkpoint_dir: str | None = None, wait_for_checkpoint: bool = False,
                        max_wait_secs: float = 7200, config: Any = None,
                        init_feed_dict: dict | None = None,
                        init_fn: Callable[[Session], None] | None = None,
                        checkpoint_filename_with_path: str | None = None) -> Session:
        """A session restored from ``checkpoint_dir``'s newest checkpoint (or
        ``checkpoint_filename_with_path``), else initialized with ``init_op`` and
        ``init_fn``; ``RuntimeError`` when the model is still not ready."""
        sess, restored = self._restore_checkpoint(config, saver, checkpoint_dir,
                                                  checkpoint_filename_with_path,
                                                  wait_for_checkpoint, max_wait_secs)
        if not restored:
            if init_op is None and init_fn is None and self._local_init_op is None:
                sess.close()
                raise RuntimeError("Model is not initialized and no init_op or init_fn or "
                                   "local_init_op was given")
            if init_op is not None:
                sess.run(init_op, feed_dict=init_feed_dict)
            if init_fn is not None:
                init_fn(sess)
        message = self._ready(sess)
        if message is not None:
            sess.close()
            raise RuntimeError(f"Init operations did not make model ready.  Init op: "
                               f"{getattr(init_op, 'name', init_op)}, init fn: {init_fn}, "
                               f"local_init_op: {getattr(self._local_init_op, 'name', None)}"
                               f", error: {message}")
        return sess

    def recover_session(self, master: str = "", saver: Any = None,
                        checkpoint_dir: str | None = None, wait_for_checkpoint: bool = False,
                        max_wait_secs: float = 7200, config: Any = None,
                        checkpoint_filename_with_path: str | None = None
                        ) -> tuple[Session, bool]:
        """A session and whether it was restored from a checkpoint into a ready model
        (no init op runs)."""
        sess, restored = self._restore_checkpoint(config, saver, checkpoint_dir,
                                                  checkpoint_filename_with_path,
                                                  wait_for_checkpoint, max_wait_secs)
        if not restored:
            return sess, False
        message = self._ready(sess)
        if message is not None:
            logging.info("Restoring model from %s did not make model ready for local "
                         "init: %s", checkpoint_dir or checkpoint_filename_with_path,
                         message)
            return sess, False
        logging.info("Restored model from %s", checkpoint_dir or checkpoint_filename_with_path)
        return sess, True

    def wait_for_session(self, master: str = "", config: Any = None,
                         max_wait_secs: float | None = math.inf) -> Session:
        """A session once the model is ready (another process initializes it), trying
        every ``recovery_wait_secs``; ``DeadlineExceededError`` after ``max_wait_secs``."""
        deadline = time.monotonic() + (math.inf if max_wait_secs is None else max_wait_secs)
        while True:
            sess = Session(graph=self._graph, config=config)
            message = self._ready(sess)
            if message is None:
                return sess
            sess.close()
            if deadline - time.monotonic() - self._recovery_wait_secs < 0:
                raise errors.DeadlineExceededError(
                    None, None, f"Session was not ready after waiting {max_wait_secs} secs. "
                                f"({message})")
            logging.info("Waiting for model to be ready.  %s", message)
            time.sleep(self._recovery_wait_secs)
