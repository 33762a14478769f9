"""``tf.contrib.crf``: the linear-chain conditional random field of BiLSTM-CRF taggers.

``inputs`` are unary potentials ``[batch, max_seq_len, num_tags]``, ``tag_indices``
``[batch, max_seq_len]`` and ``transition_params`` ``[num_tags, num_tags]``
(``transition_params[i, j]`` scores tag ``i`` followed by tag ``j``). As in TF 1.15, only
the first ``sequence_lengths[b]`` steps of row ``b`` count: a row of length 0 scores 0,
has log-norm 0 and so log-likelihood 0; its decoding is the argmax of the first step.
The forward algorithm and the Viterbi recursion run in one ``tf.while_loop`` over time
each, past a row's length copying its state unchanged (TF1's ``dynamic_rnn`` masking).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..control_flow.tensor_array import TensorArray
from ..control_flow.while_loop import while_loop
from ..core import dtypes
from ..core.graph import Tensor, name_scope
from ..ops.cast_ops import cast
from ..ops.comparison_ops import less, less_equal
from ..ops.composites import sequence_mask
from ..ops.array_extra_ops import reverse_sequence
from ..ops.fill_ops import range as range_, zeros_like
from ..ops.framework import convert_to_tensor
from ..ops.gather_ops import gather, gather_nd
from ..ops.join_ops import concat
from ..ops.math_ops import maximum
from ..ops.reduce_ops import reduce_logsumexp, reduce_max, reduce_sum
from ..ops.scan_ops import argmax
from ..ops.selection_ops import where
from ..ops.shape_ops import expand_dims, reshape, shape, transpose
from ..ops.stack_ops import stack
from ..ops.variable_scope import get_variable

__all__ = ["crf_sequence_score", "crf_unary_score", "crf_binary_score", "crf_log_norm",
           "crf_log_likelihood", "crf_decode", "viterbi_decode"]


def _inputs(inputs: Any, what: str) -> Tensor:
    inputs = convert_to_tensor(inputs)
    if inputs.shape.ndims not in (None, 3):
        raise ValueError(f"{what}: inputs must be [batch_size, max_seq_len, num_tags] "
                         f"unary potentials, got {inputs.name} of shape {inputs.shape}")
    return inputs


def _tags(tag_indices: Any, what: str) -> Tensor:
    tags = convert_to_tensor(tag_indices)
    if not tags.dtype.is_integer or tags.shape.ndims not in (None, 2):
        raise ValueError(f"{what}: tag_indices must be an integer [batch_size, max_seq_len] "
                         f"tensor, got {tags.name} of dtype {tags.dtype.name} and shape "
                         f"{tags.shape}")
    return cast(tags, dtypes.int32)


def _lengths(sequence_lengths: Any) -> Tensor:
    return cast(convert_to_tensor(sequence_lengths), dtypes.int32)


def _transitions(transition_params: Any, dtype: dtypes.DType, what: str) -> Tensor:
    transitions = convert_to_tensor(transition_params, dtype=dtype)
    dims = transitions.shape.as_list() if transitions.shape.ndims is not None else None
    if dims is not None and (len(dims) != 2 or (None not in dims and dims[0] != dims[1])):
        raise ValueError(f"{what}: transition_params must be [num_tags, num_tags], got "
                         f"{transitions.name} of shape {transitions.shape}")
    return transitions


def crf_unary_score(tag_indices: Any, sequence_lengths: Any, inputs: Any) -> Tensor:
    """``tf.contrib.crf.crf_unary_score``: per row, the sum over its first
    ``sequence_lengths`` steps of ``inputs[b, t, tag_indices[b, t]]`` (``[batch]``)."""
    inputs = _inputs(inputs, "crf_unary_score")
    tags = _tags(tag_indices, "crf_unary_score")
    dims = shape(inputs)
    batch, steps, num_tags = dims[0], dims[1], dims[2]
    offsets = expand_dims(range_(batch) * steps * num_tags, 1) + \
        expand_dims(range_(steps) * num_tags, 0)
    picked = gather(reshape(inputs, [-1]), reshape(offsets + tags, [-1]))
    masks = sequence_mask(_lengths(sequence_lengths), maxlen=shape(tags)[1],
                          dtype=inputs.dtype)
    return reduce_sum(reshape(picked, [batch, steps]) * masks, 1)


def crf_binary_score(tag_indices: Any, sequence_lengths: Any,
                     transition_params: Any) -> Tensor:
    """``tf.contrib.crf.crf_binary_score``: per row, the sum of
    ``transition_params[tag[t], tag[t + 1]]`` over the transitions inside its length."""
    tags = _tags(tag_indices, "crf_binary_score")
    transitions = convert_to_tensor(transition_params)
    num_tags = shape(transitions)[0]
    transition_ids = tags[:, :-1] * num_tags + tags[:, 1:]
    scores = gather(reshape(transitions, [-1]), transition_ids)
    masks = sequence_mask(_lengths(sequence_lengths), maxlen=shape(tags)[1],
                          dtype=transitions.dtype)
    return reduce_sum(scores * masks[:, 1:], 1)


def crf_sequence_score(inputs: Any, tag_indices: Any, sequence_lengths: Any,
                       transition_params: Any) -> Tensor:
    """``tf.contrib.crf.crf_sequence_score``: the unnormalised score of each row's tag
    sequence, its unary plus its binary score (``[batch]``)."""
    inputs = _inputs(inputs, "crf_sequence_score")
    transitions = _transitions(transition_params, inputs.dtype, "crf_sequence_score")
    return crf_unary_score(tag_indices, sequence_lengths, inputs) + \
        crf_binary_score(tag_indices, sequence_lengths, transitions)


def _masked_scan(step: Callable[[Tensor, Tensor], tuple[Tensor, Tensor]], inputs: Tensor,
                 state: Tensor, lengths: Tensor, out_dtype: dtypes.DType) -> tuple:
    """Runs ``(output, state) = step(inputs[:, t], state)`` over the time axis of the
    batch-major ``inputs``; at ``t >= lengths[b]`` row ``b`` keeps its state and outputs
    zeros. Returns the batch-major outputs and the final state."""
    time_major = transpose(inputs, [1, 0, 2])
    steps = shape(time_major)[0]
    reader = TensorArray(inputs.dtype, size=steps, name="input_ta").unstack(time_major)
    writer = TensorArray(out_dtype, size=steps, element_shape=state.shape, name="output_ta")

    def body(t: Tensor, state: Tensor, writer: TensorArray) -> tuple:
        output, new_state = step(reader.read(t), state)
        live = less(t, lengths)
        return (t + 1, where(live, new_state, state),
                writer.write(t, where(live, output, zeros_like(output))))

    _, final, writer = while_loop(lambda t, s, w: t < steps, body,
                                  [convert_to_tensor(0, name="time"), state, writer])
    # an empty TensorArray of a partly known element shape stacks to [0]: restore the axes
    outputs = reshape(writer.stack(), concat([[steps], shape(state)], 0))
    return transpose(outputs, [1, 0, 2]), final


def crf_log_norm(inputs: Any, sequence_lengths: Any, transition_params: Any) -> Tensor:
    """``tf.contrib.crf.crf_log_norm``: the log partition function of each row (the
    log-sum-exp of the scores of every tag sequence of its length) by the forward
    algorithm; 0 for rows of length 0."""
    inputs = _inputs(inputs, "crf_log_norm")
    transitions = _transitions(transition_params, inputs.dtype, "crf_log_norm")
    lengths = _lengths(sequence_lengths)
    with name_scope("crf_log_norm"):

        def forward(unary: Tensor, alphas: Tensor) -> tuple[Tensor, Tensor]:
            scores = expand_dims(alphas, 2) + expand_dims(transitions, 0)
            new_alphas = unary + reduce_logsumexp(scores, [1])
            return new_alphas, new_alphas

        _, alphas = _masked_scan(forward, inputs[:, 1:], inputs[:, 0],
                                 maximum(lengths - 1, 0), inputs.dtype)
        log_norm = reduce_logsumexp(alphas, [1])
        return where(less_equal(lengths, 0), zeros_like(log_norm), log_norm)


def crf_log_likelihood(inputs: Any, tag_indices: Any, sequence_lengths: Any,
                       transition_params: Any = None) -> tuple[Tensor, Tensor]:
    """``tf.contrib.crf.crf_log_likelihood``: ``(log_likelihood, transition_params)``,
    the log-probability of each row's tag sequence under the CRF. Without
    ``transition_params`` it creates the variable ``transitions`` ``[num_tags,
    num_tags]`` with ``tf.get_variable`` in the current variable scope (TF1's name, and
    ``get_variable``'s default initializer; its dtype is the inputs')."""
    inputs = _inputs(inputs, "crf_log_likelihood")
    if transition_params is None:
        num_tags = inputs.shape.as_list()[2] if inputs.shape.ndims is not None else None
        if num_tags is None:
            raise ValueError(f"crf_log_likelihood: the number of tags (last dimension of "
                             f"{inputs.name}, shape {inputs.shape}) must be known to create "
                             f"the transitions variable")
        transition_params = get_variable("transitions", [num_tags, num_tags],
                                         dtype=inputs.dtype.base_dtype)
    score = crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params)
    log_norm = crf_log_norm(inputs, sequence_lengths, transition_params)
    return score - log_norm, transition_params


def crf_decode(potentials: Any, transition_params: Any,
               sequence_length: Any) -> tuple[Tensor, Tensor]:
    """``tf.contrib.crf.crf_decode``: the highest-scoring tag sequence of each row, in the
    graph: ``(decode_tags [batch, max_seq_len] int32, best_score [batch])``. Tags past a
    row's length are 0."""
    potentials = _inputs(potentials, "crf_decode")
    transitions = _transitions(transition_params, potentials.dtype, "crf_decode")
    lengths = _lengths(sequence_length)
    with name_scope("crf_decode"):
        lengths_less_one = maximum(lengths - 1, 0)

        def viterbi_step(unary: Tensor, state: Tensor) -> tuple[Tensor, Tensor]:
            scores = expand_dims(state, 2) + expand_dims(transitions, 0)
            return (cast(argmax(scores, 1), dtypes.int32),
                    unary + reduce_max(scores, [1]))

        backpointers, last_score = _masked_scan(viterbi_step, potentials[:, 1:],
                                                potentials[:, 0], lengths_less_one,
                                                dtypes.int32)
        backpointers = reverse_sequence(backpointers, lengths_less_one, seq_dim=1)
        rows = range_(shape(potentials)[0])

        def backtrack(pointers: Tensor, tag: Tensor) -> tuple[Tensor, Tensor]:
            previous = expand_dims(gather_nd(pointers, stack([rows, tag[:, 0]], 1)), 1)
            return previous, previous

        last_tag = expand_dims(cast(argmax(last_score, 1), dtypes.int32), 1)
        tags, _ = _masked_scan(backtrack, backpointers, last_tag, lengths_less_one,
                               dtypes.int32)
        decode_tags = reverse_sequence(concat([last_tag, tags[:, :, 0]], 1), lengths,
                                       seq_dim=1)
        return decode_tags, reduce_max(last_score, 1)


