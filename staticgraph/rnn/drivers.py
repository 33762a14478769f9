"""TF1's RNN drivers: ``dynamic_rnn`` (one ``tf.while_loop`` over time, reading inputs from
and writing outputs to ``TensorArray`` s), ``static_rnn`` (the cell unrolled in the graph)
``bidirectional_dynamic_rnn``, ``static_bidirectional_rnn``, ``static_state_saving_rnn`` and
``raw_rnn`` (the loop driven by a user's ``loop_fn``).

With ``sequence_length``, as TF1: at steps ``t >= sequence_length[b]`` row ``b``'s output is
zero and its state is copied through unchanged, so the final state is the state after each
sequence's last step.
"""
from __future__ import annotations

from typing import Any, Sequence

from ..core import dtypes
from ..core.graph import Tensor, get_default_graph, name_scope
from ..control_flow.nest import flatten, pack_as
from ..control_flow.tensor_array import TensorArray
from ..control_flow.while_loop import while_loop
from ..ops.framework import convert_to_tensor
from ..ops.gather_ops import gather_nd
from ..ops.join_ops import concat
from ..ops.cast_ops import cast
from ..ops.comparison_ops import less, logical_not, logical_or
from ..ops.fill_ops import range as range_, zeros
from ..ops.math_ops import maximum, subtract, zeros_like_static
from ..ops.reduce_ops import reduce_all
from ..ops.selection_ops import where
from ..ops.shape_ops import reverse, shape, transpose
from ..ops.stack_ops import stack, unstack
from ..ops.state_ops import identity
from ..ops.variable_scope import variable_scope
from .cells import RNNCell

__all__ = ["dynamic_rnn", "static_rnn", "bidirectional_dynamic_rnn", "static_bidirectional_rnn",
           "static_state_saving_rnn", "raw_rnn"]


def _dim(x: Tensor, axis: int) -> Any:
    d = x.shape.as_tuple()[axis] if x.shape.ndims is not None else None
    return int(d) if d is not None else shape(x)[axis]


def _start_state(cell: RNNCell, initial_state: Any, batch: Any, dtype: Any) -> Any:
    if initial_state is not None:
        leaves = [convert_to_tensor(s) for s in flatten(initial_state)]
        return pack_as(initial_state, leaves) if isinstance(initial_state, (tuple, list)) \
            else leaves[0]
    if dtype is None:
        raise ValueError("If there is no initial_state, you must give a dtype.")
    return cell.zero_state(batch, dtypes.as_dtype(dtype))


def _lengths(sequence_length: Any) -> Tensor | None:
    if sequence_length is None:
        return None
    lengths = cast(convert_to_tensor(sequence_length), dtypes.int32, name="sequence_length")
    if lengths.shape.ndims not in (None, 1):
        raise ValueError(f"sequence_length must be a vector of length batch_size, but saw "
                         f"shape: {lengths.shape}")
    return lengths


def _masked_step(cell: RNNCell, x: Tensor, state: Any, t: Tensor,
                 lengths: Tensor | None) -> tuple[Tensor, Any]:
    """One cell step; past a row's length its output is zero and its state unchanged."""
    output, new_state = cell(x, state)
    if lengths is None:
        return output, new_state
    live = less(t, lengths)
    output = where(live, output, zeros_like_static(output))
    leaves = [where(live, new, old) for new, old in zip(flatten(new_state), flatten(state))]
    return output, pack_as(new_state, leaves) if isinstance(new_state, (tuple, list)) \
        else leaves[0]


