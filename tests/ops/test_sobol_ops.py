"""tf.math.sobol_sample: TensorFlow 2.21's points (tests/ops/data/sobol_tf.npz, written by
tools/make_sobol_directions.py), equidistribution, folding and errors."""
import pathlib

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.compiler.passes.constant_folding import constant_folding

from ..compiler.helpers import program_of, types_of

FIXTURE = pathlib.Path(__file__).parent / "data" / "sobol_tf.npz"
with np.load(FIXTURE, allow_pickle=False) as _data:
    TF = {key: _data[key] for key in _data.files}


@pytest.mark.parametrize("case", sorted(k for k in TF if k != "float32"))
def test_points_are_tensorflows(case):
    dim, num, skip = map(int, case.split("_"))
    points = tf.math.sobol_sample(dim, num, skip=skip, dtype=tf.float64)
    assert points.shape.as_list() == [num, dim]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(points), TF[case])


def test_float32_and_run_time_arguments():
    num = tf.placeholder(tf.int32, [])
    points = tf.math.sobol_sample(3, num)
    assert points.shape.as_list() == [None, 3] and points.dtype == tf.float32
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(points, {num: 16}), TF["float32"])
        first = sess.run(points, {num: 1024})
    # the first 1024 points with the origin TF leaves out: every coordinate puts one point
    # in each of 1024 equal intervals, and the first two one in each cell of a 32 x 32 grid
    net = np.vstack([np.zeros(3), first[:1023]])
    for column in net.T:
        assert sorted(np.floor(column * 1024).astype(int)) == list(range(1024))
    cells = np.floor(net[:, :2] * 32).astype(int)
    assert len({(x, y) for x, y in cells}) == 1024


def test_constant_arguments_fold():
    x = tf.placeholder(tf.float64, [4, 2])
    y = x + tf.math.sobol_sample(2, 4, dtype=tf.float64)
    assert "SobolSample" not in types_of(program_of([y], [x], passes=(constant_folding,)))


@pytest.mark.parametrize("args, message", [
    ((0, 4), "dim must be in"), ((1112, 4), "dim must be in"), ((2, 0), "num_results"),
    ((2, 4, -1), "skip"), ((2, 4, 2 ** 29), "2\\*\\*29"),
])
def test_bad_arguments_are_named(args, message):
    with pytest.raises(ValueError, match=message):
        tf.math.sobol_sample(*args)
    with pytest.raises(ValueError, match="dtype"):
        tf.math.sobol_sample(2, 2, dtype=tf.int32)
