"""Partial static shapes (``None`` marks an unknown dimension) and broadcasting.

Internally a shape is a tuple of ints and Nones (``TensorShape.as_tuple()``); staticgraph's
own code reads that tuple. What indexing or iterating a shape gives a script depends on
TF's tensor-shape switch (:func:`enable_v2_tensorshape` / :func:`disable_v2_tensorshape`):
TF1's ``Dimension`` objects by default (``x.get_shape()[0].value``, ``int(x.shape[1])``),
TF2's plain ints and Nones once the v2 behaviour is enabled.
"""
from __future__ import annotations

import operator
from typing import Any, Callable, Iterable, Iterator, Sequence

# TF's tensor-shape switch: False (the default, TF1) makes shape[i] a Dimension.
_V2_TENSORSHAPE = False


def enable_v2_tensorshape() -> None:
    """``tf.compat.v1.enable_v2_tensorshape``: indexing or iterating a ``TensorShape``
    gives plain ints and ``None`` (TF2's behaviour) instead of ``Dimension`` objects."""
    global _V2_TENSORSHAPE
    _V2_TENSORSHAPE = True


def disable_v2_tensorshape() -> None:
    """``tf.compat.v1.disable_v2_tensorshape``: indexing or iterating a ``TensorShape``
    gives TF1's ``Dimension`` objects again (staticgraph's default)."""
    global _V2_TENSORSHAPE
    _V2_TENSORSHAPE = False


def v2_tensorshape_enabled() -> bool:
    """True after :func:`enable_v2_tensorshape` (TF2's int/None dimensions)."""
    return _V2_TENSORSHAPE


class Dimension:
    """TF1's ``tf.Dimension``: one dimension of a shape, its size (``.value``) an int or None.

    ``Dimension(n)`` builds a known size, ``Dimension(None)`` the unknown one, and
    ``isinstance(d, tf.Dimension)`` holds for both. The two are different classes:

    - a known size is an ``int`` subclass, so scripts and NumPy keep using it as an int
      (``np.zeros([d, 2])``, ``range(d)``) at int speed; arithmetic with an int-like gives
      a ``Dimension`` (``(d * 2).value``), comparison gives bools, as in TF1.
    - the unknown size is one immutable object (``Dimension(None) is Dimension(None)``)
      that is deliberately not an int: an int subclass carries a hidden number that NumPy
      and ``range`` read without asking, so ``np.zeros(Dimension(None))`` would quietly
      build something instead of failing as in TF. It follows TF1's rules: arithmetic
      with it is unknown, comparisons (even with itself) are ``None``, ``int()`` raises
      ``TypeError``, ``str`` is ``"?"``.

    Unlike TF's, a known Dimension also allows what ints allow and TF's Dimension refuses
    (hashing, ``-d``, ``d / 2``, ``d ** 2``, which give plain numbers).
    """

    __slots__ = ()

    def __new__(cls, value: Any = None) -> Any:
        if value is None or value is _UNKNOWN:
            return _UNKNOWN
        if type(value) is KnownDimension:
            return value
        try:
            size = operator.index(value)
        except TypeError:
            raise TypeError(f"Dimension value must be an integer or None or have an "
                            f"__index__ method, got {value!r} of type "
                            f"{type(value).__name__}") from None
        if size < 0:
            raise ValueError(f"Dimension {size} must be >= 0")
        return int.__new__(KnownDimension, size)

    value: int | None  # the size (a property of each of the two subclasses)

    def is_compatible_with(self, other: Any) -> bool:
        """True if this dimension or ``other`` is unknown, or both have the same size."""
        a, b = self.value, as_dimension(other).value
        return a is None or b is None or a == b

    def assert_is_compatible_with(self, other: Any) -> None:
        """Raises ``ValueError`` unless compatible with ``other``."""
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {self} and {as_dimension(other)} are not compatible")

    def merge_with(self, other: Any) -> "Dimension":
        """The more specific of the two; ``ValueError`` if they are different known sizes."""
        other = as_dimension(other)
        self.assert_is_compatible_with(other)
        return self if other.value is None else other

    def __repr__(self) -> str:
        return f"Dimension({self.value})"


def _known_op(fn: Callable[[int, int], int]) -> Callable[[Any, Any], Any]:
    """A known Dimension's binary operator: a Dimension for an int-like or a Dimension
    operand (unknown if that one is), NotImplemented for anything else (floats, arrays,
    tensors, which then answer with their own operator)."""
    def op(self: "KnownDimension", other: Any) -> Any:
        if other is None or other is _UNKNOWN:
            return _UNKNOWN
        try:
            other = operator.index(other)
        except TypeError:
            return NotImplemented
        return int.__new__(KnownDimension, fn(int(self), other))
    return op


def _known_compare(fn: Callable[[int, int], bool]) -> Callable[[Any, Any], Any]:
    """A known Dimension's comparison: None against an unknown size (as TF1), else int's."""
    def compare(self: "KnownDimension", other: Any) -> Any:
        if other is None or other is _UNKNOWN:
            return None
        return fn(int(self), other)
    return compare