def dynamic_rnn(cell: RNNCell, inputs: Any, sequence_length: Any = None,
                initial_state: Any = None, dtype: Any = None,
                parallel_iterations: int | None = None, swap_memory: bool = False,
                time_major: bool = False, scope: Any = None) -> tuple[Tensor, Any]:
    """``tf.nn.dynamic_rnn``: runs ``cell`` over the time axis of ``inputs`` (``[batch,
    time, depth]``, or ``[time, batch, depth]`` when ``time_major``) in a while loop;
    returns ``(outputs, final_state)`` with outputs laid out as the inputs. The cell's
    variables live under variable scope ``scope`` (default ``"rnn"``).
    ``parallel_iterations`` and ``swap_memory`` are accepted.
    """
    with variable_scope(scope or "rnn"):
        x = convert_to_tensor(inputs)
        if x.shape.ndims is not None and x.shape.ndims < 3:
            raise ValueError(f"dynamic_rnn: inputs must have rank >= 3 ([batch, time, "
                             f"depth]), got shape {x.shape}")
        if not time_major:
            x = transpose(x, [1, 0] + list(range(2, x.shape.ndims)))
        steps, batch = _dim(x, 0), _dim(x, 1)
        cell.build_for(x.shape.as_list()[-1], x.dtype)
        state = _start_state(cell, initial_state, batch, dtype)
        lengths = _lengths(sequence_length)
        reader = TensorArray(x.dtype, size=steps, name="input_ta").unstack(x)
        element = [x.shape.as_tuple()[1], cell.output_size]
        writer = TensorArray(x.dtype, size=steps, element_shape=element, name="output_ta")

        def body(t: Tensor, state: Any, writer: TensorArray) -> tuple:
            output, new_state = _masked_step(cell, reader.read(t), state, t, lengths)
            return t + 1, new_state, writer.write(t, output)

        _, final, writer = while_loop(lambda t, s, w: t < steps, body,
                                      [convert_to_tensor(0, name="time"), state, writer],
                                      parallel_iterations=parallel_iterations or 32,
                                      swap_memory=swap_memory)
        outputs = writer.stack()
        outputs.set_shape([steps if isinstance(steps, int) else None] + element)
        if not time_major:
            outputs = transpose(outputs, [1, 0, 2])
        return outputs, final


