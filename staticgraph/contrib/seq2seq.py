"""``tf.contrib.seq2seq.sequence_loss``: the weighted per-symbol cross-entropy that
char-RNN and translation tutorials of the TF1 era train with. Other
``tf.contrib.seq2seq`` names (decoders, attention) raise an AttributeError."""
from __future__ import annotations

from typing import Any, Callable, NoReturn

from ..core.graph import name_scope
from ..ops.framework import convert_to_tensor
from ..ops.math_ops import div_no_nan
from ..ops.nn_ops import sparse_softmax_cross_entropy_with_logits
from ..ops.reduce_ops import count_nonzero, reduce_sum
from ..ops.shape_ops import reshape, shape

__all__ = ["sequence_loss"]


def cross_entropy(logits: Any, targets: Any, loss_function: Callable | None) -> Any:
    """Sparse softmax cross-entropy, or ``loss_function(labels=, logits=)`` if given."""
    if loss_function is None:
        return sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits)
    return loss_function(labels=targets, logits=logits)


def sequence_loss(logits: Any, targets: Any, weights: Any,
                  average_across_timesteps: bool = True, average_across_batch: bool = True,
                  sum_over_timesteps: bool = False, sum_over_batch: bool = False,
                  softmax_loss_function: Callable | None = None,
                  name: str | None = None) -> Any:
    """Cross-entropy of ``logits`` [batch, time, classes] against integer ``targets``
    [batch, time], multiplied by ``weights`` [batch, time]. Averaging divides the summed
    losses by the summed weights, summing ("sum_over_*") by the number of non-zero
    weights, over time, batch or both (a scalar by default); a zero divisor gives 0."""
    logits, targets = convert_to_tensor(logits), convert_to_tensor(targets)
    weights = convert_to_tensor(weights)
    for tensor, rank, what in ((logits, 3, "Logits must be a [batch_size x sequence_length "
                                          "x logits] tensor"),
                               (targets, 2, "Targets must be a [batch_size x "
                                            "sequence_length] tensor"),
                               (weights, 2, "Weights must be a [batch_size x "
                                            "sequence_length] tensor")):
        if tensor.shape.ndims != rank:
            raise ValueError(f"sequence_loss: {what}, got {tensor.name} of shape "
                             f"{tensor.shape}")
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError("average_across_timesteps and sum_over_timesteps cannot be set to "
                         "True at same time.")
    if average_across_batch and sum_over_batch:
        raise ValueError("average_across_batch and sum_over_batch cannot be set to True "
                         "at same time.")
    with name_scope(name, "sequence_loss", [logits, targets, weights]):
        flat_logits = reshape(logits, [-1, shape(logits)[2]])
        crossent = cross_entropy(flat_logits, reshape(targets, [-1]), softmax_loss_function)
        crossent = crossent * reshape(weights, [-1])
        if (average_across_timesteps or sum_over_timesteps) and \
                (average_across_batch or sum_over_batch):
            axis = None
        elif average_across_timesteps or sum_over_timesteps:
            axis = [1]
        elif average_across_batch or sum_over_batch:
            axis = [0]
        else:
            return reshape(crossent, shape(logits)[0:2])
        if axis is not None:
            crossent = reshape(crossent, shape(logits)[0:2])
        total = reduce_sum(crossent, axis=axis)
        if average_across_timesteps or average_across_batch:
            return div_no_nan(total, reduce_sum(weights, axis=axis))
        return div_no_nan(total, count_nonzero(weights, axis=axis, dtype=total.dtype))


def __getattr__(name: str) -> NoReturn:
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"tf.contrib.seq2seq.{name} is not supported by staticgraph; "
                         f"tf.contrib.seq2seq has only sequence_loss.")
