"""Neural-network ops (``tf.nn``): softmax, cross-entropies, bias_add, l2_loss, dropout.

Kernels are numerically stable (max-shifted log-sum-exp, ``logaddexp``); the fused
cross-entropy VJPs use ``softmax - labels`` built from graph ops, so they can be
differentiated again. Activations live in ``activation_ops``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core.graph import Operation, Tensor, name_scope
from ..core.registry import define_op
from ..core.shapes import TensorShape, normalize_axis
from .activation_ops import _matching_pair
from .cast_ops import cast
from .comparison_ops import less
from .framework import (apply_op, apply_unary, convert_n, convert_to_tensor, float_unary,
                        is_tensor_like)
from .gather_ops import one_hot
from .math_ops import (add_n, broadcast_to, divide, exp, multiply, negative, sigmoid,
                       subtract)
from .op_util import const_int
from .random_ops import random_uniform
from .reduce_ops import reduce_sum
from .selection_ops import stop_gradient
from .shape_ops import expand_dims, reshape, shape, shape_of

__all__ = [
    "softmax", "log_softmax", "bias_add", "l2_loss",
    "softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2",
    "sparse_softmax_cross_entropy_with_logits", "sigmoid_cross_entropy_with_logits",
    "dropout",
]


# ----------------------------------------------------------------------------------------
# Softmax and LogSoftmax along one axis
# ----------------------------------------------------------------------------------------


def _shifted(x: np.ndarray, axis: int) -> np.ndarray:
    """x minus its maximum along ``axis`` (so exp never overflows)."""
    return x - np.maximum.reduce(x, axis=axis, keepdims=True)


def _log_sum_exp(z: np.ndarray, axis: int) -> np.ndarray:
    return np.log(np.add.reduce(np.exp(z), axis=axis, keepdims=True))


def _softmax_kernel(x: np.ndarray, *, axis: int) -> np.ndarray:
    e = np.exp(_shifted(x, axis))
    return e / np.add.reduce(e, axis=axis, keepdims=True)


def _log_softmax_kernel(x: np.ndarray, *, axis: int) -> np.ndarray:
    z = _shifted(x, axis)
    return z - _log_sum_exp(z, axis)


def _class_axis(shape: TensorShape, axis: int) -> int | None:
    """``axis`` normalized for a tensor of ``shape`` (rank >= 1); None for unknown rank."""
    if shape.ndims is None:
        return None
    if shape.ndims == 0:
        raise ValueError("logits must have rank >= 1, got a scalar")
    return normalize_axis(axis, shape.ndims, "class axis")


def _axis_shape(inputs: list, attrs: dict) -> list:
    """A float input whose rank covers ``axis``; the output is shaped like it."""
    float_unary(inputs, attrs)
    _class_axis(inputs[0].shape, attrs["axis"])
    return [(inputs[0].shape, inputs[0].dtype)]


def _sum_along(x: Tensor, op: Operation) -> Tensor:
    """Sum of x along the op's axis, keeping the dim."""
    return reduce_sum(x, axis=op.get_attr("axis"), keepdims=True)


def _softmax_vjp(op: Operation, g: Tensor) -> list:
    y = op.outputs[0]
    return [multiply(y, subtract(g, _sum_along(multiply(g, y), op)))]


def _log_softmax_vjp(op: Operation, g: Tensor) -> list:
    return [subtract(g, multiply(exp(op.outputs[0]), _sum_along(g, op)))]


def _softmax_jvp(op: Operation, t: Tensor | None) -> list:
    # The Jacobian diag(y) - y yᵀ is symmetric: the VJP formula applies to tangents.
    return [None if t is None else _softmax_vjp(op, t)[0]]


def _log_softmax_jvp(op: Operation, t: Tensor | None) -> list:
    if t is None:
        return [None]
    return [subtract(t, _sum_along(multiply(exp(op.outputs[0]), t), op))]