class KnownDimension(int, Dimension):
    """A known size: what ``Dimension(n)`` builds (see :class:`Dimension`)."""

    __slots__ = ()

    @property
    def value(self) -> int:
        """The size as a plain int."""
        return int(self)

    __add__ = _known_op(operator.add)
    __radd__ = _known_op(lambda a, b: b + a)
    __sub__ = _known_op(operator.sub)
    __rsub__ = _known_op(lambda a, b: b - a)
    __mul__ = _known_op(operator.mul)
    __rmul__ = _known_op(lambda a, b: b * a)
    __floordiv__ = _known_op(operator.floordiv)
    __rfloordiv__ = _known_op(lambda a, b: b // a)
    __mod__ = _known_op(operator.mod)
    __rmod__ = _known_op(lambda a, b: b % a)
    __eq__ = _known_compare(int.__eq__)
    __ne__ = _known_compare(int.__ne__)
    __lt__ = _known_compare(int.__lt__)
    __le__ = _known_compare(int.__le__)
    __gt__ = _known_compare(int.__gt__)
    __ge__ = _known_compare(int.__ge__)
    __hash__ = int.__hash__
    __repr__ = Dimension.__repr__

    def __str__(self) -> str:
        return int.__repr__(self)

    def __reduce__(self) -> tuple:
        return (Dimension, (int(self),))


class _UnknownDimension(Dimension):
    """The unknown size, ``Dimension(None)``: one instance, ``_UNKNOWN``."""

    __slots__ = ()

    @property
    def value(self) -> None:
        """Always None."""
        return None

    def _unknown(self, other: Any) -> Any:
        """Arithmetic with an unknown size is unknown (for any dimension-like operand)."""
        return _UNKNOWN if _is_dimension_like(other) else NotImplemented

    def _none(self, other: Any) -> Any:
        """Comparisons with an unknown size are None (for any dimension-like operand)."""
        return None if _is_dimension_like(other) else NotImplemented

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _unknown
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _unknown
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _none
    __hash__ = None  # type: ignore[assignment]  (unhashable, as TF1's Dimension)

    def __int__(self) -> int:
        raise TypeError("int() of an unknown Dimension (Dimension(None))")

    __index__ = __float__ = __int__

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return "?"

    def __format__(self, spec: str) -> str:
        return format("?", spec)

    def __reduce__(self) -> tuple:
        return (Dimension, (None,))


_UNKNOWN = object.__new__(_UnknownDimension)


def _is_dimension_like(value: Any) -> bool:
    """True for None, a Dimension or an int-like (what TF1's ``as_dimension`` accepts)."""
    if value is None or isinstance(value, Dimension):
        return True
    try:
        operator.index(value)
    except TypeError:
        return False
    return True


def as_dimension(value: Any) -> Dimension:
    """``value`` (an int-like, None or a Dimension) as a Dimension."""
    return value if isinstance(value, Dimension) else Dimension(value)


def dimension_value(dimension: Any) -> int | None:
    """``tf.dimension_value``: the size of a Dimension, int or None as an int or None."""
    if dimension is None or dimension is _UNKNOWN:
        return None
    return int(dimension)


def dimension_at_index(shape: Any, index: int) -> Dimension:
    """``tf.dimension_at_index``: ``shape[index]`` as a Dimension, whatever the v2 switch
    (``Dimension(None)`` when the size or the rank is unknown)."""
    dims = as_shape(shape)._dims
    return _UNKNOWN if dims is None else Dimension(dims[index])


def _dim(size: int | None) -> Any:
    """What indexing a shape gives for ``size``: a Dimension, or (v2) the int/None."""
    if _V2_TENSORSHAPE:
        return size
    return _UNKNOWN if size is None else int.__new__(KnownDimension, size)


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
        elif dims is _UNKNOWN:
            self._dims = (None,)
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
        """List of ``Dimension`` objects (whatever the v2 switch, as TF), or None for
        unknown rank."""
        return None if self._dims is None else [Dimension(d) for d in self._dims]

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
        return map(_dim, self._dims)

    def __getitem__(self, key: Any) -> Any:
        """A Dimension (an int or None after ``enable_v2_tensorshape``) for an index, a
        TensorShape for a slice."""
        if self._dims is None:
            return _slice_unknown_rank(key) if isinstance(key, slice) else _dim(None)
        if isinstance(key, slice):
            return TensorShape._from_canonical(self._dims[key])
        return _dim(self._dims[key])

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
        return f"TensorShape({None if self._dims is None else list(map(_dim, self._dims))})"

    def __str__(self) -> str:
        if self._dims is None:
            return "<unknown>"
        inner = ", ".join("?" if d is None else str(d) for d in self._dims)
        return f"({inner},)" if len(self._dims) == 1 else f"({inner})"


def _slice_unknown_rank(key: slice) -> TensorShape:
    """A slice of a shape of unknown rank: ``stop - start`` unknown dims when both bounds
    are known and non-negative, unknown rank otherwise (as TF)."""
    if key.step is not None:
        raise ValueError(f"TensorShape slice {key}: steps are not supported on a shape of "
                         "unknown rank")
    start = 0 if key.start is None else key.start
    if key.stop is None or start < 0 or key.stop < 0:
        return TensorShape(None)
    return unknown_shape(max(key.stop - start, 0))


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
