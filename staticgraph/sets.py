"""``tf.sets``: set operations along the last dimension, returning SparseTensors."""
from __future__ import annotations

from .ops.set_ops import set_difference, set_intersection, set_size, set_union

difference, intersection, size, union = set_difference, set_intersection, set_size, set_union

__all__ = ["difference", "intersection", "set_difference", "set_intersection", "set_size",
           "set_union", "size", "union"]