def static_rnn(cell: RNNCell, inputs: Sequence[Any], initial_state: Any = None,
               dtype: Any = None, sequence_length: Any = None,
               scope: Any = None) -> tuple[list[Tensor], Any]:
    """``tf.nn.static_rnn``: ``cell`` unrolled over the list ``inputs`` (each ``[batch,
    depth]``); returns ``(outputs, final_state)``."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise TypeError("inputs must be a non-empty sequence of tensors")
    with variable_scope(scope or "rnn"):
        xs = [convert_to_tensor(x) for x in inputs]
        cell.build_for(xs[0].shape.as_list()[-1], xs[0].dtype)
        state = _start_state(cell, initial_state, _dim(xs[0], 0), dtype)
        lengths = _lengths(sequence_length)
        outputs = []
        for t, x in enumerate(xs):
            with name_scope(f"step_{t}" if t else None):
                output, state = _masked_step(cell, x, state,
                                             convert_to_tensor(t, name="time"), lengths)
            outputs.append(output)
        return outputs, state


def _reverse_time(x: Tensor, lengths: Tensor | None, time_axis: int) -> Tensor:
    """``x`` reversed along time; with ``lengths``, each row's first ``lengths[b]`` steps
    only (as ``tf.reverse_sequence``)."""
    if lengths is None:
        return reverse(x, [time_axis])
    major = x if time_axis == 1 else transpose(x, [1, 0, 2])
    steps, batch = _dim(major, 1), _dim(major, 0)
    t = range_(steps)[None, :]
    ends = lengths[:, None]
    flipped = where(less(t, ends), subtract(ends - 1, t), t + 0 * ends)
    rows = range_(batch)[:, None] + 0 * t
    out = gather_nd(major, stack([rows, maximum(flipped, 0)], axis=2))
    return out if time_axis == 1 else transpose(out, [1, 0, 2])


def bidirectional_dynamic_rnn(cell_fw: RNNCell, cell_bw: RNNCell, inputs: Any,
                              sequence_length: Any = None, initial_state_fw: Any = None,
                              initial_state_bw: Any = None, dtype: Any = None,
                              parallel_iterations: int | None = None,
                              swap_memory: bool = False, time_major: bool = False,
                              scope: Any = None) -> tuple[tuple, tuple]:
    """``tf.nn.bidirectional_dynamic_rnn``: ``cell_fw`` over ``inputs`` and ``cell_bw`` over
    them reversed in time (each sequence within its length), the backward outputs reversed
    back. Returns ``((out_fw, out_bw), (state_fw, state_bw))``; variables live under
    ``bidirectional_rnn/fw/`` and ``bidirectional_rnn/bw/``."""
    lengths = _lengths(sequence_length)
    time_axis = 0 if time_major else 1
    kw = dict(sequence_length=lengths, dtype=dtype, parallel_iterations=parallel_iterations,
              swap_memory=swap_memory, time_major=time_major)
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            out_fw, state_fw = dynamic_rnn(cell_fw, inputs, initial_state=initial_state_fw,
                                           scope=fw_scope, **kw)
        with variable_scope("bw") as bw_scope:
            x = convert_to_tensor(inputs)
            reversed_x = _reverse_time(x, lengths, time_axis)
            out_bw, state_bw = dynamic_rnn(cell_bw, reversed_x, initial_state=initial_state_bw,
                                           scope=bw_scope, **kw)
            out_bw = _reverse_time(out_bw, lengths, time_axis)
    return (out_fw, out_bw), (state_fw, state_bw)


def _input_list(inputs: Any) -> list[Tensor]:
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"Argument `inputs` must be a sequence. Received: {inputs!r}")
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    return [convert_to_tensor(x) for x in inputs]


def _reverse_steps(steps: list[Tensor], lengths: Tensor | None) -> list[Tensor]:
    """A list of ``[batch, depth]`` steps reversed in time (each row within its length)."""
    if lengths is None:
        return steps[::-1]
    return unstack(_reverse_time(stack(steps, axis=1), lengths, 1), axis=1)


def static_bidirectional_rnn(cell_fw: RNNCell, cell_bw: RNNCell, inputs: Sequence[Any],
                             initial_state_fw: Any = None, initial_state_bw: Any = None,
                             dtype: Any = None, sequence_length: Any = None,
                             scope: Any = None) -> tuple[list[Tensor], Any, Any]:
    """``tf.nn.static_bidirectional_rnn``: :func:`static_rnn` of ``cell_fw`` over the list
    ``inputs`` and of ``cell_bw`` over it reversed in time (each sequence within its
    ``sequence_length``), the backward outputs reversed back. Returns ``(outputs,
    state_fw, state_bw)`` with each output the forward and backward ones concatenated
    along axis 1; variables live under ``bidirectional_rnn/fw/`` and ``.../bw/``."""
    xs = _input_list(inputs)
    lengths = _lengths(sequence_length)
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            out_fw, state_fw = static_rnn(cell_fw, xs, initial_state_fw, dtype, lengths,
                                          scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            reversed_out, state_bw = static_rnn(cell_bw, _reverse_steps(xs, lengths),
                                                initial_state_bw, dtype, lengths,
                                                scope=bw_scope)
        out_bw = _reverse_steps(reversed_out, lengths)
        outputs = [concat([fw, bw], 1) for fw, bw in zip(out_fw, out_bw)]
    return outputs, state_fw, state_bw


def static_state_saving_rnn(cell: RNNCell, inputs: Sequence[Any], state_saver: Any,
                            state_name: Any, sequence_length: Any = None,
                            scope: Any = None) -> tuple[list[Tensor], Any]:
    """``tf.nn.static_state_saving_rnn``: :func:`static_rnn` starting from
    ``state_saver.state(name)`` and handing the final state to
    ``state_saver.save_state(name, state)``; ``state_name`` is a string, or a tuple of
    strings matching a tuple ``cell.state_size``. As TF1, the last output and the
    returned state are identities that run after every ``save_state``."""
    xs = _input_list(inputs)
    sizes = cell.state_size
    names = flatten(state_name)
    if isinstance(sizes, (tuple, list)) != isinstance(state_name, (tuple, list)):
        raise ValueError(f"Argument `state_name` should be the same type as "
                         f"`cell.state_size`. Received: state_name={state_name!r}, "
                         f"cell.state_size={sizes!r}.")
    if len(names) != len(flatten(sizes)):
        raise ValueError(f"Number of elements in argument `state_name` and "
                         f"`cell.state_size` are mismatched. Received "
                         f"state_name={state_name!r} with {len(names)} elements and "
                         f"cell.state_size={sizes!r} with {len(flatten(sizes))} elements.")
    starts = [state_saver.state(n) for n in names]
    initial = pack_as(sizes, starts) if isinstance(sizes, (tuple, list)) else starts[0]
    outputs, state = static_rnn(cell, xs, initial_state=initial,
                                sequence_length=sequence_length, scope=scope)
    saves = [state_saver.save_state(n, s) for n, s in zip(names, flatten(state))]
    with get_default_graph().control_dependencies(saves):
        outputs[-1] = identity(outputs[-1])
        leaves = [identity(s) for s in flatten(state)]
    state = pack_as(state, leaves) if isinstance(state, (tuple, list)) else leaves[0]
    return outputs, state


def _copy_finished(finished: Tensor, current: Any, candidate: Any) -> Any:
    """``candidate`` with the rows of finished entries taken from ``current`` (scalars
    pass through, as in TF1)."""
    return pack_as(candidate, [c if c.shape.ndims == 0 else where(finished, old, c)
                               for old, c in zip(flatten(current), flatten(candidate))])


def _row_zeros(batch: Any, row: Tensor) -> Tensor:
    """Zeros of shape ``[batch, *row.shape]`` and ``row``'s dtype."""
    if row.shape.is_fully_defined():
        return zeros([batch] + row.shape.as_list(), row.dtype)
    return zeros(concat([stack([batch]), shape(row)], 0), row.dtype)


