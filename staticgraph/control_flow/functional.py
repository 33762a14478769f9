"""``tf.map_fn``, ``tf.scan``, ``tf.foldl`` and ``tf.foldr``: one ``tf.while_loop`` over the
first axis of ``elems``, reading slices from and writing results to ``TensorArray`` s, so
gradients flow through the loop's own rules.

``parallel_iterations`` and ``swap_memory`` are accepted (iterations run one after another
and everything stays in memory); ``back_prop=False`` stops gradients.
"""
from __future__ import annotations

from typing import Any, Callable

from ..core.graph import Tensor, name_scope
from ..ops.framework import convert_to_tensor
from ..ops.shape_ops import shape
from .nest import flatten, is_sequence, pack_as
from .tensor_array import TensorArray
from .while_loop import while_loop

__all__ = ["map_fn", "scan", "foldl", "foldr"]


def _leading_size(flat: list[Tensor]) -> Any:
    first = flat[0].shape
    if first.ndims is not None and first.as_tuple()[0] is not None:
        return int(first.as_tuple()[0])
    return shape(flat[0])[0]


def _readers(elems: Any) -> tuple[list[TensorArray], Any, list[Tensor]]:
    flat = [convert_to_tensor(e) for e in flatten(elems)]
    if not flat:
        raise ValueError("elems must be a tensor or a non-empty structure of tensors")
    for e in flat:
        if e.shape.ndims == 0:
            raise ValueError(f"elems must have a first axis to iterate over, got {e.name} "
                             "with shape []")
    arrays = [TensorArray(e.dtype, size=0, dynamic_size=True).unstack(e) for e in flat]
    return arrays, _leading_size(flat), flat


def _loop(step: Callable[[Tensor, list], tuple[list, list]], n: Any, carried: list,
          outs: list[TensorArray], back_prop: bool, swap_memory: bool,
          parallel_iterations: int, reverse: bool, start: int = 0) -> tuple[list, list]:
    """Runs ``step(i, carried) -> (carried, emitted)`` for the first axis' positions i,
    skipping the first ``start`` (the last ones when ``reverse``), writing ``emitted`` into
    ``outs``; returns the final carried values and the emitted values, stacked."""
    shapes: list = [None] * len(outs)

    def body(k: Tensor, carry: list, arrays: list) -> tuple:
        i = n - 1 - k if reverse else k
        new_carry, emitted = step(i, carry)
        for j, e in enumerate(emitted):
            shapes[j] = e.shape
        return k + 1, new_carry, [a.write(i, e) for a, e in zip(arrays, emitted)]

    _, carry, outs = while_loop(lambda k, c, a: k < n, body,
                                [convert_to_tensor(start), carried, outs],
                                parallel_iterations=parallel_iterations,
                                back_prop=back_prop, swap_memory=swap_memory)
    stacked = []
    for a, s in zip(outs, shapes):
        value = a.stack()
        if s is not None and s.ndims is not None:
            value.set_shape([n if isinstance(n, int) else None] + s.as_list())
        stacked.append(value)
    return carry, stacked


def map_fn(fn: Callable[[Any], Any], elems: Any, dtype: Any = None,
           parallel_iterations: int | None = None, back_prop: bool = True,
           swap_memory: bool = False, infer_shape: bool = True,
           name: str | None = None) -> Any:
    """``tf.map_fn``: ``fn`` applied to each slice of ``elems`` along axis 0, results stacked.

    ``elems`` may be a nested structure (``fn`` gets slices in that structure); ``dtype``
    gives the structure and dtypes of ``fn``'s result when it differs from ``elems``'.
    """
    with name_scope(name or "map"):
        arrays, n, flat = _readers(elems)
        out_structure = elems if dtype is None else dtype
        out_dtypes = [e.dtype for e in flat] if dtype is None else list(flatten(dtype))

        def step(i: Tensor, carry: list) -> tuple[list, list]:
            result = fn(pack_as(elems, [a.read(i) for a in arrays]))
            flat_result = [convert_to_tensor(r) for r in flatten(result)]
            if len(flat_result) != len(out_dtypes):
                raise ValueError(f"map_fn: fn returned {len(flat_result)} tensors but "
                                 f"dtype describes {len(out_dtypes)}; pass dtype= when fn's "
                                 "output structure differs from elems'")
            return carry, flat_result

        outs = [TensorArray(d, size=n) for d in out_dtypes]
        _, stacked = _loop(step, n, [], outs, back_prop, swap_memory,
                           parallel_iterations or 10, reverse=False)
        return pack_as(out_structure, stacked) if is_sequence(out_structure) else stacked[0]