define_op("Softmax", kernel=_softmax_kernel, shape_fn=_axis_shape, vjp=_softmax_vjp,
          jvp=_softmax_jvp, doc="exp(x) / sum(exp(x)) along an axis (max-shifted).",
          view_of={}, fresh=True, row_wise=lambda attrs: (0,) if attrs["axis"] != 0 else ())
define_op("LogSoftmax", kernel=_log_softmax_kernel, shape_fn=_axis_shape,
          vjp=_log_softmax_vjp, jvp=_log_softmax_jvp,
          doc="x - log(sum(exp(x))) along an axis (max-shifted).",
          view_of={}, fresh=True, row_wise=lambda attrs: (0,) if attrs["axis"] != 0 else ())


def _renamed(new_name: str, new: Any, old_name: str, old: Any, default: Any) -> Any:
    """TF1's renamed arguments (``axis``/``dim``): either spelling, not both."""
    if new is not None and old is not None:
        raise ValueError(f"Cannot specify both '{new_name}' and '{old_name}'")
    value = new if new is not None else old
    return default if value is None else value


def _along_axis(op_type: str, logits: Any, axis: Any, name: str | None) -> Tensor:
    axis_attr = {"axis": const_int(axis, f"{op_type} axis")}
    return apply_op(op_type, [convert_to_tensor(logits)], axis_attr, name=name).outputs[0]


def softmax(logits: Any, axis: Any = None, name: str | None = None, dim: Any = None
            ) -> Tensor:
    """``tf.nn.softmax``: exp(logits) / sum(exp(logits)) along ``axis`` (default -1)."""
    return _along_axis("Softmax", logits, _renamed("axis", axis, "dim", dim, -1), name)


def log_softmax(logits: Any, axis: Any = None, name: str | None = None, dim: Any = None
                ) -> Tensor:
    """``tf.nn.log_softmax``: logits - log(sum(exp(logits))) along ``axis`` (default -1)."""
    return _along_axis("LogSoftmax", logits, _renamed("axis", axis, "dim", dim, -1), name)


# ----------------------------------------------------------------------------------------
# Cross-entropies: softmax (dense and sparse labels) and sigmoid
# ----------------------------------------------------------------------------------------


def _softmax_xent_kernel(logits: np.ndarray, labels: np.ndarray, *, axis: int) -> np.ndarray:
    z = _shifted(logits, axis)
    return np.add.reduce(labels * (_log_sum_exp(z, axis) - z), axis=axis)


def _same_shape_float(inputs: list) -> TensorShape:
    float_unary(inputs[:1], {})
    return _matching_pair(*inputs, "logits and labels")


def _softmax_xent_shape(inputs: list, attrs: dict) -> list:
    shape = _same_shape_float(inputs)
    axis = _class_axis(shape, attrs["axis"])
    if axis is None:
        return [(shape, inputs[0].dtype)]
    dims = shape.as_list()
    del dims[axis]
    return [(TensorShape(dims), inputs[0].dtype)]


def _loss_rules(partials: Callable[[Operation], tuple],
                axis: Callable[[Operation], int | None]) -> tuple[Callable, Callable]:
    """VJP and JVP of a loss over (logits, labels) from its partial derivatives (None for
    an input without one). With an ``axis``, the loss sums over that axis of its inputs."""
    def vjp(op: Operation, g: Tensor) -> list:
        ax = axis(op)
        g = g if ax is None else expand_dims(g, ax)
        return [None if d is None else multiply(g, d) for d in partials(op)]

    def jvp(op: Operation, *tangents: Tensor | None) -> list:
        total = add_n([multiply(d, t) for d, t in zip(partials(op), tangents)
                       if d is not None and t is not None])
        ax = axis(op)
        return [total if ax is None else reduce_sum(total, axis=ax)]
    return vjp, jvp


def _xent_partials(op: Operation) -> tuple[Tensor, Tensor]:
    """∂loss/∂logits = softmax·sum(labels) - labels (softmax - labels for distributions,
    exact otherwise) and ∂loss/∂labels = -log_softmax."""
    logits, labels = op.inputs
    axis = op.get_attr("axis")
    d_logits = subtract(multiply(softmax(logits, axis=axis), _sum_along(labels, op)), labels)
    return d_logits, negative(log_softmax(logits, axis=axis))


