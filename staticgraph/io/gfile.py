"""``tf.io.gfile``: TF's file API on the local file system.

Missing paths raise ``tf.errors.NotFoundError`` and existing targets
``tf.errors.AlreadyExistsError``, naming the path, as TF's file system layer does.
``GFile`` opens its file lazily (on the first read or write), like TF's.
"""
from __future__ import annotations

import contextlib
import glob as _glob
import os
import shutil
from typing import IO, Any, Iterator

from ..core import errors

__all__ = ["GFile", "copy", "exists", "glob", "isdir", "join", "listdir", "makedirs",
           "mkdir", "remove", "rename", "rmtree", "stat", "walk"]


@contextlib.contextmanager
def _os_errors(path: str) -> Iterator[None]:
    """Turns the OS errors of one file operation into TF's error classes."""
    try:
        yield
    except FileNotFoundError as err:
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from err
    except FileExistsError as err:
        raise errors.AlreadyExistsError(None, None, f"{path}; File exists") from err
    except PermissionError as err:
        raise errors.PermissionDeniedError(None, None, f"{path}; Permission denied") from err
    except IsADirectoryError as err:
        raise errors.FailedPreconditionError(None, None, f"{path}; Is a directory") from err
    except NotADirectoryError as err:
        raise errors.FailedPreconditionError(None, None,
                                             f"{path}; Not a directory") from err


class GFile:
    """A file object (``tf.io.gfile.GFile``, ``tf.gfile.Open``) opened on first use.

    Text modes read and write ``str``, ``"b"`` modes ``bytes``.
    """

    def __init__(self, name: str, mode: str = "r") -> None:
        if mode.replace("b", "").replace("+", "") not in ("r", "w", "a"):
            raise errors.InvalidArgumentError(None, None,
                                              f"GFile {name}: mode {mode!r} is not supported")
        self.name = os.fspath(name)
        self.mode = mode
        self._file: IO[Any] | None = None

    def _handle(self) -> IO[Any]:
        if self._file is None:
            with _os_errors(self.name):
                self._file = open(self.name, self.mode,  # noqa: SIM115 (closed by close())
                                  **({} if "b" in self.mode else {"encoding": "utf-8"}))
        return self._file

    def read(self, n: int = -1) -> Any:
        """Reads ``n`` characters or bytes (all that is left when ``n`` is -1)."""
        return self._handle().read(n)

    def readline(self) -> Any:
        """The next line, newline included (empty at the end)."""
        return self._handle().readline()

    def readlines(self) -> list:
        """All remaining lines."""
        return self._handle().readlines()

    def write(self, data: Any) -> None:
        """Writes ``data`` (``str`` in text mode, ``bytes`` in binary mode)."""
        self._handle().write(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        """Moves the position (``whence`` as in ``io``)."""
        return self._handle().seek(offset, whence)

    def tell(self) -> int:
        """The current position."""
        return self._handle().tell()

    def size(self) -> int:
        """The file's size in bytes."""
        with _os_errors(self.name):
            return os.path.getsize(self.name)

    def flush(self) -> None:
        """Flushes written data to the file."""
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        """Closes the file (a later use opens it again)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __iter__(self) -> Iterator[Any]:
        return iter(self._handle())

    def __next__(self) -> Any:
        return next(self._handle())

    def __enter__(self) -> "GFile":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def exists(path: str) -> bool:
    """Whether ``path`` (a file or a directory) exists."""
    return os.path.exists(path)


def isdir(path: str) -> bool:
    """Whether ``path`` is a directory."""
    return os.path.isdir(path)


def glob(pattern: str) -> list[str]:
    """The paths matching a shell pattern (``*``, ``?``, ``[...]``), sorted."""
    return sorted(_glob.glob(os.fspath(pattern)))


def join(path: str, *paths: str) -> str:
    """Joins path components."""
    return os.path.join(path, *paths)


def listdir(path: str) -> list[str]:
    """The names (not paths) of the entries of directory ``path``."""
    if not os.path.isdir(path):
        raise errors.NotFoundError(None, None, f"Could not find directory {path}")
    return sorted(os.listdir(path))


def makedirs(path: str) -> None:
    """Creates ``path`` and its missing parents; an existing directory is fine."""
    with _os_errors(path):
        os.makedirs(path, exist_ok=True)


def mkdir(path: str) -> None:
    """Creates one directory (its parent must exist)."""
    with _os_errors(path):
        os.mkdir(path)


def remove(path: str) -> None:
    """Deletes a file."""
    with _os_errors(path):
        os.remove(path)


def rmtree(path: str) -> None:
    """Deletes a directory and everything under it."""
    if not os.path.exists(path):
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory")
    with _os_errors(path):
        if os.path.isdir(path):
            shutil.rmtree(path)
        else:
            os.remove(path)


def copy(src: str, dst: str, overwrite: bool = False) -> None:
    """Copies file ``src`` to ``dst``; an existing ``dst`` needs ``overwrite``."""
    if not overwrite and os.path.exists(dst):
        raise errors.AlreadyExistsError(None, None, f"{dst}; File already exists")
    with _os_errors(src):
        shutil.copyfile(src, dst)


def rename(src: str, dst: str, overwrite: bool = False) -> None:
    """Renames ``src`` to ``dst``; an existing ``dst`` needs ``overwrite``."""
    if not overwrite and os.path.exists(dst):
        raise errors.AlreadyExistsError(None, None, f"{dst}; File already exists")
    with _os_errors(src):
        os.replace(src, dst)


class FileStatistics:
    """What ``stat`` returns: ``length`` (bytes), ``mtime_nsec`` and ``is_directory``."""

    def __init__(self, length: int, mtime_nsec: int, is_directory: bool) -> None:
        self.length = length
        self.mtime_nsec = mtime_nsec
        self.is_directory = is_directory


def stat(path: str) -> FileStatistics:
    """Size, modification time and kind of ``path``."""
    with _os_errors(path):
        info = os.stat(path)
    return FileStatistics(info.st_size, info.st_mtime_ns, os.path.isdir(path))


def walk(top: str, topdown: bool = True, onerror: Any = None
         ) -> Iterator[tuple[str, list[str], list[str]]]:
    """``(directory, subdirectory names, file names)`` for ``top`` and each directory
    under it, parents first when ``topdown``; a missing ``top`` yields nothing."""
    for dirpath, dirnames, filenames in os.walk(top, topdown=topdown, onerror=onerror):
        dirnames.sort()
        yield dirpath, dirnames, sorted(filenames)
