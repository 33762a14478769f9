"""TensorFlow's max-pool gradient ops in a GraphDef: MaxPoolGrad and MaxPoolGradGrad (and
their 3-D forms) take (orig_input, orig_output, grad) there as here, so TF's graph imports
and gives TF's values (fixtures made by tools/make_tf_max_pool_grad_fixture.py with
TensorFlow 2.21)."""
import pathlib

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.io.graph_util import read_graph_def

FIXTURES = pathlib.Path(__file__).parent.parent / "fixtures" / "tf"


@pytest.mark.parametrize("name,pool", [("max_pool_grad", "MaxPool"),
                                       ("max_pool3d_grad", "MaxPool3D")])
def test_tensorflows_max_pool_gradients_import_and_give_its_values(name, pool):
    graph_def = read_graph_def(str(FIXTURES / f"{name}.pb"))
    x, gy, ggy, dx, dgy = tf.import_graph_def(
        graph_def, return_elements=["x:0", "gy:0", "ggy:0", "dx:0", "dgy:0"], name="")
    ops = {op.type: op for op in tf.get_default_graph().get_operations()}
    for op_type in (f"{pool}Grad", f"{pool}GradGrad"):
        assert [t.op.type for t in ops[op_type].inputs[:2]] == ["Relu", pool]
    want = np.load(FIXTURES / f"{name}.npz")
    with tf.Session() as sess:
        got = sess.run([dx, dgy], {x: want["x"], gy: want["gy"], ggy: want["ggy"]})
    assert np.count_nonzero(want["x"] <= 0) > 10  # ties at zero after the ReLU
    np.testing.assert_array_equal(got[0], want["dx"])
    np.testing.assert_array_equal(got[1], want["dgy"])
