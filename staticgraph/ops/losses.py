"""``tf.losses``: per-element losses weighted, reduced as TF1's ``Reduction`` says, and
added to a collection (``GraphKeys.LOSSES`` by default). Built from existing ops.

One deliberate difference from TF1: float64 losses stay float64 (TF1 computes them in
float32); other inputs are computed in float32 as in TF1.
"""
from __future__ import annotations

from typing import Any

from ..core import dtypes
from ..core.graph import GraphKeys, Tensor, add_to_collection, get_collection, name_scope
from .selection_ops import stop_gradient
from .shape_ops import size, squeeze
from .framework import constant, convert_to_tensor, is_tensor_like
from .cast_ops import cast
from .comparison_ops import not_equal
from .math_ops import (abs, add, add_n, broadcast_like, div_no_nan, log, minimum, multiply,
                       negative, square, squared_difference, subtract)
from .activation_ops import relu
from .nn_ops import (sigmoid_cross_entropy_with_logits,
                     softmax_cross_entropy_with_logits_v2,
                     sparse_softmax_cross_entropy_with_logits)
from .reduce_ops import reduce_sum

__all__ = [
    "Reduction",
    "add_loss",
    "compute_weighted_loss",
    "absolute_difference",
    "cosine_distance",
    "hinge_loss",
    "huber_loss",
    "log_loss",
    "mean_squared_error",
    "sigmoid_cross_entropy",
    "softmax_cross_entropy",
    "sparse_softmax_cross_entropy",
    "get_losses",
    "get_regularization_losses",
    "get_regularization_loss",
    "get_total_loss",
]


class Reduction:
    """How a weighted loss is reduced (TF1's ``tf.losses.Reduction``)."""

    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls) -> tuple[str, ...]:
        """Every valid reduction key."""
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE,
                cls.SUM_OVER_NONZERO_WEIGHTS, cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key: str) -> None:
        """``ValueError`` unless ``key`` is a valid reduction."""
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}.")


def _float(x: Any, dtype: dtypes.DType | None = None) -> Tensor:
    """``x`` as a float tensor: ``dtype`` if given, else its own float type or float32."""
    if dtype is not None and not is_tensor_like(x):
        return convert_to_tensor(x, dtype=dtype)
    x = convert_to_tensor(x)
    return cast(x, dtype or (x.dtype if x.dtype.is_floating else dtypes.float32))


def _check_broadcastable(weights: Tensor, losses: Tensor) -> None:
    """TF1's rule: scalar weights, or weights of the losses' rank with each dim 1 or equal."""
    ws, ls = weights.shape, losses.shape
    if ws.ndims in (None, 0) or ls.ndims is None:
        return
    if ws.ndims != ls.ndims or any(w not in (1, None) and l is not None and w != l
                                   for w, l in zip(ws.as_list(), ls.as_list())):
        raise ValueError(f"weights can not be broadcast to values: weights shape {ws}, "
                         f"values shape {ls}")


def _num_present(losses: Tensor, weights: Tensor) -> Tensor:
    """How many loss elements have a nonzero weight (weights broadcast to the losses)."""
    with name_scope(None, "num_present", [losses, weights]):
        present = cast(not_equal(weights, 0), losses.dtype)
        return reduce_sum(broadcast_like(present, losses), name="value")


def _num_elements(losses: Tensor) -> Tensor:
    n = losses.shape.num_elements()
    if n is not None:
        return constant(n, dtype=losses.dtype, name="num_elements")
    return cast(size(losses), losses.dtype)


def add_loss(loss: Any, loss_collection: str | None = GraphKeys.LOSSES) -> None:
    """``tf.losses.add_loss``: adds ``loss`` to ``loss_collection`` (None: nowhere)."""
    if loss_collection:
        add_to_collection(loss_collection, loss)


