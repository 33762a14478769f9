"""tf.nest: flattening, packing, mapping and comparing nested structures (TF's rules,
checked against TensorFlow 2.21: dicts in sorted key order, strings and None leaves)."""
import collections

import pytest

import staticgraph as tf

Point = collections.namedtuple("Point", "x y")


def test_flatten_sorts_dict_keys_and_keeps_none_and_strings_as_leaves():
    assert tf.nest.flatten({"b": [1, None], "a": (2, "x")}) == [2, "x", 1, None]
    assert tf.nest.flatten("abc") == ["abc"]
    assert tf.nest.flatten(None) == [None]
    assert tf.nest.flatten(Point(1, [2, 3])) == [1, 2, 3]


def test_is_nested():
    assert tf.nest.is_nested([1]) and tf.nest.is_nested({"a": 1}) and tf.nest.is_nested(())
    assert not tf.nest.is_nested("ab") and not tf.nest.is_nested(1)
    assert not tf.nest.is_nested(tf.constant(1.0))


def test_pack_sequence_as_rebuilds_containers_in_their_own_key_order():
    structure = {"z": Point(0, 0), "a": [0, (0,)]}
    packed = tf.nest.pack_sequence_as(structure, [1, 2, 3, 4])
    assert list(packed) == ["z", "a"]
    assert packed["a"] == [1, (2,)] and packed["z"] == Point(3, 4)
    assert tf.nest.pack_sequence_as(7, [9]) == 9


def test_pack_sequence_as_errors():
    with pytest.raises(ValueError, match="Structure had 2 atoms, but flat_sequence had 1"):
        tf.nest.pack_sequence_as([1, 2], [1])
    with pytest.raises(TypeError, match="incompatible type"):
        tf.nest.pack_sequence_as([1], 5)


def test_map_structure_over_several_structures():
    out = tf.nest.map_structure(lambda a, b: a * 10 + b, {"k": [1, 2]}, {"k": [3, 4]})
    assert out == {"k": [13, 24]}
    with pytest.raises(TypeError, match="callable"):
        tf.nest.map_structure(3, [1])


def test_map_structure_over_tensors_builds_ops():
    x = tf.constant([1.0, 2.0])
    doubled = tf.nest.map_structure(lambda t: t * 2, (x, {"y": x}))
    with tf.Session() as sess:
        first, rest = sess.run(doubled)
    assert first.tolist() == [2.0, 4.0] and rest["y"].tolist() == [2.0, 4.0]


def test_assert_same_structure():
    tf.nest.assert_same_structure([1, (2, 3)], ["a", ("b", "c")])
    tf.nest.assert_same_structure([1, 2], (1, 2), check_types=False)
    with pytest.raises(TypeError, match="same sequence type"):
        tf.nest.assert_same_structure([1, 2], (1, 2))
    with pytest.raises(ValueError, match="same nested structure"):
        tf.nest.assert_same_structure([1, 2], [1])
    with pytest.raises(ValueError, match="same set of keys"):
        tf.nest.assert_same_structure({"a": 1}, {"b": 1})
    with pytest.raises(ValueError):
        tf.nest.assert_same_structure([1], 1)


def test_expand_composites_is_refused_clearly():
    with pytest.raises(NotImplementedError, match="expand_composites"):
        tf.nest.flatten([1], expand_composites=True)
