"""``tf.recompute_grad``: a function whose backward pass recomputes its forward ops
instead of keeping their outputs, trading compute for memory.

The forward pass runs ``f`` as usual. Its gradient is defined (with
``tf.custom_gradient``) to call ``f`` again on the same inputs and differentiate that
copy, so the original activations inside ``f`` are only read by the forward pass and are
freed there. The copy's ops carry a control input on a ``NoOp``, so the compiler never
merges them back into the originals (as ``autodiff.checkpointing`` does for
``tf.gradients(checkpoints=...)``).

Tensors ``f`` reads from outside its arguments (variables, other tensors it closes
over) get their gradients too: they are passed to the custom gradient as extra inputs.
As in TensorFlow, ``f`` must not create variables (create them outside it) and should
not draw random numbers: the recomputation would draw again.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from .autodiff.custom import custom_gradient
from .autodiff.gradients import gradients
from .control_flow.nest import flatten
from .core.graph import GraphKeys, Operation, Tensor, get_default_graph
from .ops.framework import convert_to_tensor
from .ops.state_ops import no_op

__all__ = ["recompute_grad"]


def _captured(ops: list[Operation], inputs: list[Tensor]) -> list[Tensor]:
    """Floating tensors made before ``ops`` that ``ops`` read, other than ``inputs``."""
    made = {id(op) for op in ops}
    known = {id(t) for t in inputs}
    found: list[Tensor] = []
    for op in ops:
        for t in op.inputs:
            if id(t.op) not in made and id(t) not in known and t.dtype.is_floating:
                known.add(id(t))
                found.append(t)
    return found


def recompute_grad(f: Callable[..., Any]) -> Callable[..., Any]:
    """``tf.recompute_grad``: ``f`` (taking and returning tensors) whose gradient is
    computed from a recomputation of ``f`` during the backward pass.

    Raises (when the returned function is called):
      ValueError: ``f`` created variables.
    """

    @functools.wraps(f)
    def wrapped(*args: Any) -> Any:
        inputs = [convert_to_tensor(a) for a in args]
        graph = get_default_graph()
        first_op = len(graph.get_operations())
        variables_before = len(graph.get_collection(GraphKeys.GLOBAL_VARIABLES))
        result = f(*inputs)
        if len(graph.get_collection(GraphKeys.GLOBAL_VARIABLES)) != variables_before:
            raise ValueError(f"recompute_grad: {getattr(f, '__name__', f)} created "
                             "variables; create them outside the recomputed function")
        captured = _captured(graph.get_operations()[first_op:], inputs)

        @custom_gradient
        def recomputed(*xs: Tensor) -> Any:
            def gradient(*output_grads: Tensor) -> list:
                with graph.name_scope("recompute_grad"):
                    marker = no_op(name="recompute")
                    with graph.control_dependencies([marker]):
                        again = f(*xs[:len(inputs)])
                return gradients(flatten(again), list(xs), grad_ys=list(output_grads))

            return result, gradient

        return recomputed(*inputs, *captured)

    return wrapped