def compute_weighted_loss(losses: Any, weights: Any = 1.0, scope: str | None = None,
                          loss_collection: str | None = GraphKeys.LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.compute_weighted_loss``: ``losses * weights`` reduced by ``reduction``."""
    Reduction.validate(reduction)
    with name_scope(scope, "weighted_loss", [losses, weights]):
        losses = convert_to_tensor(losses)
        input_dtype = losses.dtype
        losses = _float(losses)
        weights = _float(weights, losses.dtype)
        _check_broadcastable(weights, losses)
        weighted = multiply(losses, weights)
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            loss = reduce_sum(weighted)
            if reduction == Reduction.MEAN:
                loss = div_no_nan(loss, reduce_sum(broadcast_like(weights, losses)),
                                  name="value")
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                loss = div_no_nan(loss, _num_present(losses, weights), name="value")
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = div_no_nan(loss, _num_elements(losses), name="value")
        loss = cast(loss, input_dtype)  # TF1 returns the input's dtype
        add_loss(loss, loss_collection)
        return loss


def _require(**values: Any) -> None:
    for name, value in values.items():
        if value is None:
            raise ValueError(f"{name} must not be None.")


def _pair(labels: Any, predictions: Any) -> tuple[Tensor, Tensor]:
    """Float predictions and labels of one dtype and compatible shapes."""
    predictions = _float(predictions)
    labels = _float(labels, predictions.dtype)
    predictions.shape.assert_is_compatible_with(labels.shape)
    return labels, predictions


def _weighted(losses: Tensor, weights: Any, scope: str, loss_collection: str | None,
              reduction: str) -> Tensor:
    return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def absolute_difference(labels: Any, predictions: Any, weights: Any = 1.0,
                        scope: str | None = None,
                        loss_collection: str | None = GraphKeys.LOSSES,
                        reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.absolute_difference``: weighted |predictions - labels|."""
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "absolute_difference", [predictions, labels, weights]) as sc:
        labels, predictions = _pair(labels, predictions)
        losses = abs(subtract(predictions, labels))
        return _weighted(losses, weights, sc, loss_collection, reduction)


def mean_squared_error(labels: Any, predictions: Any, weights: Any = 1.0,
                       scope: str | None = None, loss_collection: str | None = GraphKeys.LOSSES,
                       reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.mean_squared_error``: weighted (predictions - labels)²."""
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "mean_squared_error", [predictions, labels, weights]) as sc:
        labels, predictions = _pair(labels, predictions)
        losses = squared_difference(predictions, labels)
        return _weighted(losses, weights, sc, loss_collection, reduction)


def log_loss(labels: Any, predictions: Any, weights: Any = 1.0, epsilon: float = 1e-7,
             scope: str | None = None, loss_collection: str | None = GraphKeys.LOSSES,
             reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.log_loss``: -l log(p + ε) - (1 - l) log(1 - p + ε)."""
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "log_loss", [predictions, labels, weights]) as sc:
        labels, predictions = _pair(labels, predictions)
        positive = multiply(labels, log(add(predictions, epsilon)))
        negative_part = multiply(subtract(1.0, labels),
                                 log(add(subtract(1.0, predictions), epsilon)))
        losses = subtract(negative(positive), negative_part)
        return _weighted(losses, weights, sc, loss_collection, reduction)


def hinge_loss(labels: Any, logits: Any, weights: Any = 1.0, scope: str | None = None,
               loss_collection: str | None = GraphKeys.LOSSES,
               reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.hinge_loss``: max(0, 1 - (2 labels - 1) * logits) for 0/1 labels."""
    _require(labels=labels, logits=logits)
    with name_scope(scope, "hinge_loss", [logits, labels, weights]) as sc:
        labels, logits = _pair(labels, logits)
        signs = subtract(multiply(labels, 2.0), 1.0)
        losses = relu(subtract(1.0, multiply(signs, logits)))
        return _weighted(losses, weights, sc, loss_collection, reduction)


def huber_loss(labels: Any, predictions: Any, weights: Any = 1.0, delta: float = 1.0,
               scope: str | None = None, loss_collection: str | None = GraphKeys.LOSSES,
               reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.huber_loss``: quadratic within ``delta`` of the labels, linear outside."""
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "huber_loss", [predictions, labels, weights]) as sc:
        labels, predictions = _pair(labels, predictions)
        error = abs(subtract(predictions, labels))
        quadratic = minimum(error, delta)
        linear = subtract(error, quadratic)
        losses = add(multiply(square(quadratic), 0.5), multiply(linear, delta))
        return _weighted(losses, weights, sc, loss_collection, reduction)


def cosine_distance(labels: Any, predictions: Any, axis: int | None = None,
                    weights: Any = 1.0, scope: str | None = None,
                    loss_collection: str | None = GraphKeys.LOSSES,
                    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
                    dim: int | None = None) -> Tensor:
    """``tf.losses.cosine_distance``: 1 - sum(labels * predictions, axis) (unit vectors)."""
    if axis is None:
        axis = dim
    if axis is None:
        raise ValueError("You must specify 'axis'.")
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "cosine_distance_loss", [predictions, labels, weights]) as sc:
        labels, predictions = _pair(labels, predictions)
        products = reduce_sum(multiply(predictions, labels), axis, keepdims=True)
        return _weighted(subtract(1.0, products), weights, sc, loss_collection, reduction)


