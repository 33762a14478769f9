"""Documented limits raise clear NotImplementedErrors at build time."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.ops.init_ops import Initializer


def test_gather_batch_dims():
    params = tf.constant(np.ones((2, 3)))
    with pytest.raises(NotImplementedError, match="batch_dims"):
        tf.gather(params, [[0], [1]], batch_dims=1)
    with pytest.raises(NotImplementedError, match="batch_dims"):
        tf.gather_nd(params, [[0], [1]], batch_dims=1)


def test_partitioned_variables():
    with pytest.raises(NotImplementedError, match="partitioned"):
        tf.get_variable("w", shape=[4, 2], partitioner=lambda shape, dtype: [2, 1])


def test_abstract_initializer_and_optimizer():
    with pytest.raises(NotImplementedError, match="Initializer"):
        Initializer()([2])
    v = tf.Variable(np.zeros(2))

    class Bare(tf.train.Optimizer):
        pass

    with pytest.raises(NotImplementedError, match="_apply_dense"):
        Bare(False, "Bare").minimize(tf.reduce_sum(v * v))
