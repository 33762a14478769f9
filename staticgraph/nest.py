"""``tf.nest``: functions on nested structures of lists, tuples, namedtuples and dicts.

As in TensorFlow, dicts (any mapping) are walked in sorted key order and rebuilt with
their own key order; strings, ``None``, tensors and every other object are leaves.
Unlike the control-flow helper ``staticgraph.control_flow.nest``, a ``TensorArray`` is a
leaf here (TF1's ``tf.nest`` does not expand composites unless asked to, and staticgraph
has no composite expansion: ``expand_composites=True`` is refused).
"""
from __future__ import annotations

import collections.abc
from typing import Any, Callable, Sequence

__all__ = ["assert_same_structure", "flatten", "is_nested", "map_structure",
           "pack_sequence_as"]


def _no_composites(expand_composites: bool) -> None:
    if expand_composites:
        raise NotImplementedError("tf.nest: expand_composites=True is not supported in "
                                  "staticgraph (composite tensors are leaves)")


def is_nested(seq: Any) -> bool:
    """True when ``seq`` is a structure to descend into: a list, tuple (namedtuple
    included) or mapping; strings are leaves."""
    return isinstance(seq, (list, tuple, collections.abc.Mapping))


def _children(value: Any) -> list:
    if isinstance(value, collections.abc.Mapping):
        return [value[k] for k in sorted(value)]
    return list(value)


def flatten(structure: Any, expand_composites: bool = False) -> list:
    """The leaves of ``structure``, depth first, mappings in sorted key order.

    A leaf (anything not nested, ``None`` included) flattens to a one-element list.
    """
    _no_composites(expand_composites)
    if not is_nested(structure):
        return [structure]
    return [leaf for child in _children(structure) for leaf in flatten(child)]


def _rebuild(instance: Any, values: list) -> Any:
    """A container like ``instance`` holding ``values`` (given in flatten order)."""
    if isinstance(instance, collections.abc.Mapping):
        by_key = dict(zip(sorted(instance), values))
        return type(instance)((k, by_key[k]) for k in instance)
    if isinstance(instance, tuple) and hasattr(instance, "_fields"):
        return type(instance)(*values)
    return type(instance)(values)


def _pack(structure: Any, leaves: Sequence[Any], start: int) -> tuple[Any, int]:
    if not is_nested(structure):
        return leaves[start], start + 1
    values = []
    for child in _children(structure):
        value, start = _pack(child, leaves, start)
        values.append(value)
    return _rebuild(structure, values), start


def pack_sequence_as(structure: Any, flat_sequence: Sequence[Any],
                     expand_composites: bool = False) -> Any:
    """``structure`` with its leaves replaced, in order, by ``flat_sequence``.

    Raises:
      TypeError: ``flat_sequence`` is not a list or tuple.
      ValueError: the number of values differs from the number of leaves.
    """
    _no_composites(expand_composites)
    if not is_nested(flat_sequence):
        raise TypeError(f"Attempted to pack value:\n  {flat_sequence!r}\ninto a structure, "
                        "but found incompatible type `"
                        f"{type(flat_sequence).__name__}` instead.")
    flat = list(flat_sequence)
    wanted = len(flatten(structure))
    if wanted != len(flat):
        raise ValueError(f"Could not pack sequence. Structure had {wanted} atoms, but "
                         f"flat_sequence had {len(flat)} items. Structure: {structure!r}, "
                         f"flat_sequence: {flat!r}.")
    if not is_nested(structure):
        return flat[0]
    return _pack(structure, flat, 0)[0]


def _structure_mismatch(a: Any, b: Any, check_types: bool) -> tuple[type, str] | None:
    """Why ``a`` and ``b`` differ in structure (exception class and message), or None."""
    if is_nested(a) != is_nested(b):
        return ValueError, (f"The two structures don't have the same nested structure.\n\n"
                            f"First structure: {a!r}\n\nSecond structure: {b!r}")
    if not is_nested(a):
        return None
    if check_types and type(a) is not type(b):
        return TypeError, (f"The two structures don't have the same sequence type. Input "
                           f"structure has type {type(a)!r}, while shallow structure has "
                           f"type {type(b)!r}.")
    if isinstance(a, collections.abc.Mapping) and sorted(a) != sorted(b):
        return ValueError, (f"The two dictionaries don't have the same set of keys. First "
                            f"structure has keys {sorted(a)}, while second structure has "
                            f"keys {sorted(b)}.")
    ca, cb = _children(a), _children(b)
    if len(ca) != len(cb):
        return ValueError, (f"The two structures don't have the same nested structure.\n\n"
                            f"First structure: {a!r}\n\nSecond structure: {b!r}")
    for x, y in zip(ca, cb):
        found = _structure_mismatch(x, y, check_types)
        if found is not None:
            return found
    return None


def assert_same_structure(nest1: Any, nest2: Any, check_types: bool = True,
                          expand_composites: bool = False) -> None:
    """Raises unless ``nest1`` and ``nest2`` nest the same way with the same leaf count.

    Raises:
      ValueError: the nesting or the number of elements differs.
      TypeError: ``check_types`` and two containers at one place have different types
        (a list against a tuple).
    """
    _no_composites(expand_composites)
    found = _structure_mismatch(nest1, nest2, check_types)
    if found is not None:
        error, message = found
        raise error(message)


def map_structure(func: Callable[..., Any], *structure: Any, check_types: bool = True,
                  expand_composites: bool = False) -> Any:
    """Applies ``func`` to the leaves of the structures (which must match, as
    :func:`assert_same_structure` checks), packing the results like the first one."""
    if not callable(func):
        raise TypeError(f"func must be callable, got: {func!r}")
    if not structure:
        raise ValueError("Must provide at least one structure")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types,
                              expand_composites=expand_composites)
    leaves = zip(*(flatten(s, expand_composites) for s in structure))
    return pack_sequence_as(structure[0], [func(*args) for args in leaves],
                            expand_composites=expand_composites)
