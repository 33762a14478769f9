"""``tf.linalg.normalize``: a tensor divided by its norm, and the norm."""
from __future__ import annotations

from typing import Any

from ..core.graph import Tensor
from .decomposition_ops import norm
from .framework import convert_to_tensor
from .math_ops import realdiv
from .op_util import op_scope

__all__ = ["normalize"]


def normalize(tensor: Any, ord: Any = "euclidean", axis: Any = None,
              name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.linalg.normalize``: ``(tensor / norm, norm)`` with ``norm = tf.norm(tensor,
    ord, axis, keepdims=True)`` (so it broadcasts back over ``tensor``)."""
    with op_scope(name, "normalize", [tensor]):
        tensor = convert_to_tensor(tensor)
        size = norm(tensor, ord=ord, axis=axis, keepdims=True)
        return realdiv(tensor, size, name="normalized"), size
