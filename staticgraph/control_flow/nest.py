"""Nested structures (lists, tuples, namedtuples, dicts) of tensors: flattening them to
leaves and packing leaves back, as ``tf.cond`` and ``tf.while_loop`` need.

A value carried by one tensor (a ``TensorArray`` and its flow) is a leaf: it flattens to
``value.flow`` and packs back as ``value.with_flow(leaf)``."""
from __future__ import annotations

from typing import Any, Sequence


def is_sequence(value: Any) -> bool:
    """True for the containers a structure may nest: list, tuple (namedtuple), dict."""
    return isinstance(value, (list, tuple, dict))


def _children(value: Any) -> list:
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    return list(value)


def _carries_flow(value: Any) -> bool:
    return hasattr(value, "flow") and hasattr(value, "with_flow")


def flatten(structure: Any) -> list:
    """The leaves of a nested list/tuple/dict structure, depth first (dicts by key)."""
    if _carries_flow(structure):
        return [structure.flow]
    if not is_sequence(structure):
        return [structure]
    return [leaf for child in _children(structure) for leaf in flatten(child)]


def pack_as(structure: Any, leaves: Sequence[Any]) -> Any:
    """Rebuilds ``structure`` with ``leaves`` (as returned by :func:`flatten`)."""
    it = iter(leaves)

    def build(item: Any) -> Any:
        if _carries_flow(item):
            return item.with_flow(next(it))
        if isinstance(item, dict):
            return type(item)((k, build(item[k])) for k in sorted(item))
        if isinstance(item, tuple) and hasattr(item, "_fields"):
            return type(item)(*(build(v) for v in item))
        if isinstance(item, (list, tuple)):
            return type(item)(build(v) for v in item)
        return next(it)

    return build(structure)


def same_structure(a: Any, b: Any) -> bool:
    """True when ``a`` and ``b`` nest the same containers the same way (leaves aside)."""
    if is_sequence(a) != is_sequence(b):
        return False
    if not is_sequence(a):
        return True
    if isinstance(a, dict) != isinstance(b, dict):
        return False
    if isinstance(a, dict) and sorted(a) != sorted(b):
        return False
    ca, cb = _children(a), _children(b)
    return len(ca) == len(cb) and all(same_structure(x, y) for x, y in zip(ca, cb))
