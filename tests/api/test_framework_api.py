"""TF1's framework-level names: variable listings, scopes, tensor utilities and values
(TF1's behaviour checked with TensorFlow 2.21's compat.v1)."""
import logging
import time

import numpy as np
import pytest

import staticgraph as tf


def test_all_model_and_moving_average_variables():
    a = tf.Variable(1.0, name="a")
    b = tf.get_variable("b", [], collections=[tf.GraphKeys.GLOBAL_VARIABLES,
                                              tf.GraphKeys.MODEL_VARIABLES])
    assert tf.all_variables() == [a, b]
    assert tf.model_variables() == [b] and tf.model_variables(scope="a") == []
    assert tf.moving_average_variables() == []
    tf.train.ExponentialMovingAverage(0.9).apply([a])
    assert tf.moving_average_variables() == [a]


def test_init_scope_clears_control_dependencies_and_keeps_the_name_scope():
    first = tf.constant(1.0)
    with tf.control_dependencies([first]), tf.name_scope("ns"):
        inside = tf.constant(2.0)
        with tf.init_scope():
            lifted = tf.constant(3.0)
    assert first.op in inside.op.control_inputs
    assert lifted.op.control_inputs == [] and lifted.name == "ns/Const_1:0"


def test_op_scope_variable_op_scope_colocate_with_and_container():
    x = tf.constant(1.0)
    with tf.op_scope([x], "opsc") as scope:
        y = tf.identity(x)
    assert scope == "opsc/" and y.name == "opsc/Identity:0"
    with tf.variable_op_scope([x], None, default_name="vos") as vscope:
        v = tf.get_variable("v", [])
    assert vscope.name == "vos" and v.name == "vos/v:0"
    with tf.colocate_with(x), tf.container("experiment"):
        z = x + 1.0
    with tf.Session() as sess:
        assert sess.run(z) == 2.0
    with pytest.raises(TypeError, match="container_name"):
        with tf.container(3):
            pass


def test_is_tensor():
    assert tf.is_tensor(tf.constant(1.0)) and tf.is_tensor(tf.Variable(1.0))
    assert tf.is_tensor(tf.IndexedSlices(tf.constant([1.0]), tf.constant([0])))
    assert not tf.is_tensor(1.0) and not tf.is_tensor(np.ones(2)) and not tf.is_tensor([1])


def test_get_static_value_folds_pure_ops_only():
    x = tf.constant([1.0, 2.0])
    np.testing.assert_array_equal(tf.get_static_value(x * 2 + 1), [3.0, 5.0])
    np.testing.assert_array_equal(tf.get_static_value(tf.shape(tf.zeros([2, 3]))), [2, 3])
    np.testing.assert_array_equal(tf.get_static_value([1, 2]), [1, 2])
    p = tf.placeholder(tf.float32, [None, 3])
    assert tf.get_static_value(p) is None and tf.get_static_value(p + x[0]) is None
    assert tf.get_static_value(tf.shape(p)) is None
    assert tf.get_static_value(tf.placeholder_with_default(x, [2])) is None
    assert tf.get_static_value(tf.random_uniform([2])) is None
    v = tf.Variable(1.0)
    assert tf.get_static_value(v) is None and tf.get_static_value(v * 2.0) is None


def test_make_tensor_proto_and_make_ndarray_round_trip():
    proto = tf.make_tensor_proto([[1, 2], [3, 4]], dtype=tf.int64)
    out = tf.make_ndarray(proto)
    assert out.dtype == np.int64 and out.tolist() == [[1, 2], [3, 4]]
    assert tf.make_ndarray(tf.make_tensor_proto(1.5)).dtype == np.float32
    filled = tf.make_ndarray(tf.make_tensor_proto(7.0, shape=[2, 2]))
    assert filled.tolist() == [[7.0, 7.0], [7.0, 7.0]]
    assert tf.make_ndarray(tf.make_tensor_proto([1, 2, 3, 4], shape=[2, 2])).shape == (2, 2)
    with pytest.raises(ValueError, match="Too many elements"):
        tf.make_tensor_proto([1, 2, 3], shape=[2])
    with pytest.raises(TypeError, match="Expected Tensor's shape"):
        tf.make_tensor_proto([1, 2], shape=[1, 2], verify_shape=True)


class Meters:
    def __init__(self, value):
        self.value = value


class Other:
    pass


