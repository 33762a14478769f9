"""tf.test.TestCase as TF1 projects use it: a test class written TF1's way runs, and its
assertions pass and fail where TF's do."""
import unittest

import numpy as np
import pytest

import staticgraph as tf


class TF1StyleTest(tf.test.TestCase):
    """Written as a TF1 project's test file would be."""

    def testMatmulInASession(self):
        with self.cached_session() as sess:
            x = tf.constant([[1.0, 2.0]])
            y = tf.matmul(x, tf.constant([[3.0], [4.0]]))
            self.assertAllClose([[11.0]], sess.run(y))
            self.assertAllClose([[11.0]], y.eval())
            self.assertShapeEqual(np.zeros((1, 1)), y)
            self.assertAllEqual({"a": [1, 2], "b": (b"x", [3])},
                                {"a": np.array([1, 2]), "b": ("x", [3])})

    def testEvaluateAndOpErrors(self):
        x = tf.placeholder(tf.float32, [2])
        check = tf.Assert(tf.reduce_all(x > 0), ["x must be positive", x])
        with self.session() as sess:
            self.assertAllInRange(self.evaluate(tf.range(3)), 0, 2)
            with self.assertRaisesOpError("x must be positive"):
                sess.run(check, {x: [-1.0, 1.0]})
        self.assertEmpty(tf.get_collection("nothing"))  # absl's assertions are there

    def testEachTestStartsWithAnEmptyGraph(self):
        self.assertEqual(tf.get_default_graph().get_operations(), [])
        tf.constant(1.0)


def test_a_tf1_test_class_runs_and_passes():
    suite = unittest.TestLoader().loadTestsFromTestCase(TF1StyleTest)
    result = unittest.TextTestRunner(verbosity=0, stream=open("/dev/null", "w")).run(suite)
    # 4: unittest also collects the inherited test_session helper, as it does for TF's
    assert result.testsRun == 4 and result.wasSuccessful(), result.failures + result.errors


def test_assertions_fail_where_tfs_do():
    case = TF1StyleTest("testMatmulInASession")
    case.setUp()
    with pytest.raises(AssertionError):
        case.assertAllClose([1.0, 2.0], [1.0, 2.1])
    with pytest.raises(AssertionError, match="shape mismatch"):
        case.assertAllClose(np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(AssertionError):
        case.assertAllEqual({"a": 1}, {"b": 1})
    with pytest.raises(AssertionError):
        case.assertAllGreater([1, 2, 3], 1)
    with pytest.raises(AssertionError):
        case.assertAllInSet([1, 5], {1, 2})
    with pytest.raises(AssertionError):
        case.assertNotAllClose([1.0], [1.0])
    with pytest.raises(AssertionError, match="does not match"):
        with case.assertRaisesOpError("expected text"):
            raise tf.errors.InvalidArgumentError(None, None, "other text")
    with pytest.raises(AssertionError, match="OpError not raised"):
        with case.assertRaisesOpError("anything"):
            pass
    case.assertAllClose([1.0, 2.0], [1.0, 2.0000001])
    case.assertAllCloseAccordingToType(np.float16([1.0]), np.float16([1.0005]))
    case.assertProtoEquals("name: 'a' op: 'Const'", tf.NodeDef(name="a", op="Const"))
    case.tearDown()


def test_assert_equal_graph_def_ignores_node_order():
    with tf.Graph().as_default() as first:
        tf.constant(1.0, name="a")
        tf.constant(2.0, name="b")
    with tf.Graph().as_default() as second:
        tf.constant(2.0, name="b")
        tf.constant(1.0, name="a")
    tf.test.assert_equal_graph_def(first.as_graph_def(), second.as_graph_def())
    with tf.Graph().as_default() as third:
        tf.constant(3.0, name="a")
        tf.constant(2.0, name="b")
    with pytest.raises(AssertionError, match="Node 'a' differs"):
        tf.test.assert_equal_graph_def(first.as_graph_def(), third.as_graph_def())
