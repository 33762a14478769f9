"""tf.data sources: tensor slices, tensors, range, generators, zip; structure and shapes."""
import numpy as np
import pytest

import staticgraph as tf
from tests.data.helpers import drain, elements


def test_slices_of_an_array_a_tuple_and_a_dict():
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    y = np.array([0, 1, 0, 1])
    got = elements(tf.data.Dataset.from_tensor_slices(x))
    np.testing.assert_array_equal(np.stack(got), x)
    pairs = elements(tf.data.Dataset.from_tensor_slices((x, y)))
    assert [int(b) for _, b in pairs] == [0, 1, 0, 1]
    np.testing.assert_array_equal(pairs[2][0], x[2])
    ds = tf.data.Dataset.from_tensor_slices({"image": x, "label": y})
    assert ds.output_types == {"image": tf.float32, "label": tf.int64}
    assert ds.output_shapes["image"].as_list() == [3]
    first = elements(ds)[0]
    assert set(first) == {"image", "label"} and first["label"] == 0


def test_python_lists_get_tf1_dtypes():
    ds = tf.data.Dataset.from_tensor_slices([1.5, 2.5])
    assert ds.output_types == tf.float32 and ds.output_shapes.as_list() == []
    assert tf.data.Dataset.from_tensor_slices([1, 2]).output_types == tf.int32


def test_from_tensors_is_one_element():
    ds = tf.data.Dataset.from_tensors(([1, 2, 3], 7))
    assert ds.output_shapes[0].as_list() == [3]
    (only,) = elements(ds)
    np.testing.assert_array_equal(only[0], [1, 2, 3])


def test_slices_of_unequal_lengths_are_refused_naming_the_shapes():
    nxt = tf.data.Dataset.from_tensor_slices(
        (tf.constant(np.zeros((3, 2))), tf.constant(np.zeros(4)))).make_one_shot_iterator()
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match=r"\(3, 2\)"):
        sess.run(nxt.get_next())


def test_range_forms():
    assert [int(v) for v in elements(tf.data.Dataset.range(4))] == [0, 1, 2, 3]
    assert [int(v) for v in elements(tf.data.Dataset.range(2, 9, 3))] == [2, 5, 8]
    assert tf.data.Dataset.range(3).output_types == tf.int64


def test_from_generator_converts_and_checks():
    def gen():
        for i in range(3):
            yield [i] * (i + 1), float(i)

    ds = tf.data.Dataset.from_generator(gen, (tf.int32, tf.float32), ([None], []))
    assert ds.output_shapes[0].as_list() == [None]
    got = elements(ds)
    assert [list(a) for a, _ in got] == [[0], [1, 1], [2, 2, 2]]
    assert got[2][1].dtype == np.float32
    bad = tf.data.Dataset.from_generator(lambda: iter([[1, 2]]), tf.int32, [3])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\(2,\).*\(3,\)"):
        elements(bad)


def test_from_generator_with_args_restarts_each_pass():
    calls = []

    def gen(n):
        calls.append(n)
        yield from range(n)

    ds = tf.data.Dataset.from_generator(gen, tf.int64, [], args=(2,)).repeat(2)
    assert [int(v) for v in elements(ds)] == [0, 1, 0, 1]
    assert calls == [2, 2]


def test_zip_stops_at_the_shortest_and_nests():
    a = tf.data.Dataset.range(5)
    b = tf.data.Dataset.from_tensor_slices(np.array([10.0, 20.0, 30.0]))
    got = elements(tf.data.Dataset.zip((a, {"b": b})))
    assert [(int(x), float(y["b"])) for x, y in got] == [(0, 10.0), (1, 20.0), (2, 30.0)]


def test_concatenate_generalises_shapes():
    a = tf.data.Dataset.from_tensors(np.zeros(2))
    b = tf.data.Dataset.from_tensors(np.ones(3))
    ds = a.concatenate(b)
    assert ds.output_shapes.as_list() == [None]
    assert [len(v) for v in elements(ds)] == [2, 3]


def test_get_output_shapes_and_types():
    ds = tf.data.Dataset.from_tensor_slices((np.zeros((4, 2), np.float32), np.zeros(4)))
    it = tf.data.make_one_shot_iterator(ds)
    assert tf.data.get_output_shapes(ds)[0].as_list() == [2]
    assert tf.data.get_output_types(it) == (tf.float32, tf.float64)
    assert tf.data.get_output_classes(ds) == (tf.Tensor, tf.Tensor)


def test_iterators_of_two_sessions_are_independent():
    nxt = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
    with tf.Session() as one, tf.Session() as two:
        assert one.run(nxt) == 0 and one.run(nxt) == 1
        assert two.run(nxt) == 0
        assert drain(one, nxt) == [2]
