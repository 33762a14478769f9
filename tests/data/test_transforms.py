"""tf.data transformations: map, filter, batch, padded_batch, shuffle, repeat, take,
skip, prefetch, cache."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.runtime.state import SessionState
from tests.data.helpers import elements


def test_map_unpacks_tuples_and_traces_once():
    traced = []

    def scale(x, y):
        traced.append(1)
        return tf.reduce_sum(x) * 2.0, y + 1

    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    ds = tf.data.Dataset.from_tensor_slices((x, np.array([1, 2, 3]))).map(scale)
    assert ds.output_shapes[0].as_list() == [] and ds.output_types == (tf.float32, tf.int64)
    got = elements(ds)
    assert [(float(a), int(b)) for a, b in got] == [(2.0, 2), (10.0, 3), (18.0, 4)]
    assert len(traced) == 1


def test_map_of_a_dict_passes_one_argument_and_captures_outer_tensors():
    w = tf.constant(3.0)
    ds = tf.data.Dataset.from_tensor_slices({"a": np.array([1.0, 2.0], np.float32)})
    got = elements(ds.map(lambda d: {"b": d["a"] * w}, num_parallel_calls=4))
    assert [float(e["b"]) for e in got] == [3.0, 6.0]


def _count_function_runs(monkeypatch):
    calls = []
    original = SessionState.run_function

    def counting(self, func, inputs, fetches=None):
        calls.append(func.name)
        return original(self, func, inputs, fetches)

    monkeypatch.setattr(SessionState, "run_function", counting)
    return calls


def test_elementwise_map_before_batch_runs_once_per_batch(monkeypatch):
    x = np.random.RandomState(0).randn(10, 3).astype(np.float32)
    labels = np.arange(10)
    base = tf.data.Dataset.from_tensor_slices((x, labels))

    def f(a, b):
        return tf.nn.relu(a * 2.0 - 1.0), tf.cast(b, tf.float32) * 0.5

    per_element = elements(base.map(f).prefetch(1).batch(4))  # prefetch: no fusion
    calls = _count_function_runs(monkeypatch)
    fused = base.map(f).batch(4)
    assert fused.output_shapes[0].as_list() == [None, 3]
    got = elements(fused)
    assert calls == ["map_fn_batched"] * 3
    assert len(got) == len(per_element) == 3
    for (a, b), (c, d) in zip(got, per_element):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


def test_map_that_is_not_elementwise_runs_per_element(monkeypatch):
    calls = _count_function_runs(monkeypatch)
    x = np.arange(8, dtype=np.float32).reshape(4, 2)
    ds = tf.data.Dataset.from_tensor_slices(x).map(lambda v: v - tf.reduce_mean(v)).batch(2)
    got = elements(ds)
    np.testing.assert_array_equal(np.concatenate(got), x - x.mean(axis=1, keepdims=True))
    assert calls == ["map_fn"] * 4
    # broadcasting against a larger-rank constant changes meaning under batching
    wide = tf.data.Dataset.from_tensor_slices(np.arange(3.0)).map(
        lambda v: v + tf.constant([[0.0, 10.0]], tf.float64)).batch(3)
    assert [b.shape for b in elements(wide)] == [(3, 1, 2)]


def test_filter_keeps_true_elements_and_checks_the_predicate():
    ds = tf.data.Dataset.range(10).filter(lambda v: tf.equal(v % 3, 0))
    assert [int(v) for v in elements(ds)] == [0, 3, 6, 9]
    with pytest.raises(ValueError, match="scalar bool"):
        tf.data.Dataset.range(3).filter(lambda v: v)


def test_batch_and_drop_remainder_shapes():
    ds = tf.data.Dataset.range(7)
    assert [len(b) for b in elements(ds.batch(3))] == [3, 3, 1]
    dropped = ds.batch(3, drop_remainder=True)
    assert dropped.output_shapes.as_list() == [3]
    assert [list(b) for b in elements(dropped)] == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(ValueError, match="batch_size"):
        ds.batch(0)


def test_batch_of_ragged_elements_names_the_shapes():
    ds = tf.data.Dataset.from_generator(lambda: iter([[1], [1, 2]]), tf.int32, [None])
    with pytest.raises(tf.errors.InvalidArgumentError, match="padded_batch"):
        elements(ds.batch(2))


def test_padded_batch_pads_to_the_longest_or_the_given_size():
    def gen():
        for n in (1, 3, 2):
            yield list(range(1, n + 1))

    ds = tf.data.Dataset.from_generator(gen, tf.int64, [None])
    got = elements(ds.padded_batch(2, padded_shapes=[None]))
    np.testing.assert_array_equal(got[0], [[1, 0, 0], [1, 2, 3]])
    np.testing.assert_array_equal(got[1], [[1, 2]])
    fixed = ds.padded_batch(3, padded_shapes=[4], padding_values=np.int64(-1))
    assert fixed.output_shapes.as_list() == [None, 4]
    np.testing.assert_array_equal(elements(fixed)[0][1], [1, 2, 3, -1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="larger"):
        elements(ds.padded_batch(3, padded_shapes=[2]))


def test_shuffle_buffer_semantics():
    ds = tf.data.Dataset.range(20)
    assert [int(v) for v in elements(ds.shuffle(1))] == list(range(20))
    got = [int(v) for v in elements(ds.shuffle(4, seed=1))]
    assert sorted(got) == list(range(20)) and got != list(range(20))
    # an element can only leave the buffer after it entered: position >= value - 3
    assert all(pos >= value - 3 for pos, value in enumerate(got))


def test_shuffle_seeds_and_reshuffling():
    def epochs(reshuffle):
        ds = tf.data.Dataset.range(10).shuffle(10, seed=7, reshuffle_each_iteration=reshuffle)
        flat = [int(v) for v in elements(ds.repeat(2))]
        return flat[:10], flat[10:]

    first, second = epochs(True)
    assert first != second and sorted(first) == sorted(second)
    assert epochs(True) == (first, second)  # seeded: the same sequence of orders
    same_a, same_b = epochs(False)
    assert same_a == same_b


def test_graph_seed_makes_shuffle_repeatable():
    def order():
        with tf.Graph().as_default():
            tf.set_random_seed(5)
            return [int(v) for v in elements(tf.data.Dataset.range(30).shuffle(30))]

    assert order() == order()


def test_repeat_take_skip():
    ds = tf.data.Dataset.range(3)
    assert [int(v) for v in elements(ds.repeat(2))] == [0, 1, 2, 0, 1, 2]
    assert [int(v) for v in elements(ds.repeat().take(7))] == [0, 1, 2, 0, 1, 2, 0]
    assert [int(v) for v in elements(ds.skip(1))] == [1, 2]
    assert elements(ds.skip(-1)) == [] and len(elements(ds.take(-1))) == 3
    assert elements(ds.take(0).repeat()) == []  # an empty pass ends an endless repeat


def test_cache_replays_the_first_pass():
    calls = []

    def gen():
        calls.append(1)
        yield from (1.0, 2.0)

    ds = tf.data.Dataset.from_generator(gen, tf.float32, []).cache().repeat(3)
    assert [float(v) for v in elements(ds)] == [1.0, 2.0] * 3
    assert len(calls) == 1
    with pytest.raises(tf.errors.UnimplementedError, match="file"):
        tf.data.Dataset.range(2).cache("/tmp/somewhere")
