"""Flattening a nested ``fetches`` structure and rebuilding it around the results, and
expanding composite feed keys (a ``SparseTensor``) into the tensors they are made of.

A composite value (SparseTensor, IndexedSlices) says how it is fetched through
``_fetch_parts()``: a value type and its component tensors (None for an absent one), so
fetching it gives ``value_type(*component_values)``; one that can be fed says through
``_feed_parts(value)`` which values its components get.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from ..core.graph import Graph, Operation, Tensor


def _is_namedtuple(value: Any) -> bool:
    return isinstance(value, tuple) and hasattr(value, "_fields")


def flatten_fetches(graph: Graph, fetches: Any) -> tuple[list, Callable[[list], Any]]:
    """Returns the graph elements in ``fetches`` (in order) and a function that takes
    their values (``None`` for Operations) and rebuilds the user's structure."""
    leaves: list = []

    def walk(item: Any) -> Callable[[list], Any]:
        if isinstance(item, dict):
            keys = list(item.keys())
            parts = [walk(item[k]) for k in keys]
            kind = type(item)
            return lambda vals: kind(zip(keys, (p(vals) for p in parts)))
        if _is_namedtuple(item):
            parts = [walk(v) for v in item]
            kind = type(item)
            return lambda vals: kind(*(p(vals) for p in parts))
        if isinstance(item, (list, tuple)):
            parts = [walk(v) for v in item]
            kind = type(item)
            return lambda vals: kind(p(vals) for p in parts)
        fetch_parts = getattr(item, "_fetch_parts", None)
        if fetch_parts is not None:
            kind, components = fetch_parts()
            parts = [walk(c) if c is not None else (lambda vals: None) for c in components]
            return lambda vals: kind(*(p(vals) for p in parts))
        if item is None:
            raise TypeError("Fetch argument None has invalid type <class 'NoneType'>")
        try:
            element = graph.as_graph_element(item)
        except (TypeError, KeyError, ValueError) as err:
            raise type(err)(f"Fetch argument {item!r} cannot be interpreted as a Tensor. "
                            f"({err})") from None
        index = len(leaves)
        leaves.append(element)
        return lambda vals: vals[index]

    return leaves, walk(fetches)


def split_leaves(leaves: list) -> tuple[list[Tensor], list[Operation]]:
    """Unique tensors to fetch and operations to run, in first-seen order."""
    tensors = list(dict.fromkeys(x for x in leaves if isinstance(x, Tensor)))
    ops = list(dict.fromkeys(x for x in leaves if isinstance(x, Operation)))
    return tensors, ops


def expand_feeds(keys: Sequence[Any]) -> tuple[list, Callable[[tuple], tuple] | None]:
    """The feed keys with each composite key (one with ``_feed_parts``) replaced by its
    component tensors, and a function mapping the values fed for ``keys`` to values for
    the expanded keys (None when no key is composite, so plain feeds cost nothing)."""
    if not any(hasattr(k, "_feed_parts") for k in keys):
        return list(keys), None
    expanded: list = []
    splitters: list[Callable[[Any], tuple]] = []
    for key in keys:
        feed_parts = getattr(key, "_feed_parts", None)
        if feed_parts is None:
            expanded.append(key)
            splitters.append(lambda value: (value,))
        else:
            expanded.extend(key._fetch_parts()[1])
            splitters.append(feed_parts)

    def split(values: tuple) -> tuple:
        return tuple(part for s, v in zip(splitters, values) for part in s(v))
    return expanded, split
