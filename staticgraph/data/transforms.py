"""The datasets made by ``Dataset``'s transformation methods.

Each yields flat element tuples of NumPy arrays. ``map`` and ``filter`` run their traced
function graph in the session; ``batch`` after a ``map`` whose function is vectorisable
runs the function once per batch (see :func:`batch`).
"""
from __future__ import annotations

import itertools
import queue
import threading
from typing import Any, Callable, Iterator

import numpy as np

from ..core import dtypes, errors
from ..core.shapes import TensorShape, as_shape
from ..ops.random_ops import get_seed
from .dataset import Dataset, Run, register_transforms
from .experimental import AUTOTUNE
from .function import TracedFunction
from .structure import Spec, flatten, map_structure, pack

__all__ = ["Zip", "Concatenate", "Map", "Filter", "batch", "Batch", "PaddedBatch",
           "Shuffle", "Repeat", "Take", "Skip", "Prefetch", "Cache"]


def _most_specific_compatible(a: TensorShape, b: TensorShape) -> TensorShape:
    if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
        return TensorShape(None)
    return TensorShape([x if x == y else None for x, y in zip(a.as_list(), b.as_list())])


class Zip(Dataset):
    """Elements of several datasets (a tuple or dict of them) side by side."""

    def __init__(self, datasets: Any) -> None:
        flat = flatten(datasets)
        if not flat or not all(isinstance(d, Dataset) for d in flat):
            raise TypeError("Dataset.zip takes a (nested) tuple or dict of datasets")
        self._upstream = tuple(flat)
        self._spec = Spec(map_structure(lambda d: d.output_types, datasets),
                          map_structure(lambda d: d.output_shapes, datasets))

    def _elements(self, run: Run) -> Iterator[tuple]:
        for parts in zip(*(d._elements(run) for d in self._upstream)):
            yield tuple(x for part in parts for x in part)


class Concatenate(Dataset):
    """One dataset's elements, then another's (same structure and dtypes)."""

    def __init__(self, first: Dataset, second: Dataset) -> None:
        if first._spec.flat_types != second._spec.flat_types:
            raise TypeError(f"concatenate: element types differ: {first.output_types} "
                            f"and {second.output_types}")
        self._upstream = (first, second)
        self._spec = first._spec.with_shapes(
            [_most_specific_compatible(a, b)
             for a, b in zip(first._spec.flat_shapes, second._spec.flat_shapes)])

    def _elements(self, run: Run) -> Iterator[tuple]:
        for source in self._upstream:
            yield from source._elements(run)


class Map(Dataset):
    """``map_func`` applied to every element."""

    def __init__(self, source: Dataset, map_func: Callable[..., Any]) -> None:
        self._upstream = (source,)
        self._fn = TracedFunction(map_func, source._spec, "map_fn")
        self._spec = self._fn.spec

    def _own_inputs(self) -> list:
        return list(self._fn.captures)

    def _elements(self, run: Run) -> Iterator[tuple]:
        for element in self._upstream[0]._elements(run):
            yield self._fn(run, element)


class Filter(Dataset):
    """The elements for which ``predicate`` returns True."""

    def __init__(self, source: Dataset, predicate: Callable[..., Any]) -> None:
        self._upstream = (source,)
        self._fn = TracedFunction(predicate, source._spec, "filter_predicate")
        spec = self._fn.spec
        if spec.flat_types != [dtypes.bool_] or not spec.flat_shapes[0].is_compatible_with(
                TensorShape([])):
            raise ValueError("filter: the predicate must return a scalar bool tensor, got "
                             f"{spec.types} of shape {spec.shapes}")
        self._spec = source._spec

    def _own_inputs(self) -> list:
        return list(self._fn.captures)

    def _elements(self, run: Run) -> Iterator[tuple]:
        for element in self._upstream[0]._elements(run):
            if self._fn(run, element)[0]:
                yield element