def _accumulate(fn: Callable[[Any, Any], Any], elems: Any, initializer: Any, reverse: bool,
                emit: bool, back_prop: bool, swap_memory: bool,
                parallel_iterations: int) -> tuple[Any, Any]:
    arrays, n, flat = _readers(elems)
    start, first = 0, 0
    if initializer is None:
        first = n - 1 if reverse else 0
        init_structure = elems
        init = [a.read(first) for a in arrays]
        start = 1
    else:
        init_structure = initializer
        init = [convert_to_tensor(v) for v in flatten(initializer)]

    def step(i: Tensor, carry: list) -> tuple[list, list]:
        result = fn(pack_as(init_structure, carry), pack_as(elems, [a.read(i) for a in arrays]))
        flat_result = [convert_to_tensor(r) for r in flatten(result)]
        if len(flat_result) != len(carry):
            raise ValueError(f"fn returned {len(flat_result)} tensors for an accumulator of "
                             f"{len(carry)}: its output must have the initializer's "
                             "structure")
        return flat_result, flat_result if emit else []

    outs = []
    if emit:
        outs = [TensorArray(t.dtype, size=n) for t in init]
        if start:
            outs = [a.write(first, t) for a, t in zip(outs, init)]
    carry, stacked = _loop(step, n, init, outs, back_prop, swap_memory,
                           parallel_iterations, reverse, start)
    return pack_as(init_structure, carry), (pack_as(init_structure, stacked) if emit else None)


def scan(fn: Callable[[Any, Any], Any], elems: Any, initializer: Any = None,
         parallel_iterations: int = 10, back_prop: bool = True, swap_memory: bool = False,
         infer_shape: bool = True, reverse: bool = False, name: str | None = None) -> Any:
    """``tf.scan``: ``a = fn(a, x)`` over the slices ``x`` of ``elems`` (last to first when
    ``reverse``), stacking every ``a``. Without ``initializer`` the first slice starts ``a``
    and is the first result."""
    with name_scope(name or "scan"):
        return _accumulate(fn, elems, initializer, reverse, True, back_prop, swap_memory,
                           parallel_iterations)[1]


def foldl(fn: Callable[[Any, Any], Any], elems: Any, initializer: Any = None,
          parallel_iterations: int = 10, back_prop: bool = True, swap_memory: bool = False,
          name: str | None = None) -> Any:
    """``tf.foldl``: the last ``a`` of ``a = fn(a, x)`` over ``elems``' slices, first to last
    (``a`` starts at ``initializer``, else at the first slice)."""
    with name_scope(name or "foldl"):
        return _accumulate(fn, elems, initializer, False, False, back_prop, swap_memory,
                           parallel_iterations)[0]


def foldr(fn: Callable[[Any, Any], Any], elems: Any, initializer: Any = None,
          parallel_iterations: int = 10, back_prop: bool = True, swap_memory: bool = False,
          name: str | None = None) -> Any:
    """``tf.foldr``: as :func:`foldl`, from the last slice to the first."""
    with name_scope(name or "foldr"):
        return _accumulate(fn, elems, initializer, True, False, back_prop, swap_memory,
                           parallel_iterations)[0]
