"""Where staticgraph's ops and TensorFlow's NodeDefs of the same op type differ.

Most op types have the same name, inputs and attributes in both; a :class:`Conversion`
lists the differences of the others:

- an attribute here that TensorFlow takes as a constant input (a reduction's axes,
  ``ConcatV2``'s axis, ``Transpose``'s permutation, ...);
- window attributes that are ``(h, w)`` here and ``[1, h, w, 1]`` in TensorFlow (``(d, h,
  w)`` and ``[1, d, h, w, 1]`` for the 3-D ops);
- state ops, whose variable is TensorFlow's first (reference) input but an attribute
  (``var_key``/``var_keys``) here;
- attributes with TensorFlow's meaning and name, kept when importing a TensorFlow node
  (``transpose_a``, ``keep_dims``, ...); other TensorFlow attributes (``T``, ``Tidx``,
  ``grad_a``, ...) follow from the inputs or are TensorFlow-only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..core import dtypes

__all__ = ["Conversion", "conversion_for", "TF_TYPE_ALIASES", "SELF_KEYED"]


@dataclass(frozen=True)
class Conversion:
    """The differences of one op type (see the module docstring).

    attrs: attributes with the same name and meaning on both sides.
    const_inputs: ``(attribute, TF input position, dtype)`` for attributes TensorFlow
        takes as constant inputs, in increasing position (-1: the last input).
    window: attributes that are ``(h, w)`` (or ``(d, h, w)``) here and ``[1, h, w, 1]``
        (``[1, d, h, w, 1]``) in TensorFlow.
    state: ``"var_key"`` or ``"var_keys"`` for ops whose TF input 0 is the variable.
    tf_only: TensorFlow attributes written on export with these values.
    from_tf: converts a ``const_inputs`` value to the attribute (default: as is).
    defaults: staticgraph attributes TensorFlow's op does not have, with the value that
        gives TensorFlow's behaviour (``Softmax`` works on the last axis).
    """

    attrs: tuple[str, ...] = ()
    const_inputs: tuple[tuple[str, int, dtypes.DType], ...] = ()
    window: tuple[str, ...] = ()
    state: str | None = None
    tf_only: dict = field(default_factory=dict)
    from_tf: Callable[[str, np.ndarray], Any] | None = None
    defaults: dict = field(default_factory=dict)


def _axes(attr: str, value: np.ndarray) -> Any:
    """A reduction's axes: a tuple here (a scalar axis in TF becomes a 1-tuple)."""
    return tuple(int(v) for v in np.reshape(value, -1))


def _scalar_or_tuple(attr: str, value: np.ndarray) -> Any:
    return int(value) if np.ndim(value) == 0 else tuple(int(v) for v in value)


_INT32 = dtypes.int32
_REDUCTION = Conversion(attrs=("keep_dims",), const_inputs=(("axis", 1, _INT32),),
                        from_tf=_axes)
_AXIS_INPUT = Conversion(const_inputs=(("axis", 1, _INT32),), from_tf=_scalar_or_tuple)
_WINDOW_FORMAT = {"data_format": "NHWC"}
_CONV = Conversion(attrs=("padding",), window=("strides", "dilations"),
                   tf_only=_WINDOW_FORMAT)
_POOL = Conversion(attrs=("padding",), window=("strides", "ksize"), tf_only=_WINDOW_FORMAT)
_WINDOW_FORMAT3 = {"data_format": "NDHWC"}
_CONV3 = Conversion(attrs=("padding",), window=("strides", "dilations"),
                    tf_only=_WINDOW_FORMAT3)
_POOL3 = Conversion(attrs=("padding",), window=("strides", "ksize"), tf_only=_WINDOW_FORMAT3)
_ASSIGN = Conversion(attrs=("validate_shape",), state="var_key")
# TF's AssignAdd/AssignSub have no validate_shape: they always check the shape
_ASSIGN_UPDATE = Conversion(state="var_key", defaults={"validate_shape": True})
_APPLY = Conversion(state="var_keys")
_RANDOM = Conversion(attrs=("dtype", "seed", "seed2"))
_LAST_AXIS = Conversion(defaults={"axis": -1})

