"""More of TF1's array functions: Roll, ReverseSequence, EnsureShape and BroadcastArgs as
ops; ``meshgrid``, ``linspace``, ``repeat``, ``shape_n``, ``parallel_stack``,
``broadcast_static_shape`` and ``clip_by_average_norm`` as composites of existing ops."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape, as_shape, broadcast_shapes, normalize_axis
from .broadcast_ops import broadcast_to
from .cast_ops import cast
from .comparison_ops import equal, greater, logical_and
from .fill_ops import range as range_
from .framework import apply_op, convert_to_tensor, is_tensor_like
from .gather_ops import gather
from .math_ops import add, maximum, minimum, multiply, realdiv, rsqrt, subtract
from .op_util import (_check_index_dtype, _check_vector, _linear_jvp, as_index_tensor,
                      const_int, op_scope)
from .reduce_ops import reduce_sum
from .selection_ops import where_v2
from .shape_ops import reshape, shape, size
from .stack_ops import stack

__all__ = ["roll", "reverse_sequence", "ensure_shape", "broadcast_dynamic_shape",
           "broadcast_static_shape", "meshgrid", "linspace", "lin_space", "repeat",
           "shape_n", "parallel_stack", "clip_by_average_norm"]


# ----------------------------------------------------------------------------------------
# Roll and ReverseSequence: permutations of entries, each its own kind of adjoint
# ----------------------------------------------------------------------------------------


def _roll_kernel(x: np.ndarray, shift: np.ndarray, axis: np.ndarray) -> np.ndarray:
    shifts, axes = np.reshape(shift, -1), np.reshape(axis, -1)
    if shifts.shape != axes.shape:
        raise ValueError(f"Roll: shift {shift.tolist()} and axis {axis.tolist()} must have "
                         f"the same number of entries")
    if axes.size and (axes.min() < -x.ndim or axes.max() >= x.ndim):
        raise ValueError(f"Roll: axis {axis.tolist()} is out of range for input of shape "
                         f"{x.shape}")
    return np.roll(x, tuple(int(s) for s in shifts), tuple(int(a) for a in axes))


def _roll_shape(inputs: list, attrs: dict) -> list:
    x, shift, axis = inputs
    _check_index_dtype(shift, "shift")
    _check_index_dtype(axis, "axis")
    if shift.shape.ndims not in (None, 0, 1) or not shift.shape.is_compatible_with(axis.shape):
        raise ValueError(f"shift and axis must be scalars or vectors of one length, got "
                         f"shapes {shift.shape} and {axis.shape}")
    return [(x.shape, x.dtype)]


def _roll_vjp(op: Operation, g: Tensor) -> list:
    x, shift, axis = op.inputs
    return [apply_op("Roll", [g, subtract(np.zeros((), shift.dtype.dtype), shift), axis]
                     ).outputs[0], None, None]


define_op("Roll", kernel=_roll_kernel, shape_fn=_roll_shape, vjp=_roll_vjp,
          jvp=_linear_jvp(), non_differentiable=(1, 2), view_of={},
          doc="Entries shifted cyclically along axes (shifts along one axis add up).")


def roll(input: Any, shift: Any, axis: Any, name: str | None = None) -> Tensor:
    """``tf.roll`` (``tf.manip.roll``): ``input`` with its entries shifted cyclically by
    ``shift[i]`` along ``axis[i]`` (later entries move to the front for a positive shift;
    shifts given for one axis twice add up)."""
    return apply_op("Roll", [convert_to_tensor(input), as_index_tensor(shift, "shift"),
                             as_index_tensor(axis, "axis")], name=name).outputs[0]


def _reverse_sequence_kernel(x: np.ndarray, lengths: np.ndarray, *, seq_dim: int,
                             batch_dim: int) -> np.ndarray:
    if lengths.shape != (x.shape[batch_dim],):
        raise ValueError(f"ReverseSequence: seq_lengths of shape {lengths.shape} must hold "
                         f"one length per batch entry of input {x.shape} (axis {batch_dim})")
    limit = x.shape[seq_dim]
    if lengths.size and (lengths.min() < 0 or lengths.max() > limit):
        raise ValueError(f"ReverseSequence: seq_lengths {lengths.tolist()} must be in "
                         f"[0, {limit}] (input shape {x.shape}, seq axis {seq_dim})")
    out = x.copy()
    rows, dest = (np.moveaxis(a, (batch_dim, seq_dim), (0, 1)) for a in (x, out))
    for b, length in enumerate(lengths):
        if length > 0:
            dest[b, :length] = rows[b, length - 1::-1]
    return out


def _reverse_sequence_shape(inputs: list, attrs: dict) -> list:
    x, lengths = inputs
    _check_vector(lengths, "seq_lengths")
    if x.shape.ndims is not None:
        for what in ("seq_dim", "batch_dim"):
            normalize_axis(attrs[what], x.shape.ndims, what)
        if attrs["seq_dim"] % x.shape.ndims == attrs["batch_dim"] % x.shape.ndims:
            raise ValueError(f"seq_axis and batch_axis must differ, got {attrs['seq_dim']} "
                             f"for input of shape {x.shape}")
        batch = x.shape.as_tuple()[attrs["batch_dim"]]
        if not lengths.shape.is_compatible_with([batch]):
            raise ValueError(f"seq_lengths of shape {lengths.shape} must hold one length "
                             f"per batch entry of input {x.shape}")
    return [(x.shape, x.dtype)]


def _reverse_sequence_vjp(op: Operation, g: Tensor) -> list:
    return [apply_op("ReverseSequence", [g, op.inputs[1]], op.attrs).outputs[0], None]


define_op("ReverseSequence", kernel=_reverse_sequence_kernel,
          shape_fn=_reverse_sequence_shape, vjp=_reverse_sequence_vjp, jvp=_linear_jvp(),
          non_differentiable=(1,), view_of={},
          doc="The first seq_lengths[b] entries along seq_dim of each batch entry b reversed.")


def reverse_sequence(input: Any, seq_lengths: Any, seq_axis: int | None = None,
                     batch_axis: int | None = None, name: str | None = None,
                     seq_dim: int | None = None, batch_dim: int | None = None) -> Tensor:
    """``tf.reverse_sequence``: for each ``b`` along ``batch_axis`` (default 0), reverses
    the first ``seq_lengths[b]`` entries along ``seq_axis``; the rest stay in place.
    ``seq_dim``/``batch_dim`` are TF1's older spellings."""
    seq = seq_axis if seq_axis is not None else seq_dim
    if seq is None or (seq_axis is not None and seq_dim is not None):
        raise ValueError("reverse_sequence needs exactly one of seq_axis and seq_dim")
    if batch_axis is not None and batch_dim is not None:
        raise ValueError("reverse_sequence takes batch_axis or batch_dim, not both")
    batch = batch_axis if batch_axis is not None else batch_dim if batch_dim is not None else 0
    x = convert_to_tensor(input)
    return apply_op("ReverseSequence", [x, as_index_tensor(seq_lengths, "seq_lengths")],
                    {"seq_dim": int(seq), "batch_dim": int(batch)}, name=name).outputs[0]


