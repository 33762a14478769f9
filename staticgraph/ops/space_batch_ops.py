"""SpaceToBatchND and BatchToSpaceND (each the other's adjoint), TF1's 4-D forms
``space_to_batch``/``batch_to_space``, ``required_space_to_batch_paddings`` and
``tf.nn.with_space_to_batch`` (dilated ops run as undilated ops on a batch of blocks)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..core.graph import Operation, Tensor
from ..core.registry import define_op
from ..core.shapes import TensorShape
from .framework import apply_op, constant_value, convert_to_tensor
from .math_ops import add, floormod, subtract
from .op_util import _check_index_dtype, _linear_jvp, as_index_tensor, const_int, op_scope
from .fill_ops import zeros_like
from .stack_ops import stack
from .indexing_ops import strided_slice

__all__ = ["space_to_batch_nd", "batch_to_space_nd", "space_to_batch", "batch_to_space",
           "required_space_to_batch_paddings"]  # and with_space_to_batch (tf.nn)


def _check_block(block: np.ndarray, pads: np.ndarray, shape: tuple, op_type: str,
                 what: str) -> None:
    m = block.size
    if block.ndim != 1 or pads.shape != (m, 2):
        raise ValueError(f"{op_type}: block_shape {block.shape} must be a vector and {what} "
                         f"of shape [{m}, 2], got {pads.shape}")
    if len(shape) < m + 1:
        raise ValueError(f"{op_type}: input of shape {shape} needs a batch axis and "
                         f"{m} spatial axes")
    if np.any(block < 1) or np.any(pads < 0):
        raise ValueError(f"{op_type}: block_shape {block.tolist()} must be >= 1 and {what} "
                         f"{pads.tolist()} >= 0")


def _space_to_batch_kernel(x: np.ndarray, block: np.ndarray, paddings: np.ndarray
                           ) -> np.ndarray:
    _check_block(block, paddings, x.shape, "SpaceToBatchND", "paddings")
    m = block.size
    width = [(0, 0)] + [tuple(int(v) for v in p) for p in paddings] + \
        [(0, 0)] * (x.ndim - m - 1)
    padded = np.pad(x, width)
    spatial = padded.shape[1:m + 1]
    if any(s % b for s, b in zip(spatial, block)):
        raise ValueError(f"SpaceToBatchND: the padded spatial shape {list(spatial)} (input "
                         f"{x.shape}, paddings {paddings.tolist()}) must be divisible by "
                         f"block_shape {block.tolist()}")
    batch, rest = x.shape[0], padded.shape[m + 1:]
    split = [batch]
    for s, b in zip(spatial, block):
        split += [s // b, int(b)]
    blocks = padded.reshape(split + list(rest))
    order = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)] + \
        list(range(2 * m + 1, 2 * m + 1 + len(rest)))
    out = blocks.transpose(order)
    return out.reshape([batch * int(np.prod(block))] + [s // b for s, b in zip(spatial, block)]
                       + list(rest)).copy()


def _batch_to_space_kernel(x: np.ndarray, block: np.ndarray, crops: np.ndarray
                           ) -> np.ndarray:
    _check_block(block, crops, x.shape, "BatchToSpaceND", "crops")
    m, count = block.size, int(np.prod(block))
    if x.shape[0] % count:
        raise ValueError(f"BatchToSpaceND: the batch size {x.shape[0]} (input {x.shape}) "
                         f"must be divisible by the product of block_shape {block.tolist()}")
    batch, spatial, rest = x.shape[0] // count, x.shape[1:m + 1], x.shape[m + 1:]
    blocks = x.reshape([int(b) for b in block] + [batch] + list(spatial) + list(rest))
    order = [m]
    for i in range(m):
        order += [m + 1 + i, i]
    order += list(range(2 * m + 1, 2 * m + 1 + len(rest)))
    full = blocks.transpose(order).reshape(
        [batch] + [s * int(b) for s, b in zip(spatial, block)] + list(rest))
    for i, (start, end) in enumerate(crops):
        if start + end > full.shape[i + 1]:
            raise ValueError(f"BatchToSpaceND: crops {crops.tolist()} remove more than the "
                             f"{full.shape[i + 1]} entries of spatial axis {i}")
    key = (slice(None),) + tuple(slice(int(s), full.shape[i + 1] - int(e))
                                 for i, (s, e) in enumerate(crops))
    return full[key].copy()


def _block_shape(to_batch: bool) -> Callable[[list, dict], list]:
    def shape_fn(inputs: list, attrs: dict) -> list:
        x, block, pads = inputs
        _check_index_dtype(block, "block_shape")
        _check_index_dtype(pads, "paddings" if to_batch else "crops")
        b, p = constant_value(block), constant_value(pads)
        if b is None or p is None or x.shape.ndims is None:
            return [(TensorShape(None), x.dtype)]
        b, p = np.asarray(b).reshape(-1), np.asarray(p)
        op_type = "SpaceToBatchND" if to_batch else "BatchToSpaceND"
        _check_block(b, p, tuple(x.shape.as_list()), op_type,
                     "paddings" if to_batch else "crops")
        dims = x.shape.as_list()
        batch, count = dims[0], int(np.prod(b))
        for i, (size, k) in enumerate(zip(dims[1:], b)):
            if size is None:
                continue
            if to_batch:
                padded = size + int(p[i].sum())
                if padded % k:
                    raise ValueError(f"the padded size {padded} of spatial axis {i} (input "
                                     f"{x.shape}, paddings {p.tolist()}) is not divisible "
                                     f"by the block size {int(k)}")
                dims[i + 1] = padded // int(k)
            else:
                dims[i + 1] = size * int(k) - int(p[i].sum())
        if batch is not None:
            if not to_batch and batch % count:
                raise ValueError(f"the batch size {batch} of input {x.shape} is not "
                                 f"divisible by the block count {count}")
            dims[0] = batch * count if to_batch else batch // count
        return [(TensorShape(dims), x.dtype)]
    return shape_fn


def _to_space_vjp(op: Operation, g: Tensor) -> list:
    return [apply_op("BatchToSpaceND", [g, op.inputs[1], op.inputs[2]]).outputs[0], None,
            None]


def _to_batch_vjp(op: Operation, g: Tensor) -> list:
    return [apply_op("SpaceToBatchND", [g, op.inputs[1], op.inputs[2]]).outputs[0], None,
            None]


define_op("SpaceToBatchND", kernel=_space_to_batch_kernel, shape_fn=_block_shape(True),
          vjp=_to_space_vjp, jvp=_linear_jvp(), non_differentiable=(1, 2), view_of={},
          doc="Spatial blocks of a zero-padded input moved into the batch axis.")
define_op("BatchToSpaceND", kernel=_batch_to_space_kernel, shape_fn=_block_shape(False),
          vjp=_to_batch_vjp, jvp=_linear_jvp(), non_differentiable=(1, 2), view_of={},
          doc="Batch entries moved back into spatial blocks, then cropped.")


def space_to_batch_nd(input: Any, block_shape: Any, paddings: Any,
                      name: str | None = None) -> Tensor:
    """``tf.space_to_batch_nd``: pads the ``M = len(block_shape)`` spatial axes after the
    batch axis by ``paddings`` (``[M, 2]``), cuts them into blocks of ``block_shape`` and
    moves the position inside the block into the batch axis: output batch is
    ``batch * prod(block_shape)``. The padded sizes must be divisible by the blocks."""
    block = as_index_tensor(block_shape, "block_shape")
    return apply_op("SpaceToBatchND", [convert_to_tensor(input), block,
                                       as_index_tensor(paddings, "paddings")],
                    name=name).outputs[0]


def batch_to_space_nd(input: Any, block_shape: Any, crops: Any,
                      name: str | None = None) -> Tensor:
    """``tf.batch_to_space_nd``: the inverse of :func:`space_to_batch_nd`, then ``crops``
    (``[M, 2]``) removed from the start and end of each spatial axis."""
    block = as_index_tensor(block_shape, "block_shape")
    return apply_op("BatchToSpaceND", [convert_to_tensor(input), block,
                                       as_index_tensor(crops, "crops")],
                    name=name).outputs[0]


def _square_block(block_size: Any, block_shape: Any, what: str) -> list[int]:
    size = block_shape if block_size is None else block_size
    if size is None or (block_size is not None and block_shape is not None):
        raise ValueError(f"{what} needs exactly one of block_size and block_shape")
    side = const_int(size, f"{what}'s block_size")
    if side < 2:
        raise ValueError(f"{what}: block_size must be greater than 1, got {side}")
    return [side, side]


def space_to_batch(input: Any, paddings: Any, block_size: Any = None,
                   name: str | None = None, block_shape: Any = None) -> Tensor:
    """``tf.space_to_batch`` (and ``tf.nn.space_to_batch``): :func:`space_to_batch_nd` of
    a 4-D ``[batch, height, width, depth]`` input with square blocks of ``block_size``."""
    x = convert_to_tensor(input)
    if x.shape.ndims not in (None, 4):
        raise ValueError(f"space_to_batch needs a 4-D input, got shape {x.shape}")
    block = _square_block(block_size, block_shape, "space_to_batch")
    return space_to_batch_nd(x, block, paddings, name=name or "SpaceToBatch")


def batch_to_space(input: Any, crops: Any, block_size: Any, name: str | None = None,
                   block_shape: Any = None) -> Tensor:
    """``tf.batch_to_space``: :func:`batch_to_space_nd` of a 4-D input with square blocks
    of ``block_size`` (the inverse of :func:`space_to_batch`)."""
    x = convert_to_tensor(input)
    if x.shape.ndims not in (None, 4):
        raise ValueError(f"batch_to_space needs a 4-D input, got shape {x.shape}")
    block = _square_block(block_size, block_shape, "batch_to_space")
    return batch_to_space_nd(x, block, crops, name=name or "BatchToSpace")


def required_space_to_batch_paddings(input_shape: Any, block_shape: Any,
                                     base_paddings: Any = None,
                                     name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.required_space_to_batch_paddings``: ``(paddings, crops)`` (int32 ``[M, 2]``)
    that extend ``base_paddings`` (default zeros) at the end just enough for the padded
    ``input_shape`` to divide by ``block_shape``; ``crops`` removes that extension."""
    with op_scope(name, "required_space_to_batch_paddings", [input_shape, block_shape]):
        shape = as_index_tensor(input_shape, "input_shape")
        block = convert_to_tensor(block_shape, dtype=shape.dtype)
        if base_paddings is None:
            base = stack([zeros_like(shape), zeros_like(shape)], axis=1)
        else:
            base = convert_to_tensor(base_paddings, dtype=shape.dtype)
        start = strided_slice(base, [0, 0], [0, 1], end_mask=1, shrink_axis_mask=2)
        end = strided_slice(base, [0, 1], [0, 2], end_mask=1, shrink_axis_mask=2)
        padded = add(add(shape, start), end)
        extra = floormod(subtract(block, floormod(padded, block)), block)
        paddings = stack([start, add(end, extra)], axis=1, name="paddings")
        crops = stack([zeros_like(extra), extra], axis=1, name="crops")
        return paddings, crops


