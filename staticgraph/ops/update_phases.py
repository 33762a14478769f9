"""Shared pieces of the variable-writing ops' commit phases (``OpDef.commit``).

A writing op that declares a :class:`~staticgraph.core.registry.CommitPhase` splits its
kernel in two: ``prepare`` checks everything and writes nothing; ``commit`` writes in
place into the variables' own arrays at the end of the plan, when nothing can fail any
more (see ``compiler/passes/commit_phase``). Both halves compute the same bits as the
op's one-piece kernel, which stays for plans where the split is not sound.

Here: the locks a commit holds, the blocks a dense commit walks so that its temporaries
stay small, and the commit phase of the fused dense updates (``ApplyAdam``, ...), whose
arithmetic is one elementwise ``rule`` shared with their one-piece kernels.
"""
from __future__ import annotations

import contextlib
import math
from typing import Any, Callable, ContextManager, Iterator, Sequence

import numpy as np

from ..core.registry import CommitPhase

__all__: list[str] = []

# Elements per block of a dense commit: its temporaries are a few blocks (512 KiB of
# float64), whatever the size of the variable.
BLOCK = 1 << 16


def locks(state: Any, keys: Sequence[str], use_locking: bool) -> ContextManager[Any]:
    """The variables' locks when ``use_locking`` (TF1's attribute), else nothing."""
    return state.locked(keys) if use_locking else contextlib.nullcontext()


def blocks(array: np.ndarray) -> Iterator[Any]:
    """Indices of ``array`` by blocks of whole rows of about :data:`BLOCK` elements
    (``...`` once for a 0-d array), covering it once."""
    if array.ndim == 0:
        yield ...
        return
    step = max(1, BLOCK // max(1, math.prod(array.shape[1:])))
    for start in range(0, array.shape[0], step):
        yield slice(start, start + step)


def var_keys_of(attrs: dict) -> tuple[str, ...]:
    """The variables of an op with a ``var_keys`` attribute (an update and its slots)."""
    return tuple(attrs["var_keys"])


def var_key_of(attrs: dict) -> tuple[str, ...]:
    """The variable of an op with a ``var_key`` attribute (assign, scatter)."""
    return (attrs["var_key"],)


def check_refs(refs: Sequence[np.ndarray], grad: np.ndarray, var_keys: tuple) -> None:
    """Run-time check that the gradient and the slots have the variable's shape."""
    var = refs[0]
    for key, ref in zip(var_keys[1:], refs[1:]):
        if ref.shape != var.shape:
            raise ValueError(f"slot {key} has shape {list(ref.shape)} but its variable "
                             f"{var_keys[0]} has shape {list(var.shape)}")
    if grad.shape != var.shape:
        raise ValueError(f"var {var_keys[0]} has shape {list(var.shape)} but its gradient "
                         f"has shape {list(grad.shape)}")


def dense_update_kernel(rule: Callable[..., tuple], num_refs: int) -> Callable[..., Any]:
    """The one-piece kernel of a fused dense update: ``rule(*refs, *scalars, grad,
    **attrs)`` (scalars as Python floats) gives new arrays, one per ref (the variable
    first), stored as new values (in the variable's dtype)."""

    def kernel(state: Any, *inputs: np.ndarray, var_keys: tuple, **attrs: Any) -> np.ndarray:
        refs, grad = inputs[:num_refs], inputs[-1]
        check_refs(refs[:1], grad, var_keys)
        new = rule(*refs, *[float(s) for s in inputs[num_refs:-1]], grad, **attrs)
        dtype = refs[0].dtype
        for key, value in zip(var_keys[1:], new[1:]):
            state.assign(key, value.astype(dtype, copy=False))
        return state.assign(var_keys[0], new[0].astype(dtype, copy=False))
    kernel.__doc__ = rule.__doc__
    return kernel


def dense_update_phase(rule: Callable[..., tuple], num_refs: int,
                       in_place: Callable[..., None] | None = None) -> CommitPhase:
    """The commit phase of a fused dense update (see :func:`dense_update_kernel`): the
    rule runs block by block on the variable and slot arrays and its results are copied
    into them (it is elementwise, so the bits are those of the whole-array kernel).
    ``in_place``, with the rule's arguments, writes the same bits straight into the
    blocks it is given, sparing the copy."""

    def prepare(state: Any, *inputs: np.ndarray, var_keys: tuple, use_locking: bool = False,
                **attrs: Any) -> tuple:
        check_refs(inputs[:num_refs], inputs[-1], var_keys)
        return (var_keys, use_locking, [float(s) for s in inputs[num_refs:-1]], inputs[-1],
                attrs)

    def commit(state: Any, pending: tuple) -> np.ndarray:
        var_keys, use_locking, scalars, grad, attrs = pending
        with locks(state, var_keys, use_locking):
            arrays = [state.commit_target(key) for key in var_keys]
            for block in blocks(arrays[0]):
                if in_place is not None:
                    in_place(*[a[block] for a in arrays], *scalars, grad[block], **attrs)
                    continue
                new = rule(*[a[block] for a in arrays], *scalars, grad[block], **attrs)
                for array, value in zip(arrays, new):
                    array[block] = value
        return arrays[0]

    return CommitPhase(prepare, commit, var_keys_of, refs=num_refs)
