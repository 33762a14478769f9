"""Helpers shared by the tests of the array, scatter and sort ops."""
import staticgraph as tf
from staticgraph.gradient_check import GradCase, check_case


def run(*fetches):
    """The values of ``fetches`` in a fresh session of the default graph."""
    with tf.Session() as sess:
        return sess.run(list(fetches))


def assert_gradient_ok(case: GradCase) -> None:
    """Reverse- and forward-mode derivatives of ``case`` agree with finite differences."""
    result = check_case(case)
    assert result.max_error < 1e-6, result
