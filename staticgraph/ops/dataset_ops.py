"""The ops behind ``tf.data`` iterators, and the per-session iterator store.

A dataset is a Python description (``staticgraph.data``); the graph only holds
``MakeIterator`` (an iterator's initializer: it starts a fresh pass over the dataset
in this session, given the values of the graph tensors the dataset reads, such as
placeholders) and ``IteratorGetNext`` (pulls the next element). Both are stateful
and receive the session state; each session keeps its own iterator positions, so two
sessions on one graph iterate independently.

A dataset object given to these ops provides ``_start(state, values)`` returning a
Python iterator of flat element tuples (one NumPy array per component); ``values`` maps
``id(tensor)`` to the value of each tensor the dataset reads.

Feedable iterators (TF1's ``string_handle`` / ``Iterator.from_string_handle``): an
iterator's handle is its key as a string scalar; ``IteratorGetNextFromHandle`` pulls
from whichever iterator the fed handle names, after checking that its elements have
the dtypes the feedable iterator was declared with.
"""
from __future__ import annotations

import weakref
from typing import Any, Iterator

import numpy as np

from ..core import dtypes, errors
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op

__all__ = ["make_iterator", "iterator_get_next", "close_iterators", "iterator_string_handle",
           "iterator_get_next_from_handle"]

# session state -> {iterator key: the running Python iterator}
_RUNNING: "weakref.WeakKeyDictionary[Any, dict[str, Iterator[tuple]]]" = (
    weakref.WeakKeyDictionary())


# iterator key -> the (TensorShape, DType) of each component, for handle lookups
_SPECS: dict[str, tuple] = {}


def _iterators_of(state: Any) -> dict[str, Iterator[tuple]]:
    table = _RUNNING.get(state)
    if table is None:
        table = _RUNNING[state] = {}
    return table


def _input_values(inputs: tuple, values: tuple) -> dict[int, Any]:
    return {id(t): v for t, v in zip(inputs, values)}


def _make_iterator_kernel(state: Any, *values: Any, iterator_key: str, dataset: Any,
                          inputs: tuple) -> None:
    table = _iterators_of(state)
    _close(table.pop(iterator_key, None))  # stops the old pass's background threads
    table[iterator_key] = dataset._start(state, _input_values(inputs, values))


def _close(running: Any) -> None:
    """Closes a pass (a generator): its prefetch threads stop and are joined. A pass
    being read in another thread at that moment cannot be closed; it is dropped."""
    close = getattr(running, "close", None)
    if close is not None:
        try:
            close()
        except ValueError:  # "generator already executing"
            pass


def close_iterators(state: Any) -> None:
    """Closes every iterator's pass in the session state ``state`` (when the session
    closes), so that no prefetch thread outlives it."""
    table = _RUNNING.pop(state, None)
    for running in (table or {}).values():
        _close(running)


define_op("MakeIterator", kernel=_make_iterator_kernel, shape_fn=lambda inputs, attrs: [],
          stateful=True, uses_state=True, view_of={},
          doc="Starts a fresh pass of an iterator over a dataset in this session.")


def _running(state: Any, values: tuple, iterator_key: str, dataset: Any, inputs: tuple,
             node_name: str) -> Iterator[tuple]:
    """The iterator's pass in this session; a one-shot iterator (``dataset`` given)
    starts its pass the first time, any other must have been initialized."""
    table = _iterators_of(state)
    running = table.get(iterator_key)
    if running is None:
        if dataset is None:
            raise errors.FailedPreconditionError(
                None, None, f"{node_name}: GetNext() failed because the iterator "
                f"{iterator_key} has not been initialized. Run its initializer first.")
        running = table[iterator_key] = dataset._start(state, _input_values(inputs, values))
    return running


def _next_element(running: Iterator[tuple], output_spec: tuple, node_name: str) -> Any:
    try:
        element = next(running)
    except StopIteration:
        raise errors.OutOfRangeError(None, None,
                                     f"End of sequence\n\t [[node {node_name}]]") from None
    return element[0] if len(output_spec) == 1 else tuple(element)


def _get_next_kernel(state: Any, *values: Any, iterator_key: str, dataset: Any,
                     inputs: tuple, output_spec: tuple, node_name: str) -> Any:
    running = _running(state, values, iterator_key, dataset, inputs, node_name)
    return _next_element(running, output_spec, node_name)


def _get_next_shape(inputs: list, attrs: dict) -> list:
    return list(attrs["output_spec"])


define_op("IteratorGetNext", kernel=_get_next_kernel, shape_fn=_get_next_shape,
          stateful=True, uses_state=True, view_of={},
          doc="The next element of an iterator; OutOfRangeError at the end of the data.")