_vjp, _jvp = _loss_rules(_xent_partials, lambda op: op.get_attr("axis"))
define_op("SoftmaxCrossEntropyWithLogits", kernel=_softmax_xent_kernel,
          shape_fn=_softmax_xent_shape, vjp=_vjp, jvp=_jvp,
          doc="-sum(labels * log_softmax(logits)) along the class axis, fused and stable.",
          view_of={}, row_wise=lambda attrs: (0, 1) if attrs["axis"] != 0 else ())


def _sparse_xent_kernel(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    classes = logits.shape[-1]
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        bad = labels[(labels < 0) | (labels >= classes)].reshape(-1)[0]
        raise ValueError(f"Received a label value of {bad} which is outside the valid "
                         f"range of [0, {classes}).")
    z = _shifted(logits, -1)
    picked = np.take_along_axis(z, labels[..., None].astype(np.intp), axis=-1)
    return (_log_sum_exp(z, -1) - picked)[..., 0]


def _sparse_xent_shape(inputs: list, attrs: dict) -> list:
    logits, labels = inputs
    float_unary([logits], {})
    if not labels.dtype.is_integer:
        raise TypeError(f"labels must be int32 or int64, got {labels.dtype.name}")
    if logits.shape.ndims is None:
        return [(labels.shape, logits.dtype)]
    if logits.shape.ndims < 1:
        raise ValueError(f"logits must have rank >= 1, got shape {logits.shape}")
    batch = logits.shape[:-1]
    if not batch.is_compatible_with(labels.shape):
        raise ValueError(f"labels of shape {labels.shape} must have the shape of logits "
                         f"{logits.shape} without its last (class) dimension")
    return [(batch.merge_with(labels.shape), logits.dtype)]


def _sparse_targets(op: Operation) -> Tensor:
    """softmax(logits) - one_hot(labels): the loss's gradient w.r.t. logits."""
    logits, labels = op.inputs
    classes = logits.shape.as_tuple()[-1] if logits.shape.ndims else None
    depth = classes if classes is not None else shape(logits)[-1]
    return subtract(softmax(logits), one_hot(labels, depth, dtype=logits.dtype))


_vjp, _jvp = _loss_rules(lambda op: (_sparse_targets(op), None), lambda op: -1)
define_op("SparseSoftmaxCrossEntropyWithLogits", kernel=_sparse_xent_kernel,
          shape_fn=_sparse_xent_shape, vjp=_vjp, jvp=_jvp,
          non_differentiable=(1,),
          doc="-log_softmax(logits)[label] over the last axis, fused and stable.",
          view_of={}, row_wise=(0, 1))


def _sigmoid_xent_kernel(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    return np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))


def _sigmoid_xent_shape(inputs: list, attrs: dict) -> list:
    return [(_same_shape_float(inputs), inputs[0].dtype)]


def _sigmoid_xent_partials(op: Operation) -> tuple[Tensor, Tensor]:
    """∂loss/∂logits = sigmoid(logits) - labels and ∂loss/∂labels = -logits."""
    logits, labels = op.inputs
    return subtract(sigmoid(logits), labels), negative(logits)


_vjp, _jvp = _loss_rules(_sigmoid_xent_partials, lambda op: None)
define_op("SigmoidCrossEntropyWithLogits", kernel=_sigmoid_xent_kernel,
          shape_fn=_sigmoid_xent_shape, vjp=_vjp, jvp=_jvp,
          elementwise=True,
          doc="max(x, 0) - x * z + log(1 + exp(-|x|)) for logits x and labels z.",
          view_of={}, fresh=True)


def _check_named(sentinel: Any, function: str) -> None:
    if sentinel is not None:
        raise ValueError(f"Only call `{function}` with named arguments (labels=..., "
                         "logits=..., ...)")