def _spread(values: np.ndarray, spatial_dims: list[int], fill: int) -> np.ndarray:
    """Rows of ``values`` placed at ``spatial_dims[i] - 1``; rows for the axes between
    them hold ``fill`` (TF1's adjustment for non-contiguous spatial axes)."""
    rows = np.full((spatial_dims[-1],) + values.shape[1:], fill, values.dtype)
    rows[[d - 1 for d in spatial_dims]] = values
    return rows


def with_space_to_batch(input: Any, dilation_rate: Any, padding: str, op: Callable,
                        filter_shape: Any = None, spatial_dims: Any = None,
                        data_format: str | None = None) -> Tensor:
    """``tf.nn.with_space_to_batch``: ``op(x, num_spatial_dims, padding)`` computed with
    ``dilation_rate``: the input goes through :func:`space_to_batch_nd` with the rate as
    block shape, ``op`` runs with "VALID" padding, and :func:`batch_to_space_nd` brings
    the result back (padding "SAME" needs ``filter_shape``). A rate of all ones calls
    ``op`` directly. Here the rate, the filter shape and the input's spatial sizes must
    be known when the graph is built."""
    x = convert_to_tensor(input)
    rate = constant_value(dilation_rate)
    if rate is None or np.ndim(rate) != 1:
        raise ValueError(f"with_space_to_batch: dilation_rate must be a vector known when "
                         f"the graph is built, got {dilation_rate!r}")
    rate = np.asarray(rate, np.int64)
    if np.any(rate < 1):
        raise ValueError(f"with_space_to_batch: dilation_rate must be positive, got "
                         f"{rate.tolist()}")
    m = rate.size
    if np.all(rate == 1):
        return op(x, m, padding)
    first = 2 if data_format is not None and data_format.startswith("NC") else 1
    dims = list(range(first, first + m)) if spatial_dims is None else \
        [int(d) for d in spatial_dims]
    if dims != sorted(set(dims)) or dims[0] < 1:
        raise ValueError(f"with_space_to_batch: spatial_dims must be increasing positive "
                         f"integers, got {dims}")
    sizes = [x.shape.as_tuple()[d] if x.shape.ndims is not None and d < x.shape.ndims else None
             for d in dims]
    if None in sizes:
        raise ValueError(f"with_space_to_batch: the spatial sizes of the input (axes {dims}"
                         f" of shape {x.shape}) must be known when the graph is built")
    if padding == "SAME":
        filt = None if filter_shape is None else constant_value(filter_shape)
        if filt is None:
            raise ValueError("with_space_to_batch: padding 'SAME' needs a filter_shape "
                             "known when the graph is built")
        extra = (np.asarray(filt, np.int64).reshape(-1)[:m] - 1) * rate
        base = np.stack([extra // 2, extra - extra // 2], axis=1)
    elif padding == "VALID":
        base = np.zeros((m, 2), np.int64)
    else:
        raise ValueError(f"with_space_to_batch: padding must be 'SAME' or 'VALID', got "
                         f"{padding!r}")
    padded = np.asarray(sizes) + base.sum(axis=1)
    pad_extra = (rate - padded % rate) % rate
    paddings = np.stack([base[:, 0], base[:, 1] + pad_extra], axis=1)
    crops = np.stack([np.zeros(m, np.int64), pad_extra], axis=1)
    block = _spread(rate, dims, 1).astype(np.int32)
    batched = space_to_batch_nd(x, block, _spread(paddings, dims, 0).astype(np.int32))
    result = op(batched, m, "VALID")
    return batch_to_space_nd(result, block, _spread(crops, dims, 0).astype(np.int32))
