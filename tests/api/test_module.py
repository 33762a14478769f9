"""tf.Module: names, name scopes and the variable/submodule walk in TF's order (checked
against TensorFlow 2.21's compat.v1), and two conversion helpers."""
import pytest

import staticgraph as tf


class Dense(tf.Module):
    def __init__(self, n, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.w = tf.Variable(tf.ones([n]), name="w")
            self.b = tf.Variable(0.0, name="b", trainable=False)


class MyNet(tf.Module):
    def __init__(self):
        super().__init__()
        self.layers = [Dense(2), Dense(3, name="second")]
        self.extra = {"k": tf.Variable(1.0, name="extra")}

    @tf.Module.with_name_scope
    def __call__(self, x):
        return x * 2.0


def test_module_walks_variables_and_submodules_in_tfs_order():
    net = MyNet()
    assert net.name == "my_net" and net.name_scope.name == "my_net/"
    assert [v.name for v in net.variables] == [
        "extra:0", "dense/b:0", "dense/w:0", "second/b:0", "second/w:0"]
    assert [v.name for v in net.trainable_variables] == ["extra:0", "dense/w:0", "second/w:0"]
    assert [m.name for m in net.submodules] == ["dense", "second"]


def test_module_name_scope_is_unique_and_reentered():
    net = MyNet()
    other = MyNet()
    assert other.name == "my_net" and other.name_scope.name == "my_net_1/"
    assert net(tf.constant(1.0)).name == "my_net/mul:0"
    assert net(tf.constant(1.0)).name == "my_net/mul_1:0"


def test_module_variables_train():
    layer = Dense(2)
    loss = tf.reduce_sum(layer.w * 3.0)
    step = tf.train.GradientDescentOptimizer(0.5).minimize(
        loss, var_list=list(layer.trainable_variables))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        assert sess.run(layer.w).tolist() == [-0.5, -0.5]


def test_module_name_must_be_an_identifier():
    with pytest.raises(ValueError, match="not a valid module name"):
        tf.Module(name="bad name")


def test_is_symbolic_tensor_and_convert_to_tensor_or_indexed_slices():
    assert tf.is_symbolic_tensor(tf.constant(1.0))
    assert not tf.is_symbolic_tensor(1.0) and not tf.is_symbolic_tensor(tf.Variable(1.0))
    slices = tf.IndexedSlices(tf.constant([1.0]), tf.constant([0]))
    assert tf.convert_to_tensor_or_indexed_slices(slices) is slices
    with pytest.raises(ValueError, match="IndexedSlices with dtype float32"):
        tf.convert_to_tensor_or_indexed_slices(slices, dtype=tf.int32)
    converted = tf.convert_to_tensor_or_indexed_slices([1, 2])
    assert isinstance(converted, tf.Tensor) and converted.dtype == tf.int32
