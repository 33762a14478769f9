"""Runs the array, scatter and sort ops' edge cases in TensorFlow and in staticgraph and
prints both results side by side (the TF values quoted in tests/ops/test_sort_ops.py,
test_array_extra_ops.py, test_scatter_nd_ops.py, test_partition_ops.py,
test_space_batch_ops.py and test_bitwise_ops.py come from here)::

    PYTHONPATH=. /work/tfenv/bin/python tools/tf_array_ops_check.py

From the repository root (``staticgraph`` imports from this checkout). Each case
is a function of the module (``tensorflow.compat.v1`` or ``staticgraph``) building one
tensor or a list of tensors; an error at build or run time prints its type.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

NAN = np.nan
CASES: dict[str, Callable[[Any], Any]] = {
    "sort with NaN": lambda tf: tf.sort([3.0, NAN, 1.0, NAN, 2.0]),
    "argsort ties": lambda tf: tf.argsort([1, 0, 1, 0, 1]),
    "argsort ties, descending": lambda tf: tf.argsort([1, 0, 1, 0, 1], direction="DESCENDING"),
    "sort int32 minimum": lambda tf: tf.sort(tf.constant([-2 ** 31, 5, -3], tf.int32)),
    "sort uint8": lambda tf: tf.sort(tf.constant([200, 5, 0, 255], tf.uint8)),
    "unique": lambda tf: list(tf.unique_with_counts([4, 1, 4, 2, 1])),
    "unique NaN": lambda tf: list(tf.unique([NAN, 1.0, NAN])),
    "unique signed zeros": lambda tf: list(tf.unique([-0.0, 0.0, 1.0])),
    "searchsorted left": lambda tf: tf.searchsorted([[1.0, 2.0, 2.0, 3.0]],
                                                    [[2.0, 0.0, 4.0, 2.5]]),
    "searchsorted right": lambda tf: tf.searchsorted([[1.0, 2.0, 2.0, 3.0]],
                                                     [[2.0, 0.0, 4.0, 2.5]], side="right"),
    "setdiff1d": lambda tf: list(tf.setdiff1d([1, 2, 3, 4, 2, 6], [2, 4])),
    "unravel_index": lambda tf: tf.unravel_index([7, 1, 11], [3, 4]),
    "unravel_index out of bounds": lambda tf: tf.unravel_index(12, [3, 4]),
    "histogram bins": lambda tf: tf.histogram_fixed_width_bins(
        [-1.0, 0.0, 0.5, 1.0, 5.0, 6.0], [0.0, 5.0], nbins=5),
    "histogram with NaN": lambda tf: tf.histogram_fixed_width([NAN], [0.0, 5.0], nbins=5),
    "roll": lambda tf: tf.roll([[1, 2, 3], [4, 5, 6]], [1, -1, 1], [0, 1, 1]),
    "linspace num=1": lambda tf: tf.linspace(3.0, 1.0, 1),
    "lin_space of ints": lambda tf: tf.lin_space(0, 10, 3),
    "repeat": lambda tf: tf.repeat([[1, 2], [3, 4]], [1, 2], axis=0),
    "reverse_sequence": lambda tf: tf.reverse_sequence([[1, 2, 3, 4], [5, 6, 7, 8]], [3, 0],
                                                       seq_axis=1, batch_axis=0),
    "reverse_sequence too long": lambda tf: tf.reverse_sequence(
        [[1, 2, 3, 4]], tf.placeholder_with_default([5], [1]), seq_axis=1, batch_axis=0),
    "broadcast_dynamic_shape": lambda tf: tf.broadcast_dynamic_shape([2, 1, 3], [4, 1]),
    "ensure_shape mismatch": lambda tf: tf.ensure_shape(
        tf.placeholder_with_default([1, 2], [None]), [3]),
    "truncatediv": lambda tf: tf.truncatediv([7, -7, 7, -7], [2, 2, -2, -2]),
    "truncatemod": lambda tf: tf.truncatemod([7.5, -7.5], [2.0, 2.0]),
    "saturate_cast to uint8": lambda tf: tf.saturate_cast([-1.0, 300.0, 2.7, np.inf], tf.uint8),
    "saturate_cast to int32": lambda tf: tf.saturate_cast([-1e10, 1e10, -2.7], tf.int32),
    "clip_by_average_norm": lambda tf: tf.clip_by_average_norm([[3.0, 4.0]], 1.0),
    "left_shift out of range": lambda tf: tf.bitwise.left_shift(
        tf.constant([1, -8, 1, 1], tf.int32), tf.constant([3, 1, 40, -1], tf.int32)),
    "right_shift out of range": lambda tf: tf.bitwise.right_shift(
        tf.constant([-8, 8, 8, -8], tf.int32), tf.constant([1, 1, -1, 40], tf.int32)),
    "tensor_scatter_nd_update repeated": lambda tf: tf.tensor_scatter_nd_update(
        [1.0, 2, 3, 4], [[1], [1], [3]], [9.0, 8, 7]),
    "tensor_scatter_nd_add repeated": lambda tf: tf.tensor_scatter_nd_add(
        [1.0, 2, 3, 4], [[1], [1], [3]], [9.0, 8, 7]),
    "tensor_scatter_nd_max": lambda tf: tf.tensor_scatter_nd_max(
        [1.0, 2, 3, 4], [[1], [1], [3]], [9.0, 8, 1]),
    "dynamic_stitch repeated and gaps": lambda tf: [
        tf.dynamic_stitch([[0, 1, 0], [1]], [[1.0, 2.0, 3.0], [7.0]]),
        tf.dynamic_stitch([[0, 3], [3]], [[1.0, 2.0], [5.0]])],
    "dynamic_stitch gradient": lambda tf: _stitch_gradient(tf),
    "dynamic_partition 2-D": lambda tf: tf.dynamic_partition(
        [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]], [[1, 0], [1, 1], [0, 0], [1, 0]], 2),
    "segment_prod": lambda tf: [tf.segment_prod([1.0, 2, 3, 4], [0, 0, 2, 2]),
                                tf.unsorted_segment_prod([1.0, 2, 3, 4], [0, 0, 2, 2], 4)],
    "space_to_batch_nd": lambda tf: tf.space_to_batch_nd(
        np.arange(16.0).reshape(1, 4, 4, 1), [2, 2], [[0, 0], [0, 0]])[..., 0],
    "required_space_to_batch_paddings": lambda tf: list(tf.required_space_to_batch_paddings(
        [5, 7], [2, 3], base_paddings=[[1, 0], [0, 2]])),
    "batch_gather": lambda tf: tf.batch_gather([[1, 2, 3], [4, 5, 6]], [[2, 0], [1, 1]]),
}


def _stitch_gradient(tf: Any) -> list:
    x, y = tf.constant([1.0, 2.0, 3.0]), tf.constant([7.0])
    merged = tf.dynamic_stitch([[0, 1, 0], [1]], [x, y])
    return tf.gradients(merged * [1.0, 10.0], [x, y])


def _evaluate(module: Any, build: Callable[[Any], Any]) -> str:
    with module.Graph().as_default():
        try:
            fetches = build(module)
            with module.Session() as sess:
                value = sess.run(fetches)
        except Exception as err:  # noqa: BLE001 (the error's type is the result)
            return f"error {type(err).__name__}"
    values = value if isinstance(value, list) else [value]
    return " | ".join(np.array2string(np.asarray(v), separator=" ").replace("\n", "")
                      for v in values)


def main() -> None:
    """Prints each case's TensorFlow and staticgraph results and whether they agree."""
    import tensorflow.compat.v1 as tf1
    import staticgraph as sg

    tf1.disable_eager_execution()
    for label, build in CASES.items():
        theirs, ours = _evaluate(tf1, build), _evaluate(sg, build)
        mark = "same" if theirs == ours else "DIFFERENT"
        print(f"{label}: {mark}\n  tf: {theirs}\n  sg: {ours}")


if __name__ == "__main__":
    main()
