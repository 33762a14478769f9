"""``tf.bitwise``: bit operations on integer tensors."""
from __future__ import annotations

from .ops.bitwise_ops import (bitwise_and, bitwise_or, bitwise_xor, invert, left_shift,
                              right_shift)

__all__ = ["bitwise_and", "bitwise_or", "bitwise_xor", "invert", "left_shift", "right_shift"]