def raw_rnn(cell: RNNCell, loop_fn: Any, parallel_iterations: int | None = None,
            swap_memory: bool = False, scope: Any = None) -> tuple[Any, Any, Any]:
    """``tf.nn.raw_rnn``: a while loop in which ``loop_fn(time, cell_output, cell_state,
    loop_state)`` returns ``(finished, next_input, next_cell_state, emit_output,
    next_loop_state)`` — first called with time 0 and None for the rest (its cell state then
    is the initial state, its emit output the structure to emit, or None for the cell's
    outputs; its tensors' shapes are those of one row). Each step runs ``cell`` and writes
    the emitted output at that time; rows that have finished emit zeros and keep their
    state. Stops when every row has finished; returns ``(emit_ta, final_state,
    final_loop_state)`` with TensorArrays of emitted values (``final_loop_state`` None when
    ``loop_fn`` started it as None).
    """
    if not callable(loop_fn):
        raise TypeError("loop_fn must be a callable")
    with variable_scope(scope or "rnn"):
        time = convert_to_tensor(0, name="time")
        finished, first_input, state, emit_structure, loop_state = loop_fn(time, None, None,
                                                                           None)
        first = convert_to_tensor(flatten(first_input)[0])
        batch = _dim(first, 0)
        cell.build_for(first.shape.as_list()[-1], first.dtype)  # variables outside the loop
        state = pack_as(state, [convert_to_tensor(s) for s in flatten(state)])
        if emit_structure is None:
            emit_structure = cell.output_size
            dtype = flatten(state)[0].dtype
            flat_zeros = [zeros([batch, size], dtype) for size in flatten(emit_structure)]
        else:  # the first emit output gives each row's shape (no batch axis), as TF1
            flat_zeros = [_row_zeros(batch, convert_to_tensor(e))
                          for e in flatten(emit_structure)]
        zero_emit = pack_as(emit_structure, flat_zeros)
        arrays = [TensorArray(z.dtype, size=0, dynamic_size=True, element_shape=z.shape,
                              name=f"rnn_output_{i}") for i, z in enumerate(flat_zeros)]

        def body(t: Tensor, done: Tensor, x: Any, emits: Any, state: Any,
                 loop_state: Any) -> tuple:
            output, cell_state = cell(x, state)
            done_next, next_x, next_state, emit, next_loop_state = loop_fn(
                t + 1, output, cell_state, loop_state)
            emit = _copy_finished(done, zero_emit, emit)
            flows = [ta.with_flow(flow).write(t, e).flow for ta, flow, e in
                     zip(arrays, flatten(emits), flatten(emit))]
            return (t + 1, logical_or(done, done_next), next_x, pack_as(emits, flows),
                    _copy_finished(done, state, next_state),
                    loop_state if next_loop_state is None else next_loop_state)

        loop_vars = [time, convert_to_tensor(finished), first_input,
                     pack_as(emit_structure, arrays), state,
                     convert_to_tensor(0, name="no_loop_state") if loop_state is None
                     else loop_state]
        result = while_loop(lambda t, done, *_: logical_not(reduce_all(done)), body,
                            loop_vars, parallel_iterations=parallel_iterations or 32,
                            swap_memory=swap_memory)
        _, _, _, emit_ta, final_state, final_loop_state = result
    return emit_ta, final_state, (final_loop_state if loop_state is not None else None)
