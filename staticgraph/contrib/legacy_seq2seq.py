"""``tf.contrib.legacy_seq2seq``: its losses over lists of time steps and
``rnn_decoder``; other names raise an AttributeError."""
from __future__ import annotations

from typing import Any, Callable, NoReturn, Sequence

from ..core.graph import name_scope
from ..ops.cast_ops import cast
from ..ops.math_ops import add_n, multiply
from ..ops.reduce_ops import reduce_sum
from ..ops.shape_ops import reshape, shape
from ..ops.variable_scope import get_variable_scope, variable_scope
from .seq2seq import cross_entropy

__all__ = ["sequence_loss", "sequence_loss_by_example", "rnn_decoder"]


def sequence_loss_by_example(logits: Sequence[Any], targets: Sequence[Any],
                             weights: Sequence[Any], average_across_timesteps: bool = True,
                             softmax_loss_function: Callable | None = None,
                             name: str | None = None) -> Any:
    """``tf.contrib.legacy_seq2seq.sequence_loss_by_example``: per example, the sum over
    the time-step lists of weighted cross-entropies, divided by the summed weights (plus
    1e-12) with ``average_across_timesteps``."""
    if not len(logits) == len(targets) == len(weights):
        raise ValueError(f"Lengths of logits, weights, and targets must be the same "
                         f"{len(logits)}, {len(weights)}, {len(targets)}.")
    with name_scope(name, "sequence_loss_by_example", list(logits) + list(targets) +
                    list(weights)):
        losses = [multiply(cross_entropy(logit, reshape(target, [-1]),
                                          softmax_loss_function), weight)
                  for logit, target, weight in zip(logits, targets, weights)]
        per_example = add_n(losses)
        if average_across_timesteps:
            per_example = per_example / (add_n(list(weights)) + 1e-12)
        return per_example


def sequence_loss(logits: Sequence[Any], targets: Sequence[Any],
                         weights: Sequence[Any], average_across_timesteps: bool = True,
                         average_across_batch: bool = True,
                         softmax_loss_function: Callable | None = None,
                         name: str | None = None) -> Any:
    """``tf.contrib.legacy_seq2seq.sequence_loss``: the sum over examples of
    :func:`sequence_loss_by_example`, divided by the batch size with
    ``average_across_batch``."""
    with name_scope(name, "sequence_loss", list(logits) + list(targets) + list(weights)):
        cost = reduce_sum(sequence_loss_by_example(
            logits, targets, weights, average_across_timesteps=average_across_timesteps,
            softmax_loss_function=softmax_loss_function))
        if average_across_batch:
            return cost / cast(shape(targets[0])[0], cost.dtype)
        return cost


def rnn_decoder(decoder_inputs: Sequence[Any], initial_state: Any, cell: Any,
                loop_function: Callable | None = None, scope: Any = None) -> tuple[list, Any]:
    """``tf.contrib.legacy_seq2seq.rnn_decoder``: ``cell`` applied along the list of
    inputs from ``initial_state``, in the variable scope ``rnn_decoder`` (the cell's
    variables shared across steps). With ``loop_function(prev_output, i)``, every input
    after the first is computed from the previous output instead (greedy sampling)."""
    with variable_scope(scope or "rnn_decoder"):
        state, outputs, previous = initial_state, [], None
        for i, step_input in enumerate(decoder_inputs):
            if loop_function is not None and previous is not None:
                with variable_scope("loop_function", reuse=True):
                    step_input = loop_function(previous, i)
            if i > 0:
                get_variable_scope().reuse_variables()
            output, state = cell(step_input, state)
            outputs.append(output)
            if loop_function is not None:
                previous = output
    return outputs, state


def __getattr__(name: str) -> NoReturn:
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"tf.contrib.legacy_seq2seq.{name} is not supported by "
                         f"staticgraph; it has: {', '.join(__all__)}.")