def _rows(shape: TensorShape) -> int | None:
    dims = shape.as_list()[:-1] if shape.ndims else None
    return None if dims is None or None in dims else int(np.prod(dims, dtype=np.int64))


def _labels_like(labels: Tensor, logits: Tensor) -> Tensor:
    """TF1 flattens logits and labels to ``[rows, classes]`` and broadcasts a single row:
    labels of another shape with the same classes are reshaped to the logits' shape (same
    number of rows) or broadcast to it (one row)."""
    if labels.shape.is_compatible_with(logits.shape):
        return labels
    classes = (logits.shape.as_tuple()[-1] if logits.shape.ndims else None,
               labels.shape.as_tuple()[-1] if labels.shape.ndims else None)
    if None not in classes and classes[0] != classes[1]:
        raise ValueError(f"SoftmaxCrossEntropyWithLogits: logits {logits.shape} and labels "
                         f"{labels.shape} must have the same shape, or at least the same "
                         f"number of classes")
    if _rows(labels.shape) == 1:
        return broadcast_to(reshape(labels, [1, -1]), shape_of(logits))
    return reshape(labels, shape_of(logits))


def _xent(labels: Any, logits: Any, axis: int, name: str | None, stop_labels: bool
          ) -> Tensor:
    x, z = convert_to_tensor(logits), convert_to_tensor(labels)
    if z.dtype != x.dtype and x.dtype.is_floating:
        z = cast(z, x.dtype)  # TF1 casts the labels (int one-hots too) to the logits' dtype
    if axis in (-1, (x.shape.ndims or 0) - 1):
        z = _labels_like(z, x)
    if stop_labels:
        z = stop_gradient(z, name="labels_stop_gradient")
    return apply_op("SoftmaxCrossEntropyWithLogits", [x, z], {"axis": axis},
                    name=name).outputs[0]


def softmax_cross_entropy_with_logits(_sentinel: Any = None, labels: Any = None,
                                      logits: Any = None, dim: int = -1,
                                      name: str | None = None, axis: Any = None) -> Tensor:
    """``tf.nn.softmax_cross_entropy_with_logits``: no gradient flows into ``labels``."""
    _check_named(_sentinel, "softmax_cross_entropy_with_logits")
    axis = const_int(_renamed("axis", axis, "dim", dim, -1), "softmax_cross_entropy axis")
    return _xent(labels, logits, axis, name, stop_labels=True)


def softmax_cross_entropy_with_logits_v2(labels: Any, logits: Any, axis: Any = None,
                                         name: str | None = None, dim: Any = None
                                         ) -> Tensor:
    """``tf.nn.softmax_cross_entropy_with_logits_v2``: gradients flow into labels too."""
    axis = const_int(_renamed("axis", axis, "dim", dim, -1), "softmax_cross_entropy axis")
    return _xent(labels, logits, axis, name, stop_labels=False)


def sparse_softmax_cross_entropy_with_logits(_sentinel: Any = None, labels: Any = None,
                                             logits: Any = None, name: str | None = None
                                             ) -> Tensor:
    """``tf.nn.sparse_softmax_cross_entropy_with_logits``: int class ``labels``."""
    _check_named(_sentinel, "sparse_softmax_cross_entropy_with_logits")
    x, z = convert_to_tensor(logits), convert_to_tensor(labels)
    return apply_op("SparseSoftmaxCrossEntropyWithLogits", [x, z], name=name).outputs[0]


