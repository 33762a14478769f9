"""``tf.layers.Layer``: the TF1 layer base class (variable scopes, weights, losses, updates).

A layer opens its variable scope the first time it is called (``dense``, ``dense_1``, ...
uniquified like ``tf.variable_scope(None, default_name=...)``), creates its weights there
with ``tf.get_variable`` (so ``reuse`` and custom getters apply), builds its ops inside the
scope's original name scope, and adds its update ops to ``UPDATE_OPS`` and its weight and
activity regularization losses to ``REGULARIZATION_LOSSES``. Later calls reuse the weights.
"""
from __future__ import annotations

import re
import weakref
from typing import Any, Callable, Sequence

from ..core import dtypes
from ..core.graph import Graph, GraphKeys, Tensor, get_default_graph
from ..ops.cast_ops import cast
from ..ops.framework import constant_value, convert_to_tensor
from ..ops.math_ops import truediv
from ..ops.shape_ops import reshape, shape, transpose
from ..ops.variable_scope import VariableScope, get_variable, variable_scope
from ..ops.variables import Variable

__all__ = ["Layer", "InputSpec"]

# Per graph: how many layers of each base name were made (for ``layer.name``).
_NAME_COUNTS: "weakref.WeakKeyDictionary[Graph, dict[str, int]]" = weakref.WeakKeyDictionary()


def _snake_case(name: str) -> str:
    """``"BatchNormalization"`` -> ``"batch_normalization"``, ``"Conv2D"`` -> ``"conv2d"``."""
    words = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", words).lower()


def _unique_layer_name(base: str) -> str:
    """``base_N`` with N counting from 1 per graph (TF1's ``layer.name`` of unnamed layers)."""
    counts = _NAME_COUNTS.setdefault(get_default_graph(), {})
    counts[base] = counts.get(base, 0) + 1
    return f"{base}_{counts[base]}"


class InputSpec:
    """``tf.layers.InputSpec``: the dtype, rank and axis sizes a layer accepts."""

    def __init__(self, dtype: Any = None, shape: Any = None, ndim: int | None = None,
                 max_ndim: int | None = None, min_ndim: int | None = None,
                 axes: dict | None = None) -> None:
        self.dtype = dtype
        self.shape = shape
        self.ndim = len(shape) if shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = axes or {}

    def check(self, layer: str, x: Tensor) -> None:
        """Raises ValueError naming the layer and the input's shape when ``x`` does not fit."""
        ndims = x.shape.ndims
        if ndims is None:
            return
        wanted = {"ndim": self.ndim, "min_ndim": self.min_ndim, "max_ndim": self.max_ndim}
        fails = {"ndim": lambda n: ndims != n, "min_ndim": lambda n: ndims < n,
                 "max_ndim": lambda n: ndims > n}
        for key, value in wanted.items():
            if value is not None and fails[key](value):
                raise ValueError(f"Input 0 of layer {layer} is incompatible with the layer: "
                                 f"expected {key}={value}, found ndim={ndims}. Full shape "
                                 f"received: {x.shape}")
        dims = x.shape.as_list()
        for axis, size in self.axes.items():
            if dims[axis] is not None and dims[axis] != size:
                raise ValueError(f"Input 0 of layer {layer} is incompatible with the layer: "
                                 f"expected axis {axis} of input shape to have value {size} "
                                 f"but received input with shape {x.shape}")


