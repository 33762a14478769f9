"""Functions whose TF1 parameter names differ from the usual (x, y) take TF1's keywords,
so ``tf.atan2(y=..., x=...)`` cannot silently swap its arguments."""
import inspect

import numpy as np
import pytest

import staticgraph as tf

TF1_PARAMETERS = {  # as inspect.signature shows them in TF 2.21's compat.v1
    "atan2": ["y", "x", "name"], "igamma": ["a", "x", "name"],
    "igammac": ["a", "x", "name"], "polygamma": ["a", "x", "name"],
    "zeta": ["x", "q", "name"], "math.nextafter": ["x1", "x2", "name"]}


@pytest.mark.parametrize("path", sorted(TF1_PARAMETERS))
def test_parameter_names_are_tf1s(path):
    function = tf
    for part in path.split("."):
        function = getattr(function, part)
    assert list(inspect.signature(function).parameters) == TF1_PARAMETERS[path]


def test_keyword_calls_mean_what_they_say():
    with tf.Session() as sess:
        angle, igamma = sess.run([tf.atan2(x=-1.0, y=1.0), tf.igamma(x=1.0, a=2.0)])
    assert angle == pytest.approx(np.arctan2(1.0, -1.0))
    assert igamma == pytest.approx(1 - 2 * np.exp(-1.0))  # P(2, 1) = 1 - (1 + x) e^-x
