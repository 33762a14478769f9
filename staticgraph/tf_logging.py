"""``tf.logging``: TF1's logging functions, written to absl's logger.

Levels are Python's standard ones, as in TF1 (``DEBUG`` 10 ... ``FATAL`` 50);
``set_verbosity`` sets absl's verbosity, so absl's own ``logging`` calls follow it too.
``fatal`` logs at FATAL level without ending the process (TF1's behaviour).
``log_every_n`` / ``log_first_n`` count calls per call site (file and line).
"""
from __future__ import annotations

import logging as _std_logging
import sys
import threading
from typing import Any

from absl import logging as _absl_logging
from absl.logging import converter as _converter

__all__ = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL", "TaskLevelStatusMessage", "debug",
           "error", "fatal", "flush", "get_verbosity", "info", "log", "log_every_n",
           "log_first_n", "log_if", "set_verbosity", "vlog", "warn", "warning"]

DEBUG = _std_logging.DEBUG
INFO = _std_logging.INFO
WARN = _std_logging.WARN
ERROR = _std_logging.ERROR
FATAL = _std_logging.FATAL

_counts: dict[tuple[str, int], int] = {}
_counts_lock = threading.Lock()


def _logger() -> _std_logging.Logger:
    return _absl_logging.get_absl_logger()


def _emit(level: int, msg: Any, args: tuple, depth: int = 1) -> None:
    # Python's Logger.log, not absl's override: absl marks FATAL records from its own
    # log() to abort the process, and TF1's fatal() only logs. stacklevel points the
    # record at the user's line, not at this module.
    _std_logging.Logger.log(_logger(), level, msg, *args, stacklevel=depth + 2)


def set_verbosity(v: int) -> None:
    """Logs messages of level ``v`` (a standard level such as ``INFO``) and above."""
    _absl_logging.set_verbosity(_converter.standard_to_absl(int(v)))


def get_verbosity() -> int:
    """The current threshold as a standard level (``WARN`` unless set)."""
    return _logger().getEffectiveLevel()


def log(level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
    """Logs ``msg % args`` at ``level``."""
    _emit(level, msg, args)


def debug(msg: Any, *args: Any, **kwargs: Any) -> None:
    """Logs at DEBUG level."""
    _emit(DEBUG, msg, args)


def info(msg: Any, *args: Any, **kwargs: Any) -> None:
    """Logs at INFO level."""
    _emit(INFO, msg, args)


def warning(msg: Any, *args: Any, **kwargs: Any) -> None:
    """Logs at WARN level."""
    _emit(WARN, msg, args)


warn = warning


def error(msg: Any, *args: Any, **kwargs: Any) -> None:
    """Logs at ERROR level."""
    _emit(ERROR, msg, args)


def fatal(msg: Any, *args: Any, **kwargs: Any) -> None:
    """Logs at FATAL level (the process goes on, as in TF1)."""
    _emit(FATAL, msg, args)


def vlog(level: int, msg: Any, *args: Any, **kwargs: Any) -> None:
    """Logs at ``level`` (TF1's verbose log takes a standard level too)."""
    _emit(level, msg, args)


def log_if(level: int, msg: Any, condition: Any, *args: Any) -> None:
    """Logs ``msg % args`` at ``level`` when ``condition`` holds."""
    if condition:
        _emit(level, msg, args)


def _next_count() -> int:
    """How many times the calling site (two frames up) asked before this call."""
    frame = sys._getframe(2)
    site = (frame.f_code.co_filename, frame.f_lineno)
    with _counts_lock:
        count = _counts.get(site, 0)
        _counts[site] = count + 1
    return count


def log_every_n(level: int, msg: Any, n: int, *args: Any) -> None:
    """Logs on the 1st, (n+1)th, (2n+1)th ... call from the same line."""
    if _next_count() % max(int(n), 1) == 0:
        _emit(level, msg, args)


def log_first_n(level: int, msg: Any, n: int, *args: Any) -> None:
    """Logs only the first ``n`` calls from the same line."""
    if _next_count() < int(n):
        _emit(level, msg, args)


def flush() -> None:
    """Flushes every handler of the logger."""
    _absl_logging.flush()


def TaskLevelStatusMessage(msg: Any) -> None:  # noqa: N802  (TF1's name)
    """Logs a task status message at ERROR level, as TF1 does."""
    _emit(ERROR, msg, ())
