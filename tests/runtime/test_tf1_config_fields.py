"""Every ConfigProto field a TF1 script sets is accepted (documented as having no effect,
except log_device_placement, which prints TF1's placement lines), with TF's GPUOptions,
RunOptions and RunMetadata messages."""
import numpy as np

import staticgraph as tf


def test_config_fields_tf1_scripts_set():
    config = tf.ConfigProto(gpu_options=tf.GPUOptions(allow_growth=True),
                            allow_soft_placement=True, log_device_placement=False,
                            intra_op_parallelism_threads=1, inter_op_parallelism_threads=2,
                            device_count={"GPU": 0, "CPU": 1})
    config.gpu_options.allow_growth = True
    config.gpu_options.per_process_gpu_memory_fraction = 0.4
    assert config.gpu_options.allow_growth and tf.ConfigProto().gpu_options.allow_growth is False
    x = tf.placeholder(tf.float32, [2])
    with tf.Session(config=config) as sess:
        out = sess.run(x * 3, {x: [1, 2]}, options=tf.RunOptions(
            trace_level=tf.RunOptions.FULL_TRACE), run_metadata=tf.RunMetadata())
    np.testing.assert_array_equal(out, [3, 6])
    assert tf.RunOptions.FULL_TRACE == 3  # TF's enum value


def test_log_device_placement_prints_every_op_once_on_the_cpu(capsys):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2], name="x")
        y = tf.multiply(x, 2.0, name="double")
        with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
            sess.run(y, {x: [1.0, 2.0]})
            sess.run(y, {x: [3.0, 4.0]})
            z = tf.add(y, 1.0, name="plus_one")
            sess.run(z, {x: [1.0, 2.0]})
    lines = capsys.readouterr().err.splitlines()
    cpu = "/job:localhost/replica:0/task:0/device:CPU:0"
    assert lines[0] == "Device mapping: no known devices."
    placed = [line for line in lines if line.endswith(cpu)]
    assert f"x: (Placeholder): {cpu}" in placed and f"double: (Mul): {cpu}" in placed
    assert f"plus_one: (AddV2): {cpu}" in placed or f"plus_one: (Add): {cpu}" in placed
    assert len(placed) == len(set(placed)) == 5  # x, the two constants, double, plus_one


def test_no_placement_lines_by_default(capsys):
    with tf.Graph().as_default():
        with tf.Session() as sess:
            sess.run(tf.constant(1.0))
    assert "device:CPU" not in capsys.readouterr().err
