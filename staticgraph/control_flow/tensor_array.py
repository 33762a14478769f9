"""``tf.TensorArray``: a list of same-shaped tensors, carried as one dense buffer tensor.

The array's *flow* is a tensor holding every element stacked along a new first axis
(shape ``[size, *element_shape]``). Ops are immutable, so a write builds a new buffer
(the ``TensorArrayWrite`` op copies the old one and sets rows) and returns a new
``TensorArray`` around it, as TF1's ``write`` returns a new array object. Because the flow
is an ordinary float tensor, a ``TensorArray`` passes through ``tf.while_loop`` and
``tf.cond`` as one loop variable (``nest`` flattens it to its flow) and gradients through
time follow from the ops' own rules: a write's VJP reads the written rows of the buffer's
gradient and zeroes them for the older buffer; a read is a ``gather`` of the buffer.

An array created without a full ``element_shape`` starts as an *unset* buffer of shape
``[size]`` whose static shape is unknown; the first write allocates ``[size, *shape]``.
With ``dynamic_size=True`` a write past the end grows the buffer.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..core import dtypes
from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape, as_shape
from ..ops.framework import apply_op, constant_value, convert_to_tensor
from ..ops.gather_ops import gather
from ..ops.math_ops import zeros_like_static
from ..ops.op_util import as_index_tensor
from ..ops.shape_ops import reshape, shape
from ..ops.join_ops import concat
from ..ops.state_ops import no_op

__all__ = ["TensorArray"]


class LoopOwnedBuffer(np.ndarray):
    """A buffer that a loop hands to the next iteration as its own: nothing but one
    TensorArray write (or, in a loop's gradient, one write's gradient) reads it (see
    :func:`updated_only_by_loop`), so that op sets rows in place and returns the buffer
    itself instead of copying it whole (which made ``T`` writes cost O(T²)). The shared
    memory is invisible: no other op ever sees the old buffer."""


def updated_only_by_loop(placeholder: Tensor, output: Tensor) -> bool:
    """True when a loop body's variable ``placeholder`` is read only by the TensorArray
    write (or write gradient) whose first result ``output`` the body returns, and nothing
    in the body reads ``output``: the loop may then let that op update it in place (a
    write's own gradient reads only the old buffer's shape)."""
    op = output.op
    return (op.type in ("TensorArrayWrite", "TensorArrayWriteGrad")
            and output is op.outputs[0] and op.inputs[0] is placeholder
            and placeholder.consumers() == [op] and not output.consumers())


def _is_unset(buffer: np.ndarray, value: np.ndarray, index: np.ndarray) -> bool:
    return buffer.ndim == 1 and value.ndim > index.ndim


def _write_kernel(buffer: np.ndarray, index: np.ndarray, value: np.ndarray, *,
                  dynamic_size: bool) -> np.ndarray:
    value = np.asarray(value)
    element = value.shape[index.ndim:]
    if _is_unset(buffer, value, index):
        buffer = np.zeros((buffer.shape[0],) + element, dtype=buffer.dtype)
    if buffer.shape[1:] != element:
        raise ValueError(f"TensorArrayWrite: could not write an element of shape "
                         f"{list(element)} into a TensorArray of elements of shape "
                         f"{list(buffer.shape[1:])}")
    if index.ndim > 1 or value.shape[:index.ndim] != index.shape:
        raise ValueError(f"TensorArrayWrite: indices of shape {list(index.shape)} do not "
                         f"match values of shape {list(value.shape)}")
    if index.ndim == 0:  # one write per loop iteration: spare the reductions
        low = end = int(index)
        end += 1
    else:
        low, end = (int(index.min()), int(index.max()) + 1) if index.size else (0, 0)
    if low < 0:
        raise ValueError(f"TensorArrayWrite: negative index {low}")
    if end > buffer.shape[0] and not dynamic_size:
        raise ValueError(f"TensorArrayWrite: tried to write to index {end - 1} but the "
                         f"array size is {buffer.shape[0]} (dynamic_size=False)")
    if end > buffer.shape[0]:
        out = np.zeros((end,) + element, dtype=buffer.dtype)
        out[:buffer.shape[0]] = buffer
    elif isinstance(buffer, LoopOwnedBuffer):
        out = buffer.view(np.ndarray)
    else:
        out = buffer.copy()
    out[index] = value
    return out


def _write_shape(inputs: list, attrs: dict) -> list:
    buffer, index, value = inputs
    if not index.dtype.is_integer:
        raise TypeError(f"TensorArrayWrite: index must be an integer tensor, got "
                        f"{index.dtype.name}")
    if buffer.dtype != value.dtype:
        raise TypeError(f"TensorArrayWrite: TensorArray has dtype {buffer.dtype.name} but "
                        f"the value written has dtype {value.dtype.name}")
    dims = buffer.shape.as_list() if buffer.shape.ndims is not None else None
    if dims is None or attrs["dynamic_size"]:
        dims = None if dims is None else [None] + dims[1:]
    if dims is not None and value.shape.ndims is not None and index.shape.ndims is not None:
        element = TensorShape(value.shape.as_list()[index.shape.ndims:])
        if not element.is_compatible_with(TensorShape(dims[1:])):
            raise ValueError(f"TensorArrayWrite: could not write an element of shape "
                             f"{element} into a TensorArray of elements of shape "
                             f"{TensorShape(dims[1:])}")
    return [(TensorShape(dims), buffer.dtype)]


def _write_vjp(op: Operation, grad: Tensor) -> list:
    buffer, index, _ = op.inputs
    older, written = apply_op("TensorArrayWriteGrad", [grad, index, buffer]).outputs
    return [older, None, written]


def _write_jvp(op: Operation, t_buffer: Tensor | None, _index: None,
               t_value: Tensor | None) -> list:
    if t_buffer is None and t_value is None:
        return [None]
    buffer, index, value = op.inputs
    t_buffer = zeros_like_static(buffer) if t_buffer is None else t_buffer
    t_value = zeros_like_static(value) if t_value is None else t_value
    return list(apply_op("TensorArrayWrite", [t_buffer, index, t_value], op.attrs).outputs)


define_op("TensorArrayWrite", kernel=_write_kernel, shape_fn=_write_shape, vjp=_write_vjp,
          jvp=_write_jvp, non_differentiable=(1,), view_of={}, fresh=True,
          doc="A copy of a TensorArray buffer (input 0) with rows at input 1 set to input "
              "2, grown past its end when ``dynamic_size``.")


def _write_grad_kernel(grad: np.ndarray, index: np.ndarray,
                       buffer: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if index.ndim == 0:  # one row: basic indexing, cheaper than take
        written = np.array(grad[int(index)])  # before the row is zeroed
    else:
        written = np.take(grad, index, axis=0)
    if grad.shape[1:] != buffer.shape[1:]:  # the written buffer was unset: a constant
        return np.zeros_like(buffer), written
    if isinstance(grad, LoopOwnedBuffer) and grad.shape[0] == buffer.shape[0]:
        out = grad.view(np.ndarray)
    else:
        out = grad[:buffer.shape[0]].copy()
    if index.ndim == 0:
        if int(index) < out.shape[0]:  # a row past the end was grown by the write
            out[int(index)] = 0
        return out, written
    index = index.reshape(-1)
    out[index[index < out.shape[0]]] = 0
    return out, written


def _write_grad_shape(inputs: list, attrs: dict) -> list:
    grad, index, buffer = inputs
    rows = TensorShape(None)
    if grad.shape.ndims is not None and index.shape.ndims is not None:
        rows = TensorShape(index.shape.as_list() + grad.shape.as_list()[1:])
    return [(buffer.shape, grad.dtype), (rows, grad.dtype)]


define_op("TensorArrayWriteGrad", kernel=_write_grad_kernel, shape_fn=_write_grad_shape,
          non_differentiable=(1, 2), view_of={}, fresh=True,
          doc="The gradients of TensorArrayWrite: for its buffer, the written buffer's "
              "gradient cut to the old buffer's length with the written rows zeroed; for "
              "the value, those rows.")


def _new_kernel(size: np.ndarray, *, element_shape: tuple | None, dtype: dtypes.DType,
                dynamic_size: bool) -> np.ndarray:
    return np.zeros((int(size),) + (element_shape or ()), dtype=dtype.as_numpy_dtype)


def _new_shape(inputs: list, attrs: dict) -> list:
    if attrs["element_shape"] is None:
        return [(TensorShape(None), attrs["dtype"])]
    size = constant_value(inputs[0])
    size = None if size is None or attrs["dynamic_size"] else int(size)
    return [(TensorShape([size] + list(attrs["element_shape"])), attrs["dtype"])]


define_op("TensorArrayNew", kernel=_new_kernel, shape_fn=_new_shape, non_differentiable=(0,),
          view_of={}, fresh=True,
          doc="A TensorArray's first buffer: zeros of [size, *element_shape], or an unset "
              "buffer of shape [size] (static shape unknown) when the element shape is not "
              "fully known; the static size is unknown when ``dynamic_size``.")


class TensorArray:
    """``tf.TensorArray``: ``size`` elements of one dtype, written once and read back.

    ``write``/``scatter``/``unstack`` return a new ``TensorArray`` (use it, as in TF1);
    ``read``/``gather``/``stack``/``concat``/``size`` return tensors. ``clear_after_read``
    is accepted (elements are not freed after a read: reading twice is allowed),
    ``concat`` needs elements of one shape, and ``close`` returns a no-op.
    """

    def __init__(self, dtype: Any, size: Any = None, dynamic_size: bool | None = None,
                 clear_after_read: bool | None = None, tensor_array_name: str | None = None,
                 handle: Any = None, flow: Tensor | None = None, infer_shape: bool = True,
                 element_shape: Any = None, colocate_with_first_write_call: bool = True,
                 name: str | None = None) -> None:
        if handle is not None:
            raise ValueError("TensorArray handles are not supported: pass flow= instead")
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._infer_shape = infer_shape
        self._element_shape = as_shape(element_shape)
        self._name = name or tensor_array_name or "TensorArray"
        if flow is not None:
            self._flow = convert_to_tensor(flow)
            return
        if size is None:
            raise ValueError("TensorArray needs size= (or flow=)")
        size_t = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        dims = self._element_shape.as_list() if self._element_shape.ndims is not None else None
        full = dims is not None and all(d is not None for d in dims)
        self._flow = apply_op("TensorArrayNew", [size_t],
                              {"element_shape": tuple(dims) if full else None,
                               "dtype": self._dtype, "dynamic_size": self._dynamic_size},
                              name=self._name).outputs[0]

    @property
    def flow(self) -> Tensor:
        """The tensor carrying the array's elements (its buffer)."""
        return self._flow

    @property
    def dtype(self) -> dtypes.DType:
        """The elements' dtype."""
        return self._dtype

    @property
    def element_shape(self) -> TensorShape:
        """The elements' static shape, as known so far."""
        return self._element_shape

    @property
    def dynamic_size(self) -> bool:
        """True when writes past the end grow the array."""
        return self._dynamic_size

    def with_flow(self, flow: Tensor) -> TensorArray:
        """A TensorArray with this one's settings around the buffer ``flow``."""
        return TensorArray(self._dtype, dynamic_size=self._dynamic_size, flow=flow,
                           infer_shape=self._infer_shape, element_shape=self._element_shape,
                           name=self._name)

    def identity(self) -> TensorArray:
        """This array (ops are immutable, so there is nothing to copy)."""
        return self

    def _element(self, value: Tensor, leading: int) -> TensorShape:
        dims = value.shape.as_list() if value.shape.ndims is not None else None
        element = TensorShape(None if dims is None else dims[leading:])
        if not element.is_compatible_with(self._element_shape):
            raise ValueError(f"Inconsistent shapes: saw {element} but expected "
                             f"{self._element_shape} for TensorArray {self._name}")
        return element.merge_with(self._element_shape) if self._infer_shape \
            else self._element_shape

    def _written(self, index: Tensor, value: Any, name: str | None) -> TensorArray:
        value = value if isinstance(value, Tensor) else convert_to_tensor(value, self._dtype)
        element = self._element(value, index.shape.ndims or 0)
        flow = apply_op("TensorArrayWrite", [self._flow, index, value],
                        {"dynamic_size": self._dynamic_size},
                        name=name or "TensorArrayWrite").outputs[0]
        if element.ndims is not None and flow.shape.ndims is None:
            flow.set_shape([None] + element.as_list())
        result = self.with_flow(flow)
        result._element_shape = element
        return result

    def write(self, index: Any, value: Any, name: str | None = None) -> TensorArray:
        """A new array with ``value`` at position ``index``."""
        index = as_index_tensor(index, "index")
        if index.shape.ndims not in (None, 0):
            raise ValueError(f"TensorArray.write needs a scalar index, got shape "
                             f"{index.shape}")
        return self._written(index, value, name)

    def scatter(self, indices: Any, value: Any, name: str | None = None) -> TensorArray:
        """A new array with ``value[k]`` at position ``indices[k]``."""
        return self._written(as_index_tensor(indices, "indices"), value, name)

    def unstack(self, value: Any, name: str | None = None) -> TensorArray:
        """A new array whose elements are ``value``'s slices along its first axis."""
        value = convert_to_tensor(value, dtype=self._dtype)
        result = self.with_flow(value)
        result._element_shape = self._element(value, 1)
        return result

    def read(self, index: Any, name: str | None = None) -> Tensor:
        """The element at ``index``."""
        out = gather(self._flow, as_index_tensor(index, "index"), name=name)
        out.set_shape(self._element_shape)
        return out

    def gather(self, indices: Any, name: str | None = None) -> Tensor:
        """The elements at ``indices``, stacked."""
        return gather(self._flow, as_index_tensor(indices, "indices"), name=name)

    def stack(self, name: str | None = None) -> Tensor:
        """Every element, stacked along a new first axis."""
        return self._flow

    def concat(self, name: str | None = None) -> Tensor:
        """Every element, concatenated along its first axis."""
        rest = shape(self._flow)[2:]
        return reshape(self._flow, concat([[-1], rest], 0), name=name)

    def size(self, name: str | None = None) -> Tensor:
        """The number of elements (an int32 scalar)."""
        return shape(self._flow, name=name)[0]

    def close(self, name: str | None = None) -> Operation:
        """A no-op (nothing to free)."""
        return no_op(name=name)
