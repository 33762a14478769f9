"""Interleave / flat_map pipelines run the same way with TensorFlow (by
tools/make_interleave_fixtures.py, which records TF's element order) and with
staticgraph (by test_interleave.py, which compares)."""


def _pipelines(tf):
    d = tf.data.Dataset.range(1, 6)
    return {
        "ranges_cycle2_block1": d.interleave(lambda x: tf.data.Dataset.range(x),
                                             cycle_length=2, block_length=1),
        "ranges_cycle3_block2": d.interleave(
            lambda x: tf.data.Dataset.range(10 * x, 10 * x + x), cycle_length=3,
            block_length=2),
        "repeat_cycle2_block4": d.interleave(
            lambda x: tf.data.Dataset.from_tensors(x).repeat(6), cycle_length=2,
            block_length=4),
        "with_empty_cycle2_block2": tf.data.Dataset.range(0, 4).interleave(
            lambda x: tf.data.Dataset.range(x), cycle_length=2, block_length=2),
        "cycle_longer_than_input": tf.data.Dataset.range(1, 3).interleave(
            lambda x: tf.data.Dataset.range(x, x + 3), cycle_length=5, block_length=1),
        "flat_map_ranges": d.flat_map(lambda x: tf.data.Dataset.range(x)),
        "flat_map_slices": tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4]]).flat_map(
            lambda x: tf.data.Dataset.from_tensor_slices(x * 2)),
        "tuple_elements": tf.data.Dataset.from_tensor_slices(([1, 2], [10, 20])).interleave(
            lambda a, b: tf.data.Dataset.range(tf.cast(a, tf.int64)).map(
                lambda i: i + tf.cast(b, tf.int64)),
            cycle_length=2, block_length=1),
    }


def run_cases(tf):
    """{case: [element, ...]} with the given TF-like module in graph mode."""
    out = {}
    for label, dataset in _pipelines(tf).items():
        next_element = tf.data.make_one_shot_iterator(dataset).get_next()
        values = []
        with tf.Session() as sess:
            try:
                while True:
                    values.append(sess.run(next_element).tolist())
            except tf.errors.OutOfRangeError:
                pass
        out[label] = values
    return out
