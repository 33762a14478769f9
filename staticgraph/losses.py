"""``tf.losses``: weighted, reduced losses that register in the LOSSES collection."""
from __future__ import annotations

from .ops.losses import *  # noqa: F401,F403
from .ops.losses import __all__  # noqa: F401
from .ops.pairwise_losses import mean_pairwise_squared_error  # noqa: E402,F401  (issue 14)

__all__ = [*__all__, "mean_pairwise_squared_error"]
