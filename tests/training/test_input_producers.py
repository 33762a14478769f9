"""tf.train's queue input producers (string/range/slice/input_producer, limit_epochs) with
TF1's semantics: epochs counted in a local variable, OutOfRangeError after the last one,
per-epoch shuffling, a QueueRunner in the QUEUE_RUNNERS collection."""
import threading

import numpy as np
import pytest

import staticgraph as tf


def _drain(sess, fetch):
    """Runs ``fetch`` until OutOfRangeError, under a Coordinator, as TF1 scripts do."""
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)
    out = []
    try:
        while not coord.should_stop():
            out.append(sess.run(fetch))
    except tf.errors.OutOfRangeError:
        pass
    finally:
        coord.request_stop()
    coord.join(threads)
    assert not any(t.is_alive() for t in threads)
    return out


def test_tf1_script_reads_files_named_by_string_input_producer(tmp_path):
    """The TF1 pattern: file names from a producer with num_epochs=2, read in the loop."""
    names = []
    for i in range(4):
        path = tmp_path / f"part-{i}.txt"
        path.write_text(f"{i * 10}\n{i * 10 + 1}\n")
        names.append(str(path))
    filename_queue = tf.train.string_input_producer(names, num_epochs=2, shuffle=True,
                                                    seed=7)
    filename = filename_queue.dequeue()
    totals, seen = {}, []
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        try:
            while not coord.should_stop():
                name = sess.run(filename).decode()
                with tf.gfile.GFile(name) as f:
                    totals[name] = totals.get(name, 0) + sum(int(x) for x in f)
                seen.append(name)
        except tf.errors.OutOfRangeError:
            pass
        finally:
            coord.request_stop()
        coord.join(threads)
    assert len(seen) == 8
    assert sorted(seen[:4]) == sorted(seen[4:]) == sorted(names)  # each epoch, each once
    assert totals == {n: 2 * (20 * i + 1) for i, n in enumerate(names)}
    assert not [t for t in threading.enumerate() if t.name.startswith("QueueRunner")]


def test_epoch_counter_runner_and_summary_are_tf1s():
    queue = tf.train.string_input_producer(["a", "b", "c"], num_epochs=3, capacity=5)
    (runner,) = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
    assert runner.queue is queue
    (epochs,) = tf.local_variables()
    assert epochs.op.name == "input_producer/limit_epochs/epochs"
    assert epochs.dtype.base_dtype == tf.int64
    (summary,) = tf.get_collection(tf.GraphKeys.SUMMARIES)
    assert summary.op.name == "input_producer/fraction_of_5_full"
    assert queue.dequeue().shape.as_list() == []
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        got = _drain(sess, queue.dequeue())
        assert sess.run(epochs) == 3
    assert sorted(got) == sorted([b"a", b"b", b"c"] * 3)


def test_unshuffled_order_and_seeded_shuffles_repeat():
    def run(shuffle, seed):
        with tf.Graph().as_default():
            q = tf.train.range_input_producer(6, num_epochs=3, shuffle=shuffle, seed=seed)
            with tf.Session() as sess:
                sess.run(tf.local_variables_initializer())
                return [int(v) for v in _drain(sess, q.dequeue())]
    assert run(False, None) == list(range(6)) * 3
    first = run(True, 11)
    assert first == run(True, 11)  # graph-level seed unset, op seed fixed: repeatable
    epochs = [first[i:i + 6] for i in range(0, 18, 6)]
    assert all(sorted(e) == list(range(6)) for e in epochs)
    assert len({tuple(e) for e in epochs}) > 1  # reshuffled each epoch