def sigmoid_cross_entropy(multi_class_labels: Any, logits: Any, weights: Any = 1.0,
                          label_smoothing: float = 0, scope: str | None = None,
                          loss_collection: str | None = GraphKeys.LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.sigmoid_cross_entropy``: labels smoothed toward 1/2 by label_smoothing."""
    _require(multi_class_labels=multi_class_labels, logits=logits)
    with name_scope(scope, "sigmoid_cross_entropy_loss",
                    [logits, multi_class_labels, weights]) as sc:
        labels, logits = _pair(multi_class_labels, logits)
        if label_smoothing > 0:
            labels = add(multiply(labels, 1 - label_smoothing), 0.5 * label_smoothing)
        losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits,
                                                   name="xentropy")
        return _weighted(losses, weights, sc, loss_collection, reduction)


def softmax_cross_entropy(onehot_labels: Any, logits: Any, weights: Any = 1.0,
                          label_smoothing: float = 0, scope: str | None = None,
                          loss_collection: str | None = GraphKeys.LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.softmax_cross_entropy``: labels smoothed toward uniform; no gradient
    flows into the labels."""
    _require(onehot_labels=onehot_labels, logits=logits)
    with name_scope(scope, "softmax_cross_entropy_loss",
                    [logits, onehot_labels, weights]) as sc:
        labels, logits = _pair(onehot_labels, logits)
        if label_smoothing > 0:
            classes = labels.shape.as_tuple()[-1] if labels.shape.ndims else None
            if classes is None:
                raise ValueError("label_smoothing needs the number of classes (the last "
                                 f"dimension of onehot_labels) to be known, got "
                                 f"{labels.shape}")
            labels = add(multiply(labels, 1 - label_smoothing), label_smoothing / classes)
        labels = stop_gradient(labels, name="labels_stop_gradient")
        losses = softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits,
                                                      name="xentropy")
        return _weighted(losses, weights, sc, loss_collection, reduction)


def _squeeze_last(t: Tensor, rank: int | None) -> Tensor:
    """Drops a trailing size-1 dim of ``t`` when ``t`` has ``rank`` dims (TF1's
    removal of squeezable dimensions)."""
    if rank is not None and t.shape.ndims == rank and t.shape.as_tuple()[-1] == 1:
        return squeeze(t, [-1])
    return t


def sparse_softmax_cross_entropy(labels: Any, logits: Any, weights: Any = 1.0,
                                 scope: str | None = None,
                                 loss_collection: str | None = GraphKeys.LOSSES,
                                 reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS
                                 ) -> Tensor:
    """``tf.losses.sparse_softmax_cross_entropy``: int class labels (``[batch]`` or
    ``[batch, 1]``)."""
    _require(labels=labels, logits=logits)
    with name_scope(scope, "sparse_softmax_cross_entropy_loss",
                    [logits, labels, weights]) as sc:
        logits = convert_to_tensor(logits)
        rank = logits.shape.ndims
        labels = _squeeze_last(convert_to_tensor(labels), rank)
        if is_tensor_like(weights):
            weights = _squeeze_last(convert_to_tensor(weights), rank)
        losses = sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                          name="xentropy")
        return _weighted(losses, weights, sc, loss_collection, reduction)


def get_losses(scope: str | None = None, loss_collection: str = GraphKeys.LOSSES) -> list:
    """``tf.losses.get_losses``: the losses in ``loss_collection`` (filtered by scope)."""
    return get_collection(loss_collection, scope)


def get_regularization_losses(scope: str | None = None) -> list:
    """``tf.losses.get_regularization_losses``: the REGULARIZATION_LOSSES collection."""
    return get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope: str | None = None,
                            name: str = "total_regularization_loss") -> Tensor:
    """``tf.losses.get_regularization_loss``: their sum (0.0 when there are none)."""
    losses = get_regularization_losses(scope)
    if losses:
        return add_n(losses, name=name)
    return constant(0.0, name=name)


def get_total_loss(add_regularization_losses: bool = True, name: str = "total_loss",
                   scope: str | None = None) -> Tensor:
    """``tf.losses.get_total_loss``: the sum of the losses (and regularization losses)."""
    losses = get_losses(scope=scope)
    if add_regularization_losses:
        losses = losses + get_regularization_losses(scope=scope)
    return add_n(losses, name=name)
