"""``tf.manip``: TF1's namespace of array manipulations (the same functions as ``tf.*``)."""
from __future__ import annotations

from .ops.array_extra_ops import roll
from .ops.gather_ops import gather_nd, scatter_nd
from .ops.join_ops import tile
from .ops.shape_ops import reshape, reverse
from .ops.space_batch_ops import batch_to_space_nd, space_to_batch_nd

__all__ = ["batch_to_space_nd", "gather_nd", "reshape", "reverse", "roll", "scatter_nd",
           "space_to_batch_nd", "tile"]
