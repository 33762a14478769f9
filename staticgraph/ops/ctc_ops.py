"""Connectionist temporal classification with dense labels: ``tf.nn.ctc_loss_v2`` and
``tf.nn.collapse_repeated``.

The op ``CTCLossDense`` computes, per batch element, ``-log p(labels | logits)`` by the
forward (alpha) recursion in log space over the label sequence with blanks interleaved,
and, as TF's CTCLoss op, its gradient w.r.t. the unnormalized logits (softmax minus the
posterior occupancy of each class, from the alpha and beta recursions) as a second output.
The VJP scales that gradient; the JVP contracts it with the logits' tangent. Second
derivatives are not supported (TF has none either).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core.graph import Operation, Tensor, name_scope
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op, convert_to_tensor
from .math_ops import multiply
from .reduce_ops import reduce_sum
from .shape_ops import expand_dims, transpose

__all__ = ["ctc_loss_v2", "collapse_repeated"]


def _logsumexp(*terms: np.ndarray) -> np.ndarray:
    stacked = np.stack(terms)
    top = np.max(stacked, axis=0)
    safe = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return safe + np.log(np.sum(np.exp(stacked - safe), axis=0))


def _shifted(v: np.ndarray, by: int, fill: float) -> np.ndarray:
    """``v`` moved ``by`` places to the right (left if negative), ``fill`` entering."""
    out = np.full_like(v, fill)
    if by > 0:
        out[by:] = v[:-by]
    else:
        out[:by] = v[-by:]
    return out


def _one_sequence(lp: np.ndarray, label: np.ndarray, blank: int) -> tuple[float, np.ndarray]:
    """(log-likelihood, posterior occupancy [T, C]) of one label sequence given the
    log-probabilities ``lp`` [T, C] of its frames."""
    ext = np.full(2 * len(label) + 1, blank)
    ext[1::2] = label
    # a transition may skip s-1 (from s-2) when ext[s] is a label unlike ext[s-2]
    skip = np.zeros(len(ext), bool)
    skip[2:] = (ext[2:] != blank) & (ext[2:] != ext[:-2])
    t_len, s_len = lp.shape[0], len(ext)
    alpha = np.full((t_len, s_len), -np.inf)
    beta = np.full((t_len, s_len), -np.inf)
    alpha[0, :2] = lp[0, ext[:2]]
    for t in range(1, t_len):
        prev = alpha[t - 1]
        from_skip = np.where(skip, _shifted(prev, 2, -np.inf), -np.inf)
        alpha[t] = _logsumexp(prev, _shifted(prev, 1, -np.inf), from_skip) + lp[t, ext]
    beta[-1, -2:] = lp[-1, ext[-2:]]
    skip_back = _shifted(skip, -2, False)  # s may skip to s+2
    for t in range(t_len - 2, -1, -1):
        nxt = beta[t + 1]
        to_skip = np.where(skip_back, _shifted(nxt, -2, -np.inf), -np.inf)
        beta[t] = _logsumexp(nxt, _shifted(nxt, -1, -np.inf), to_skip) + lp[t, ext]
    loglik = float(_logsumexp(alpha[-1, -1], alpha[-1, -2] if s_len > 1 else -np.inf))
    occupancy = np.zeros_like(lp)
    both = alpha + beta - lp[:, ext] - loglik
    for k in np.unique(ext):
        occupancy[:, k] = np.exp(_logsumexp(*both[:, ext == k].T))
    return loglik, occupancy


def _ctc_kernel(logits: np.ndarray, labels: np.ndarray, label_length: np.ndarray,
                logit_length: np.ndarray, **attrs: Any) -> tuple[np.ndarray, np.ndarray]:
    classes = logits.shape[2]
    blank = attrs["blank_index"] % classes
    shifted = logits - logits.max(axis=2, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    loss = np.zeros(logits.shape[1], logits.dtype)
    grad = np.zeros_like(logits)
    for b in range(logits.shape[1]):
        frames, length = int(logit_length[b]), int(label_length[b])
        if not 0 <= length <= labels.shape[1] or not 0 < frames <= logits.shape[0]:
            raise ValueError(f"CTCLossDense: batch element {b} has label_length {length} "
                             f"(labels shape {labels.shape}) and logit_length {frames} "
                             f"(logits shape {logits.shape})")
        label = labels[b, :length].astype(np.int64)
        if np.any((label < 0) | (label >= classes) | (label == blank)):
            raise ValueError(f"CTCLossDense: labels of batch element {b} must lie in "
                             f"[0, {classes}) and differ from the blank {blank}, got "
                             f"{label.tolist()}")
        lp = log_probs[:frames, b]
        loglik, occupancy = _one_sequence(lp, label, blank)
        loss[b] = -loglik
        grad[:frames, b] = np.exp(lp) - occupancy
    return loss, grad


def _ctc_shape(inputs: list, attrs: dict) -> list:
    logits, labels, label_length, logit_length = inputs
    if not logits.dtype.is_floating:
        raise TypeError(f"logits must be floating point, got {logits.dtype.name}")
    if not all(t.dtype.is_integer for t in (labels, label_length, logit_length)):
        raise TypeError("labels, label_length and logit_length must be integers")
    ls = logits.shape.as_list() if logits.shape.ndims is not None else [None] * 3
    if len(ls) != 3:
        raise ValueError(f"logits must be [max_time, batch, classes], got {logits.shape}")
    lab = labels.shape.as_list() if labels.shape.ndims is not None else [None] * 2
    if len(lab) != 2 or None not in (lab[0], ls[1]) and lab[0] != ls[1]:
        raise ValueError(f"labels must be [batch, max_label_length] with the logits' batch "
                         f"{ls[1]}, got shape {labels.shape} (logits shape {logits.shape})")
    return [(TensorShape([ls[1]]), logits.dtype), (TensorShape(ls), logits.dtype)]


def _ctc_vjp(op: Operation, g: Tensor | None, g_grad: Tensor | None) -> list:
    if g_grad is not None:
        raise NotImplementedError("the second derivative of ctc_loss is not supported "
                                  f"(op {op.name})")
    if g is None:
        return [None] * 4
    return [multiply(op.outputs[1], expand_dims(expand_dims(g, 0), 2)), None, None, None]


def _ctc_jvp(op: Operation, t: Tensor | None, *_: Tensor | None) -> list:
    return [None if t is None else reduce_sum(multiply(op.outputs[1], t), [0, 2]), None]


define_op("CTCLossDense", kernel=_ctc_kernel, shape_fn=_ctc_shape, vjp=_ctc_vjp, jvp=_ctc_jvp,
          non_differentiable=(1, 2, 3), none_output_grads=True, view_of={}, fresh=True,
          doc="Per-sequence CTC loss of time-major logits and dense labels, and its "
              "gradient w.r.t. the logits.")


def ctc_loss_v2(labels: Any, logits: Any, label_length: Any, logit_length: Any,
                logits_time_major: bool = True, unique: Any = None,
                blank_index: int | None = None, name: str | None = None) -> Tensor:
    """``tf.nn.ctc_loss_v2`` with dense ``labels`` ``[batch, max_label_length]`` (the
    first ``label_length[b]`` entries count): the negative log-probability of each
    label sequence under ``logits`` (``[time, batch, classes]``, or batch-major), whose
    first ``logit_length[b]`` frames count. ``blank_index`` defaults to 0; negative
    values count from the number of classes."""
    if unique is not None:
        raise NotImplementedError("ctc_loss_v2: `unique` (precomputed unique labels) is not "
                                  "implemented")
    if hasattr(labels, "indices") and hasattr(labels, "dense_shape"):
        raise NotImplementedError("ctc_loss_v2: sparse labels are not implemented; pass "
                                  "dense labels with label_length")
    with name_scope(name, "ctc_loss_dense", [logits, labels, label_length, logit_length]):
        x = convert_to_tensor(logits)
        if not logits_time_major:
            x = transpose(x, [1, 0, 2])
        ints = [convert_to_tensor(v) for v in (labels, label_length, logit_length)]
        op = apply_op("CTCLossDense", [x, *ints],
                      {"blank_index": 0 if blank_index is None else int(blank_index)})
        return op.outputs[0]


def _collapse_kernel(labels: np.ndarray, seq_length: np.ndarray) -> tuple:
    rows = []
    for row, length in zip(labels, seq_length):
        row = row[:max(int(length), 0)]
        rows.append(row[np.r_[True, row[1:] != row[:-1]]] if len(row) else row)
    lengths = np.array([len(r) for r in rows], seq_length.dtype)
    out = np.zeros((labels.shape[0], max(lengths, default=0)), labels.dtype)
    for i, row in enumerate(rows):
        out[i, :len(row)] = row
    return out, lengths


def _collapse_shape(inputs: list, attrs: dict) -> list:
    labels, seq_length = inputs
    if labels.shape.ndims not in (None, 2) or seq_length.shape.ndims not in (None, 1):
        raise ValueError(f"labels must be [batch, max_length] and seq_length [batch], got "
                         f"shapes {labels.shape} and {seq_length.shape}")
    batch = labels.shape.as_list()[0] if labels.shape.ndims else None
    return [(TensorShape([batch, None]), labels.dtype),
            (TensorShape([batch]), seq_length.dtype)]


define_op("CollapseRepeated", kernel=_collapse_kernel, shape_fn=_collapse_shape, view_of={},
          fresh=True, doc="Each row's first seq_length labels with repeats merged, padded "
          "with zeros to the longest result, and the new lengths.")


def collapse_repeated(labels: Any, seq_length: Any, name: str | None = None
                      ) -> tuple[Tensor, Tensor]:
    """``tf.nn.collapse_repeated``: ``(collapsed, new_seq_length)``: each row's first
    ``seq_length`` labels with runs of a repeated label merged into one, padded with zeros
    to the longest collapsed row."""
    with name_scope(name, "collapse_repeated_labels", [labels, seq_length]):
        op = apply_op("CollapseRepeated", [convert_to_tensor(labels),
                                           convert_to_tensor(seq_length)], {})
        return op.outputs[0], op.outputs[1]
