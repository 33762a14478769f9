"""``tf.resource_loader``: paths of data files that sit next to a script.

As in TensorFlow outside a Bazel build, paths are relative to the directory of the
calling script's file; ``load_resource`` takes a path relative to the ``staticgraph/``
package directory, where TF's is relative to ``tensorflow/``.
"""
from __future__ import annotations

import inspect
import os
import sys

__all__ = ["get_data_files_path", "get_path_to_datafile", "get_root_dir_with_all_resources",
           "load_resource", "readahead_file_path"]

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _caller_dir(depth: int) -> str:
    return os.path.dirname(inspect.getfile(sys._getframe(depth + 1)))


def get_data_files_path() -> str:
    """The directory of the calling script's file."""
    return _caller_dir(1)


def get_root_dir_with_all_resources() -> str:
    """The directory holding the caller's data files: the directory of the calling
    script's file (there are no Bazel runfiles trees here)."""
    return _caller_dir(1)


def get_path_to_datafile(path: str) -> str:
    """``path`` joined to the directory of the calling script's file."""
    return os.path.join(_caller_dir(1), path)


def load_resource(path: str) -> bytes:
    """The bytes of the file at ``path``, relative to the ``staticgraph/`` package.

    Raises:
      OSError: the file is missing or cannot be read.
    """
    with open(os.path.join(_PACKAGE_DIR, path), "rb") as f:
        return f.read()


def readahead_file_path(path: str, readahead: str = "128M") -> str:
    """``path`` unchanged (as in TensorFlow, readahead is not implemented)."""
    return path
