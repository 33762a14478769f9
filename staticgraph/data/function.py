"""Functions given to ``Dataset.map`` / ``filter``, traced once into a function graph.

The function is called on placeholders standing for one element (TF1's convention: a
tuple element is passed as separate arguments, anything else as one argument) and its
graph is run in the session for each element. When every op of the function is
elementwise in a way that also holds for a whole batch (see :attr:`vectorisable`),
``map(f).batch(n)`` runs ``f`` once per batch instead of once per element.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

from ..core.func_graph import FuncGraph
from ..core.graph import Tensor, get_default_graph
from ..core.shapes import TensorShape
from ..ops.framework import convert_to_tensor
from ..ops.state_ops import identity
from .dataset import Dataset, Run
from .structure import Spec, flatten, pack

__all__ = ["TracedFunction", "DatasetFunction"]


def _call_with_element(fn: Callable[..., Any], element: Any) -> Any:
    return fn(*element) if type(element) is tuple else fn(element)


def _trace(fn: Callable[..., Any], spec: Spec, name: str, batched: bool,
           outputs: Callable[[Any], list[Tensor]]) -> FuncGraph:
    """The function graph of ``fn`` called on placeholders for an element of ``spec``
    (a batch of them when ``batched``); ``outputs(result)``, called inside it, gives
    the tensors it returns."""
    func = FuncGraph(name, get_default_graph())
    with func.as_default():
        placeholders = [
            func.add_input(TensorShape([None]).concatenate(shape) if batched else shape,
                           dtype, name=f"arg{i}")
            for i, (shape, dtype) in enumerate(spec.flat)]
        result = _call_with_element(fn, pack(spec.types, placeholders))
        func.outputs = [identity(t) for t in outputs(result)]
    return func


class TracedFunction:
    """``fn`` traced on elements of ``spec`` (on batches of them when ``batched``).

    ``spec`` of the result describes its outputs; ``captures`` lists the outer graph
    tensors the function reads (their values are taken when an iterator starts).
    """

    def __init__(self, fn: Callable[..., Any], spec: Spec, name: str,
                 batched: bool = False) -> None:
        self.fn = fn
        self.input_spec = spec
        self.batched = batched

        def outputs(result: Any) -> list[Tensor]:
            if isinstance(result, list):  # TF1 reads a returned list as a tuple
                result = tuple(result)
            flat = [convert_to_tensor(r) for r in flatten(result)]
            self.spec = Spec(pack(result, [t.dtype for t in flat]),
                             pack(result, [t.shape for t in flat]))
            return flat
        self.func = _trace(fn, spec, name, batched, outputs)
        self.captures: list[Tensor] = [source for source, _ in self.func.captures]

    def __call__(self, run: Any, flat_element: tuple) -> tuple:
        """The function's flat outputs for one element (or batch) in a running pass."""
        inputs = list(flat_element) + [run.values[id(t)] for t in self.captures]
        return run.state.run_function(self.func, inputs)

    @property
    def vectorisable(self) -> bool:
        """Whether applying the function to a stacked batch equals stacking its results.

        True when every op is elementwise (the registry's field), all operands that
        depend on the element have one rank and the others no larger a rank (so
        broadcasting lines up the same way with a leading batch axis), and every output
        depends on the element.
        """
        rank: dict[int, int] = {}  # id(tensor) -> rank, for tensors that vary per element
        for ph, (shape, _) in zip(self.func.explicit_inputs, self.input_spec.flat):
            if shape.ndims is None:
                return False
            rank[id(ph)] = shape.ndims
        for op in self.func.get_operations():
            if op.type in ("Placeholder", "Const"):
                continue
            if not op.op_def.elementwise or op.op_def.stateful or op.op_def.uses_state:
                return False
            varying = {rank[id(t)] for t in op.inputs if id(t) in rank}
            if not varying:
                continue
            if len(varying) != 1:
                return False
            (r,) = varying
            if any(t.shape.ndims is None or t.shape.ndims > r
                   for t in op.inputs if id(t) not in rank):
                return False
            for out in op.outputs:
                rank[id(out)] = r
        return all(id(t) in rank for t in self.func.outputs)


class DatasetFunction:
    """A function from an element to a dataset (``interleave``'s and ``flat_map``'s),
    traced once: its graph computes the tensors the returned dataset reads, and each
    call starts a pass of that dataset on their values for one element."""

    def __init__(self, fn: Callable[..., Any], spec: Spec, name: str) -> None:
        def outputs(result: Any) -> list[Tensor]:
            if not isinstance(result, Dataset):
                raise TypeError(f"{name}: the function must return a tf.data.Dataset, got "
                                f"{type(result).__name__}")
            self.dataset = result
            self.reads = result._inputs()
            return self.reads
        self.func = _trace(fn, spec, name, False, outputs)
        self.spec = self.dataset._spec
        self.captures: list[Tensor] = [source for source, _ in self.func.captures]

    def __call__(self, run: Any, flat_element: tuple) -> Iterator[tuple]:
        """The elements of the dataset the function returns for one element."""
        values: tuple = ()
        if self.reads:
            inputs = list(flat_element) + [run.values[id(t)] for t in self.captures]
            values = run.state.run_function(self.func, inputs)
        read = {id(t): v for t, v in zip(self.reads, values)}
        return iter(self.dataset._elements(Run(run.state, read)))