# ----------------------------------------------------------------------------------------
# EnsureShape and BroadcastArgs
# ----------------------------------------------------------------------------------------


def _ensure_shape_kernel(x: np.ndarray, *, shape: TensorShape) -> np.ndarray:
    if not shape.is_compatible_with(x.shape):
        raise ValueError(f"EnsureShape: the tensor's shape {list(x.shape)} is not compatible "
                         f"with the expected shape {shape}")
    return x


def _ensure_shape_shape(inputs: list, attrs: dict) -> list:
    x, expected = inputs[0], attrs["shape"]
    if not x.shape.is_compatible_with(expected):
        raise ValueError(f"the input's shape {x.shape} is not compatible with the expected "
                         f"shape {expected}")
    return [(x.shape.merge_with(expected), x.dtype)]


def _identity_vjp(op: Operation, g: Tensor) -> list:
    return [g]


define_op("EnsureShape", kernel=_ensure_shape_kernel, shape_fn=_ensure_shape_shape,
          vjp=_identity_vjp, jvp=_linear_jvp(), view_of={0: (0,)},
          doc="The input unchanged, after checking its shape against a partial shape.")


def ensure_shape(x: Any, shape: Any, name: str | None = None) -> Tensor:
    """``tf.ensure_shape``: ``x`` unchanged, with its static shape refined to ``shape``
    (``None`` entries match any size); a shape that cannot match is a ``ValueError`` when
    the graph is built, a mismatch found when it runs an ``InvalidArgumentError``."""
    return apply_op("EnsureShape", [convert_to_tensor(x)], {"shape": as_shape(shape)},
                    name=name).outputs[0]


def _broadcast_args_kernel(s0: np.ndarray, s1: np.ndarray) -> np.ndarray:
    try:
        out = np.broadcast_shapes(tuple(int(d) for d in s0), tuple(int(d) for d in s1))
    except ValueError:
        raise ValueError(f"BroadcastArgs: incompatible shapes: {s0.tolist()} vs. "
                         f"{s1.tolist()}") from None
    return np.array(out, dtype=s0.dtype)


