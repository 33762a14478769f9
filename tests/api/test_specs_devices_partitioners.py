"""Type specs, DeviceSpec and the variable partitioners (values checked against
TensorFlow 2.21's compat.v1)."""
import pytest

import staticgraph as tf


def test_tensor_spec_compatibility_ignores_the_name():
    spec = tf.TensorSpec([None, 3], tf.float32, "a")
    assert repr(spec) == "TensorSpec(shape=(None, 3), dtype=tf.float32, name='a')"
    assert spec.is_compatible_with(tf.TensorSpec([2, 3]))
    assert spec.is_compatible_with(tf.zeros([2, 3]))
    assert not spec.is_compatible_with(tf.zeros([2, 3], tf.int32))
    assert not spec.is_compatible_with(tf.zeros([2, 4]))
    assert spec != tf.TensorSpec([None, 3]) and spec == tf.TensorSpec([None, 3], name="a")
    assert len({spec, tf.TensorSpec([None, 3], name="a")}) == 1


def test_tensor_spec_constructors():
    x = tf.placeholder(tf.int64, [None], name="ids")
    assert tf.TensorSpec.from_tensor(x) == tf.TensorSpec([None], tf.int64, "ids")
    assert tf.TensorSpec.from_spec(tf.TensorSpec([1], name="a"), name="b").name == "b"
    assert tf.TensorSpec([2]).shape.as_list() == [2] and tf.TensorSpec([2]).dtype == tf.float32


def test_type_spec_from_value():
    assert tf.type_spec_from_value(1.0) == tf.TensorSpec([], tf.float32)
    assert tf.type_spec_from_value(tf.zeros([2], tf.int32)) == tf.TensorSpec([2], tf.int32)
    assert tf.type_spec_from_value(tf.Variable([1.0, 2.0])) == tf.TensorSpec([2])
    slices = tf.IndexedSlices(tf.zeros([1, 2]), tf.constant([0]), tf.constant([4, 2]))
    assert tf.type_spec_from_value(slices) == tf.IndexedSlicesSpec(
        [4, 2], tf.float32, tf.int32, tf.int32, [1])
    array = tf.TensorArray(tf.float32, size=2, element_shape=[3])
    assert tf.type_spec_from_value(array) == tf.TensorArraySpec([3], tf.float32)
    with pytest.raises(TypeError, match="Could not build a TypeSpec"):
        tf.type_spec_from_value(object())


def test_other_specs():
    assert tf.SparseTensorSpec([None, 4]).is_compatible_with(tf.SparseTensorSpec([3, 4]))
    assert not tf.SparseTensorSpec([None, 4]).is_compatible_with(tf.TensorSpec([3, 4]))
    assert tf.SparseTensorSpec().shape.ndims is None
    assert tf.NoneTensorSpec() == tf.NoneTensorSpec()
    assert tf.NoneTensorSpec().is_compatible_with(tf.NoneTensorSpec())
    optional = tf.OptionalSpec(tf.TensorSpec([None]))
    assert optional.is_compatible_with(tf.OptionalSpec(tf.TensorSpec([5])))
    assert not optional.is_compatible_with(tf.OptionalSpec(tf.TensorSpec([5], tf.int32)))
    assert not tf.TensorArraySpec([2], dynamic_size=True).is_compatible_with(
        tf.TensorArraySpec([2]))
    assert isinstance(tf.TensorSpec([1]), tf.TypeSpec)


@pytest.mark.parametrize("text, expected", [
    ("/job:w/task:1/device:CPU:0", "/job:w/task:1/device:CPU:0"),
    ("/gpu:1", "/device:GPU:1"),
    ("/cpu:*", "/device:CPU:*"),
    ("/job:ps/replica:2", "/job:ps/replica:2"),
    ("", ""),
])
def test_device_spec_parses_and_writes_device_strings(text, expected):
    assert tf.DeviceSpec.from_string(text).to_string() == expected


def test_device_spec_merging_and_replacing():
    spec = tf.DeviceSpec(job="a")
    spec.merge_from(tf.DeviceSpec.from_string("/task:2/device:GPU:1"))
    assert spec.to_string() == "/job:a/task:2/device:GPU:1"
    merged = spec.make_merged_spec(tf.DeviceSpec(job="b"))
    assert merged.to_string() == "/job:b/task:2/device:GPU:1" and spec.job == "a"
    assert spec.replace(device_type="CPU", device_index=0).to_string() == \
        "/job:a/task:2/device:CPU:0"
    assert tf.DeviceSpec.from_string("/cpu:0") == tf.DeviceSpec(device_type="CPU", device_index=0)
    with pytest.raises(ValueError, match="Unknown attribute"):
        tf.DeviceSpec.from_string("/foo:1")
    with pytest.raises(ValueError, match="Multiple device types"):
        tf.DeviceSpec.from_string("/cpu:0/gpu:0")


def test_partitioners_compute_tensorflows_partition_counts():
    assert tf.fixed_size_partitioner(3)(shape=tf.TensorShape([10, 4]), dtype=tf.float32) == [3, 1]
    assert tf.fixed_size_partitioner(30, axis=1)(shape=tf.TensorShape([10, 4])) == [1, 4]
    minmax = tf.min_max_variable_partitioner(max_partitions=4, axis=0, min_slice_size=256 << 10)
    assert minmax(shape=tf.TensorShape([1000, 100]), dtype=tf.float32) == [2, 1]
    assert minmax(shape=tf.TensorShape([3, 1 << 20]), dtype=tf.float64) == [3, 1]
    assert minmax(shape=tf.TensorShape([10]), dtype=tf.string) == [1]
    by_size = tf.variable_axis_size_partitioner(max_shard_bytes=4000)
    assert by_size(shape=tf.TensorShape([1000, 10]), dtype=tf.float32) == [10, 1]
    assert tf.variable_axis_size_partitioner(4000, max_shards=4)(
        shape=tf.TensorShape([1000, 10]), dtype=tf.float32) == [4, 1]
    assert tf.variable_axis_size_partitioner(1)(
        shape=tf.TensorShape([5, 10]), dtype=tf.float32) == [5, 1]


def test_partitioner_errors_and_partitioned_variables_are_refused():
    with pytest.raises(ValueError, match="must be positive"):
        tf.variable_axis_size_partitioner(0)
    with pytest.raises(ValueError, match="not fully defined"):
        tf.variable_axis_size_partitioner(10)(shape=tf.TensorShape([None, 2]), dtype=tf.float32)
    with pytest.raises(ValueError, match="can not partition variable along axis 2"):
        tf.min_max_variable_partitioner(axis=2)(shape=tf.TensorShape([3, 4]), dtype=tf.float32)
    with pytest.raises(NotImplementedError, match="partitioned variables"):
        tf.get_variable("v", [10, 4], partitioner=tf.fixed_size_partitioner(2))
