"""``_FusedConv2D``: a 2-D convolution whose bias add and ReLU run on each block of its
output while the block is in cache (see :mod:`.window_kernels`), instead of as two more
passes over the whole output.

It is never in a graph: the compiler's chain_fusion pass
(``compiler/passes/chain_fusion.py``) makes it from the chains declared here -- ``Conv2D``
then ``Add``/``AddV2``/``BiasAdd`` of a channel vector then ``Relu``, or ``Conv2D`` then
``Relu`` -- when nothing else reads the convolution or the sum. (TF's grappler remapper makes its ``_FusedConv2D`` from Conv2D +
BiasAdd + activation; the ``Add`` chains are here because TF1 scripts write
``conv2d(...) + b``.) The result has the bits of the chain: the same NumPy additions
and maxima, on row blocks instead of the whole array. A bias add without a ReLU is not
fused: that chain would be a prefix of the longer ones.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core.registry import Fusion, define_op, get_op_def
from ..core.shapes import TensorShape
from . import window_kernels as kernels

_CONV_ATTRS = ("strides", "padding", "dilations")


def _fused_conv2d_kernel(x: np.ndarray, w: np.ndarray, *bias: np.ndarray, strides: Any,
                         padding: str, dilations: Any, fused_ops: tuple) -> np.ndarray:
    geo = kernels.geometry(x.shape[1:3], w.shape[:2], strides, dilations, padding)
    return kernels.conv2d(x, w, geo, bias[0] if bias else None, "Relu" in fused_ops)


def _fused_conv2d_shape(inputs: list, attrs: dict) -> list:
    conv = get_op_def("Conv2D").shape_fn(inputs[:2], {k: attrs[k] for k in _CONV_ATTRS})
    if len(inputs) == 3:
        out_shape, bias = conv[0][0], inputs[2]
        channels = TensorShape([out_shape.as_tuple()[-1] if out_shape.ndims else None])
        if not bias.shape.is_compatible_with(channels):
            raise ValueError(f"_FusedConv2D: bias of shape {bias.shape} does not match the "
                             f"convolution's {channels[0]} output channels "
                             f"(filter shape {inputs[1].shape})")
    return conv


def _fusion_attrs(bias_format: str | None, relu: bool) -> Callable[[list, list], dict | None]:
    """The ``Fusion.attrs`` rule of one chain: ``bias_format`` None for no bias add,
    "" for ``Add`` (the bias its second operand), "NHWC" for ``BiasAdd``."""
    fused_ops = ("BiasAdd",) * (bias_format is not None) + ("Relu",) * relu

    def attrs(chain_attrs: list, specs: list) -> dict | None:
        (_, x_dtype), (w_shape, w_dtype) = specs[:2]
        if x_dtype != w_dtype or not x_dtype.is_floating:
            return None
        if bias_format is not None:
            (b_shape, b_dtype), w_dims = specs[2], w_shape.as_tuple()
            b_dims = b_shape.as_tuple()
            if b_dtype != x_dtype or b_dims is None or len(b_dims) != 1 or w_dims is None \
                    or b_dims[0] is None or b_dims[0] != w_dims[3]:
                return None  # a channel vector of the static output depth only
            if bias_format and chain_attrs[1].get("data_format") != bias_format:
                return None
        return {**{k: chain_attrs[0][k] for k in _CONV_ATTRS}, "fused_ops": fused_ops}
    return attrs


_CHAINS = [Fusion(("Conv2D", add, "Relu"), _fusion_attrs(fmt, True))
           for add, fmt in (("Add", ""), ("AddV2", ""), ("BiasAdd", "NHWC"))]
_CHAINS.append(Fusion(("Conv2D", "Relu"), _fusion_attrs(None, True)))

define_op("_FusedConv2D", kernel=_fused_conv2d_kernel, shape_fn=_fused_conv2d_shape,
          view_of={}, fresh=True, fuses=tuple(_CHAINS),
          doc="Conv2D, then + bias and max(., 0) (attr fused_ops), made by the compiler.")