class Layer:
    """``tf.layers.Layer``: subclasses define ``build(input_shape)`` (creating weights with
    :meth:`add_weight`) and ``call(inputs, ...)``; calling the layer runs both once, then
    only ``call`` with the same weights.

    ``name`` fixes the variable scope's base name (uniquified, ``fc``, ``fc_1``...), unless
    the layer is made by a functional form such as ``tf.layers.dense(name=...)``, which
    opens that scope exactly (and then needs ``reuse=True`` to share it).
    """

    def __init__(self, trainable: bool = True, name: str | None = None, dtype: Any = None,
                 activity_regularizer: Callable | None = None, _scope: Any = None,
                 _reuse: Any = None, **kwargs: Any) -> None:
        if kwargs:
            raise TypeError(f"{type(self).__name__}: unknown keyword argument(s) "
                            f"{sorted(kwargs)}")
        base = _snake_case(type(self).__name__)
        if isinstance(name, VariableScope) or not name:
            self._name = _unique_layer_name(base)
            self._base_name = name.name if isinstance(name, VariableScope) else base
        else:
            self._name = self._base_name = name
        self.trainable = trainable
        self._dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
        self._activity_regularizer = activity_regularizer
        self._reuse = _reuse
        self._scope: VariableScope | None = None
        if _scope:
            with variable_scope(_scope) as captured:
                self._scope = captured
        self._trainable_weights: list[Variable] = []
        self._non_trainable_weights: list[Variable] = []
        self._updates: list[Any] = []
        self._losses: list[Tensor] = []
        self.input_spec: InputSpec | None = None
        self.built = False

    # -- properties -------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The layer's name (``dense_1`` for the first unnamed Dense of a graph)."""
        return self._name

    @property
    def dtype(self) -> dtypes.DType | None:
        """The weights' dtype: given, or the first input's."""
        return self._dtype

    @property
    def scope_name(self) -> str:
        """The full name of the layer's variable scope (known once the layer was called)."""
        if self._scope is None:
            raise ValueError(f'No name available for layer scope because the layer '
                             f'"{self._name}" has not been used yet. The scope name is '
                             "determined the first time the layer instance is called.")
        return self._scope.name

    @property
    def trainable_weights(self) -> list[Variable]:
        """Weights trained by optimizers (empty when the layer is not trainable)."""
        return list(self._trainable_weights) if self.trainable else []

    @property
    def non_trainable_weights(self) -> list[Variable]:
        """Weights not trained (moving statistics; all weights of a frozen layer)."""
        if self.trainable:
            return list(self._non_trainable_weights)
        return self._trainable_weights + self._non_trainable_weights

    @property
    def weights(self) -> list[Variable]:
        """Trainable then non-trainable weights."""
        return self.trainable_weights + self.non_trainable_weights

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    @property
    def updates(self) -> list[Any]:
        """Update ops made by the calls (also in the ``UPDATE_OPS`` collection)."""
        return list(self._updates)

    @property
    def losses(self) -> list[Tensor]:
        """Regularization losses of the weights and outputs."""
        return list(self._losses)

    # -- to override ------------------------------------------------------------------
    def build(self, input_shape: Any) -> None:
        """Creates the weights, knowing the first input's shape (none by default)."""

    def call(self, inputs: Tensor, **kwargs: Any) -> Any:
        """The layer's computation (the identity by default)."""
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        """Not provided by staticgraph's layers: build the layer and read ``output.shape``."""
        raise NotImplementedError(f"{type(self).__name__}.compute_output_shape is not "
                                  "implemented in staticgraph; call the layer and read the "
                                  "output's static shape")

    # -- weights, losses, updates -----------------------------------------------------
    def add_weight(self, name: str, shape: Sequence[int], dtype: Any = None,
                   initializer: Any = None, regularizer: Callable | None = None,
                   trainable: bool | None = None, constraint: Callable | None = None,
                   **kwargs: Any) -> Variable:
        """Gets or creates ``<layer scope>/<name>`` with ``tf.get_variable``; a new weight's
        ``regularizer(weight)`` goes to the layer's losses and ``REGULARIZATION_LOSSES``."""
        trainable = True if trainable is None else trainable
        self._set_scope(None)
        graph = get_default_graph()
        existing = set(graph.get_collection(GraphKeys.GLOBAL_VARIABLES))
        with variable_scope(self._scope, reuse=self.built or self._reuse,
                            auxiliary_name_scope=False):
            variable = get_variable(name, shape=list(shape),
                                    dtype=dtype or self._dtype or dtypes.float32,
                                    initializer=initializer,
                                    trainable=trainable and self.trainable,
                                    constraint=constraint)
        in_trainables = variable in graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
        target = self._trainable_weights if trainable and in_trainables \
            else self._non_trainable_weights
        if variable not in target:
            target.append(variable)
        if regularizer is not None and variable not in existing:
            with graph.name_scope(self._scope.original_name_scope), \
                    graph.name_scope(f"{name}/Regularizer"):
                self.add_loss(regularizer(variable))
        return variable

    add_variable = add_weight

    def add_loss(self, losses: Any, inputs: Any = None) -> None:
        """Adds loss tensors to the layer's losses and ``REGULARIZATION_LOSSES``."""
        graph = get_default_graph()
        for loss in losses if isinstance(losses, (list, tuple)) else [losses]:
            if loss is None:
                continue
            self._losses.append(loss)
            if loss not in graph.get_collection(GraphKeys.REGULARIZATION_LOSSES):
                graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)

    def add_update(self, updates: Any, inputs: Any = None) -> None:
        """Adds update ops (run them through ``UPDATE_OPS`` when training)."""
        self._updates.extend(updates if isinstance(updates, (list, tuple)) else [updates])

    # -- calling ----------------------------------------------------------------------
    def _set_scope(self, scope: Any) -> None:
        if self._scope is not None:
            return
        if self._reuse:
            opened = variable_scope(scope if scope is not None else self._base_name)
        else:
            opened = variable_scope(scope, default_name=self._base_name)
        with opened as captured:
            self._scope = captured

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """Builds the layer on the first call, then applies :meth:`call` to ``inputs``."""
        self._set_scope(kwargs.pop("scope", None))
        graph = get_default_graph()
        with variable_scope(self._scope, reuse=True if self.built else self._reuse,
                            auxiliary_name_scope=False):
            with graph.name_scope(self._scope.original_name_scope):
                inputs = _to_tensors(inputs)
                first = inputs[0] if isinstance(inputs, list) else inputs
                if self._dtype is None and first.dtype.is_floating:
                    self._dtype = first.dtype.base_dtype
                if self.input_spec is not None:
                    self.input_spec.check(self._name, first)
                if not self.built:
                    self.build(first.shape)
                    self.built = True
                outputs = self.call(inputs, *args, **kwargs)
                if self._activity_regularizer is not None:
                    self._regularize_activity(outputs)
        for update in self._updates:
            if update not in graph.get_collection(GraphKeys.UPDATE_OPS):
                graph.add_to_collection(GraphKeys.UPDATE_OPS, update)
        return outputs

    def apply(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """The same as calling the layer."""
        return self(inputs, *args, **kwargs)

    def _regularize_activity(self, outputs: Any) -> None:
        """``activity_regularizer(output) / batch size`` per output, as TF1's layers do."""
        with get_default_graph().name_scope("ActivityRegularizer"):
            for output in outputs if isinstance(outputs, (list, tuple)) else [outputs]:
                loss = self._activity_regularizer(output)
                if loss is not None:
                    batch = cast(shape(output)[0], loss.dtype)
                    self.add_loss(truediv(loss, batch))


def _to_tensors(inputs: Any) -> Any:
    if isinstance(inputs, (list, tuple)):
        return [convert_to_tensor(x) for x in inputs]
    return convert_to_tensor(inputs)


def run_time_flag(value: Any, what: str = "training") -> Tensor:
    """The scalar bool tensor of a flag :func:`static_bool` left to run time, shaped ``()``
    statically so that outputs chosen by it keep their shapes (``tf.placeholder(tf.bool)``
    has an unknown shape); feeding it a non-scalar fails in the op named ``what``."""
    return reshape(value, [], name=what)


def static_bool(value: Any, what: str = "training") -> bool | None:
    """A Python bool, or a boolean tensor's value known at build time; None otherwise."""
    if isinstance(value, (bool, int)) or value is None:
        return bool(value)
    known = constant_value(value)
    if known is not None:
        return bool(known)
    tensor = convert_to_tensor(value)
    if tensor.dtype != dtypes.bool_ or tensor.shape.ndims not in (None, 0):
        raise ValueError(f"`{what}` must be a Python bool or a scalar bool tensor, got "
                         f"{tensor.dtype.name} tensor {tensor.name} of shape {tensor.shape}")
    return None


def normalize_tuple(value: Any, n: int, what: str) -> tuple[int, ...]:
    """An int repeated ``n`` times, or an iterable of ``n`` ints, as a tuple."""
    if isinstance(value, int):
        return (value,) * n
    try:
        items = tuple(int(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"The `{what}` argument must be a tuple of {n} integers. Received: "
                         f"{value!r}") from None
    if len(items) != n:
        raise ValueError(f"The `{what}` argument must be a tuple of {n} integers. Received: "
                         f"{value!r}")
    return items


def normalize_padding(value: Any) -> str:
    """``"valid"`` or ``"same"`` (any case)."""
    padding = str(value).lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"The `padding` argument must be one of 'valid', 'same'. Received: "
                         f"{value!r}")
    return padding


def normalize_data_format(value: Any) -> str:
    """``"channels_last"`` (the default) or ``"channels_first"``."""
    data_format = "channels_last" if value is None else str(value).lower()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("The `data_format` argument must be one of 'channels_first', "
                         f"'channels_last'. Received: {value!r}")
    return data_format


def to_channels_last(x: Tensor, data_format: str) -> Tensor:
    """``x`` moved from channels_first to channels_last (unchanged when already so)."""
    if data_format == "channels_last":
        return x
    rank = x.shape.ndims
    return transpose(x, [0, *range(2, rank), 1])


def from_channels_last(x: Tensor, data_format: str) -> Tensor:
    """The inverse of :func:`to_channels_last`."""
    if data_format == "channels_last":
        return x
    rank = x.shape.ndims
    return transpose(x, [0, rank - 1, *range(1, rank - 1)])
