"""``tf.strings``: the string basics (``join``, ``as_string``)."""
from __future__ import annotations

from .ops.string_ops import as_string
from .ops.string_ops import string_join as join

__all__ = ["as_string", "join"]
