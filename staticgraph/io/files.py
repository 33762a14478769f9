"""Writing files so that a crash never leaves a half-written one, and cleaning up after one.

Every file is written to a temporary file in the same folder, named
``.<name>.<pid>-<random>.sgtmp``, flushed to disk and renamed over ``<name>``. The
temporary is created as ``open()`` would create a file (mode 0666 less the umask; not
``mkstemp``'s 0600). A process killed mid-write leaves its temporary behind;
``remove_stale_temporaries`` deletes those of processes that no longer run.

Deleting several files (an expired checkpoint) is made restartable by a journal:
``delete_with_journal`` first records the paths, then deletes them, then removes the
record; ``finish_pending_deletions`` completes a deletion that a crash interrupted.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from typing import BinaryIO, Callable, Iterable, Sequence

__all__ = ["fresh_temp_path", "atomic_write", "atomic_write_all", "atomic_write_bytes",
           "remove_stale_temporaries", "delete_with_journal", "finish_pending_deletions"]

TEMP_SUFFIX = ".sgtmp"
_TEMP_NAME = re.compile(r"^\..+\.(\d+)-[0-9a-f]{32}" + re.escape(TEMP_SUFFIX) + "$")
_JOURNAL_SUFFIX = ".sgdelete"


def fresh_temp_path(path: str) -> str:
    """A new temporary name next to ``path`` (one that ``remove_stale_temporaries``
    deletes once the process that made it has died)."""
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".{name}.{os.getpid()}-{uuid.uuid4().hex}{TEMP_SUFFIX}")


def atomic_write_all(writers: Sequence[tuple[str, Callable[[BinaryIO], None]]]) -> None:
    """For each ``(path, write)``, calls ``write(file)`` on a new temporary file next to
    ``path``; once all are written and flushed to disk, renames them in order.

    If any write fails, every temporary is removed and every ``path`` is left as it was.
    """
    temps: list[str] = []
    try:
        for path, write in writers:
            tmp = fresh_temp_path(path)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            temps.append(tmp)
            with os.fdopen(fd, "wb") as f:
                write(f)
                f.flush()
                os.fsync(f.fileno())
        for tmp, (path, _) in zip(temps, writers):
            os.replace(tmp, path)
    except BaseException:
        for tmp in temps:
            if os.path.exists(tmp):
                os.remove(tmp)
        raise


def atomic_write(path: str, write: Callable[[BinaryIO], None]) -> None:
    """``atomic_write_all`` of one file."""
    atomic_write_all([(path, write)])


def atomic_write_bytes(path: str, data: bytes) -> None:
    """``atomic_write`` of a whole byte string."""
    atomic_write(path, lambda f: f.write(data))


def _process_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def remove_stale_temporaries(folder: str) -> list[str]:
    """Deletes the temporaries (files, or folders being staged) in ``folder`` left by
    processes that have died (killed while writing); returns their paths. Temporaries of
    running processes are kept."""
    removed = []
    for name in os.listdir(folder):
        match = _TEMP_NAME.match(name)
        if match and not _process_runs(int(match.group(1))):
            path = os.path.join(folder, name)
            try:
                if os.path.isdir(path):  # a SavedModel export being staged
                    shutil.rmtree(path)
                else:
                    os.remove(path)
            except FileNotFoundError:
                continue
            removed.append(path)
    return removed


def _journal_path(folder: str, name: str) -> str:
    return os.path.join(folder, f".{name}{_JOURNAL_SUFFIX}")


def delete_with_journal(folder: str, name: str, paths: Iterable[str]) -> None:
    """Deletes ``paths``, recording them first in the journal ``name`` of ``folder`` so
    that ``finish_pending_deletions`` completes the work after a crash."""
    paths = [p for p in paths if os.path.exists(p)]
    if not paths:
        return
    journal = _journal_path(folder, name)
    atomic_write_bytes(journal, json.dumps(paths).encode())
    _delete_all(paths)
    os.remove(journal)


def finish_pending_deletions(folder: str, name: str, keep: Iterable[str] = ()) -> list[str]:
    """Completes a deletion interrupted by a crash (except of files in ``keep``); returns
    the paths deleted. An unreadable journal is discarded (it only ever names files that
    were already no longer wanted)."""
    journal = _journal_path(folder, name)
    try:
        with open(journal, "rb") as f:
            paths = json.loads(f.read().decode("utf-8"))
    except FileNotFoundError:
        return []
    except (ValueError, UnicodeDecodeError):
        paths = []
    keep_set = {os.path.abspath(p) for p in keep}
    paths = [p for p in paths if isinstance(p, str) and os.path.abspath(p) not in keep_set]
    deleted = _delete_all(paths)
    os.remove(journal)
    return deleted


def _delete_all(paths: Iterable[str]) -> list[str]:
    deleted = []
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            continue
        deleted.append(path)
    return deleted