_CONVERSIONS: dict[str, Conversion] = {
    **{t: _REDUCTION for t in ("Sum", "Mean", "Max", "Min", "Prod", "All", "Any")},
    "ExpandDims": _AXIS_INPUT,
    "ConcatV2": Conversion(const_inputs=(("axis", -1, _INT32),), from_tf=_scalar_or_tuple),
    "ReverseV2": Conversion(const_inputs=(("axis", 1, _INT32),), from_tf=_axes),
    "Transpose": Conversion(const_inputs=(("perm", 1, _INT32),), from_tf=_axes),
    "ArgMax": Conversion(attrs=("output_type",), const_inputs=(("axis", 1, _INT32),),
                         from_tf=_scalar_or_tuple),
    "ArgMin": Conversion(attrs=("output_type",), const_inputs=(("axis", 1, _INT32),),
                         from_tf=_scalar_or_tuple),
    "GatherV2": Conversion(const_inputs=(("axis", 2, _INT32),), from_tf=_scalar_or_tuple),
    "OneHot": Conversion(attrs=("axis",), const_inputs=(("depth", 1, _INT32),),
                         from_tf=_scalar_or_tuple),
    "Cumsum": Conversion(attrs=("exclusive", "reverse"), const_inputs=(("axis", 1, _INT32),),
                         from_tf=_scalar_or_tuple),
    "Cumprod": Conversion(attrs=("exclusive", "reverse"),
                          const_inputs=(("axis", 1, _INT32),), from_tf=_scalar_or_tuple),
    "Split": Conversion(attrs=("num_split",), const_inputs=(("axis", 0, _INT32),),
                        from_tf=_scalar_or_tuple),
    "SplitV": Conversion(attrs=("num_split",), const_inputs=(("axis", 2, _INT32),),
                         from_tf=_scalar_or_tuple),
    "Conv2D": _CONV, "Conv2DBackpropInput": _CONV, "Conv2DBackpropFilter": _CONV,
    "DepthwiseConv2dNative": _CONV, "DepthwiseConv2dNativeBackpropInput": _CONV,
    "DepthwiseConv2dNativeBackpropFilter": _CONV,
    "MaxPool": _POOL, "AvgPool": _POOL, "MaxPoolGrad": _POOL, "AvgPoolGrad": _POOL,
    "MaxPoolGradGrad": _POOL,
    "Conv3D": _CONV3, "Conv3DBackpropInputV2": _CONV3, "Conv3DBackpropFilterV2": _CONV3,
    **{t: _POOL3 for t in ("MaxPool3D", "AvgPool3D", "MaxPool3DGrad", "AvgPool3DGrad",
                           "MaxPool3DGradGrad")},
    "Assign": _ASSIGN, "AssignAdd": _ASSIGN_UPDATE, "AssignSub": _ASSIGN_UPDATE,
    "ApplyGradientDescent": _APPLY, "ApplyAdam": _APPLY, "ApplyAdagrad": _APPLY,
    "ApplyRMSProp": _APPLY, "ApplyCenteredRMSProp": _APPLY,
    "ApplyMomentum": Conversion(attrs=("use_nesterov",), state="var_keys"),
    "Softmax": _LAST_AXIS, "LogSoftmax": _LAST_AXIS,
    "SoftmaxCrossEntropyWithLogits": _LAST_AXIS,
    "Pad": Conversion(defaults={"constant_values": 0}),
    "RandomUniform": _RANDOM, "RandomStandardNormal": _RANDOM, "TruncatedNormal": _RANDOM,
    "RandomUniformInt": Conversion(attrs=("seed", "seed2")),
    "RandomShuffle": Conversion(attrs=("seed", "seed2")),
    "Multinomial": Conversion(attrs=("seed", "seed2", "output_dtype"),
                              const_inputs=(("num_samples", 1, _INT32),),
                              from_tf=_scalar_or_tuple),
}

# attributes with TensorFlow's name and meaning, per op type (no other difference)
_SAME_ATTRS = {
    "MatMul": ("transpose_a", "transpose_b"), "BiasAdd": ("data_format",),
    "BiasAddGrad": ("data_format",), "Cast": ("DstT",), "Shape": ("out_type",),
    "Size": ("out_type",), "Placeholder": ("dtype", "shape"),
    "PlaceholderWithDefault": ("shape",), "Const": ("value",),
    "VariableV2": ("shape", "dtype"), "Squeeze": ("squeeze_dims",), "Pack": ("axis",),
    "Unpack": ("num", "axis"), "LeakyRelu": ("alpha",), "LeakyReluGrad": ("alpha",),
    "MatrixInverse": ("adjoint",), "MatrixSolve": ("adjoint",),
    "CheckNumerics": ("message",), "Svd": ("full_matrices", "compute_uv"),
    "MirrorPad": ("mode",), "MirrorPadGrad": ("mode",), "Einsum": ("equation",),
    "StridedSlice": ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask",
                     "shrink_axis_mask"),
    "StridedSliceGrad": ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask",
                         "shrink_axis_mask"),
}
for _type, _attrs in _SAME_ATTRS.items():
    _CONVERSIONS[_type] = Conversion(attrs=_attrs)

# TensorFlow op types that import as one of staticgraph's under another name
TF_TYPE_ALIASES = {"Snapshot": "Identity", "PadV2": "Pad", "RefIdentity": "Identity",
                   "Variable": "VariableV2"}

# attributes holding the op's own name (the session keys its state by it)
SELF_KEYED = {"VariableV2": "var_key", "RandomUniform": "key", "RandomStandardNormal": "key",
              "TruncatedNormal": "key", "RandomUniformInt": "key", "RandomShuffle": "key",
              "Multinomial": "key"}


def conversion_for(op_type: str) -> Conversion:
    """The conversion of ``op_type`` (no difference for types not listed)."""
    return _CONVERSIONS.get(op_type, _NO_DIFFERENCE)


_NO_DIFFERENCE = Conversion()
