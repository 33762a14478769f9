"""The rest of tf.metrics against TensorFlow 1's values and variable names
(tests/metrics/data/metrics_tf1.npz, written by tools/make_metrics_fixtures.py)."""
import pathlib

import numpy as np
import pytest

import staticgraph as tf

from .metrics_tf1_cases import CASES, THRESHOLDS, run_case

FIXTURE = np.load(pathlib.Path(__file__).parent / "data" / "metrics_tf1.npz",
                  allow_pickle=False)


@pytest.mark.parametrize("case", sorted(CASES))
def test_streams_like_tensorflow(case):
    ours = run_case(tf, case)
    assert set(ours) == {k for k in FIXTURE.files if k.startswith(case + "/")}
    for key, value in ours.items():
        if key.endswith("/variables"):
            assert str(value) == str(FIXTURE[key])
        else:
            np.testing.assert_allclose(value, FIXTURE[key], rtol=1e-5, atol=1e-6,
                                       err_msg=key)


def test_collections_and_scope_names():
    with tf.Graph().as_default():
        labels = tf.constant([True, False])
        scores = tf.constant([0.3, 0.8])
        value, update = tf.metrics.precision_at_thresholds(
            labels, scores, THRESHOLDS, metrics_collections=["m"],
            updates_collections=["u"], name="mine")
        assert tf.get_collection("m") == [value] and tf.get_collection("u") == [update]
        assert value.op.name == "mine/precision" and update.op.name == "mine/update_op"
        assert sorted(v.op.name for v in tf.get_collection("metric_variables")) == [
            "mine/false_positives", "mine/true_positives"]


def test_bad_input_is_named():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="mean_tensor.*shape"):
            tf.metrics.mean_tensor(tf.placeholder(tf.float32, [None, 2]))
        with pytest.raises(ValueError, match="mean_relative_error.*\\(3,\\)|\\[3\\]"):
            tf.metrics.mean_relative_error(tf.zeros([3]), tf.zeros([3]), tf.ones([4]))
        with pytest.raises(ValueError, match="thresholds"):
            tf.metrics.recall_at_thresholds(tf.zeros([2], tf.bool), tf.zeros([2]), [])


@pytest.mark.parametrize("metric", ["sensitivity_at_specificity",
                                    "specificity_at_sensitivity"])
def test_operating_point_outside_zero_one_is_refused(metric):
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=f"{metric}.*range \\[0, 1\\].*1.5"):
            getattr(tf.metrics, metric)(tf.zeros([2], tf.bool), tf.zeros([2]), 1.5)