def viterbi_decode(score: Any, transition_params: Any) -> tuple[list, Any]:
    """``tf.contrib.crf.viterbi_decode``, on NumPy values outside the graph: for one
    sequence's ``score`` ``[seq_len, num_tags]`` returns ``(viterbi, viterbi_score)``, the
    best tag sequence (a list of ints) and its score. Ties go to the lowest tag."""
    score = np.asarray(score)
    transition_params = np.asarray(transition_params)
    if score.ndim != 2 or transition_params.shape != (score.shape[1],) * 2:
        raise ValueError(f"viterbi_decode: score must be [seq_len, num_tags] and "
                         f"transition_params [num_tags, num_tags], got shapes {score.shape} "
                         f"and {transition_params.shape}")
    trellis = np.zeros_like(score)
    backpointers = np.zeros_like(score, dtype=np.int32)
    trellis[0] = score[0]
    for t in range(1, score.shape[0]):
        candidates = trellis[t - 1][:, None] + transition_params
        trellis[t] = score[t] + candidates.max(0)
        backpointers[t] = candidates.argmax(0)
    viterbi = [int(np.argmax(trellis[-1]))]
    for pointers in backpointers[:0:-1]:
        viterbi.append(int(pointers[viterbi[-1]]))
    viterbi.reverse()
    return viterbi, np.max(trellis[-1])
