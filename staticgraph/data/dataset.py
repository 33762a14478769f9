"""``tf.data.Dataset``: the base class, its transformation methods and the sources.

A dataset describes a stream of elements; nothing runs until an iterator's ops run in
a session. Data stays in NumPy: a source over arrays slices them, and the graph only
sees the tensors a dataset reads (placeholders fed to an initializer, captured values).
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from ..core import dtypes, errors
from ..core.graph import Tensor
from ..core.shapes import TensorShape, as_shape
from ..ops.framework import to_numpy_value
from .structure import HasSpec, Spec, flatten, map_structure, pack

__all__ = ["Dataset", "Run", "register_transforms"]


_TRANSFORMS: dict[str, Callable[..., Any]] = {}


def register_transforms(builders: dict[str, Callable[..., Any]]) -> None:
    """Makes ``builders`` (name -> callable building a dataset or iterator) available to
    ``Dataset``'s methods (the modules defining them import this one, not the reverse)."""
    _TRANSFORMS.update(builders)


def _transform(name: str) -> Callable[..., Any]:
    return _TRANSFORMS[name]


class Run:
    """One pass of one iterator: the session state, the values of the tensors the
    dataset reads (``id(tensor) -> value``) and per-pass scratch space (``memo``)."""

    def __init__(self, state: Any, values: dict[int, Any]) -> None:
        self.state = state
        self.values = values
        self.memo: dict[int, Any] = {}


