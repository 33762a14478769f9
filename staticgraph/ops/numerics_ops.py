"""Numerics checks: ``tf.check_numerics`` and ``tf.add_check_numerics_ops``.

A ``CheckNumerics`` op passes its input through and fails the run with an
``InvalidArgumentError`` when it holds a NaN or an infinity. ``add_check_numerics_ops``
checks every floating-point output in the graph, chaining the checks in creation order,
so the first check to fail names the first op that produced a NaN or infinity.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor, get_default_graph
from ..core.registry import Role, define_op
from .framework import apply_op, convert_to_tensor
from .state_ops import group

__all__ = ["check_numerics", "add_check_numerics_ops"]

_CHECKED_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64)
GRADIENT_MESSAGE = "Not a number (NaN) or infinity (Inf) values detected in gradient. "
TANGENT_MESSAGE = "Not a number (NaN) or infinity (Inf) values detected in tangent. "


class NumericsError(FloatingPointError):
    """A CheckNumerics op saw a NaN or an infinity (the run reports it as an
    ``InvalidArgumentError`` naming the op)."""


def _check_numerics_kernel(x: np.ndarray, *, message: str) -> np.ndarray:
    finite = np.isfinite(x)
    if not finite.all():
        has_nan = bool(np.isnan(x).any())
        has_inf = bool(np.isinf(x).any())
        kind = "Inf and NaN" if has_nan and has_inf else "NaN" if has_nan else "Inf"
        raise NumericsError(f"{message} : Tensor had {kind} values")
    return x


def _check_numerics_shape(inputs: list, attrs: dict) -> list:
    x = inputs[0]
    if x.dtype not in _CHECKED_DTYPES:
        raise TypeError(f"CheckNumerics needs a float16, float32 or float64 tensor, got "
                        f"{x.dtype.name}")
    return [(x.shape, x.dtype)]


def _check_numerics_vjp(op: Operation, grad: Tensor) -> list:
    return [check_numerics(grad, GRADIENT_MESSAGE + op.get_attr("message"))]


def _check_numerics_jvp(op: Operation, tangent: Tensor | None) -> list:
    if tangent is None:
        return [None]
    return [check_numerics(tangent, TANGENT_MESSAGE + op.get_attr("message"))]


define_op("CheckNumerics", kernel=_check_numerics_kernel, shape_fn=_check_numerics_shape,
          vjp=_check_numerics_vjp, jvp=_check_numerics_jvp, stateful=True,
          doc="Its input, after checking that it holds no NaN or infinity.",
          view_of={0: (0,)})


def check_numerics(tensor: Any, message: str, name: str | None = None) -> Tensor:
    """``tf.check_numerics``: ``tensor`` unchanged; the run fails with an
    ``InvalidArgumentError`` ("<message> : Tensor had NaN values") if it has a NaN or an
    infinity. Its gradient is checked the same way."""
    if not isinstance(message, str):
        raise TypeError(f"check_numerics message must be a string, got {message!r}")
    return apply_op("CheckNumerics", [convert_to_tensor(tensor)], {"message": message},
                    name=name).outputs[0]


def _checked_outputs(op: Operation) -> list[Tensor]:
    """The outputs of ``op`` worth checking: floating point, holding computed values
    (not state updates, nor a control-flow op's internal outputs for its derivatives)."""
    opdef = op.op_def
    if opdef.functional:
        outputs = list(op.outputs[:op.get_attr("num_results")])
    elif opdef.uses_state and opdef.role is not Role.VARIABLE:
        return []  # assignments and random draws: TF1's reference outputs, unchecked
    else:
        outputs = list(op.outputs)
    return [t for t in outputs if t.dtype in _CHECKED_DTYPES]


def add_check_numerics_ops() -> Operation:
    """``tf.add_check_numerics_ops``: a ``check_numerics`` for every float16/32/64 output
    of every op in the default graph, each running after the previous one; returns a
    group op that runs them all. Run it alongside the fetches you want checked."""
    graph = get_default_graph()
    previous: list[Tensor] = []
    for op in graph.get_operations():
        for output in _checked_outputs(op):
            message = f"{op.name}:{output.value_index}"
            with graph.control_dependencies(previous):
                previous = [check_numerics(output, message)]
    return group(*previous, name="CheckNumerics_all")
