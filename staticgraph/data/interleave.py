"""``Dataset.interleave`` and ``Dataset.flat_map``: a dataset per input element, their
elements merged in TF's order.

TF's order (its ``InterleaveDataset``, checked against TF 2.21): ``cycle_length`` slots
are visited in turn; a slot without an open dataset takes the next input element's
dataset (staying on that slot); an open slot gives up to ``block_length`` consecutive
elements before the turn passes to the next slot; a dataset that ends empties its slot
and passes the turn. The result ends when the input is exhausted and every slot is
empty. ``flat_map`` is the case ``cycle_length=1, block_length=1``: each dataset's
elements in full, one dataset after the other.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Iterator

from .dataset import Dataset, Run, register_transforms
from .experimental import AUTOTUNE
from .function import DatasetFunction

__all__ = ["Interleave", "flat_map"]


def _length(value: Any, what: str, autotune: int) -> int:
    """A positive length; None or AUTOTUNE gives ``autotune``."""
    if value is None or int(value) == AUTOTUNE:
        return autotune
    value = int(value)
    if value <= 0:
        raise ValueError(f"{what} must be positive or AUTOTUNE (-1), got {value}")
    return value


class Interleave(Dataset):
    """The elements of ``map_func(element)`` for the input's elements, interleaved
    ``block_length`` at a time over ``cycle_length`` open datasets. ``cycle_length``
    None (or AUTOTUNE) is the number of CPUs, as TF chooses it."""

    def __init__(self, source: Dataset, map_func: Callable[..., Any], cycle_length: Any,
                 block_length: Any, name: str = "interleave_fn") -> None:
        self._upstream = (source,)
        self._fn = DatasetFunction(map_func, source._spec, name)
        self._cycle = _length(cycle_length, "interleave: cycle_length", os.cpu_count() or 1)
        self._block = _length(block_length, "interleave: block_length", 1)
        self._spec = self._fn.spec

    def _own_inputs(self) -> list:
        return list(self._fn.captures)

    def _elements(self, run: Run) -> Iterator[tuple]:
        inputs = iter(self._upstream[0]._elements(run))
        slots: list[Iterator[tuple] | None] = [None] * self._cycle
        open_count, index, given, inputs_left = 0, 0, 0, True
        while inputs_left or open_count:
            current = slots[index]
            if current is not None:
                element = next(current, None)
                if element is not None:
                    yield element
                    given += 1
                    if given < self._block:
                        continue
                else:
                    slots[index] = None
                    open_count -= 1
            elif inputs_left:
                element = next(inputs, None)
                if element is None:
                    inputs_left = False
                else:
                    slots[index] = self._fn(run, element)
                    open_count += 1
                continue
            index, given = (index + 1) % self._cycle, 0


def flat_map(source: Dataset, map_func: Callable[..., Any]) -> Dataset:
    """``source.flat_map(map_func)``: the datasets ``map_func`` returns, one after the
    other."""
    return Interleave(source, map_func, 1, 1, name="flat_map_fn")


register_transforms({"Interleave": Interleave, "flat_map": flat_map})