def make_iterator(iterator_key: str, dataset: Any, inputs: list[Tensor],
                  name: str | None = None) -> Operation:
    """An op that (re)starts iterator ``iterator_key`` on ``dataset``, which reads
    the graph tensors ``inputs``."""
    return apply_op("MakeIterator", list(inputs),
                    {"iterator_key": iterator_key, "dataset": dataset,
                     "inputs": tuple(inputs)}, name=name or "MakeIterator")


def iterator_get_next(iterator_key: str, output_spec: list, dataset: Any = None,
                      inputs: list[Tensor] = (), name: str | None = None) -> list[Tensor]:
    """The flat components of the next element of iterator ``iterator_key``.

    ``output_spec`` lists ``(TensorShape, DType)`` per component. When ``dataset`` is
    given (a one-shot iterator), the first run starts the iterator itself from the
    values of ``inputs``; otherwise an initializer must have run in the session.
    """
    attrs = {"iterator_key": iterator_key, "dataset": dataset, "inputs": tuple(inputs),
             "output_spec": tuple(output_spec), "node_name": ""}
    op = apply_op("IteratorGetNext", list(inputs), attrs, name=name or "IteratorGetNext")
    op._attrs["node_name"] = op.name
    return list(op.outputs)


def _string_handle_kernel(state: Any, *values: Any, iterator_key: str, dataset: Any,
                          inputs: tuple, node_name: str) -> np.ndarray:
    if dataset is not None:  # a one-shot iterator's handle starts it, as in TF1
        _running(state, values, iterator_key, dataset, inputs, node_name)
    return np.array(iterator_key.encode(), dtype=object)


define_op("IteratorToStringHandle", kernel=_string_handle_kernel,
          shape_fn=lambda inputs, attrs: [(TensorShape([]), dtypes.string)],
          stateful=True, uses_state=True, view_of={},
          doc="The handle (a string) naming an iterator, for feedable iterators.")


def _from_handle_kernel(state: Any, handle: np.ndarray, *, output_spec: tuple,
                        node_name: str) -> Any:
    key = handle.item() if isinstance(handle, np.ndarray) else handle
    key = key.decode() if isinstance(key, bytes) else str(key)
    spec = _SPECS.get(key)
    if spec is None:
        raise errors.InvalidArgumentError(
            None, None, f"{node_name}: the fed string handle {key!r} names no iterator "
            "(feed the value of an iterator's string_handle())")
    wanted = [dtype.name for _, dtype in output_spec]
    have = [dtype.name for _, dtype in spec]
    if wanted != have:
        raise errors.InvalidArgumentError(
            None, None, f"{node_name}: the iterator {key} yields elements of dtypes "
            f"{have}, but this feedable iterator was declared with {wanted}")
    running = _running(state, (), key, None, (), node_name)
    return _next_element(running, output_spec, node_name)


define_op("IteratorGetNextFromHandle", kernel=_from_handle_kernel, shape_fn=_get_next_shape,
          stateful=True, uses_state=True, view_of={},
          doc="The next element of the iterator whose handle is fed (a feedable iterator).")


def iterator_string_handle(iterator_key: str, output_spec: list, dataset: Any = None,
                           inputs: list[Tensor] = (), name: str | None = None) -> Tensor:
    """The handle of iterator ``iterator_key`` (components ``output_spec``); running it
    starts a one-shot iterator (``dataset`` given) in the session."""
    _SPECS[iterator_key] = tuple(output_spec)
    attrs = {"iterator_key": iterator_key, "dataset": dataset, "inputs": tuple(inputs),
             "node_name": ""}
    op = apply_op("IteratorToStringHandle", list(inputs), attrs,
                  name=name or "IteratorToStringHandle")
    op._attrs["node_name"] = op.name
    return op.outputs[0]


def iterator_get_next_from_handle(handle: Tensor, output_spec: list,
                                  name: str | None = None) -> list[Tensor]:
    """The flat components of the next element of the iterator whose handle
    (a string scalar, usually a placeholder) is fed."""
    if handle.dtype != dtypes.string:
        raise TypeError(f"from_string_handle: the handle must be a string tensor, got "
                        f"{handle.name} of dtype {handle.dtype.name}")
    attrs = {"output_spec": tuple(output_spec), "node_name": ""}
    op = apply_op("IteratorGetNextFromHandle", [handle], attrs,
                  name=name or "IteratorGetNext")
    op._attrs["node_name"] = op.name
    return list(op.outputs)
