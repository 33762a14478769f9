"""Nested element structures of ``tf.data``: tuples, dicts and namedtuples of leaves.

Flattening follows TF's ``nest``: tuples (and namedtuples) in order, dicts by sorted
key. Lists are leaves (``from_tensor_slices([1, 2])`` slices one tensor), as in TF.
"""
from __future__ import annotations

from typing import Any, Callable

from ..core.dtypes import DType
from ..core.graph import Tensor
from ..core.shapes import TensorShape

__all__ = ["flatten", "pack", "map_structure", "Spec", "HasSpec"]


def _is_nested(value: Any) -> bool:
    return isinstance(value, (tuple, dict))


def flatten(structure: Any) -> list:
    """The leaves of ``structure`` in TF's order."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if isinstance(structure, tuple):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def _count(structure: Any) -> int:
    return len(flatten(structure))


def pack(template: Any, flat: list) -> Any:
    """``flat`` leaves arranged as ``template`` (the inverse of :func:`flatten`)."""
    flat = list(flat)
    if _count(template) != len(flat):
        raise ValueError(f"cannot pack {len(flat)} values into a structure of "
                         f"{_count(template)}")
    return _pack(template, iter(flat))


def _pack(template: Any, leaves: Any) -> Any:
    if isinstance(template, dict):
        packed = {key: _pack(template[key], leaves) for key in sorted(template)}
        return type(template)((key, packed[key]) for key in template)
    if isinstance(template, tuple):
        items = [_pack(item, leaves) for item in template]
        return type(template)(*items) if hasattr(template, "_fields") else tuple(items)
    return next(leaves)


def map_structure(fn: Callable[..., Any], structure: Any, *others: Any) -> Any:
    """``fn`` applied leafwise to ``structure`` (and same-shaped ``others``)."""
    flats = [flatten(structure)] + [flatten(o) for o in others]
    if any(len(f) != len(flats[0]) for f in flats):
        raise ValueError("structures do not match: "
                         + ", ".join(str(len(f)) for f in flats) + " leaves")
    return pack(structure, [fn(*leaves) for leaves in zip(*flats)])


class Spec:
    """The nested structure of a dataset's elements: a dtype and a static shape per
    component (``types`` and ``shapes`` are nested like the elements)."""

    def __init__(self, types: Any, shapes: Any) -> None:
        self.types = types
        self.shapes = shapes
        self.flat_types: list[DType] = flatten(types)
        self.flat_shapes: list[TensorShape] = flatten(shapes)
        if len(self.flat_types) != len(self.flat_shapes):
            raise ValueError("output types and output shapes have different structures")

    @property
    def flat(self) -> list[tuple[TensorShape, DType]]:
        """``(shape, dtype)`` per component, in flat order."""
        return list(zip(self.flat_shapes, self.flat_types))

    def with_shapes(self, flat_shapes: list[TensorShape]) -> "Spec":
        """The same structure and dtypes with other shapes."""
        return Spec(self.types, pack(self.types, flat_shapes))

    def is_compatible_with(self, other: "Spec") -> bool:
        """Same structure, same dtypes, compatible shapes."""
        return (_same_structure(self.types, other.types)
                and self.flat_types == other.flat_types
                and all(a.is_compatible_with(b)
                        for a, b in zip(self.flat_shapes, other.flat_shapes)))

    def __repr__(self) -> str:
        return f"Spec(types={self.types!r}, shapes={self.shapes!r})"


def _same_structure(a: Any, b: Any) -> bool:
    if isinstance(a, dict) or isinstance(b, dict):
        return (isinstance(a, dict) and isinstance(b, dict) and sorted(a) == sorted(b)
                and all(_same_structure(a[k], b[k]) for k in a))
    if _is_nested(a) or _is_nested(b):
        return (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)
                and all(_same_structure(x, y) for x, y in zip(a, b)))
    return True


class HasSpec:
    """The TF1 ``output_types``/``output_shapes``/``output_classes`` properties of an
    object with a :class:`Spec` in ``_spec`` (datasets and iterators)."""

    _spec: Spec

    @property
    def output_types(self) -> Any:
        """The dtype of each component, nested like the elements."""
        return self._spec.types

    @property
    def output_shapes(self) -> Any:
        """The static shape of each component, nested like the elements."""
        return self._spec.shapes

    @property
    def output_classes(self) -> Any:
        """``Tensor`` for each component, nested like the elements."""
        return map_structure(lambda _: Tensor, self._spec.types)