def sigmoid_cross_entropy_with_logits(_sentinel: Any = None, labels: Any = None,
                                      logits: Any = None, name: str | None = None
                                      ) -> Tensor:
    """``tf.nn.sigmoid_cross_entropy_with_logits``: elementwise logistic loss, stable."""
    _check_named(_sentinel, "sigmoid_cross_entropy_with_logits")
    x, z = convert_n([logits, labels], "SigmoidCrossEntropyWithLogits")
    return apply_op("SigmoidCrossEntropyWithLogits", [x, z], name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# BiasAdd (and its gradient op) and L2Loss
# ----------------------------------------------------------------------------------------


def _channel_axis(ndim: int, data_format: str) -> int:
    return 1 if data_format.startswith("NC") else ndim - 1


def _bias_view(bias: np.ndarray, ndim: int, data_format: str) -> np.ndarray:
    """``bias`` shaped to broadcast along the channel axis of a rank-``ndim`` value."""
    return bias.reshape((-1,) + (1,) * (ndim - 1 - _channel_axis(ndim, data_format)))


def _bias_add_kernel(value: np.ndarray, bias: np.ndarray, *, data_format: str) -> np.ndarray:
    return value + _bias_view(bias, value.ndim, data_format)


def _bias_add_grad_kernel(g: np.ndarray, *, data_format: str) -> np.ndarray:
    axis = _channel_axis(g.ndim, data_format)
    return np.add.reduce(g, axis=tuple(i for i in range(g.ndim) if i != axis), dtype=g.dtype)


def _bias_add_shape(inputs: list, attrs: dict) -> list:
    value, bias = inputs
    if value.dtype != bias.dtype:
        raise TypeError(f"value and bias must have the same dtype, got {value.dtype.name} "
                        f"and {bias.dtype.name}")
    if value.shape.ndims is None:
        return [(value.shape, value.dtype)]
    if value.shape.ndims < 2:
        raise ValueError(f"value must have rank >= 2, got shape {value.shape}")
    if bias.shape.ndims is not None and bias.shape.ndims != 1:
        raise ValueError(f"bias must be 1-D, got shape {bias.shape}")
    channels = value.shape.as_tuple()[_channel_axis(value.shape.ndims, attrs["data_format"])]
    size = bias.shape.as_tuple()[0] if bias.shape.ndims else None
    if None not in (channels, size) and channels != size:
        raise ValueError(f"bias of size {size} does not match the channel dimension "
                         f"{channels} of value shape {value.shape} "
                         f"(data_format {attrs['data_format']})")
    return [(value.shape, value.dtype)]


def _bias_add_grad_shape(inputs: list, attrs: dict) -> list:
    g = inputs[0]
    if g.shape.ndims is None:
        return [(TensorShape([None]), g.dtype)]
    return [(TensorShape([g.shape[_channel_axis(g.shape.ndims, attrs["data_format"])]]),
             g.dtype)]


def _spread_bias(bias: Tensor, like: Tensor, data_format: str) -> Tensor:
    """``bias`` broadcast along the channel axis to the shape of ``like``."""
    ndim = like.shape.ndims
    trailing = ndim - 1 - _channel_axis(ndim, data_format)
    column = reshape(bias, [-1] + [1] * trailing) if trailing else bias
    return broadcast_to(column, shape_of(like))


def _bias_add_vjp(op: Operation, g: Tensor) -> list:
    grad = apply_op("BiasAddGrad", [g], op.attrs, name="BiasAddGrad").outputs[0]
    grad.set_shape(op.inputs[1].shape)  # g's channel dim may be unknown where bias's is not
    return [g, grad]


def _bias_add_jvp(op: Operation, tv: Tensor | None, tb: Tensor | None) -> list:
    if tb is None:
        return [tv]
    if tv is None:
        return [_spread_bias(tb, op.outputs[0], op.get_attr("data_format"))]
    return [apply_op("BiasAdd", [tv, tb], op.attrs, name="BiasAdd").outputs[0]]


def _bias_add_grad_vjp(op: Operation, g: Tensor) -> list:
    return [_spread_bias(g, op.inputs[0], op.get_attr("data_format"))]


def _bias_add_grad_jvp(op: Operation, t: Tensor | None) -> list:
    return [None if t is None else
            apply_op("BiasAddGrad", [t], op.attrs, name="BiasAddGrad").outputs[0]]


define_op("BiasAdd", kernel=_bias_add_kernel, shape_fn=_bias_add_shape, vjp=_bias_add_vjp,
          jvp=_bias_add_jvp, doc="value + bias along the channel axis.",
          view_of={}, fresh=True, row_wise=(0,))
define_op("BiasAddGrad", kernel=_bias_add_grad_kernel, shape_fn=_bias_add_grad_shape,
          vjp=_bias_add_grad_vjp, jvp=_bias_add_grad_jvp,
          doc="Sum over every axis but the channel axis (the gradient of BiasAdd's bias).",
          view_of={})


def bias_add(value: Any, bias: Any, data_format: str | None = None, name: str | None = None
             ) -> Tensor:
    """``tf.nn.bias_add``: adds the 1-D ``bias`` along the last (NHWC) or second (NC..) axis."""
    fmt = data_format or "NHWC"
    if not (fmt.startswith("N") and (fmt.startswith("NC") or fmt.endswith("C"))):
        raise ValueError(f"bias_add: data_format must be NHWC-like or NCHW-like, got {fmt!r}")
    v, b = convert_n([value, bias], "BiasAdd")
    return apply_op("BiasAdd", [v, b], {"data_format": fmt}, name=name).outputs[0]


def _l2_loss_kernel(t: np.ndarray) -> np.ndarray:
    return np.asarray(np.sum(np.square(t), dtype=t.dtype) / 2, dtype=t.dtype)


def _l2_loss_shape(inputs: list, attrs: dict) -> list:
    float_unary(inputs, attrs)
    return [(TensorShape([]), inputs[0].dtype)]


def _l2_loss_vjp(op: Operation, g: Tensor) -> list:
    return [multiply(g, op.inputs[0])]


def _l2_loss_jvp(op: Operation, t: Tensor | None) -> list:
    return [None if t is None else reduce_sum(multiply(op.inputs[0], t))]


define_op("L2Loss", kernel=_l2_loss_kernel, shape_fn=_l2_loss_shape, vjp=_l2_loss_vjp,
          jvp=_l2_loss_jvp, doc="sum(t ** 2) / 2.",
          view_of={})


def l2_loss(t: Any, name: str | None = None) -> Tensor:
    """``tf.nn.l2_loss``: sum(t ** 2) / 2."""
    return apply_unary("L2Loss", t, name)


# ----------------------------------------------------------------------------------------
# Dropout: a fresh uniform draw per run (random_uniform keeps this op's generator)
# ----------------------------------------------------------------------------------------


def _keep_probability(keep_prob: Any, rate: Any) -> Any:
    if (keep_prob is None) == (rate is None):
        raise ValueError("dropout needs exactly one of keep_prob and rate")
    if keep_prob is None:
        if is_tensor_like(rate):
            return subtract(1.0, rate)
        if not 0 <= rate < 1:
            raise ValueError(f"rate must be a scalar tensor or a float in the range [0, 1), "
                             f"got {rate}")
        return 1.0 - rate
    if not is_tensor_like(keep_prob) and not 0 < keep_prob <= 1:
        raise ValueError(f"keep_prob must be a scalar tensor or a float in the range (0, 1], "
                         f"got {keep_prob}")
    return keep_prob


def dropout(x: Any, keep_prob: Any = None, noise_shape: Any = None, seed: int | None = None,
            name: str | None = None, rate: Any = None) -> Tensor:
    """``tf.nn.dropout``: x / keep_prob at kept elements (probability keep_prob), else 0."""
    x = convert_to_tensor(x)
    keep = _keep_probability(keep_prob, rate)
    if not is_tensor_like(keep) and keep == 1:
        return x
    with name_scope(name, "dropout", [x]):
        keep = convert_to_tensor(keep, dtype=x.dtype, name="keep_prob")
        if not keep.shape.is_compatible_with([]):
            raise ValueError(f"dropout: keep_prob must be a scalar, got shape {keep.shape}")
        uniform = random_uniform(shape_of(x) if noise_shape is None else noise_shape,
                                 seed=seed, dtype=x.dtype)
        kept = cast(less(uniform, keep), x.dtype)  # 1 with probability keep_prob
        out = multiply(divide(x, keep), kept)
        out.set_shape(x.shape)  # as TF1: a keep_prob of unknown rank is still a scalar
        return out
