"""``tf.ConditionalAccumulator``: averages (or sums) the gradients applied to it, keeping
only those computed at a step no older than its own ``global step``; ``take_grad(n)``
waits for ``n`` of them, returns their mean, resets the sum and advances the step.

Its state (sum, count, step) lives in the session, guarded by a condition variable so
that workers applying gradients from threads wake a blocked ``take_grad``.
"""
from __future__ import annotations

import itertools
import threading
import weakref
from typing import Any

import numpy as np

from ..core import dtypes as _dtypes
from ..core import errors
from ..core.graph import Operation, Tensor, get_default_graph
from ..core.registry import define_op
from ..core.shapes import TensorShape, as_shape
from ..ops.framework import apply_op, convert_to_tensor

__all__ = ["ConditionalAccumulatorBase", "ConditionalAccumulator"]

_STATES: "weakref.WeakKeyDictionary[Any, dict[str, _Accumulation]]" = \
    weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
_keys = itertools.count()


class _Accumulation:
    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.total: np.ndarray | None = None
        self.count = 0
        self.step = 0


def _accumulation(state: Any, key: str) -> _Accumulation:
    with _LOCK:
        return _STATES.setdefault(state, {}).setdefault(key, _Accumulation())


def _apply(acc: _Accumulation, config: dict, grad: np.ndarray, local_step: int) -> None:
    shape = config["shape"]
    if not shape.is_compatible_with(as_shape(grad.shape)) or (
            acc.total is not None and acc.total.shape != grad.shape):
        want = acc.total.shape if acc.total is not None else shape
        raise errors.InvalidArgumentError(None, None, f"{config['name']}: gradient of shape "
                                          f"{list(grad.shape)} does not match the "
                                          f"accumulator's shape {want}")
    if local_step < acc.step:
        return  # stale: TF drops it silently
    acc.total = grad.astype(config["dtype"].dtype) if acc.total is None else acc.total + grad
    acc.count += 1
    acc.cond.notify_all()


def _take(acc: _Accumulation, config: dict, required: int) -> np.ndarray:
    if required < 1:
        raise errors.InvalidArgumentError(None, None, f"{config['name']}: num_required "
                                          f"must be >= 1, got {required}")
    while acc.count < required:
        acc.cond.wait()
    result = acc.total if config["reduction"] == "SUM" else acc.total / acc.count
    acc.total, acc.count = None, 0
    acc.step += 1
    return np.asarray(result, config["dtype"].dtype)


def _accumulator_kernel(state: Any, *values: Any, action: str, config: dict,
                        **unused: Any) -> Any:
    acc = _accumulation(state, config["key"])
    with acc.cond:
        if action == "apply_grad":
            _apply(acc, config, np.asarray(values[1]), int(values[0]))
            return None
        if action == "take_grad":
            return _take(acc, config, int(values[0]))
        if action == "set_global_step":
            acc.step = int(values[0])
            return None
        return np.int32(acc.count)


def _accumulator_shape(inputs: list, attrs: dict) -> list:
    config, action = attrs["config"], attrs["action"]
    if action == "apply_grad" and not inputs[1].shape.is_compatible_with(config["shape"]):
        raise ValueError(f"{config['name']}: gradient of shape {inputs[1].shape} does not "
                         f"match the accumulator's shape {config['shape']}")
    if action == "take_grad":
        return [(config["shape"], config["dtype"])]
    if action == "num_accumulated":
        return [(TensorShape([]), _dtypes.int32)]
    return []


define_op("AccumulatorOp", kernel=_accumulator_kernel, shape_fn=_accumulator_shape,
          stateful=True, uses_state=True, view_of={},
          doc="An action on a session's gradient accumulator: apply_grad, take_grad, "
              "set_global_step, num_accumulated.")


class ConditionalAccumulatorBase:
    """An accumulator of values of one ``dtype`` and ``shape`` kept in the session."""

    def __init__(self, dtype: Any, shape: Any, name: str, reduction_type: str) -> None:
        if reduction_type not in ("MEAN", "SUM"):
            raise ValueError(f"reduction_type must be 'MEAN' or 'SUM', got "
                             f"{reduction_type!r}")
        self._dtype = _dtypes.as_dtype(dtype)
        if not self._dtype.is_floating:
            raise TypeError(f"ConditionalAccumulator: dtype must be a float type, got "
                            f"{self._dtype.name}")
        self._name = get_default_graph().unique_name(name)
        self._config = {"name": self._name, "key": f"{self._name}_{next(_keys)}",
                        "dtype": self._dtype, "reduction": reduction_type,
                        "shape": as_shape(shape)}

    @property
    def name(self) -> str:
        """The accumulator's name."""
        return self._name

    @property
    def dtype(self) -> _dtypes.DType:
        """The dtype of the accumulated values."""
        return self._dtype

    @property
    def accumulator_ref(self) -> str:
        """The accumulator's name (TF1 gives a handle)."""
        return self._name

    def _op(self, action: str, inputs: list, name: str | None) -> Operation:
        return apply_op("AccumulatorOp", inputs, {"action": action, "config": self._config},
                        name=name or f"{self._name}_{action}")

    def num_accumulated(self, name: str | None = None) -> Tensor:
        """How many gradients are accumulated now (an int32 scalar)."""
        return self._op("num_accumulated", [], name).outputs[0]

    def set_global_step(self, new_global_step: Any, name: str | None = None) -> Operation:
        """An op setting the step below which applied gradients are dropped."""
        step = convert_to_tensor(new_global_step, dtype=_dtypes.int64)
        return self._op("set_global_step", [step], name)


class ConditionalAccumulator(ConditionalAccumulatorBase):
    """Accumulates dense gradients; see the module doc."""

    def __init__(self, dtype: Any, shape: Any = None, shared_name: str | None = None,
                 name: str = "conditional_accumulator", reduction_type: str = "MEAN"
                 ) -> None:
        super().__init__(dtype, shape, name, reduction_type)

    def apply_grad(self, grad: Any, local_step: Any = 0, name: str | None = None
                   ) -> Operation:
        """An op adding ``grad`` unless ``local_step`` is older than the global step."""
        step = convert_to_tensor(local_step, dtype=_dtypes.int64)
        return self._op("apply_grad", [step, convert_to_tensor(grad, dtype=self._dtype)],
                        name)

    def take_grad(self, num_required: Any, name: str | None = None) -> Tensor:
        """The mean (or sum) of the accumulated gradients once ``num_required`` have
        arrived (waits for them); resets the sum and advances the global step."""
        n = convert_to_tensor(num_required, dtype=_dtypes.int32)
        return self._op("take_grad", [n], name).outputs[0]
