"""``tf.data.experimental``: the ``AUTOTUNE`` constant."""
from __future__ import annotations

__all__ = ["AUTOTUNE"]

AUTOTUNE = -1
"""Lets the runtime choose a value (``prefetch`` buffer sizes, ``interleave`` cycle
lengths), as TF's ``tf.data.experimental.AUTOTUNE``."""
