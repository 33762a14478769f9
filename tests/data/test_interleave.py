"""Dataset.interleave / flat_map in TF's element order (fixture recorded with TF 2.21 by
tools/make_interleave_fixtures.py), with captured tensors, placeholders and errors."""
import json
import pathlib

import numpy as np
import pytest

import staticgraph as tf

from .helpers import drain, elements
from .interleave_cases import run_cases

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "tf_interleave.json"


def test_element_order_is_tfs():
    expected = json.loads(FIXTURE.read_text())["cases"]
    assert run_cases(tf) == expected


def test_static_spec_and_structures():
    ds = tf.data.Dataset.range(3).interleave(
        lambda x: tf.data.Dataset.from_tensors({"v": tf.fill([2], x), "n": x}),
        cycle_length=2)
    assert ds.output_types == {"v": tf.int64, "n": tf.int64}
    assert ds.output_shapes["v"].as_list() == [2]
    got = elements(ds)
    assert sorted(int(e["n"]) for e in got) == [0, 1, 2]
    for e in got:
        np.testing.assert_array_equal(e["v"], [e["n"]] * 2)


def test_captured_tensors_and_fed_placeholders():
    scale = tf.placeholder(tf.int64, [], name="scale")
    offset = tf.constant(100, tf.int64)
    ds = tf.data.Dataset.range(1, 4).flat_map(
        lambda x: tf.data.Dataset.range(x).map(lambda i: i * scale + offset))
    it = ds.make_initializable_iterator()
    nxt = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer, {scale: 10})
        assert drain(sess, nxt) == [100, 100, 110, 100, 110, 120]
        sess.run(it.initializer, {scale: 1})
        assert drain(sess, nxt) == [100, 100, 101, 100, 101, 102]


def test_bad_arguments_are_named():
    ds = tf.data.Dataset.range(3)
    with pytest.raises(TypeError, match="interleave_fn: the function must return a "
                                        "tf.data.Dataset, got Tensor"):
        ds.interleave(lambda x: x * 2, cycle_length=1)
    with pytest.raises(ValueError, match="cycle_length must be positive"):
        ds.interleave(lambda x: tf.data.Dataset.range(x), cycle_length=0)
    with pytest.raises(ValueError, match="block_length must be positive"):
        ds.interleave(lambda x: tf.data.Dataset.range(x), cycle_length=1, block_length=-3)
    with pytest.raises(TypeError, match="integer scalars"):
        tf.data.Dataset.range(tf.constant([1, 2]))


def test_autotune_cycle_length_interleaves_over_all_inputs_it_can():
    ds = tf.data.Dataset.range(2).interleave(
        lambda x: tf.data.Dataset.from_tensors(x).repeat(2),
        cycle_length=tf.data.experimental.AUTOTUNE)
    got = [int(v) for v in elements(ds)]
    assert sorted(got) == [0, 0, 1, 1]