def test_slice_input_producer_keeps_rows_together():
    images = np.arange(12.0).reshape(6, 2)
    labels = np.arange(6) * 10
    image, label = tf.train.slice_input_producer([images, labels], num_epochs=2, seed=3)
    assert image.shape.as_list() == [2] and label.shape.as_list() == []
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        pairs = _drain(sess, [image, label])
    assert len(pairs) == 12
    for img, lab in pairs:
        np.testing.assert_array_equal(img, images[lab // 10])
    assert sorted(int(lab) for _, lab in pairs) == sorted(list(labels) * 2)


def test_input_producer_without_epochs_runs_on_and_capacity_bounds_the_queue():
    q = tf.train.input_producer(tf.constant([[1, 2], [3, 4], [5, 6]]), shuffle=False,
                                capacity=4)
    row = q.dequeue()
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        rows = [sess.run(row).tolist() for _ in range(7)]
        assert sess.run(q.size()) <= 4
        coord.request_stop()
        coord.join(threads)
    assert rows == [[1, 2], [3, 4], [5, 6]] * 2 + [[1, 2]]


def test_limit_epochs_counts_evaluations():
    value = tf.train.limit_epochs(tf.constant([1, 2]), num_epochs=2)
    assert tf.train.limit_epochs(value, None) is value
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(value).tolist() == [1, 2]
        assert sess.run(value).tolist() == [1, 2]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(value)
    with pytest.raises(ValueError, match="num_epochs must be > 0 not 0"):
        tf.train.limit_epochs(tf.constant(1), 0)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="non-null"):
        tf.train.string_input_producer([])
    with pytest.raises(ValueError, match="fully defined shape"):
        tf.train.input_producer(tf.placeholder(tf.float32, [None, None]))
    with pytest.raises(ValueError, match="first dimensions differ"):
        tf.train.slice_input_producer([np.zeros(3), np.zeros(4)])
    with pytest.raises(ValueError, match="at least one tensor"):
        tf.train.slice_input_producer([])
    names = tf.placeholder(tf.string, [None])
    q = tf.train.string_input_producer(names, shuffle=False)
    with tf.Session() as sess:
        (runner,) = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
        with pytest.raises(tf.errors.InvalidArgumentError, match="non-null"):
            sess.run(runner.enqueue_ops[0], {names: []})
        assert sess.run(q.size()) == 0


def test_maybe_batch_keeps_the_flagged_elements():
    (value,) = tf.train.slice_input_producer([tf.range(10)], num_epochs=1, shuffle=False)
    keep = tf.equal(value % 2, 0)
    (batch,) = tf.train.maybe_batch([value], keep, batch_size=2,
                                    allow_smaller_final_batch=True)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        batches = [b.tolist() for b in _drain(sess, batch)]
    assert batches == [[0, 2], [4, 6], [8]]


def test_maybe_batch_with_a_vector_flags_rows_and_maybe_shuffle_batch():
    rows = tf.constant([[0, 0], [1, 10], [2, 20], [3, 30]])
    keep = tf.constant([True, False, True, True])
    batch = tf.train.maybe_batch({"r": rows}, keep, batch_size=3, enqueue_many=True)
    (shuffled,) = tf.train.maybe_shuffle_batch(
        [rows], batch_size=6, capacity=20, min_after_dequeue=6, keep_input=keep,
        enqueue_many=True, seed=4)
    assert batch["r"].shape.as_list() == [3, 2]
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        first, second = sess.run(batch)["r"], sess.run(batch)["r"]
        mixed = sess.run(shuffled)
        coord.request_stop()
        coord.join(threads)
    assert first.tolist() == [[0, 0], [2, 20], [3, 30]] == second.tolist()
    assert len(mixed) == 6 and all(r in [[0, 0], [2, 20], [3, 30]] for r in mixed.tolist())
    with pytest.raises(ValueError, match="cannot be a vector when `enqueue_many=False`"):
        tf.train.maybe_batch([rows[0]], keep, batch_size=2)
    with pytest.raises(ValueError, match="must be 0 or 1 dimensions"):
        tf.train.maybe_batch([rows], [[True]], batch_size=2, enqueue_many=True)
    with pytest.raises(ValueError, match="must be known at graph construction"):
        tf.train.maybe_batch([rows], tf.placeholder(tf.bool), batch_size=2,
                             enqueue_many=True)


def test_batch_join_reads_every_list_each_in_its_own_thread():
    (evens,) = tf.train.slice_input_producer([tf.range(0, 20, 2)], num_epochs=1,
                                             shuffle=False)
    (odds,) = tf.train.slice_input_producer([tf.range(1, 20, 2)], num_epochs=1,
                                            shuffle=False)
    batch = tf.train.batch_join([{"n": evens}, {"n": odds}], batch_size=4,
                                allow_smaller_final_batch=True)
    assert len(tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)[-1].enqueue_ops) == 2
    # its own producers: runners sharing evens/odds would race the batch for elements
    (more_evens,) = tf.train.slice_input_producer([tf.range(0, 20, 2)], shuffle=False)
    (more_odds,) = tf.train.slice_input_producer([tf.range(1, 20, 2)], shuffle=False)
    (shuffled,) = tf.train.shuffle_batch_join([[more_evens * 100], [more_odds * 100]],
                                              batch_size=3, capacity=12, min_after_dequeue=2,
                                              seed=1)
    assert len(tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)[-1].enqueue_ops) == 2
    assert batch["n"].name == "batch_join:0" and shuffled.name == "shuffle_batch_join:0"
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        drained = np.concatenate([b["n"] for b in _drain(sess, batch)])
    assert sorted(drained.tolist()) == list(range(20))
    with pytest.raises(ValueError, match="same names, number of tensors and dtypes"):
        tf.train.batch_join([[evens], [tf.cast(odds, tf.float32)]], batch_size=2)
    with pytest.raises(ValueError, match="at least one set of tensors"):
        tf.train.batch_join([], batch_size=2)


def test_batching_adds_tf1s_queue_fullness_summaries():
    """Tags and values as TF1 builds them: fraction_of_<capacity>_full for FIFO batching,
    fraction_over_<min>_of_<capacity - min>_full for shuffling."""
    rows = tf.constant(np.arange(8.0).reshape(8, 1))
    tf.train.batch([rows], batch_size=2, capacity=10, enqueue_many=True)
    tf.train.shuffle_batch([rows], batch_size=2, capacity=20, min_after_dequeue=5,
                           enqueue_many=True)
    summaries = tf.get_collection(tf.GraphKeys.SUMMARIES)
    assert [s.op.name for s in summaries] == ["batch/fraction_of_10_full",
                                              "shuffle_batch/fraction_over_5_of_15_full"]
    with tf.Session() as sess:
        for queue_runner in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS):
            sess.run(queue_runner.enqueue_ops[0])  # 8 rows into each queue, no threads
        values = []
        for serialized in sess.run(summaries):
            proto = tf.Summary()
            proto.ParseFromString(serialized)
            values.append((proto.value[0].tag, proto.value[0].simple_value))
    assert values == [("batch/fraction_of_10_full", pytest.approx(0.8)),
                      ("shuffle_batch/fraction_over_5_of_15_full", pytest.approx(3 / 15))]
