"""Every ConfigProto field a TF1 script sets is accepted (documented as having no effect),
with TF's GPUOptions, RunOptions and RunMetadata messages."""
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
