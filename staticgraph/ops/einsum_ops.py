"""Contractions: ``tensordot`` and ``einsum``."""
from __future__ import annotations

import functools
import string
from typing import Any

import numpy as np

from ..core.graph import Operation, Tensor
from ..core.registry import EVERY, define_op
from ..core.shapes import TensorShape, normalize_axis
from . import shape_ops
from .framework import apply_op, check_same_dtype, constant_value, convert_n
from .math_ops import add_n, broadcast_like, conj
from .reduce_ops import reduced_shape

__all__ = [
    "tensordot", "einsum",
]


# ----------------------------------------------------------------------------------------
# Einsum and tensordot
# ----------------------------------------------------------------------------------------

_ELLIPSIS = "..."


def _split_equation(equation: str) -> tuple[list[str], str]:
    """An explicit equation ``"ab,bc->ac"`` as (input subscripts, output subscripts)."""
    lhs, out = equation.split("->")
    return lhs.split(","), out


def _implicit_output(inputs: list[str]) -> str:
    """NumPy's/TF's output for an equation without ``->``: the ellipsis, then the letters
    seen exactly once, sorted."""
    letters = "".join(s.replace(_ELLIPSIS, "") for s in inputs)
    once = sorted(c for c in set(letters) if letters.count(c) == 1)
    return (_ELLIPSIS if any(_ELLIPSIS in s for s in inputs) else "") + "".join(once)


def _expand_ellipsis(inputs: list[str], out: str, ranks: list[int]) -> tuple[list[str], str]:
    """Replaces ``...`` by unused letters (right-aligned, broadcasting like NumPy)."""
    used = set("".join(inputs) + out)
    spare = [c for c in string.ascii_letters if c not in used]
    widths = []
    for subs, rank in zip(inputs, ranks):
        width = rank - len(subs.replace(_ELLIPSIS, "")) if _ELLIPSIS in subs else 0
        if width < 0:
            raise ValueError(f"subscripts {subs!r} have more letters than the input's rank "
                             f"{rank}")
        widths.append(width)
    letters = "".join(spare[:max(widths, default=0)])
    expanded = [s.replace(_ELLIPSIS, letters[len(letters) - w:]) for s, w in zip(inputs, widths)]
    return expanded, out.replace(_ELLIPSIS, letters)


def _normalize_equation(equation: str, operands: list[Tensor]) -> str:
    """``equation`` in explicit form, with ``...`` expanded when every rank is known."""
    eq = equation.replace(" ", "")
    if eq.count("->") > 1:
        raise ValueError(f"invalid einsum equation {equation!r}")
    lhs, _, out = eq.partition("->")
    inputs = lhs.split(",")
    if "->" not in eq:
        out = _implicit_output(inputs)
    if len(inputs) != len(operands):
        raise ValueError(f"einsum equation {equation!r} names {len(inputs)} inputs, got "
                         f"{len(operands)}")
    for subs in inputs + [out]:
        letters = subs.replace(_ELLIPSIS, "", 1)
        if any(c not in string.ascii_letters for c in letters):
            raise ValueError(f"invalid subscripts {subs!r} in einsum equation {equation!r}")
    ranks = [t.shape.ndims for t in operands]
    if _ELLIPSIS in eq and None not in ranks:
        inputs, out = _expand_ellipsis(inputs, out, ranks)
    return ",".join(inputs) + "->" + out


def _letter_sizes(inputs: list[str], shapes: list[TensorShape]) -> dict[str, int | None]:
    """Each letter's size (None if unknown); size-1 dims broadcast, as in NumPy."""
    sizes: dict[str, int | None] = {}
    seen_unknown: set[str] = set()
    for subs, shape in zip(inputs, shapes):
        if shape.ndims is None:
            continue
        if len(subs) != shape.ndims:
            raise ValueError(f"subscripts {subs!r} do not match an input of shape {shape}")
        for letter, dim in zip(subs, shape.as_list()):
            if dim is None:
                seen_unknown.add(letter)
                continue
            known = sizes.get(letter)
            if known is not None and dim != known and 1 not in (dim, known):
                raise ValueError(f"index {letter!r} has size {known} in one input and {dim} "
                                 "in another")
            sizes[letter] = dim if known in (None, 1) else known
    for letter in seen_unknown:
        if sizes.get(letter) in (None, 1):
            sizes[letter] = None
    return sizes


