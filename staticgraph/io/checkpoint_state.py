"""The ``checkpoint`` state file: which checkpoints of a folder exist and which is newest.

TensorFlow writes it as a text ``CheckpointState`` protocol buffer::

    model_checkpoint_path: "model.ckpt-3"
    all_model_checkpoint_paths: "model.ckpt-2"
    all_model_checkpoint_paths: "model.ckpt-3"

Relative paths are relative to the file's folder. Files written by earlier staticgraph
versions (a JSON object with the same two keys) are still read.
"""
from __future__ import annotations

import json
import os
from typing import Sequence

from google.protobuf import text_format

from ..core.errors import DataLossError
from .files import atomic_write_bytes
from .protos import CheckpointState

__all__ = ["CheckpointState", "STATE_FILENAME", "read_state", "write_state"]

STATE_FILENAME = "checkpoint"


def state_path(checkpoint_dir: str, latest_filename: str | None = None) -> str:
    """The state file of ``checkpoint_dir``."""
    return os.path.join(checkpoint_dir, latest_filename or STATE_FILENAME)


def _from_legacy_json(text: str, path: str) -> CheckpointState:
    try:
        doc = json.loads(text)
        return CheckpointState(model_checkpoint_path=doc["model_checkpoint_path"],
                               all_model_checkpoint_paths=list(
                                   doc.get("all_model_checkpoint_paths", [])))
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise DataLossError(None, None, f"Checkpoint state file {path} is not valid: "
                                        f"{err}") from None


def read_state(checkpoint_dir: str,
               latest_filename: str | None = None) -> CheckpointState | None:
    """The state of ``checkpoint_dir`` with relative paths joined to it, or None when the
    folder has no state file. An unreadable file is a ``DataLossError`` naming it."""
    path = state_path(checkpoint_dir, latest_filename)
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DataLossError(None, None, f"Checkpoint state file {path} is not text "
                                        "(not a CheckpointState)") from None
    if text.lstrip().startswith("{"):
        state = _from_legacy_json(text, path)
    else:
        state = CheckpointState()
        try:
            text_format.Parse(text, state)
        except text_format.ParseError as err:
            raise DataLossError(None, None, f"Checkpoint state file {path} is not a text "
                                            f"CheckpointState: {err}") from None
    if not state.model_checkpoint_path:
        raise DataLossError(None, None, f"Checkpoint state file {path} names no "
                                        "model_checkpoint_path")
    absolute = [os.path.join(checkpoint_dir, p) for p in state.all_model_checkpoint_paths]
    latest = os.path.join(checkpoint_dir, state.model_checkpoint_path)
    del state.all_model_checkpoint_paths[:]
    state.all_model_checkpoint_paths.extend(absolute)
    state.model_checkpoint_path = latest
    return state


def write_state(checkpoint_dir: str, latest: str, all_paths: Sequence[str],
                latest_filename: str | None = None, relative: bool = False) -> None:
    """Atomically writes the state file of ``checkpoint_dir``.

    ``latest`` is always listed last among ``all_paths`` (as TensorFlow does); with
    ``relative``, paths inside the folder are stored relative to it.
    """
    def stored(path: str) -> str:
        if relative:
            return os.path.relpath(os.path.abspath(path), os.path.abspath(checkpoint_dir))
        return path
    paths = [p for p in all_paths if p != latest] + [latest]
    state = CheckpointState(model_checkpoint_path=stored(latest),
                            all_model_checkpoint_paths=[stored(p) for p in paths])
    atomic_write_bytes(state_path(checkpoint_dir, latest_filename),
                       text_format.MessageToString(state).encode("utf-8"))
