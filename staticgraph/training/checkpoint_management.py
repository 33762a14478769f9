"""TF1's checkpoint utilities: ``tf.train.remove_checkpoint``, ``get_checkpoint_mtimes``,
``generate_checkpoint_state_proto``, ``update_checkpoint_state`` and
``checkpoints_iterator``.

A V2 checkpoint ``prefix`` is the files ``prefix.index``, ``prefix.data-*`` and
``prefix.meta``; the ``checkpoint`` state file of a folder names its newest checkpoints.
"""
from __future__ import annotations

import glob
import os
import time
from typing import Callable, Iterator, Sequence

from google.protobuf import text_format

from .. import tf_logging as logging
from ..io.checkpoint_reader import latest_checkpoint
from ..io.checkpoint_state import state_path
from ..io.files import atomic_write_bytes
from ..io.protos import CheckpointState
from ..io.tensor_bundle import index_path

__all__ = ["remove_checkpoint", "get_checkpoint_mtimes", "generate_checkpoint_state_proto",
           "update_checkpoint_state", "checkpoints_iterator", "wait_for_new_checkpoint"]


def remove_checkpoint(checkpoint_prefix: str, checkpoint_format_version: int = 2,
                      meta_graph_suffix: str = "meta") -> None:
    """Deletes the index, data and meta files of checkpoint ``checkpoint_prefix`` (those
    that exist; a V1 checkpoint is the single file ``checkpoint_prefix``)."""
    if checkpoint_format_version == 1:
        files = [checkpoint_prefix]
    else:
        files = [index_path(checkpoint_prefix)] + glob.glob(
            glob.escape(checkpoint_prefix) + ".data-?????-of-?????")
    files += [f"{checkpoint_prefix}.{meta_graph_suffix}", checkpoint_prefix + ".npz"]
    for path in files:
        if os.path.exists(path):
            os.remove(path)


def get_checkpoint_mtimes(checkpoint_prefixes: Sequence[str]) -> list[float]:
    """The modification times (seconds since the epoch) of the checkpoints named by
    ``checkpoint_prefixes``: their index files' (or the V1 file's); prefixes with no
    checkpoint are skipped, as in TF."""
    mtimes = []
    for prefix in checkpoint_prefixes:
        for candidate in (index_path(prefix), prefix):
            if os.path.isfile(candidate):
                mtimes.append(os.path.getmtime(candidate))
                break
        else:
            logging.warning("No checkpoint found at %s", prefix)
    return mtimes


def generate_checkpoint_state_proto(save_dir: str, model_checkpoint_path: str,
                                    all_model_checkpoint_paths: Sequence[str] | None = None,
                                    all_model_checkpoint_timestamps: Sequence[float]
                                    | None = None,
                                    last_preserved_timestamp: float | None = None
                                    ) -> CheckpointState:
    """A ``CheckpointState`` naming ``model_checkpoint_path`` as newest (appended to
    ``all_model_checkpoint_paths`` when not already last). As in TF, when ``save_dir`` is
    relative, relative paths are made relative to it."""
    paths = list(all_model_checkpoint_paths or [])
    if not paths or paths[-1] != model_checkpoint_path:
        paths.append(model_checkpoint_path)
    stamps = list(all_model_checkpoint_timestamps or [])
    if stamps and len(stamps) != len(paths):
        raise ValueError(f"Checkpoint timestamps, if provided, must match checkpoint paths "
                         f"({len(stamps)} timestamps for {len(paths)} paths)")
    if not os.path.isabs(save_dir):
        def relative(path: str) -> str:
            return path if os.path.isabs(path) else os.path.relpath(path, save_dir)
        model_checkpoint_path = relative(model_checkpoint_path)
        paths = [relative(p) for p in paths]
    state = CheckpointState(model_checkpoint_path=model_checkpoint_path,
                            all_model_checkpoint_paths=paths,
                            all_model_checkpoint_timestamps=stamps)
    if last_preserved_timestamp is not None:
        state.last_preserved_timestamp = last_preserved_timestamp
    return state


def update_checkpoint_state(save_dir: str, model_checkpoint_path: str,
                            all_model_checkpoint_paths: Sequence[str] | None = None,
                            latest_filename: str | None = None,
                            all_model_checkpoint_timestamps: Sequence[float] | None = None,
                            last_preserved_timestamp: float | None = None) -> None:
    """Writes (atomically) the state file ``save_dir/latest_filename`` (``checkpoint`` by
    default) from :func:`generate_checkpoint_state_proto`'s arguments."""
    path = state_path(save_dir, latest_filename)
    if os.path.abspath(path) == os.path.abspath(model_checkpoint_path):
        raise RuntimeError(f"Save path '{model_checkpoint_path}' conflicts with path used "
                           "for checkpoint state.  Please use a different save path.")
    state = generate_checkpoint_state_proto(save_dir, model_checkpoint_path,
                                            all_model_checkpoint_paths,
                                            all_model_checkpoint_timestamps,
                                            last_preserved_timestamp)
    atomic_write_bytes(path, text_format.MessageToString(state).encode("utf-8"))


def wait_for_new_checkpoint(checkpoint_dir: str, last_checkpoint: str | None = None,
                            seconds_to_sleep: float = 1, timeout: float | None = None
                            ) -> str | None:
    """Polls ``checkpoint_dir`` every ``seconds_to_sleep`` until its newest checkpoint
    differs from ``last_checkpoint``; returns it, or None after ``timeout`` seconds."""
    logging.info("Waiting for new checkpoint at %s", checkpoint_dir)
    stop_time = time.time() + timeout if timeout is not None else None
    while True:
        path = latest_checkpoint(checkpoint_dir)
        if path is not None and path != last_checkpoint:
            logging.info("Found new checkpoint at %s", path)
            return path
        if stop_time is not None and time.time() + seconds_to_sleep > stop_time:
            return None
        time.sleep(seconds_to_sleep)


def checkpoints_iterator(checkpoint_dir: str, min_interval_secs: float = 0,
                         timeout: float | None = None,
                         timeout_fn: Callable[[], bool] | None = None) -> Iterator[str]:
    """Yields each new checkpoint of ``checkpoint_dir`` as it appears, at most one every
    ``min_interval_secs``. After ``timeout`` seconds with no new checkpoint it ends, or,
    with ``timeout_fn``, ends when ``timeout_fn()`` is true and keeps waiting otherwise."""
    checkpoint_path = None
    while True:
        new_path = wait_for_new_checkpoint(checkpoint_dir, checkpoint_path, timeout=timeout)
        if new_path is None:
            if timeout_fn is None or timeout_fn():
                logging.info("Timed-out waiting for a checkpoint.")
                return
            continue
        start = time.time()
        checkpoint_path = new_path
        yield checkpoint_path
        remaining = start + min_interval_secs - time.time()
        if remaining > 0:
            time.sleep(remaining)