def _einsum_shape(inputs: list, attrs: dict) -> list:
    dtype = check_same_dtype(inputs)
    equation = attrs["equation"]
    if _ELLIPSIS in equation:
        return [(TensorShape(None), dtype)]
    subs, out = _split_equation(equation)
    if len(set(out)) != len(out):
        raise ValueError(f"output subscripts {out!r} repeat an index")
    missing = set(out) - set("".join(subs))
    if missing:
        raise ValueError(f"output index {sorted(missing)[0]!r} appears in no input")
    sizes = _letter_sizes(subs, [t.shape for t in inputs])
    return [(TensorShape([sizes.get(c) for c in out]), dtype)]


# Below this many multiply-adds, NumPy's plain einsum loop beats planning BLAS calls.
_PLAIN_EINSUM_WORK = 50_000


@functools.lru_cache(maxsize=256)
def _contraction_path(equation: str, shapes: tuple) -> Any:
    """NumPy's contraction order for these shapes (pairwise BLAS calls where possible), or
    None when the contraction is small enough for the plain einsum loop."""
    subs, _ = _split_equation(equation)
    sizes = {c: d for s, shape in zip(subs, shapes) for c, d in zip(s, shape)}
    if len(shapes) < 2 or int(np.prod(list(sizes.values()), dtype=np.float64)) < \
            _PLAIN_EINSUM_WORK:
        return None
    dummies = [np.broadcast_to(np.zeros((), np.float64), s) for s in shapes]
    return np.einsum_path(equation, *dummies, optimize="greedy")[0]


def _einsum_kernel(*operands: np.ndarray, equation: str) -> np.ndarray:
    path = _contraction_path(equation, tuple(np.shape(o) for o in operands))
    if path is None:
        return np.einsum(equation, *operands)
    return np.einsum(equation, *operands, optimize=path)


def _full_size_letters(out: str, others: list[tuple[str, TensorShape]]) -> set[str]:
    """Letters whose full (broadcast) size the output gradient or another operand has:
    every output letter, and letters of other operands not statically of size 1."""
    letters = set(out)
    for subs, shape in others:
        dims = shape.as_list() if shape.ndims is not None else [None] * len(subs)
        letters.update(c for c, d in zip(subs, dims) if d != 1)
    return letters


def _operand_gradient(op: Operation, g: Tensor, k: int) -> Tensor:
    """d/d(operand k) of an einsum: the einsum of the output gradient with the other
    operands into operand k's subscripts; letters that only operand k has at full size
    (or where it has size 1) are summed away and broadcast back."""
    equation = op.get_attr("equation")
    if _ELLIPSIS in equation:
        raise NotImplementedError(f"the gradient of einsum {equation!r} needs the ranks of "
                                  "its inputs to be known")
    subs, out = _split_equation(equation)
    x = op.inputs[k]
    if len(set(subs[k])) != len(subs[k]):
        raise NotImplementedError(f"the gradient of einsum {equation!r} with respect to "
                                  f"input {k} (a repeated index: trace or diagonal) is not "
                                  "supported")
    others = [s for j, s in enumerate(subs) if j != k]
    dims = x.shape.as_list() if x.shape.ndims is not None else [None] * len(subs[k])
    full = _full_size_letters(out, [(s, t.shape) for j, (s, t) in
                                    enumerate(zip(subs, op.inputs)) if j != k])
    kept = [i for i, c in enumerate(subs[k]) if c in full and dims[i] != 1]
    target = "".join(subs[k][i] for i in kept)
    # The other operands conjugated for complex inputs (TF's convention; real: no op).
    operands = [g] + [conj(t) for j, t in enumerate(op.inputs) if j != k]
    if others or target != out:
        g = einsum(",".join([out] + others) + "->" + target, *operands)
    if len(kept) == len(dims):
        return g
    summed = tuple(i for i in range(len(dims)) if i not in kept)
    return broadcast_like(shape_ops.reshape(g, reduced_shape(x, summed)), x)