def _broadcast_args_shape(inputs: list, attrs: dict) -> list:
    s0, s1 = inputs
    _check_vector(s0, "shape_x")
    _check_vector(s1, "shape_y")
    if s0.dtype != s1.dtype:
        raise TypeError(f"shape_x ({s0.dtype.name}) and shape_y ({s1.dtype.name}) must have "
                        f"one dtype")
    n0, n1 = (s.shape.as_tuple()[0] if s.shape.ndims else None for s in (s0, s1))
    return [(TensorShape([None if n0 is None or n1 is None else max(n0, n1)]), s0.dtype)]


define_op("BroadcastArgs", kernel=_broadcast_args_kernel, shape_fn=_broadcast_args_shape,
          view_of={}, doc="The shape two shapes broadcast to.")


def broadcast_dynamic_shape(shape_x: Any, shape_y: Any) -> Tensor:
    """``tf.broadcast_dynamic_shape``: the shape (a 1-D int tensor) that shapes
    ``shape_x`` and ``shape_y`` broadcast to; an error when they cannot."""
    sx = as_index_tensor(shape_x, "shape_x")
    sy = convert_to_tensor(shape_y, dtype=sx.dtype)
    return apply_op("BroadcastArgs", [sx, sy], name="BroadcastArgs").outputs[0]


def broadcast_static_shape(shape_x: Any, shape_y: Any) -> TensorShape:
    """``tf.broadcast_static_shape``: the TensorShape two partial shapes broadcast to
    (``None`` where it is not known); ``ValueError`` when they cannot broadcast."""
    x, y = as_shape(shape_x), as_shape(shape_y)
    try:
        return broadcast_shapes(x, y)
    except ValueError:
        raise ValueError(f"Incompatible shapes for broadcasting: {x} and {y}") from None


# ----------------------------------------------------------------------------------------
# Composites: meshgrid, linspace, repeat, shape_n, parallel_stack, clip_by_average_norm
# ----------------------------------------------------------------------------------------


def _dim(x: Tensor, axis: int) -> int | Tensor:
    """The size of ``x`` along ``axis``: an int when static, else a scalar int32 tensor."""
    known = x.shape.as_tuple()[axis] if x.shape.ndims is not None else None
    return known if known is not None else gather(shape(x), axis)


def meshgrid(*args: Any, **kwargs: Any) -> list[Tensor]:
    """``tf.meshgrid``: N-D coordinate arrays from 1-D ``args``. With ``indexing="xy"``
    (the default, Cartesian) the first two output dimensions are swapped relative to
    ``"ij"`` (matrix indexing): outputs have shape ``[len(y), len(x), ...]``."""
    indexing = kwargs.pop("indexing", "xy")
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"meshgrid got unexpected keyword arguments {sorted(kwargs)}")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}")
    with op_scope(name, "meshgrid", list(args)):
        xs = [reshape(convert_to_tensor(a), [-1]) for a in args]
        ndim = len(xs)
        place = list(range(ndim))
        if indexing == "xy" and ndim > 1:
            place[0], place[1] = 1, 0
        sizes: list[Any] = [None] * ndim
        for x, p in zip(xs, place):
            sizes[p] = _dim(x, 0)
        full = sizes if all(isinstance(s, int) for s in sizes) else stack(
            [convert_to_tensor(s, dtype=dtypes.int32) for s in sizes])
        outs = []
        for x, p in zip(xs, place):
            target = [1] * ndim
            target[p] = -1
            grid = broadcast_to(reshape(x, target), full)
            grid.set_shape([s if isinstance(s, int) else None for s in sizes])
            outs.append(grid)
        return outs


def linspace(start: Any, stop: Any, num: Any, name: str | None = None,
             axis: int = 0) -> Tensor:
    """``tf.linspace`` / ``tf.lin_space``: ``num`` evenly spaced values from ``start`` to
    ``stop`` (both included; ``[start]`` when ``num`` is 1). Integer bounds give float64,
    as in TF. Differentiable in ``start`` and ``stop``."""
    if axis != 0:
        raise ValueError(f"linspace: only axis=0 is supported for scalar bounds, got {axis}")
    with op_scope(name, "linspace", [start, stop]) as scope:
        lo = convert_to_tensor(start)
        if lo.dtype.is_integer:
            lo = cast(lo, dtypes.float64)
        hi = convert_to_tensor(stop) if is_tensor_like(stop) else \
            convert_to_tensor(stop, dtype=lo.dtype)
        hi = cast(hi, lo.dtype) if hi.dtype != lo.dtype else hi
        if lo.shape.ndims not in (None, 0) or hi.shape.ndims not in (None, 0):
            raise ValueError(f"linspace: start and stop must be scalars, got shapes "
                             f"{lo.shape} and {hi.shape}")
        n = as_index_tensor(num, "num")
        steps = range_(n)
        last = subtract(n, np.array(1, n.dtype.dtype))
        delta = realdiv(subtract(hi, lo), cast(maximum(last, 1), lo.dtype))
        values = add(lo, multiply(cast(steps, lo.dtype), delta))
        # The last value is ``stop`` itself, not the rounded start + (num-1) * delta.
        at_end = logical_and(equal(steps, last), greater(n, 1))
        return where_v2(at_end, hi, values, name=scope)


