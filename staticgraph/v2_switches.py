"""TF1 scripts written for ``tensorflow.compat.v1`` switch TensorFlow 2's behaviour off
first (``tf.disable_v2_behavior()``, ``tf.disable_eager_execution()``). staticgraph only
has TF1's graph mode, so these switches are accepted and change nothing, except the
tensor-shape switch: ``enable_v2_tensorshape()`` makes ``shape[i]`` a plain int or None (TF2)
and ``disable_v2_tensorshape()`` makes it TF1's ``Dimension`` again (the default)."""
from __future__ import annotations

from .core.shapes import disable_v2_tensorshape, enable_v2_tensorshape

__all__ = ["disable_v2_behavior", "disable_eager_execution", "disable_resource_variables",
           "disable_v2_tensorshape", "disable_control_flow_v2", "disable_tensor_equality",
           "executing_eagerly", "enable_v2_tensorshape"]


def disable_v2_behavior() -> None:
    """Accepted for TF1 scripts; staticgraph always behaves as TF1's graph mode."""


def disable_eager_execution() -> None:
    """Accepted for TF1 scripts; staticgraph never executes eagerly."""


def disable_resource_variables() -> None:
    """Accepted for TF1 scripts; staticgraph's variables are TF1's reference variables."""


def disable_control_flow_v2() -> None:
    """Accepted for TF1 scripts; cond and while_loop are staticgraph's own functional ops."""


def disable_tensor_equality() -> None:
    """Accepted for TF1 scripts; ``==`` on tensors compares identity, as in TF1."""


def executing_eagerly() -> bool:
    """Always False: staticgraph builds graphs and runs them in a Session."""
    return False
