"""ONNX export of the inference part of a graph (``staticgraph.onnx.export``).

The ops between the fed placeholders and the fetches become ONNX nodes (opset 17);
variables become initializers holding their values in the session. NHWC convolutions and
pooling are wrapped in transposes to ONNX's NCHW. Every op type without a conversion is
listed in one error before anything is written. Needs the optional ``onnx`` package
(``pip install staticgraph[onnx]``).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..core.graph import Operation, Tensor
from .files import atomic_write_bytes

__all__ = ["export_onnx", "OPSET"]

OPSET = 17
_INT64_MAX = np.iinfo(np.int64).max
_NHWC_TO_NCHW, _NCHW_TO_NHWC = [0, 3, 1, 2], [0, 2, 3, 1]
_PADDING = {"SAME": "SAME_UPPER", "VALID": "VALID"}
_SAME_NAME = {"Add": "Add", "AddV2": "Add", "Sub": "Sub", "Mul": "Mul", "RealDiv": "Div",
              "Maximum": "Max", "Minimum": "Min", "Neg": "Neg", "Exp": "Exp", "Log": "Log",
              "Sqrt": "Sqrt", "Abs": "Abs", "Tanh": "Tanh", "Sigmoid": "Sigmoid",
              "Relu": "Relu", "Floor": "Floor", "Ceil": "Ceil", "Reciprocal": "Reciprocal",
              "Pow": "Pow", "Elu": "Elu", "Softplus": "Softplus", "Softsign": "Softsign",
              "Identity": "Identity", "StopGradient": "Identity", "Equal": "Equal",
              "Less": "Less", "Greater": "Greater", "LogicalAnd": "And",
              "LogicalOr": "Or", "LogicalNot": "Not", "Select": "Where",
              "SelectV2": "Where", "Erf": "Erf", "Sign": "Sign", "Round": "Round"}
_REDUCE = {"Sum": "ReduceSum", "Mean": "ReduceMean", "Max": "ReduceMax",
           "Min": "ReduceMin", "Prod": "ReduceProd"}


class _Builder:
    """Accumulates ONNX nodes and initializers; names tensors as staticgraph does."""

    def __init__(self, onnx: Any, session: Any) -> None:
        self.onnx, self.helper = onnx, onnx.helper
        self.session = session
        self.nodes: list = []
        self.initializers: list = []
        self._count = 0

    def fresh(self, hint: str) -> str:
        self._count += 1
        return f"{hint}__{self._count}"

    def constant(self, value: Any, hint: str) -> str:
        name = self.fresh(hint)
        self.initializers.append(self.onnx.numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(self, op_type: str, inputs: Sequence[str], output: str | None = None,
             **attrs: Any) -> str:
        output = output or self.fresh(op_type)
        self.nodes.append(self.helper.make_node(op_type, list(inputs), [output], **attrs))
        return output


def _value(op: Operation, index: int) -> np.ndarray:
    """The build-time value of input ``index`` (a Const)."""
    t = op.inputs[index]
    if t.op.type != "Const":
        raise ValueError(f"{op.type} op '{op.name}': ONNX export needs input {index} to be "
                         f"a constant, got {t.op.type} op '{t.op.name}'")
    return np.asarray(t.op.get_attr("value"))


def _nchw(b: _Builder, name: str, op: Operation, onnx_type: str, out: str, **attrs: Any
          ) -> None:
    """``onnx_type`` on NCHW data between transposes from and to NHWC."""
    x = b.node("Transpose", [name], perm=_NHWC_TO_NCHW)
    y = b.node(onnx_type, [x] + attrs.pop("extra_inputs", []), **attrs)
    b.node("Transpose", [y], out, perm=_NCHW_TO_NHWC)


def _conv(b: _Builder, op: Operation, ins: list[str], out: str) -> None:
    a = op.attrs
    w = b.node("Transpose", [ins[1]], perm=[3, 2, 0, 1])  # HWIO -> OIHW
    _nchw(b, ins[0], op, "Conv", out, extra_inputs=[w], strides=list(a["strides"]),
          dilations=list(a["dilations"]), auto_pad=_PADDING[a["padding"]])


def _pool(b: _Builder, op: Operation, ins: list[str], out: str) -> None:
    a = op.attrs
    extra = {"count_include_pad": 0} if op.type == "AvgPool" else {}
    _nchw(b, ins[0], op, "MaxPool" if op.type == "MaxPool" else "AveragePool", out,
          kernel_shape=list(a["ksize"]), strides=list(a["strides"]),
          auto_pad=_PADDING[a["padding"]], **extra)


def _matmul(b: _Builder, op: Operation, ins: list[str], out: str) -> None:
    a, c = ins
    if op.attrs.get("transpose_a"):
        a = b.node("Transpose", [a], perm=[1, 0])
    if op.attrs.get("transpose_b"):
        c = b.node("Transpose", [c], perm=[1, 0])
    b.node("MatMul", [a, c], out)


def _reduce(b: _Builder, op: Operation, ins: list[str], out: str) -> None:
    axes = op.attrs["axis"]
    keep = int(bool(op.attrs["keep_dims"]))
    if op.type == "Sum":
        extra = [b.constant(np.asarray(axes, np.int64), "axes")] if axes is not None else []
        b.node("ReduceSum", ins + extra, out, keepdims=keep)
    elif axes is None:
        b.node(_REDUCE[op.type], ins, out, keepdims=keep)
    else:
        b.node(_REDUCE[op.type], ins, out, keepdims=keep, axes=list(axes))


def _reshape(b: _Builder, op: Operation, ins: list[str], out: str) -> None:
    shape = b.constant(_value(op, 1).astype(np.int64), "shape")
    b.node("Reshape", [ins[0], shape], out)


def _slice(b: _Builder, op: Operation, ins: list[str], out: str) -> None:
    begin, size = _value(op, 1).astype(np.int64), _value(op, 2).astype(np.int64)
    end = np.where(size < 0, _INT64_MAX, begin + size)
    b.node("Slice", [ins[0], b.constant(begin, "starts"), b.constant(end, "ends")], out)


def _strided_slice(b: _Builder, op: Operation, ins: list[str], out: str) -> None:
    a = op.attrs
    if a.get("ellipsis_mask") or a.get("new_axis_mask"):
        raise ValueError(f"StridedSlice op '{op.name}': ellipsis and new-axis masks have no "
                         "ONNX export")
    begin, end, step = (_value(op, i).astype(np.int64) for i in (1, 2, 3))
    for i in range(len(begin)):
        if a.get("begin_mask", 0) >> i & 1:
            begin[i] = 0 if step[i] > 0 else _INT64_MAX
        if a.get("end_mask", 0) >> i & 1:
            end[i] = _INT64_MAX if step[i] > 0 else -_INT64_MAX
        if a.get("shrink_axis_mask", 0) >> i & 1:
            end[i] = begin[i] + 1 if begin[i] != -1 else _INT64_MAX
    axes = np.arange(len(begin), dtype=np.int64)
    sliced = b.node("Slice", [ins[0], b.constant(begin, "starts"), b.constant(end, "ends"),
                              b.constant(axes, "axes"), b.constant(step, "steps")])
    shrink = [i for i in range(len(begin)) if a.get("shrink_axis_mask", 0) >> i & 1]
    if shrink:
        b.node("Squeeze", [sliced, b.constant(np.asarray(shrink, np.int64), "axes")], out)
    else:
        b.node("Identity", [sliced], out)


def _cast_to(b: _Builder, value: str, dtype: Any, out: str) -> None:
    b.node("Cast", [value], out, to=b.helper.np_dtype_to_tensor_dtype(np.dtype(dtype)))


def _simple(onnx_type: str, **fixed: Any) -> Callable:
    def convert(b: _Builder, op: Operation, ins: list[str], out: str) -> None:
        b.node(onnx_type, ins, out, **fixed)
    return convert


_CONVERTERS: dict[str, Callable] = {
    "Conv2D": _conv, "MaxPool": _pool, "AvgPool": _pool, "MatMul": _matmul,
    "Reshape": _reshape, "Slice": _slice, "StridedSlice": _strided_slice,
    **{t: _reduce for t in _REDUCE},
    **{t: _simple(o) for t, o in _SAME_NAME.items()},
    "BiasAdd": _simple("Add"),
    "Square": lambda b, op, ins, out: b.node("Mul", [ins[0], ins[0]], out),
    "Rsqrt": lambda b, op, ins, out: b.node("Reciprocal", [b.node("Sqrt", ins)], out),
    "Relu6": lambda b, op, ins, out: b.node(
        "Clip", [ins[0], b.constant(np.zeros((), op.inputs[0].dtype.dtype), "lo"),
                 b.constant(np.full((), 6, op.inputs[0].dtype.dtype), "hi")], out),
    "LeakyRelu": lambda b, op, ins, out: b.node("LeakyRelu", ins, out,
                                                alpha=float(op.attrs["alpha"])),
    "Softmax": lambda b, op, ins, out: b.node("Softmax", ins, out, axis=op.attrs["axis"]),
    "LogSoftmax": lambda b, op, ins, out: b.node("LogSoftmax", ins, out,
                                                 axis=op.attrs["axis"]),
    "ConcatV2": lambda b, op, ins, out: b.node("Concat", ins, out, axis=op.attrs["axis"]),
    "Pack": lambda b, op, ins, out: b.node("Concat", [
        b.node("Unsqueeze", [i, b.constant(np.asarray([op.attrs["axis"]], np.int64), "axes")])
        for i in ins], out, axis=op.attrs["axis"]),
    "ExpandDims": lambda b, op, ins, out: b.node(
        "Unsqueeze", [ins[0], b.constant(np.asarray([op.attrs["axis"]], np.int64), "axes")],
        out),
    "Squeeze": lambda b, op, ins, out: b.node(
        "Squeeze", ins + ([b.constant(np.asarray(op.attrs["squeeze_dims"], np.int64), "axes")]
                          if op.attrs["squeeze_dims"] else []), out),
    "Transpose": lambda b, op, ins, out: b.node("Transpose", ins, out,
                                                perm=list(op.attrs["perm"])),
    "Cast": lambda b, op, ins, out: _cast_to(b, ins[0], op.attrs["DstT"].dtype, out),
    "ArgMax": lambda b, op, ins, out: _cast_to(
        b, b.node("ArgMax", ins, axis=op.attrs["axis"], keepdims=0),
        op.attrs["output_type"].dtype, out),
    "GatherV2": lambda b, op, ins, out: b.node("Gather", ins, out, axis=op.attrs["axis"]),
    "Pad": lambda b, op, ins, out: b.node("Pad", [
        ins[0], b.constant(_value(op, 1).astype(np.int64).T.reshape(-1), "pads"),
        b.constant(np.asarray(op.attrs.get("constant_values", 0),
                              op.inputs[0].dtype.dtype), "value")], out),
}


def _needed_ops(fetches: list[Tensor], feeds: set[Tensor]) -> list[Operation]:
    """The ops computing ``fetches`` from ``feeds``, in graph order."""
    seen: set[Operation] = set()
    stack = [t.op for t in fetches if t not in feeds]
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        stack.extend(t.op for t in op.inputs if t not in feeds)
    return [op for op in fetches[0].graph.get_operations() if op in seen]


def _value_info(onnx: Any, t: Tensor) -> Any:
    dims = None if t.shape.ndims is None else [
        d if d is not None else f"{t.op.name}_dim{i}" for i, d in enumerate(t.shape.as_list())]
    return onnx.helper.make_tensor_value_info(
        t.name, onnx.helper.np_dtype_to_tensor_dtype(t.dtype.dtype), dims)


def export_onnx(fetches: Any, feeds: Sequence[Tensor], path: str | None, session: Any,
                model_name: str = "staticgraph") -> Any:
    """The ONNX model computing ``fetches`` from the placeholders ``feeds``, written to
    ``path`` when given; variables hold their values in ``session``."""
    try:
        import onnx
    except ImportError:
        raise ImportError("ONNX export needs the onnx package: pip install "
                          "staticgraph[onnx]") from None
    fetches = list(fetches) if isinstance(fetches, (list, tuple)) else [fetches]
    feeds = list(feeds)
    ops = _needed_ops(fetches, set(feeds))
    unsupported = sorted({op.type for op in ops if op.type not in _CONVERTERS
                          and op.type not in ("Const", "VariableV2")})
    unfed = [op.name for op in ops if op.type in ("Placeholder", "PlaceholderWithDefault")]
    if unsupported or unfed:
        raise ValueError("Cannot export to ONNX: " + "; ".join(
            ([f"op types without an ONNX conversion: {', '.join(unsupported)}"]
             if unsupported else []) +
            ([f"placeholders not in feeds: {', '.join(unfed)}"] if unfed else [])))
    b = _Builder(onnx, session)
    variables = [op for op in ops if op.type == "VariableV2"]
    values = session.run([op.outputs[0] for op in variables]) if variables else []
    for op, value in zip(variables, values):
        b.initializers.append(onnx.numpy_helper.from_array(np.asarray(value), op.outputs[0].name))
    for op in ops:
        if op.type == "Const":
            b.initializers.append(onnx.numpy_helper.from_array(
                np.asarray(op.get_attr("value")), op.outputs[0].name))
        elif op.type != "VariableV2":
            _CONVERTERS[op.type](b, op, [t.name for t in op.inputs], op.outputs[0].name)
    used = {name for node in b.nodes for name in node.input} | {t.name for t in fetches}
    b.initializers = [i for i in b.initializers if i.name in used]  # not read at build time
    graph = onnx.helper.make_graph(b.nodes, model_name, [_value_info(onnx, t) for t in feeds],
                                   [_value_info(onnx, t) for t in fetches], b.initializers)
    model = onnx.helper.make_model(graph, producer_name="staticgraph",
                                   opset_imports=[onnx.helper.make_opsetid("", OPSET)])
    onnx.checker.check_model(model)
    if path is not None:
        atomic_write_bytes(str(path), model.SerializeToString())
    return model