def _einsum_vjp(op: Operation, g: Tensor) -> list:
    return [_operand_gradient(op, g, k) for k in range(len(op.inputs))]


def _einsum_jvp(op: Operation, *tangents: Tensor | None) -> list:
    equation = op.get_attr("equation")
    parts = [einsum(equation, *(t if j == k else x for j, x in enumerate(op.inputs)))
             for k, t in enumerate(tangents) if t is not None]
    return [parts[0] if len(parts) == 1 else add_n(parts)]


define_op("Einsum", kernel=_einsum_kernel, shape_fn=_einsum_shape, vjp=_einsum_vjp,
          jvp=_einsum_jvp,
          view_of={0: (EVERY,)})


def einsum(equation: str, *inputs: Any, **kwargs: Any) -> Tensor:
    """``tf.einsum(equation, *inputs, name=None)``: Einstein summation (NumPy's einsum).

    Gradients need known ranks and no repeated index within one input.
    """
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"einsum() got unexpected keyword arguments {sorted(kwargs)}")
    tensors = convert_n(list(inputs), "Einsum")
    attrs = {"equation": _normalize_equation(equation, tensors)}
    return apply_op("Einsum", tensors, attrs, name=name or "einsum").outputs[0]


def _tensordot_axes(axes: Any, rank_a: int, rank_b: int) -> tuple[list[int], list[int]]:
    if isinstance(axes, Tensor):
        value = constant_value(axes)
        if value is None:
            raise TypeError(f"tensordot: axes must be known when the graph is built, got "
                            f"{axes!r}")
        axes = value.tolist()
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0 or n > min(rank_a, rank_b):
            raise ValueError(f"'axes' must be in [0, {min(rank_a, rank_b)}], got {n}")
        return list(range(rank_a - n, rank_a)), list(range(n))
    if not isinstance(axes, (list, tuple, np.ndarray)) or len(axes) != 2:
        raise ValueError(f"'axes' must be an int or a pair of axis lists, got {axes!r}")
    a_axes, b_axes = (np.atleast_1d(np.asarray(v)).tolist() for v in axes)
    if len(a_axes) != len(b_axes):
        raise ValueError(f"Different number of contraction axes 'a' and 'b', "
                         f"{len(a_axes)} != {len(b_axes)}.")
    return ([normalize_axis(int(i), rank_a) for i in a_axes],
            [normalize_axis(int(i), rank_b) for i in b_axes])


def tensordot(a: Any, b: Any, axes: Any, name: str | None = None) -> Tensor:
    """``tf.tensordot``: sums a's ``axes[0]`` against b's ``axes[1]`` (or a's last N
    against b's first N for an int N); the result has a's then b's remaining dims."""
    ta, tb = convert_n([a, b], "Tensordot")
    if ta.shape.ndims is None or tb.shape.ndims is None:
        raise ValueError(f"tensordot needs inputs of known rank, got shapes {ta.shape} and "
                         f"{tb.shape}")
    a_axes, b_axes = _tensordot_axes(axes, ta.shape.ndims, tb.shape.ndims)
    letters = iter(string.ascii_letters)
    sub_a = [next(letters) for _ in range(ta.shape.ndims)]
    sub_b = [next(letters) for _ in range(tb.shape.ndims)]
    for i, j in zip(a_axes, b_axes):
        da, db = ta.shape.as_tuple()[i], tb.shape.as_tuple()[j]
        if da is not None and db is not None and da != db:
            raise ValueError(f"tensordot: axis {i} of a (shape {ta.shape}) and axis {j} of b "
                             f"(shape {tb.shape}) differ: {da} != {db}")
        sub_b[j] = sub_a[i]
    free = [c for i, c in enumerate(sub_a) if i not in a_axes] + \
        [c for j, c in enumerate(sub_b) if j not in b_axes]
    equation = "".join(sub_a) + "," + "".join(sub_b) + "->" + "".join(free)
    return apply_op("Einsum", [ta, tb], {"equation": equation},
                    name=name or "Tensordot").outputs[0]