class Dataset(HasSpec):
    """A stream of elements of one nested structure (``output_types``/``output_shapes``).

    Subclasses set ``_spec`` and ``_upstream`` and implement ``_elements(run)``, which
    yields flat element tuples (one NumPy array per component).
    """

    _spec: Spec
    _upstream: tuple["Dataset", ...] = ()

    def _own_inputs(self) -> list[Tensor]:
        return []

    def _inputs(self) -> list[Tensor]:
        """Every graph tensor this dataset and its upstream datasets read."""
        seen: dict[int, Tensor] = {}
        for source in self._upstream:
            for t in source._inputs():
                seen.setdefault(id(t), t)
        for t in self._own_inputs():
            seen.setdefault(id(t), t)
        return list(seen.values())

    def _elements(self, run: Run) -> Iterator[tuple]:
        """Yields flat element tuples; every concrete dataset class defines it."""
        raise NotImplementedError(f"{type(self).__name__} must define _elements(run)")

    def _start(self, state: Any, values: dict[int, Any]) -> Iterator[tuple]:
        """A fresh pass over the elements (called by the iterator ops' kernels): a
        generator, whose ``close()`` stops any background work of the pass."""
        yield from self._elements(Run(state, values))

    # -- sources --------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors: Any) -> "Dataset":
        """One element per row of the given arrays/tensors (all of one length)."""
        return _Slices(tensors, sliced=True)

    @staticmethod
    def from_tensors(tensors: Any) -> "Dataset":
        """A single element: the given arrays/tensors."""
        return _Slices(tensors, sliced=False)

    @staticmethod
    def range(*args: int) -> "Dataset":
        """``range(stop)``, ``range(start, stop)`` or ``range(start, stop, step)`` of
        int64 scalars."""
        return _Range(*args)

    @staticmethod
    def from_generator(generator: Callable[..., Any], output_types: Any,
                       output_shapes: Any = None, args: Any = None) -> "Dataset":
        """Elements produced by calling ``generator(*args)`` anew for every pass,
        converted to ``output_types`` and checked against ``output_shapes``."""
        return _Generator(generator, output_types, output_shapes, args)

    @staticmethod
    def zip(datasets: Any) -> "Dataset":
        """Elements of several datasets side by side, as long as the shortest."""
        return _transform("Zip")(datasets)

    # -- transformations (see .transforms) ------------------------------------
    def concatenate(self, dataset: "Dataset") -> "Dataset":
        """This dataset's elements followed by those of ``dataset``."""
        return _transform("Concatenate")(self, dataset)

    def map(self, map_func: Callable[..., Any], num_parallel_calls: Any = None) -> "Dataset":
        """Applies ``map_func`` (traced into a graph once) to every element."""
        return _transform("Map")(self, map_func)

    def filter(self, predicate: Callable[..., Any]) -> "Dataset":
        """Keeps the elements for which ``predicate`` (a scalar bool) holds."""
        return _transform("Filter")(self, predicate)

    def batch(self, batch_size: int, drop_remainder: bool = False) -> "Dataset":
        """Stacks consecutive elements into batches (the last one may be smaller unless
        ``drop_remainder``)."""
        return _transform("batch")(self, batch_size, drop_remainder)

    def padded_batch(self, batch_size: int, padded_shapes: Any, padding_values: Any = None,
                     drop_remainder: bool = False) -> "Dataset":
        """Batches elements of different shapes, padding each component to
        ``padded_shapes`` (unknown dimensions: the longest in the batch)."""
        return _transform("PaddedBatch")(self, batch_size, padded_shapes, padding_values,
                                         drop_remainder)

    def shuffle(self, buffer_size: int, seed: int | None = None,
                reshuffle_each_iteration: bool | None = None) -> "Dataset":
        """Draws each element at random from a buffer of the next ``buffer_size``."""
        return _transform("Shuffle")(self, buffer_size, seed,
                       True if reshuffle_each_iteration is None else reshuffle_each_iteration)

    def repeat(self, count: int | None = None) -> "Dataset":
        """The elements ``count`` times over (forever when None or -1)."""
        return _transform("Repeat")(self, count)

    def take(self, count: int) -> "Dataset":
        """The first ``count`` elements (all when -1)."""
        return _transform("Take")(self, count)

    def skip(self, count: int) -> "Dataset":
        """All but the first ``count`` elements (none when -1)."""
        return _transform("Skip")(self, count)

    def flat_map(self, map_func: Callable[..., Any]) -> "Dataset":
        """The elements of the datasets ``map_func`` returns for each element, one
        dataset after the other."""
        return _transform("flat_map")(self, map_func)

    def interleave(self, map_func: Callable[..., Any], cycle_length: Any = None,
                   block_length: Any = None, num_parallel_calls: Any = None,
                   deterministic: Any = None) -> "Dataset":
        """The elements of the datasets ``map_func`` returns, ``block_length`` at a time
        from ``cycle_length`` of them in turn (TF's order; ``num_parallel_calls`` and
        ``deterministic`` are accepted, the order is always TF's deterministic one)."""
        return _transform("Interleave")(self, map_func, cycle_length, block_length)

    def prefetch(self, buffer_size: int) -> "Dataset":
        """The same elements, produced ahead by a background thread into a buffer of
        ``buffer_size`` (AUTOTUNE: 16; 0: no thread). The thread starts with the first
        ``get_next`` and stops when the iterator is re-initialised or its session
        closes; an error it meets is raised by the ``get_next`` that reaches it."""
        return _transform("Prefetch")(self, buffer_size)

    def cache(self, filename: str = "") -> "Dataset":
        """Keeps the elements of the first full pass in memory and replays them."""
        return _transform("Cache")(self, filename)

    def apply(self, transformation_func: Callable[["Dataset"], "Dataset"]) -> "Dataset":
        """``transformation_func(self)``."""
        return transformation_func(self)

    def make_one_shot_iterator(self) -> Any:
        """An iterator that starts itself on its first ``get_next`` run."""
        return _transform("one_shot_iterator")(self)

    def make_initializable_iterator(self, shared_name: str | None = None) -> Any:
        """An iterator whose ``initializer`` op (re)starts it, reading placeholders."""
        return _transform("initializable_iterator")(self)


def _leaf_value(leaf: Any) -> Any:
    """A Tensor as it is, anything else as a NumPy array of TF1's dtype for it."""
    if isinstance(leaf, Tensor):
        return leaf
    if hasattr(leaf, "_as_graph_element"):
        return leaf._as_graph_element()
    return to_numpy_value(leaf, None, "tf.data.Dataset")