def _batched_spec(spec: Spec, batch_size: int | None) -> Spec:
    return spec.with_shapes([TensorShape([batch_size]).concatenate(s)
                             for s in spec.flat_shapes])


def _chunks(elements: Iterator[tuple], size: int, drop_remainder: bool
            ) -> Iterator[list[tuple]]:
    while True:
        chunk = list(itertools.islice(elements, size))
        if not chunk or (drop_remainder and len(chunk) < size):
            return
        yield chunk


def _positive(value: Any, what: str) -> int:
    value = int(value)
    if value <= 0:
        raise ValueError(f"{what} must be positive, got {value}")
    return value


class Batch(Dataset):
    """Consecutive elements stacked along a new first axis."""

    def __init__(self, source: Dataset, batch_size: int, drop_remainder: bool) -> None:
        self._upstream = (source,)
        self._size = _positive(batch_size, "batch: batch_size")
        self._drop = bool(drop_remainder)
        self._spec = _batched_spec(source._spec, self._size if self._drop else None)

    def _elements(self, run: Run) -> Iterator[tuple]:
        for chunk in _chunks(iter(self._upstream[0]._elements(run)), self._size, self._drop):
            try:
                yield tuple(np.stack(parts) for parts in zip(*chunk))
            except ValueError:
                shapes = sorted({tuple(np.shape(x) for x in e) for e in chunk})
                raise errors.InvalidArgumentError(
                    None, None, "batch: cannot batch elements of different shapes "
                    f"{shapes}; use padded_batch") from None


class _MapThenBatch(Dataset):
    """``source.map(f).batch(n)`` computed as ``f`` applied to each batch of ``source``."""

    def __init__(self, batched: Batch, fn: TracedFunction, spec: Spec) -> None:
        self._upstream = (batched,)
        self._fn = fn
        self._spec = spec

    def _own_inputs(self) -> list:
        return list(self._fn.captures)

    def _elements(self, run: Run) -> Iterator[tuple]:
        for chunk in self._upstream[0]._elements(run):
            yield self._fn(run, chunk)


def batch(source: Dataset, batch_size: int, drop_remainder: bool) -> Dataset:
    """``source.batch(...)``; after a vectorisable ``map``, the map runs per batch."""
    plain = Batch(source, batch_size, drop_remainder)
    if isinstance(source, Map) and source._fn.vectorisable:
        inner = source._upstream[0]
        fn = TracedFunction(source._fn.fn, inner._spec, "map_fn_batched", batched=True)
        return _MapThenBatch(Batch(inner, batch_size, drop_remainder), fn, plain._spec)
    return plain


class PaddedBatch(Dataset):
    """Batches of elements padded to ``padded_shapes`` (unknown sizes: the batch's
    longest) with ``padding_values`` (default zeros)."""

    def __init__(self, source: Dataset, batch_size: int, padded_shapes: Any,
                 padding_values: Any, drop_remainder: bool) -> None:
        self._upstream = (source,)
        self._size = _positive(batch_size, "padded_batch: batch_size")
        self._drop = bool(drop_remainder)
        shapes = flatten(map_structure(_padded_shape, pack(source._spec.types,
                                                            flatten(padded_shapes))))
        for given, element in zip(shapes, source._spec.flat_shapes):
            if element.ndims is not None and given.ndims != element.ndims:
                raise ValueError(f"padded_batch: padded shape {given} does not fit elements "
                                 f"of shape {element}")
        self._shapes = shapes
        pads = (flatten(padding_values) if padding_values is not None
                else [0] * len(shapes))
        self._pads = [np.asarray(p, dtype=t.dtype)
                      for p, t in zip(pads, source._spec.flat_types)]
        self._spec = _batched_spec(source._spec.with_shapes(shapes),
                                   self._size if self._drop else None)

    def _elements(self, run: Run) -> Iterator[tuple]:
        for chunk in _chunks(iter(self._upstream[0]._elements(run)), self._size, self._drop):
            yield tuple(self._pad(list(parts), shape, pad)
                        for parts, shape, pad in zip(zip(*chunk), self._shapes, self._pads))

    @staticmethod
    def _pad(parts: list, shape: TensorShape, pad: np.ndarray) -> np.ndarray:
        longest = np.max([np.shape(p) for p in parts], axis=0) if shape.ndims else ()
        target = tuple(int(d) if d is not None else int(m)
                       for d, m in zip(shape.as_list(), longest))
        out = np.full((len(parts),) + target, pad, dtype=pad.dtype)
        for i, part in enumerate(parts):
            if any(n > t for n, t in zip(np.shape(part), target)):
                raise errors.InvalidArgumentError(
                    None, None, f"padded_batch: an element of shape {np.shape(part)} is "
                    f"larger than the padded shape {shape}")
            out[(i,) + tuple(slice(0, n) for n in np.shape(part))] = part
        return out


