"""``tf.compat``: Python 2/3 string helpers, forward-compatibility dates, and the
``v1``/``v2`` aliases.

``tf.compat.v1`` is staticgraph itself (its API is TF1's); ``tf.compat.v2`` is also
staticgraph, as there is no separate TF2 API here (both are set by the package's
``__init__``, as this module cannot import the package it is part of).
"""
from __future__ import annotations

import contextlib
import datetime
import numbers
import os
from typing import Any, Iterator

import numpy as np

from .core.shapes import dimension_at_index, dimension_value

__all__ = ["as_bytes", "as_str", "as_str_any", "as_text", "bytes_or_text_types",
           "complex_types", "dimension_at_index", "dimension_value",
           "forward_compatibility_horizon", "forward_compatible", "integral_types",
           "path_to_str", "real_types"]

integral_types = (numbers.Integral, np.integer)
real_types = (numbers.Real, np.integer, np.floating)
complex_types = (numbers.Complex, np.number)
bytes_or_text_types = (bytes, str)

# The date staticgraph's op library is compatible with (TF 1.15.5's release horizon):
# forward_compatible(y, m, d) is True once this date is past the given one.
_HORIZON = datetime.date(2019, 10, 14)
_horizon_override: list[datetime.date] = []


def as_bytes(bytes_or_text: Any, encoding: str = "utf-8") -> bytes:
    """``bytes_or_text`` as bytes: bytearray/bytes unchanged, str encoded.

    Raises:
      TypeError: for anything else.
    """
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text: Any, encoding: str = "utf-8") -> str:
    """``bytes_or_text`` as str: str unchanged, bytes decoded.

    Raises:
      TypeError: for anything else.
    """
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


as_str = as_text


def as_str_any(value: Any, encoding: str = "utf-8") -> str:
    """``str(value)``, except that bytes are decoded with ``encoding``."""
    if isinstance(value, bytes):
        return as_text(value, encoding)
    return str(value)


def path_to_str(path: Any) -> Any:
    """A path-like object (``pathlib.Path``) as its string; other values unchanged."""
    if isinstance(path, os.PathLike):
        return as_str_any(os.fspath(path))
    return path


def _horizon() -> datetime.date:
    return _horizon_override[-1] if _horizon_override else _HORIZON


def forward_compatible(year: int, month: int, day: int) -> bool:
    """Whether the forward-compatibility horizon is past ``year-month-day``: TF code
    uses it to switch to new op behaviour only once old consumers are gone. staticgraph's
    horizon is TF 1.15.5's (2019-10-14), moved by :func:`forward_compatibility_horizon`."""
    return _horizon() > datetime.date(year, month, day)


@contextlib.contextmanager
def forward_compatibility_horizon(year: int, month: int, day: int) -> Iterator[None]:
    """Within the block, :func:`forward_compatible` uses ``year-month-day`` as horizon."""
    _horizon_override.append(datetime.date(year, month, day))
    try:
        yield
    finally:
        _horizon_override.pop()

