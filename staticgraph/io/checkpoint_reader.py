"""Reading checkpoints: ``tf.train.NewCheckpointReader``, ``load_checkpoint``,
``list_variables``, ``load_variable``, ``checkpoint_exists``, ``latest_checkpoint``.

Two formats are read: TensorFlow's V2 checkpoints (``<prefix>.index`` + data files, what
``Saver`` writes) and the ``<prefix>.npz`` files of earlier staticgraph versions (loaded
without pickle support). Every failure is a TensorFlow error naming the file:
``NotFoundError`` when it is missing, ``DataLossError`` when it is corrupt.
"""
from __future__ import annotations

import os
import zipfile
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.errors import DataLossError, NotFoundError
from .checkpoint_state import CheckpointState, read_state
from .tensor_bundle import BundleReader, bundle_exists

__all__ = ["CheckpointReader", "NewCheckpointReader", "load_checkpoint", "list_variables",
           "load_variable", "checkpoint_exists", "latest_checkpoint",
           "get_checkpoint_state"]

LEGACY_SUFFIX = ".npz"


def _legacy_path(prefix: str) -> str:
    return prefix if prefix.endswith(LEGACY_SUFFIX) else prefix + LEGACY_SUFFIX


def checkpoint_exists(checkpoint_prefix: str) -> bool:
    """``tf.train.checkpoint_exists``: whether the checkpoint ``checkpoint_prefix`` exists
    (its V2 index, or an earlier staticgraph ``.npz``)."""
    return bundle_exists(checkpoint_prefix) or os.path.isfile(_legacy_path(checkpoint_prefix))


def _check_npz_sizes(path: str) -> None:
    """Refuses an archive member whose array header claims more bytes than it holds (so a
    corrupt header cannot make the reader allocate them) or Python objects."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            with archive.open(info) as f:
                version = np.lib.format.read_magic(f)
                read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                               else np.lib.format.read_array_header_2_0)
                shape, _, dtype = read_header(f)
            if dtype.hasobject:
                raise ValueError(f"{info.filename} stores Python objects (needs pickle)")
            claimed = dtype.itemsize * int(np.prod(shape, dtype=np.float64))
            if claimed > info.file_size:
                raise ValueError(f"{info.filename} claims {claimed} bytes of data but holds "
                                 f"{info.file_size}")


class _NpzBundle:
    """An earlier staticgraph checkpoint (``.npz``), with the reading interface of
    ``BundleReader``; object arrays are refused, never unpickled."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._path = _legacy_path(prefix)
        self._arrays: dict[str, np.ndarray] = {}
        try:
            _check_npz_sizes(self._path)
            with np.load(self._path, allow_pickle=False) as stored:
                if not isinstance(stored, np.lib.npyio.NpzFile):
                    raise ValueError("not an .npz archive")
                for name in stored.files:
                    self._arrays[name] = stored[name]
        except FileNotFoundError:
            raise NotFoundError(None, None, f"Failed to find any matching files for "
                                            f"{prefix}") from None
        except ValueError as err:
            reason = ("it stores Python objects, which staticgraph never loads"
                      if "pickle" in str(err) else str(err))
            raise DataLossError(None, None, f"Checkpoint {self._path} is not a valid "
                                            f"checkpoint: {reason}") from None
        except (zipfile.BadZipFile, EOFError, OSError, KeyError) as err:
            raise DataLossError(None, None, f"Checkpoint {self._path} is corrupt or not a "
                                            f"checkpoint ({type(err).__name__}: "
                                            f"{err})") from None

    def names(self) -> list[str]:
        return sorted(self._arrays)

    def has_tensor(self, name: str) -> bool:
        return name in self._arrays

    def tensor(self, name: str) -> np.ndarray:
        try:
            return self._arrays[name]
        except KeyError:
            raise NotFoundError(None, None, f"Key {name} not found in checkpoint "
                                            f"{self._path}") from None

    def shape(self, name: str) -> list[int]:
        return list(self.tensor(name).shape)

    def dtype(self, name: str) -> np.dtype:
        return self.tensor(name).dtype


class CheckpointReader:
    """``tf.train.NewCheckpointReader``: what a checkpoint stores, by tensor name."""

    def __init__(self, checkpoint_prefix: str) -> None:
        prefix = str(checkpoint_prefix)
        if bundle_exists(prefix) or not os.path.isfile(_legacy_path(prefix)):
            self._bundle: Any = BundleReader(prefix)
        else:
            self._bundle = _NpzBundle(prefix)

    def get_variable_to_shape_map(self) -> dict[str, list[int]]:
        """``{name: shape}`` of every stored tensor."""
        return {n: self._bundle.shape(n) for n in self._bundle.names()}

    def get_variable_to_dtype_map(self) -> dict[str, dtypes.DType]:
        """``{name: dtype}`` of every stored tensor."""
        return {n: dtypes.as_dtype(self._bundle.dtype(n)) for n in self._bundle.names()}

    def has_tensor(self, name: str) -> bool:
        """Whether a tensor ``name`` is stored."""
        return self._bundle.has_tensor(name)

    def get_tensor(self, name: str) -> np.ndarray:
        """The stored value of ``name`` (checksum verified for V2 checkpoints)."""
        return self._bundle.tensor(name)

    def debug_string(self) -> bytes:
        """One line per tensor: name, dtype and shape (as TensorFlow's reader prints)."""
        return "".join(f"{n} ({self._bundle.dtype(n)}) {self._bundle.shape(n)}\n"
                       for n in self._bundle.names()).encode()


def NewCheckpointReader(filepattern: str) -> CheckpointReader:  # noqa: N802 (TF's name)
    """``tf.train.NewCheckpointReader``."""
    return CheckpointReader(filepattern)


def get_checkpoint_state(checkpoint_dir: str,
                         latest_filename: str | None = None) -> CheckpointState | None:
    """``tf.train.get_checkpoint_state``: the folder's state file, paths joined to it, or
    None when it has none."""
    return read_state(str(checkpoint_dir), latest_filename)


def latest_checkpoint(checkpoint_dir: str, latest_filename: str | None = None) -> str | None:
    """``tf.train.latest_checkpoint``: the prefix of the newest checkpoint, or None."""
    state = read_state(str(checkpoint_dir), latest_filename)
    if state is None or not checkpoint_exists(state.model_checkpoint_path):
        return None
    return state.model_checkpoint_path


def _resolve(ckpt_dir_or_file: str) -> str:
    path = str(ckpt_dir_or_file)
    if os.path.isdir(path):
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given "
                             f"directory {path}")
        return latest
    return path


def load_checkpoint(ckpt_dir_or_file: str) -> CheckpointReader:
    """``tf.train.load_checkpoint``: a reader of a checkpoint, or of a folder's newest."""
    return CheckpointReader(_resolve(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file: str) -> list[tuple[str, list[int]]]:
    """``tf.train.list_variables``: ``(name, shape)`` of every stored tensor, sorted."""
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    return sorted(shapes.items())


def load_variable(ckpt_dir_or_file: str, name: str) -> np.ndarray:
    """``tf.train.load_variable``: the stored value of ``name`` (a ``:0`` suffix is
    dropped)."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)