def _padded_shape(shape: Any) -> TensorShape:
    shape = as_shape(shape)
    if shape.ndims is None:
        return shape
    return TensorShape([None if d is None or d < 0 else d for d in shape.as_list()])


class Shuffle(Dataset):
    """TF's shuffle buffer: each element is drawn at random from the next
    ``buffer_size`` ones. With a seed (graph-level or op-level), passes repeat their
    order when ``reshuffle_each_iteration`` is False and follow a fixed sequence of
    orders otherwise; a restarted iterator starts that sequence again."""

    def __init__(self, source: Dataset, buffer_size: int, seed: int | None,
                 reshuffle: bool) -> None:
        self._upstream = (source,)
        self._buffer = _positive(buffer_size, "shuffle: buffer_size")
        self._seeds = get_seed(seed)
        self._reshuffle = bool(reshuffle)
        self._spec = source._spec

    def _rng(self, run: Run) -> np.random.Generator:
        epoch = run.memo.get(id(self), 0)
        run.memo[id(self)] = epoch + 1
        if self._seeds[0] is None:
            return np.random.default_rng()
        return np.random.default_rng(list(self._seeds) + ([epoch] if self._reshuffle else []))

    def _elements(self, run: Run) -> Iterator[tuple]:
        rng = self._rng(run)
        elements = iter(self._upstream[0]._elements(run))
        buffer = list(itertools.islice(elements, self._buffer))
        while buffer:
            i = int(rng.integers(len(buffer)))
            chosen = buffer[i]
            following = next(elements, None)
            if following is None:
                buffer[i] = buffer[-1]
                buffer.pop()
            else:
                buffer[i] = following
            yield chosen


class Repeat(Dataset):
    """The elements ``count`` times (forever when None or -1; an empty pass ends it)."""

    def __init__(self, source: Dataset, count: int | None) -> None:
        self._upstream = (source,)
        self._count = None if count is None or int(count) < 0 else int(count)
        self._spec = source._spec

    def _elements(self, run: Run) -> Iterator[tuple]:
        passes = itertools.count() if self._count is None else range(self._count)
        for _ in passes:
            produced = False
            for element in self._upstream[0]._elements(run):
                produced = True
                yield element
            if not produced:
                return


class Take(Dataset):
    """The first ``count`` elements (all of them when -1)."""

    def __init__(self, source: Dataset, count: int) -> None:
        self._upstream = (source,)
        self._count = None if int(count) < 0 else int(count)
        self._spec = source._spec

    def _elements(self, run: Run) -> Iterator[tuple]:
        return itertools.islice(self._upstream[0]._elements(run), self._count)


class Skip(Dataset):
    """All but the first ``count`` elements (nothing when -1)."""

    def __init__(self, source: Dataset, count: int) -> None:
        self._upstream = (source,)
        self._count = int(count)
        self._spec = source._spec

    def _elements(self, run: Run) -> Iterator[tuple]:
        if self._count < 0:
            return iter(())
        return itertools.islice(self._upstream[0]._elements(run), self._count, None)