lin_space = linspace


def _repeat_kernel(x: np.ndarray, repeats: np.ndarray) -> np.ndarray:
    if repeats.size not in (1, x.size) or repeats.ndim > 1:
        raise ValueError(f"Repeat: repeats of shape {repeats.shape} must be a scalar or "
                         f"hold one count per entry ({x.size})")
    if repeats.size and repeats.min() < 0:
        raise ValueError(f"Repeat: repeats must be >= 0, got {repeats.tolist()}")
    return np.repeat(x, np.reshape(repeats, -1) if repeats.ndim else int(repeats))


def _repeat_shape(inputs: list, attrs: dict) -> list:
    x, repeats = inputs
    _check_index_dtype(x, "the positions")
    _check_index_dtype(repeats, "repeats")
    return [(TensorShape([None]), x.dtype)]


define_op("Repeat", kernel=_repeat_kernel, shape_fn=_repeat_shape, view_of={},
          doc="Each entry of an int vector repeated (repeats: one count or one per entry); "
              "tf.repeat gathers with it.")


def repeat(input: Any, repeats: Any, axis: Any = None, name: str | None = None) -> Tensor:
    """``tf.repeat``: each slice of ``input`` along ``axis`` repeated ``repeats`` times
    (one count for all, or one per slice); with ``axis=None`` the flattened input.
    Differentiable in ``input`` (a gather of the repeated positions)."""
    with op_scope(name, "Repeat", [input, repeats]) as scope:
        x = convert_to_tensor(input)
        if axis is None:
            x, axis = reshape(x, [-1]), 0
        if x.shape.ndims is None:
            raise ValueError(f"repeat: the input needs a known rank, got shape {x.shape}")
        axis = normalize_axis(const_int(axis, "repeat's axis"), x.shape.ndims, "repeat axis")
        positions = range_(_dim(x, axis))
        picks = apply_op("Repeat", [positions, as_index_tensor(repeats, "repeats")]).outputs[0]
        return gather(x, picks, axis=axis, name=scope)


def shape_n(input: Sequence[Any], out_type: Any = dtypes.int32,
            name: str | None = None) -> list[Tensor]:
    """``tf.shape_n``: the shapes of several tensors, as 1-D int tensors."""
    with op_scope(name, "ShapeN", list(input)):
        return [shape(x, out_type=out_type) for x in input]


def parallel_stack(values: Sequence[Any], name: str = "parallel_stack") -> Tensor:
    """``tf.parallel_stack``: ``stack(values, axis=0)``. TF1 copies the inputs into the
    output as each becomes ready (no gradient, fully known shapes required); here the
    values are the same and the gradient is stack's."""
    tensors = [convert_to_tensor(v) for v in values]
    for t in tensors:
        if not t.shape.is_fully_defined():
            raise ValueError(f"parallel_stack needs fully defined input shapes, got "
                             f"{t.shape} for {t.name}")
    return stack(tensors, axis=0, name=name)


def clip_by_average_norm(t: Any, clip_norm: Any, name: str | None = None) -> Tensor:
    """``tf.clip_by_average_norm``: ``t * clip_norm / max(l2norm(t) / size(t),
    clip_norm)``: ``t`` unchanged when its L2 norm averaged over its entries is at most
    ``clip_norm``, else scaled down to that average norm."""
    with op_scope(name, "clip_by_average_norm", [t, clip_norm]) as scope:
        x = convert_to_tensor(t)
        c = convert_to_tensor(clip_norm, dtype=x.dtype)
        n = cast(size(x), x.dtype)
        inverse_norm = rsqrt(reduce_sum(multiply(x, x)))
        scale = minimum(multiply(inverse_norm, n), realdiv(np.array(1, x.dtype.dtype), c))
        return multiply(multiply(x, c), scale, name=scope)