def test_register_tensor_conversion_function_hooks_convert_to_tensor():
    calls = []

    def convert(value, dtype=None, name=None, as_ref=False):
        calls.append(dtype)
        return tf.constant(value.value, dtype=dtype or tf.float32, name=name or "Meters")

    tf.register_tensor_conversion_function(Meters, convert)
    total = tf.constant(1.0) + Meters(2.5)
    with tf.Session() as sess:
        assert sess.run(total) == 3.5
    assert tf.convert_to_tensor(Meters(1), dtype=tf.float64).dtype == tf.float64
    assert calls[-1] == tf.float64

    tf.register_tensor_conversion_function(Other, lambda v, **kw: NotImplemented, priority=1)
    tf.register_tensor_conversion_function(Other, lambda v, **kw: tf.constant(4), priority=2)
    assert tf.get_static_value(tf.convert_to_tensor(Other())) == 4


def test_register_tensor_conversion_function_errors():
    class Bad:
        pass

    with pytest.raises(TypeError, match="Python numeric types"):
        tf.register_tensor_conversion_function(float, lambda v, **kw: None)
    with pytest.raises(TypeError, match="type"):
        tf.register_tensor_conversion_function("Bad", lambda v, **kw: None)
    tf.register_tensor_conversion_function(Bad, lambda v, **kw: 5)
    with pytest.raises(RuntimeError, match="non-Tensor"):
        tf.convert_to_tensor(Bad())


def test_guarantee_const_verify_tensor_all_finite():
    x = tf.placeholder(tf.float32, [2])
    checked = tf.verify_tensor_all_finite(tf.guarantee_const(x), "x is bad")
    with tf.Session() as sess:
        assert sess.run(checked, {x: [1.0, 2.0]}).tolist() == [1.0, 2.0]
        with pytest.raises(tf.errors.InvalidArgumentError, match="x is bad"):
            sess.run(checked, {x: [1.0, np.nan]})
    with pytest.raises(ValueError, match="message"):
        tf.verify_tensor_all_finite(x)
    also_checked = tf.debugging.assert_all_finite(x, message="x has inf")  # the TF2 name
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="inf"):
        sess.run(also_checked, {x: [np.inf, 1.0]})


def test_timestamp_reads_the_clock_at_each_run():
    stamp = tf.timestamp()
    assert stamp.dtype == tf.float64 and stamp.shape.as_list() == []
    with tf.Session() as sess:
        before = time.time()
        first = sess.run(stamp)
        second = sess.run(stamp)
        after = time.time()
    assert before <= first <= second <= after


def test_get_logger_is_the_logger_tf_logging_writes_to(caplog):
    logger = tf.get_logger()
    assert isinstance(logger, logging.Logger) and logger is logging.getLogger("absl")
    with caplog.at_level(logging.INFO, logger=logger.name):
        tf.logging.info("hello %d", 5)
    assert any(r.name == logger.name and r.getMessage() == "hello 5" for r in caplog.records)


def test_variable_enums_are_accepted():
    v = tf.get_variable("v", [], synchronization=tf.VariableSynchronization.ON_READ,
                        aggregation=tf.VariableAggregation.MEAN)
    w = tf.Variable(1.0, aggregation=tf.VariableAggregation.SUM)
    assert v.name == "v:0" and w.name == "Variable:0"
    assert tf.VariableAggregation.ONLY_FIRST_REPLICA.value == 3
    assert tf.VariableSynchronization.AUTO.value == 0


def test_protos_and_op_error():
    log = tf.SessionLog(status=tf.SessionLog.CHECKPOINT, checkpoint_path="/tmp/x")
    assert tf.SessionLog.FromString(log.SerializeToString()).checkpoint_path == "/tmp/x"
    assert tf.HistogramProto(min=1.0).min == 1.0
    assert tf.SummaryMetadata(display_name="d").display_name == "d"
    assert tf.LogMessage(message="m").message == "m"
    assert tf.NameAttrList(name="f").name == "f"
    assert tf.TensorInfo(name="x:0").name == "x:0"
    assert tf.OpError is tf.errors.OpError
    assert issubclass(tf.errors.InvalidArgumentError, tf.OpError)


def test_init_scope_lifts_ops_out_of_a_cond_branch_and_static_values_stay_local():
    pred = tf.placeholder(tf.bool, [])
    made = {}

    def branch():
        with tf.init_scope():
            made["lifted"] = tf.constant(5.0, name="lifted")
        doubled = tf.constant(2.0) * 3.0
        made["static"] = tf.get_static_value(doubled)
        return doubled

    with tf.name_scope("outer"):
        out = tf.cond(pred, branch, lambda: tf.constant(1.0))
    assert made["lifted"].graph is tf.get_default_graph()
    assert made["lifted"].name == "outer/cond/lifted:0"
    assert made["static"] is None  # a function body's ops run only with the function
    with tf.Session() as sess:
        assert sess.run([out, made["lifted"]], {pred: True}) == [6.0, 5.0]