class Prefetch(Dataset):
    """The same elements, produced ahead by a background thread into a bounded buffer.

    The thread starts when the pass is first read, puts each upstream element (or the
    end, or the error that stopped it) into the buffer, waiting while it is full, and
    stops when the pass's generator is closed: on re-initialisation, when the session
    closes (:func:`~staticgraph.ops.dataset_ops.close_iterators`) or when the pass is
    dropped. Closing waits for the thread, which checks for the stop at least every
    :data:`_POLL` seconds while the buffer is full.
    """

    def __init__(self, source: Dataset, buffer_size: Any) -> None:
        self._upstream = (source,)
        size = int(buffer_size)
        if size < AUTOTUNE:
            raise ValueError(f"prefetch: buffer_size must be >= 0 or AUTOTUNE (-1), "
                             f"got {size}")
        self._size = _AUTOTUNED_BUFFER if size == AUTOTUNE else size
        self._spec = source._spec

    def _elements(self, run: Run) -> Iterator[tuple]:
        if self._size == 0:
            yield from self._upstream[0]._elements(run)
            return
        buffer: queue.Queue = queue.Queue(self._size)
        stop = threading.Event()
        thread = threading.Thread(target=_produce, daemon=True, name=PREFETCH_THREAD,
                                  args=(iter(self._upstream[0]._elements(run)), buffer,
                                        stop))
        thread.start()
        try:
            while True:
                kind, value = buffer.get()
                if kind is _END:
                    return
                if kind is _ERROR:
                    raise value
                yield value
        finally:
            stop.set()
            thread.join()


PREFETCH_THREAD = "tf.data prefetch"
"""The name of every prefetch thread."""
_AUTOTUNED_BUFFER = 16
_POLL = 0.05
_ELEMENT, _END, _ERROR = object(), object(), object()


def _produce(elements: Iterator[tuple], buffer: queue.Queue, stop: threading.Event) -> None:
    """A prefetch thread: moves ``elements`` into ``buffer`` until they end or fail (the
    end or the error is put last) or ``stop`` is set."""
    try:
        for element in elements:
            if not _put(buffer, (_ELEMENT, element), stop):
                return
        item = (_END, None)
    except Exception as err:  # noqa: BLE001  (raised again by the reading get_next)
        item = (_ERROR, err)
    finally:
        close = getattr(elements, "close", None)
        if close is not None:
            close()
    _put(buffer, item, stop)


def _put(buffer: queue.Queue, item: tuple, stop: threading.Event) -> bool:
    """Puts ``item``, waiting for room; False when ``stop`` is set first."""
    while not stop.is_set():
        try:
            buffer.put(item, timeout=_POLL)
            return True
        except queue.Full:
            continue
    return False


class Cache(Dataset):
    """The first complete pass is kept in memory; later passes of the same iterator
    replay it (a restarted iterator fills its cache anew)."""

    def __init__(self, source: Dataset, filename: str) -> None:
        if filename:
            raise errors.UnimplementedError(
                None, None, f"Dataset.cache({filename!r}): caching to a file is not "
                "supported by staticgraph; use cache() to cache in memory")
        self._upstream = (source,)
        self._spec = source._spec

    def _elements(self, run: Run) -> Iterator[tuple]:
        done = run.memo.get(id(self))
        if done is not None:
            yield from done
            return
        filling = []
        for element in self._upstream[0]._elements(run):
            filling.append(element)
            yield element
        run.memo[id(self)] = filling


register_transforms({"Zip": Zip, "Concatenate": Concatenate, "Map": Map, "Filter": Filter,
                     "batch": batch, "PaddedBatch": PaddedBatch, "Shuffle": Shuffle,
                     "Repeat": Repeat, "Take": Take, "Skip": Skip, "Prefetch": Prefetch,
                     "Cache": Cache})
