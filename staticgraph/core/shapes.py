"""Partial static shapes (``None`` marks an unknown dimension) and broadcasting.

Internally a shape is a tuple of ints and Nones (``TensorShape.as_tuple()``). Indexing a
shape gives TF1's ``Dimension`` for a known size (an ``int`` with ``.value``, so
``x.get_shape()[1].value`` and ``int(x.shape[1])`` both work) and ``None`` for an unknown
one.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Sequence


class Dimension(int):
    """A known dimension of a shape, as TF1's ``tf.Dimension``: an int with ``.value``.

    ``Dimension(None)`` (and ``Dimension`` of an unknown size) is ``None`` here: an
    unknown dimension is None throughout staticgraph.
    """

    def __new__(cls, value: Any) -> Any:  # type: ignore[misc]
        if value is None or getattr(value, "value", 0) is None:
            return None
        return int.__new__(cls, value.__index__())

    @property
    def value(self) -> int:
        """The size as a plain int."""
        return int(self)

    def is_compatible_with(self, other: Any) -> bool:
        """True if ``other`` is unknown or the same size."""
        return other is None or int(self) == other

    def merge_with(self, other: Any) -> "Dimension":
        """This dimension; ``ValueError`` if ``other`` is a different known size."""
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {int(self)} and {other} are not compatible")
        return self

    def __repr__(self) -> str:
        return f"Dimension({int(self)})"

    def __str__(self) -> str:
        return int.__repr__(self)


def dimension_value(dimension: Any) -> int | None:
    """``tf.dimension_value``: the size of a Dimension, int or None as an int or None."""
    return None if dimension is None else int(getattr(dimension, "value", dimension))


def dimension_at_index(shape: Any, index: int) -> Any:
    """``tf.dimension_at_index``: ``shape[index]`` as a Dimension (None when unknown)."""
    dims = as_shape(shape)._dims
    return None if dims is None else Dimension(dims[index])


class TensorShape:
    """A possibly partial shape: unknown rank (``dims is None``) or dims that may be None."""

    __slots__ = ("_dims",)

    def __init__(self, dims: Any = None) -> None:
        if type(dims) is tuple and all(type(d) is int and d >= 0 for d in dims):
            self._dims = dims  # the common case: a concrete shape tuple
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif dims is None:
            self._dims = None
        elif isinstance(dims, (int,)) or hasattr(dims, "__index__") and not hasattr(dims, "__len__"):
            self._dims = (int(dims),)
        else:
            self._dims = tuple(None if d is None or (hasattr(d, "value") and d.value is None)
                               else int(getattr(d, "value", d)) for d in dims)
            if any(d is not None and d < 0 for d in self._dims):
                # -1 is the TF1 spelling of "unknown" in some APIs.
                self._dims = tuple(None if d is not None and d < 0 else d for d in self._dims)

    @classmethod
    def _from_canonical(cls, dims: tuple | None) -> "TensorShape":
        """A shape from dims already in canonical form (None, or a tuple of ints >= 0 and
        Nones), skipping the conversions of ``__init__``: shape rules derive new shapes
        from existing ones on every op built, so this is a hot path."""
        shape = object.__new__(cls)
        shape._dims = dims
        return shape

    # -- queries ---------------------------------------------------------
    @property
    def dims(self) -> list | None:
        """List of dimensions (Dimensions or None), or None for unknown rank."""
        return None if self._dims is None else list(self)

    @property
    def ndims(self) -> int | None:
        """Rank, or None when unknown."""
        return None if self._dims is None else len(self._dims)

    @property
    def rank(self) -> int | None:
        """Alias of :attr:`ndims`."""
        return self.ndims

    def as_list(self) -> list:
        """Dimensions as a list; raises ``ValueError`` for unknown rank (as TF1)."""
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def as_tuple(self) -> tuple | None:
        """Dimensions as a tuple (None for unknown rank)."""
        return self._dims

    def is_fully_defined(self) -> bool:
        """True when the rank and every dimension are known."""
        return self._dims is not None and all(d is not None for d in self._dims)

    def num_elements(self) -> int | None:
        """Product of the dims, or None if not fully defined."""
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:  # type: ignore[union-attr]
            n *= d
        return n

    def is_compatible_with(self, other: Any) -> bool:
        """True if some concrete shape satisfies both."""
        other = as_shape(other)
        if self._dims is None or other._dims is None or self._dims == other._dims:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def merge_with(self, other: Any) -> "TensorShape":
        """The most specific shape compatible with both; ``ValueError`` if incompatible."""
        other = as_shape(other)
        if self._dims == other._dims or other._dims is None:
            return self
        if self._dims is None:
            return other
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        return TensorShape._from_canonical(
            tuple(a if a is not None else b for a, b in zip(self._dims, other._dims)))

    def assert_is_compatible_with(self, other: Any) -> None:
        """Raises ``ValueError`` unless compatible."""
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def with_rank(self, rank: int) -> "TensorShape":
        """This shape, known to have ``rank`` dims; ``ValueError`` otherwise."""
        if self._dims is None:
            return unknown_shape(rank)
        if len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    def most_specific_compatible_shape(self, other: Any) -> "TensorShape":
        """The most specific shape both are compatible with (unknown where they differ)."""
        other = as_shape(other)
        if self._dims is None or other._dims is None or len(self._dims) != len(other._dims):
            return TensorShape(None)
        return TensorShape._from_canonical(
            tuple(a if a == b else None for a, b in zip(self._dims, other._dims)))

    def is_subtype_of(self, other: Any) -> bool:
        """True when ``other`` is this shape or a less specific one."""
        other = as_shape(other)
        if other._dims is None:
            return True
        return (self._dims is not None and len(self._dims) == len(other._dims)
                and all(b is None or a == b for a, b in zip(self._dims, other._dims)))

    def concatenate(self, other: Any) -> "TensorShape":
        """Dims of self followed by dims of other."""
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape(self._dims + other._dims)

    # -- python protocol -------------------------------------------------
    def __len__(self) -> int:
        if self._dims is None:
            raise ValueError("Cannot take the length of a shape with unknown rank.")
        return len(self._dims)

    def __iter__(self) -> Iterator:
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return (None if d is None else Dimension(d) for d in self._dims)

    def __getitem__(self, key: Any) -> Any:
        """A Dimension (None when unknown) for an index, a TensorShape for a slice."""
        if self._dims is None:
            return TensorShape(None) if isinstance(key, slice) else None
        if isinstance(key, slice):
            return TensorShape(self._dims[key])
        d = self._dims[key]
        return None if d is None else Dimension(d)

    def __bool__(self) -> bool:
        return self._dims is not None

    def __eq__(self, other: object) -> bool:
        try:
            other = as_shape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._dims == other._dims

    def __hash__(self) -> int:
        return hash(self._dims)

    def __repr__(self) -> str:
        return f"TensorShape({None if self._dims is None else list(self._dims)})"

    def __str__(self) -> str:
        if self._dims is None:
            return "<unknown>"
        inner = ", ".join("?" if d is None else str(d) for d in self._dims)
        return f"({inner},)" if len(self._dims) == 1 else f"({inner})"


def as_shape(shape: Any) -> TensorShape:
    """Converts a list/tuple/int/None/TensorShape to a TensorShape."""
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)


def unknown_shape(rank: int | None = None) -> TensorShape:
    """A shape of unknown dims (and unknown rank if ``rank`` is None)."""
    return TensorShape(None if rank is None else [None] * rank)


def scalar() -> TensorShape:
    """The shape of a scalar."""
    return TensorShape([])


def broadcast_shapes(a: TensorShape, b: TensorShape) -> TensorShape:
    """NumPy broadcasting of two partial shapes; ``ValueError`` when they cannot broadcast."""
    da, db = a._dims, b._dims
    if da is None:
        return a
    if db is None:
        return b
    if da == db or not db:  # identical, or b a scalar: the common cases, no new shape
        return a
    if not da:
        return b
    n = max(len(da), len(db))
    da = (1,) * (n - len(da)) + da
    db = (1,) * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None:
            out.append(y)
        elif y is None:
            out.append(x)
        elif x == y:
            out.append(x)
        else:
            raise ValueError(f"shapes {a} and {b} cannot be broadcast together")
    return TensorShape._from_canonical(tuple(out))


def broadcast_all(shapes: Iterable[TensorShape]) -> TensorShape:
    """Broadcast of any number of shapes (a scalar's shape for none)."""
    result = None
    for s in shapes:
        result = s if result is None else broadcast_shapes(result, s)
    return TensorShape(()) if result is None else result


def normalize_axis(axis: int, ndims: int, what: str = "axis") -> int:
    """Maps a possibly negative axis into ``[0, ndims)``; ``ValueError`` when out of range."""
    if not -ndims <= axis < max(ndims, 1) or (ndims == 0 and axis not in (0, -1)):
        raise ValueError(f"{what} {axis} is out of range for a tensor of rank {ndims}")
    return axis % ndims if ndims else 0


def normalize_axes(axis: Any, ndims: int) -> tuple[int, ...]:
    """Axis argument (None, int or sequence) to a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndims))
    if isinstance(axis, Sequence) or hasattr(axis, "__len__"):
        return tuple(sorted({normalize_axis(int(a), ndims) for a in axis}))
    return (normalize_axis(int(axis), ndims),)