class _Slices(Dataset):
    def __init__(self, tensors: Any, sliced: bool) -> None:
        if isinstance(tensors, list):
            tensors = _leaf_value(tensors)
        self._template = tensors
        self._leaves = [_leaf_value(leaf) for leaf in flatten(tensors)]
        self._sliced = sliced
        shapes = [as_shape(leaf.shape) for leaf in self._leaves]
        types = [leaf.dtype if isinstance(leaf, Tensor) else dtypes.as_dtype(leaf.dtype)
                 for leaf in self._leaves]
        if sliced:
            shapes = [self._row_shape(s) for s in shapes]
        self._spec = Spec(pack(tensors, types), pack(tensors, shapes))

    def _row_shape(self, shape: TensorShape) -> TensorShape:
        if shape.ndims == 0:
            raise ValueError("from_tensor_slices: every component needs at least one "
                             "dimension to slice, got a scalar")
        return TensorShape(shape.as_list()[1:]) if shape.ndims is not None else shape

    def _own_inputs(self) -> list[Tensor]:
        return [leaf for leaf in self._leaves if isinstance(leaf, Tensor)]

    def _elements(self, run: Run) -> Iterator[tuple]:
        arrays = [run.values[id(leaf)] if isinstance(leaf, Tensor) else leaf
                  for leaf in self._leaves]
        if not self._sliced:
            yield tuple(arrays)
            return
        lengths = {np.shape(a)[0] for a in arrays}
        if len(lengths) != 1:
            raise errors.InvalidArgumentError(
                None, None, "from_tensor_slices: all components must have the same first "
                f"dimension, got shapes {[np.shape(a) for a in arrays]}")
        for i in range(lengths.pop()):
            yield tuple(a[i] for a in arrays)


class _Range(Dataset):
    """``range(start, stop, step)`` of int64 scalars; the bounds may be scalar tensors
    (read when a pass starts: a function given to ``interleave`` builds such ranges)."""

    def __init__(self, *args: Any) -> None:
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Dataset.range takes 1 to 3 arguments, got {len(args)}")
        self._args = [a._as_graph_element() if hasattr(a, "_as_graph_element") else a
                      for a in args]
        for a in self._args:
            if isinstance(a, Tensor) and (not a.dtype.is_integer or
                                          not a.shape.is_compatible_with(TensorShape([]))):
                raise TypeError(f"Dataset.range: bounds must be integer scalars, got "
                                f"{a.name} of {a.dtype.name} {a.shape}")
        if not any(isinstance(a, Tensor) for a in self._args):
            self._args = [int(a) for a in self._args]
            range(*self._args)  # a zero step raises ValueError now
        self._spec = Spec(dtypes.int64, TensorShape([]))

    def _own_inputs(self) -> list[Tensor]:
        return [a for a in self._args if isinstance(a, Tensor)]

    def _elements(self, run: Run) -> Iterator[tuple]:
        bounds = [int(run.values[id(a)]) if isinstance(a, Tensor) else a
                  for a in self._args]
        try:
            numbers = range(*bounds)
        except ValueError:
            raise errors.InvalidArgumentError(
                None, None, f"Dataset.range: step must not be 0, got {bounds}") from None
        for i in numbers:
            yield (np.int64(i),)


class _Generator(Dataset):
    def __init__(self, generator: Callable[..., Any], output_types: Any,
                 output_shapes: Any, args: Any) -> None:
        if not callable(generator):
            raise TypeError("from_generator: generator must be callable")
        types = map_structure(dtypes.as_dtype, output_types)
        if output_shapes is None:
            shapes = map_structure(lambda _: TensorShape(None), types)
        else:
            shapes = map_structure(as_shape, output_shapes)
        self._generator, self._args = generator, tuple(args or ())
        self._spec = Spec(types, shapes)

    def _elements(self, run: Run) -> Iterator[tuple]:
        for element in self._generator(*self._args):
            if isinstance(element, list) and isinstance(self._spec.types, tuple):
                element = tuple(element)
            try:
                leaves = flatten(element)
                if len(leaves) != len(self._spec.flat_types):
                    raise ValueError(f"{len(leaves)} components instead of "
                                     f"{len(self._spec.flat_types)}")
            except ValueError as err:
                raise errors.InvalidArgumentError(
                    None, None, f"from_generator: an element does not match the "
                    f"structure of output_types {self._spec.types}: {err}") from None
            yield tuple(self._convert(leaf, shape, dtype)
                        for leaf, (shape, dtype) in zip(leaves, self._spec.flat))

    @staticmethod
    def _convert(leaf: Any, shape: TensorShape, dtype: dtypes.DType) -> np.ndarray:
        try:
            value = to_numpy_value(leaf, dtype, "from_generator")
        except TypeError as err:
            raise errors.InvalidArgumentError(None, None, str(err)) from None
        if not shape.is_compatible_with(as_shape(value.shape)):
            raise errors.InvalidArgumentError(
                None, None, f"from_generator: an element of shape {value.shape} does not "
                f"match the expected shape {shape}")
        return value
