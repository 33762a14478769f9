"""``tf.data.Iterator``: one-shot, initializable, reinitializable and feedable iterators.

``get_next()`` builds an ``IteratorGetNext`` op whose outputs carry the dataset's static
shapes and dtypes; running it past the end raises ``tf.errors.OutOfRangeError``.
"""
from __future__ import annotations

import itertools
from typing import Any

from ..core import dtypes
from ..core.graph import Operation
from ..core.shapes import TensorShape, as_shape
from ..core.graph import Tensor
from ..ops.dataset_ops import (iterator_get_next, iterator_get_next_from_handle,
                               iterator_string_handle, make_iterator)
from ..ops.framework import convert_to_tensor
from .dataset import Dataset, register_transforms
from .structure import HasSpec, Spec, map_structure, pack

__all__ = ["Iterator", "make_one_shot_iterator", "make_initializable_iterator",
           "get_output_types", "get_output_shapes", "get_output_classes"]

_keys = itertools.count()


class Iterator(HasSpec):
    """Yields the elements of a dataset, one ``get_next`` run at a time."""

    def __init__(self, spec: Spec, one_shot: Dataset | None = None,
                 handle: Tensor | None = None) -> None:
        self._spec = spec
        self._key = f"Iterator_{next(_keys)}"
        self._one_shot = one_shot
        self._handle = handle  # a feedable iterator's fed handle
        self._initializer: Operation | None = None

    @classmethod
    def _one_shot(cls, dataset: Dataset) -> "Iterator":
        fed = [t.name for t in dataset._inputs() if t.op.type == "Placeholder"]
        if fed:
            raise ValueError(f"make_one_shot_iterator: the dataset reads the placeholders "
                             f"{fed}; use make_initializable_iterator and feed them to "
                             "its initializer")
        return cls(dataset._spec, one_shot=dataset)

    @classmethod
    def _initializable(cls, dataset: Dataset) -> "Iterator":
        iterator = cls(dataset._spec)
        iterator._initializer = iterator.make_initializer(dataset)
        return iterator

    @staticmethod
    def from_structure(output_types: Any, output_shapes: Any = None,
                       shared_name: str | None = None,
                       output_classes: Any = None) -> "Iterator":
        """An iterator of the given element structure, started on any matching dataset
        by that dataset's ``make_initializer`` op."""
        types = map_structure(dtypes.as_dtype, output_types)
        if output_shapes is None:
            shapes = map_structure(lambda _: TensorShape(None), types)
        else:
            shapes = map_structure(as_shape, pack(types, _flat_shapes(output_shapes, types)))
        return Iterator(Spec(types, shapes))

    @staticmethod
    def from_string_handle(string_handle: Any, output_types: Any, output_shapes: Any = None,
                           output_classes: Any = None) -> "Iterator":
        """A feedable iterator: ``get_next`` reads from whichever iterator's
        ``string_handle()`` value is fed to ``string_handle`` (a string placeholder),
        whose elements must have these dtypes."""
        structure = Iterator.from_structure(output_types, output_shapes)
        return Iterator(structure._spec, handle=convert_to_tensor(string_handle))

    def string_handle(self, name: str | None = None) -> Tensor:
        """A string scalar naming this iterator, to feed a feedable iterator's handle.
        Running it starts a one-shot iterator, as in TF1."""
        inputs = self._one_shot._inputs() if self._one_shot is not None else []
        return iterator_string_handle(self._key, self._spec.flat, dataset=self._one_shot,
                                      inputs=inputs, name=name)

    def make_initializer(self, dataset: Dataset, name: str | None = None) -> Operation:
        """An op that (re)starts this iterator on ``dataset``."""
        if self._one_shot is not None:
            raise ValueError("a one-shot iterator cannot be initialized with a dataset")
        if self._handle is not None:
            raise ValueError("a feedable iterator (from_string_handle) is not initialized: "
                             "initialize the iterator whose handle you feed")
        if not dataset._spec.is_compatible_with(self._spec):
            raise TypeError(f"make_initializer: the dataset's elements "
                            f"({dataset.output_types}, {dataset.output_shapes}) do not match "
                            f"the iterator's ({self.output_types}, {self.output_shapes})")
        return make_iterator(self._key, dataset, dataset._inputs(), name=name)

    @property
    def initializer(self) -> Operation:
        """The op that (re)starts an initializable iterator."""
        if self._initializer is None:
            raise ValueError("this iterator has no initializer: it is one-shot, or made by "
                             "from_structure (use make_initializer(dataset))")
        return self._initializer

    def get_next(self, name: str | None = None) -> Any:
        """Tensors (nested like the elements) holding the next element when run."""
        if self._handle is not None:
            flat = iterator_get_next_from_handle(self._handle, self._spec.flat, name=name)
            return pack(self._spec.types, flat)
        inputs = self._one_shot._inputs() if self._one_shot is not None else []
        flat = iterator_get_next(self._key, self._spec.flat, dataset=self._one_shot,
                                 inputs=inputs, name=name)
        return pack(self._spec.types, flat)



def _flat_shapes(shapes: Any, types: Any) -> list:
    """``shapes`` flattened like ``types`` (a shape given as a list is one leaf)."""
    if isinstance(types, dict):
        return [s for key in sorted(types) for s in _flat_shapes(shapes[key], types[key])]
    if isinstance(types, tuple):
        return [s for sub, t in zip(shapes, types) for s in _flat_shapes(sub, t)]
    return [shapes]


def make_one_shot_iterator(dataset: Dataset) -> Iterator:
    """``tf.data.make_one_shot_iterator(dataset)``."""
    return dataset.make_one_shot_iterator()


def make_initializable_iterator(dataset: Dataset, shared_name: str | None = None) -> Iterator:
    """``tf.data.make_initializable_iterator(dataset)``."""
    return dataset.make_initializable_iterator(shared_name)


def get_output_types(dataset_or_iterator: Any) -> Any:
    """The ``output_types`` of a dataset or iterator."""
    return dataset_or_iterator.output_types


def get_output_shapes(dataset_or_iterator: Any) -> Any:
    """The ``output_shapes`` of a dataset or iterator."""
    return dataset_or_iterator.output_shapes


def get_output_classes(dataset_or_iterator: Any) -> Any:
    """The ``output_classes`` of a dataset or iterator."""
    return dataset_or_iterator.output_classes


register_transforms({"one_shot_iterator": Iterator._one_shot,
                     "initializable_iterator": Iterator._initializable})
