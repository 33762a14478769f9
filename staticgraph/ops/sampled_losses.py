"""Sampled losses for large output vocabularies: ``tf.nn.nce_loss`` and
``tf.nn.sampled_softmax_loss``, built from other ops as TF1 builds them.

Both score, per example, its ``num_true`` true classes and ``num_sampled`` classes drawn
once per batch (by default from the log-uniform sampler): with ``w = weights[ids]`` and
``b = biases[ids]`` looked up together for the true and sampled ids (one gather, so the
gradient of ``weights``/``biases`` is an IndexedSlices of those rows),

    true_logits[i, t]  = inputs[i] . w[labels[i, t]] + b[labels[i, t]] - log Q(labels[i, t])
    sampled_logits[i, s] = inputs[i] . w[sampled[s]] + b[sampled[s]] - log Q(sampled[s])

where ``Q`` is the sampler's expected count (``subtract_log_q``). With
``remove_accidental_hits`` a sampled class equal to one of the row's true classes gets
-FLT_MAX added to its logit. The targets are ``1 / num_true`` for each true class and 0
for the sampled ones: NCE sums the sigmoid cross-entropies of a row, sampled softmax
takes the softmax cross-entropy of the row.
"""
from __future__ import annotations

from typing import Any

from ..core import dtypes
from ..core.graph import Tensor
from .candidate_sampling_ops import compute_accidental_hits, log_uniform_candidate_sampler
from .cast_ops import cast
from .fill_ops import ones_like, zeros_like
from .framework import convert_to_tensor
from .indexing_ops import slice
from .join_ops import concat
from .math_ops import add, divide, log, multiply, subtract
from .matmul_ops import matmul
from .nn_extra_ops import embedding_lookup
from .nn_ops import sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2
from .op_util import op_scope
from .reduce_ops import reduce_sum
from .segment_ops import sparse_to_dense
from .selection_ops import stop_gradient
from .shape_ops import expand_dims, reshape, shape, size
from .stack_ops import stack

__all__ = ["nce_loss", "sampled_softmax_loss"]


def _lookup(params: Any, ids: Tensor, partition_strategy: str, dtype: dtypes.DType) -> Tensor:
    rows = embedding_lookup(params, ids, partition_strategy=partition_strategy)
    return rows if rows.dtype == dtype else cast(rows, dtype)


def _sampled_logits(weights: Any, biases: Any, labels: Any, inputs: Any, num_sampled: int,
                    num_classes: int, num_true: int, sampled_values: Any,
                    subtract_log_q: bool, remove_accidental_hits: bool,
                    partition_strategy: str, seed: int | None) -> tuple[Tensor, Tensor]:
    """(logits [batch, num_true + num_sampled], targets of the same shape); see the
    module docstring."""
    inputs = convert_to_tensor(inputs, name="inputs")
    if inputs.shape.ndims not in (None, 2):
        raise ValueError(f"inputs must be [batch_size, dim], got shape {inputs.shape}")
    labels = convert_to_tensor(labels, name="labels")
    if labels.dtype != dtypes.int64:
        labels = cast(labels, dtypes.int64)
    if labels.shape.ndims not in (None, 2) or (labels.shape.ndims == 2 and
                                               labels.shape.as_tuple()[1] not in (None, num_true)):
        raise ValueError(f"labels must be [batch_size, num_true={num_true}], got shape "
                         f"{labels.shape}")
    labels_flat = reshape(labels, [-1])
    if sampled_values is None:
        sampled_values = log_uniform_candidate_sampler(
            labels, num_true=num_true, num_sampled=num_sampled, unique=True,
            range_max=num_classes, seed=seed)
    sampled, true_expected, sampled_expected = (stop_gradient(s) for s in sampled_values)
    sampled = cast(sampled, dtypes.int64)
    all_ids = concat([labels_flat, sampled], 0)
    num_labels = size(labels_flat, out_type=dtypes.int32)

    all_w = _lookup(weights, all_ids, partition_strategy, inputs.dtype)
    true_w = slice(all_w, [0, 0], stack([num_labels, -1]))
    sampled_w = slice(all_w, stack([num_labels, 0]), [-1, -1])
    all_b = _lookup(biases, all_ids, partition_strategy, inputs.dtype)
    true_b = slice(all_b, [0], reshape(num_labels, [1]))
    sampled_b = slice(all_b, reshape(num_labels, [1]), [-1])

    dim = slice(shape(true_w, out_type=dtypes.int32), [1], [1])
    true_w = reshape(true_w, concat([[-1, num_true], dim], 0))
    true_logits = reduce_sum(multiply(expand_dims(inputs, 1), true_w), axis=2)
    true_logits = add(true_logits, reshape(true_b, [-1, num_true]))
    sampled_logits = add(matmul(inputs, sampled_w, transpose_b=True), sampled_b)

    if remove_accidental_hits:
        rows, positions, hit_weights = compute_accidental_hits(labels, sampled,
                                                               num_true=num_true)
        hit_indices = concat([reshape(rows, [-1, 1]),
                              reshape(cast(positions, dtypes.int32), [-1, 1])], 1)
        logits_shape = concat([slice(shape(labels, out_type=dtypes.int32), [0], [1]),
                               [num_sampled]], 0)
        sampled_logits = add(sampled_logits, sparse_to_dense(
            hit_indices, logits_shape, cast(hit_weights, sampled_logits.dtype),
            default_value=0.0, validate_indices=False))
    if subtract_log_q:
        true_logits = subtract(true_logits, log(cast(true_expected, inputs.dtype)))
        sampled_logits = subtract(sampled_logits, log(cast(sampled_expected, inputs.dtype)))
    logits = concat([true_logits, sampled_logits], 1)
    targets = concat([divide(ones_like(true_logits), float(num_true)),
                      zeros_like(sampled_logits)], 1)
    return logits, targets


