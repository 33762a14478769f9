"""User-defined gradients: ``tf.RegisterGradient``, ``tf.custom_gradient``."""
from __future__ import annotations

import functools
import itertools
from typing import Any, Callable

from ..core.graph import Operation, Tensor, get_default_graph
from ..core.registry import OwnGradientName, register_gradient_function
from ..ops.framework import convert_to_tensor
from ..ops.state_ops import identity_n

_custom_ids = itertools.count()


class RegisterGradient:
    """Decorator registering a gradient function under a name (TF1).

    ``@tf.RegisterGradient("MySquare")`` then ``with graph.gradient_override_map(
    {"Square": "MySquare"}):`` makes Square ops created inside use it. The function takes
    ``(op, *output_grads)`` and returns one gradient per input of ``op``. Registering
    under an op type's own name gives that op type its gradient.
    """

    def __init__(self, op_type: str) -> None:
        if not isinstance(op_type, str):
            raise TypeError("RegisterGradient needs the name as a string")
        self._name = op_type

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        register_gradient_function(self._name, fn)
        return fn


def custom_gradient(f: Callable[..., Any]) -> Callable[..., Any]:
    """``@tf.custom_gradient``: ``f(*x)`` returns ``(y, grad_fn)`` and ``grad_fn(*dy)``
    returns the gradients w.r.t. the inputs ``x``, replacing the gradient of ``f``'s ops.
    The gradient belongs to the op built here: nothing is registered globally, and the
    graph is freed as usual.
    """

    @functools.wraps(f)
    def wrapped(*args: Any) -> Any:
        inputs = [convert_to_tensor(a) for a in args]
        result, grad_fn = f(*inputs)
        flat = list(result) if isinstance(result, (list, tuple)) else [result]
        flat = [convert_to_tensor(r) for r in flat]
        n = len(flat)
        name = f"CustomGradient-{next(_custom_ids)}"

        def gradient(op: Operation, *grads: Tensor) -> list:
            input_grads = grad_fn(*grads[:n])
            if not isinstance(input_grads, (list, tuple)):
                input_grads = [input_grads]
            if len(input_grads) != len(inputs):
                raise ValueError(f"custom_gradient function of {f.__name__} returned "
                                 f"{len(input_grads)} gradients for {len(inputs)} inputs")
            return [None] * n + list(input_grads)

        own = OwnGradientName(name, gradient)  # lives as long as the op it is set on
        with get_default_graph().gradient_override_map({"IdentityN": own}):
            outs = identity_n(flat + inputs, name=f.__name__)[:n]
        if isinstance(result, (list, tuple)):
            return type(result)(outs) if not hasattr(result, "_fields") else type(result)(*outs)
        return outs[0]

    return wrapped
