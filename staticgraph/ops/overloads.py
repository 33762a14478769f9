"""Python operators on Tensors and Variables, building ops (TF1 semantics).

``==`` and ``!=`` stay identity comparisons (TF1 graph mode); use ``tf.equal``.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

from ..core.graph import Tensor
from . import comparison_ops, complex_ops, indexing_ops, math_ops, matmul_ops
from .framework import apply_binary
from .variables import Variable


def _binary(fn: Callable[..., Any], reflected: bool = False,
            op_name: str | None = None) -> Callable[[Any, Any], Any]:
    op_type = getattr(fn, "applies_binary_op", None)
    if op_type is not None and op_name:
        # ``fn`` only applies one op: apply it here (one Python level less per op built).
        if reflected:
            def op(self: Any, other: Any) -> Any:
                return apply_binary(op_type, other, self, op_name)
        else:
            def op(self: Any, other: Any) -> Any:
                return apply_binary(op_type, self, other, op_name)
    else:
        def op(self: Any, other: Any) -> Any:
            args = (other, self) if reflected else (self, other)
            return fn(*args, name=op_name) if op_name else fn(*args)
    op.__name__ = fn.__name__
    return op


def _unary(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def op(self: Any) -> Any:
        return fn(self)
    op.__name__ = fn.__name__
    return op


def _getitem(self: Any, key: Any) -> Any:
    return indexing_ops.slice_helper(self, key)


def _iter(self: Any) -> Iterator[Any]:
    """As TF1 in graph mode: a Tensor is not iterable (index it, or use tf.unstack)."""
    raise TypeError(f"Tensor objects are only iterable when eager execution is enabled "
                    f"(iterating over {self.name}). To iterate over this tensor use "
                    "tf.map_fn, or index it / tf.unstack it when its first dimension is known.")


# Arithmetic and logical operators name their ops after the operator ("add", "and"), as TF1.
_ARITHMETIC = {
    "add": math_ops.add, "sub": math_ops.subtract, "mul": math_ops.multiply,
    "truediv": math_ops.truediv, "floordiv": math_ops.floordiv, "mod": math_ops.floormod,
    "pow": math_ops.pow, "matmul": matmul_ops.matmul,
}
_LOGICAL = {"and": comparison_ops.logical_and, "or": comparison_ops.logical_or,
            "xor": comparison_ops.logical_xor}
_COMPARE = {"lt": comparison_ops.less, "le": comparison_ops.less_equal,
            "gt": comparison_ops.greater, "ge": comparison_ops.greater_equal}
# abs() of a complex tensor is the real modulus (ComplexAbs), as tf.abs.
_UNARY = {"neg": math_ops.negative, "abs": complex_ops.abs, "invert": comparison_ops.logical_not}


def install(cls: type) -> None:
    """Adds the operator methods to ``cls`` (Tensor and Variable)."""
    for dunder, fn in _ARITHMETIC.items():
        setattr(cls, f"__{dunder}__", _binary(fn, op_name=dunder))
        setattr(cls, f"__r{dunder}__", _binary(fn, reflected=True, op_name=dunder))
    for dunder, fn in _LOGICAL.items():
        setattr(cls, f"__{dunder}__", _binary(fn, op_name=dunder))
        setattr(cls, f"__r{dunder}__", _binary(fn, reflected=True, op_name=dunder))
    for dunder, fn in _COMPARE.items():
        setattr(cls, f"__{dunder}__", _binary(fn))
    for dunder, fn in _UNARY.items():
        setattr(cls, f"__{dunder}__", _unary(fn))
    cls.__getitem__ = _getitem
    cls.__iter__ = _iter


install(Tensor)
install(Variable)
