"""Values of the tf.nn / tf.math / tf.linalg functions against TensorFlow's, recorded by
tools/tf_nn_fixtures.py from the expressions in tf_fidelity_cases.py (no TF needed here)."""
import json
import pathlib

import numpy as np
import pytest

import staticgraph as tf
from tests.ops.tf_fidelity_cases import CASES

FIXTURE = pathlib.Path(__file__).parent.parent / "fixtures" / "tf_nn_ops.json"
EXPECTED = json.loads(FIXTURE.read_text())["cases"]


def _decoded(record):
    values = [np.nan if v is None else v for v in record["values"]]
    return np.array(values, dtype=record["dtype"]).reshape(record["shape"])


def test_every_case_has_a_recording():
    assert sorted(EXPECTED) == sorted(name for name, _, _ in CASES)


@pytest.mark.parametrize("name, build, rtol", CASES, ids=[c[0] for c in CASES])
def test_matches_tensorflow(name, build, rtol):
    with tf.Graph().as_default(), tf.Session() as sess:
        built = build(tf)
        got = sess.run(built if isinstance(built, list) else [built])
    expected = [_decoded(r) for r in EXPECTED[name]]
    assert len(got) == len(expected)
    for i, (g, e) in enumerate(zip(got, expected)):
        g = np.asarray(g)
        assert g.shape == e.shape, (name, i, g.shape, e.shape)
        assert g.dtype == e.dtype, (name, i, g.dtype, e.dtype)
        if e.dtype.kind in "fc":
            np.testing.assert_allclose(g, e, rtol=rtol, atol=rtol, err_msg=f"{name}[{i}]")
        else:
            np.testing.assert_array_equal(g, e, err_msg=f"{name}[{i}]")