def nce_loss(weights: Any, biases: Any, labels: Any, inputs: Any, num_sampled: int,
             num_classes: int, num_true: int = 1, sampled_values: Any = None,
             remove_accidental_hits: bool = False, partition_strategy: str = "mod",
             name: str = "nce_loss") -> Tensor:
    """``tf.nn.nce_loss``: the noise-contrastive estimation loss per example, [batch].

    ``weights`` [num_classes, dim] (or a list of its partitions), ``biases``
    [num_classes], ``labels`` [batch, num_true] integer classes, ``inputs`` [batch, dim].
    Each row's loss is the sum of the sigmoid cross-entropies of its logits (module
    docstring) against targets 1/num_true (true classes) and 0 (sampled classes).
    ``sampled_values`` is a sampler's (sampled, true_expected_count,
    sampled_expected_count); by default ``num_sampled`` ids from
    :func:`log_uniform_candidate_sampler` with ``unique=True``, which suits classes sorted
    by decreasing frequency. Train with this loss; evaluate with the full softmax/sigmoid.
    """
    with op_scope(name, "nce_loss"):
        logits, targets = _sampled_logits(
            weights, biases, labels, inputs, num_sampled, num_classes, num_true,
            sampled_values, subtract_log_q=True,
            remove_accidental_hits=remove_accidental_hits,
            partition_strategy=partition_strategy, seed=None)
        losses = sigmoid_cross_entropy_with_logits(labels=targets, logits=logits,
                                                   name="sampled_losses")
        return reduce_sum(losses, axis=1)


def sampled_softmax_loss(weights: Any, biases: Any, labels: Any, inputs: Any,
                         num_sampled: int, num_classes: int, num_true: int = 1,
                         sampled_values: Any = None, remove_accidental_hits: bool = True,
                         partition_strategy: str = "mod", name: str = "sampled_softmax_loss",
                         seed: int | None = None) -> Tensor:
    """``tf.nn.sampled_softmax_loss``: the softmax cross-entropy of each example over its
    true classes and the sampled ones, [batch] (arguments as :func:`nce_loss`; accidental
    hits are removed by default; ``seed`` seeds the default sampler). A cheap estimate of
    the full softmax loss for training; evaluate with the full softmax."""
    with op_scope(name, "sampled_softmax_loss"):
        logits, targets = _sampled_logits(
            weights, biases, labels, inputs, num_sampled, num_classes, num_true,
            sampled_values, subtract_log_q=True,
            remove_accidental_hits=remove_accidental_hits,
            partition_strategy=partition_strategy, seed=seed)
        targets = stop_gradient(targets, name="labels_stop_gradient")
        return softmax_cross_entropy_with_logits_v2(labels=targets, logits=logits)
