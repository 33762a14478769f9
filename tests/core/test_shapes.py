import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import staticgraph as tf
from staticgraph.core.shapes import (TensorShape, as_shape, broadcast_all, broadcast_shapes,
                                     normalize_axes, normalize_axis, unknown_shape)


def test_partial_shapes():
    s = TensorShape([None, 3])
    assert s.as_list() == [None, 3]
    assert s.ndims == 2 and s.rank == 2
    assert not s.is_fully_defined()
    assert s[1] == 3 and s[0].value is None
    assert s[1:] == TensorShape([3])
    assert str(s) == "(?, 3)"
    assert s.num_elements() is None
    assert TensorShape([2, 3]).num_elements() == 6
    assert len(s) == 2


def test_unknown_rank():
    s = TensorShape(None)
    assert s.ndims is None
    with pytest.raises(ValueError):
        s.as_list()
    assert s.is_compatible_with([1, 2, 3])
    assert str(s) == "<unknown>"


def test_compatibility_and_merge():
    a = TensorShape([None, 3])
    assert a.is_compatible_with([4, 3])
    assert not a.is_compatible_with([4, 2])
    assert not a.is_compatible_with([4])
    assert a.merge_with([4, None]) == TensorShape([4, 3])
    with pytest.raises(ValueError, match="not compatible"):
        a.merge_with([4, 2])
    assert unknown_shape(2) == TensorShape([None, None])


def test_equality_with_lists():
    assert TensorShape([1, 2]) == [1, 2]
    assert as_shape((1, 2)) == TensorShape([1, 2])
    assert TensorShape([1, 2]) != TensorShape([2, 1])


dims = st.lists(st.integers(1, 4), min_size=0, max_size=4)


@settings(max_examples=40, deadline=None)
@given(dims, dims)
def test_broadcast_matches_numpy(a, b):
    try:
        expected = np.broadcast_shapes(tuple(a), tuple(b))
    except ValueError:
        with pytest.raises(ValueError, match="broadcast"):
            broadcast_shapes(TensorShape(a), TensorShape(b))
        return
    assert broadcast_shapes(TensorShape(a), TensorShape(b)).as_list() == list(expected)


def test_broadcast_with_unknown_dims():
    assert broadcast_shapes(TensorShape([None, 3]), TensorShape([3])).as_list() == [None, 3]
    assert broadcast_shapes(TensorShape([None, 1]), TensorShape([5])).as_list() == [None, 5]
    assert broadcast_shapes(TensorShape([None]), TensorShape([4])).as_list() == [4]
    assert broadcast_shapes(TensorShape(None), TensorShape([4])).ndims is None


def test_normalize_axes():
    assert normalize_axis(-1, 3) == 2
    assert normalize_axes(None, 3) == (0, 1, 2)
    assert normalize_axes([-1, 0], 3) == (0, 2)
    with pytest.raises(ValueError, match="out of range"):
        normalize_axis(3, 3)


def _broadcast_dim_by_dim(a, b):
    """The broadcasting rule spelled out dimension by dimension (None: unknown)."""
    if a is None or b is None:
        return None
    n = max(len(a), len(b))
    out = []
    for x, y in zip([1] * (n - len(a)) + a, [1] * (n - len(b)) + b):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None:
            out.append(y)
        elif y is None or x == y:
            out.append(x)
        else:
            raise ValueError("cannot broadcast")
    return out


partial_dims = st.none() | st.lists(st.none() | st.integers(0, 3), max_size=3)


@settings(max_examples=80, deadline=None)
@given(partial_dims, partial_dims)
def test_broadcast_shortcuts_agree_with_the_dimension_rule(a, b):
    # broadcast_shapes answers identical shapes, scalars and unknown ranks without the
    # dimension loop; every answer must still be the rule's.
    for x, y in [(a, b), (a, a), (a, []), ([], a)]:
        try:
            expected = _broadcast_dim_by_dim(x, y)
        except ValueError:
            with pytest.raises(ValueError, match="cannot be broadcast"):
                broadcast_shapes(TensorShape(x), TensorShape(y))
            continue
        result = broadcast_shapes(TensorShape(x), TensorShape(y))
        assert result == TensorShape(expected)
        assert hash(result) == hash(TensorShape(expected))
        assert result.as_tuple() == (None if expected is None else tuple(expected))


def test_broadcast_all():
    assert broadcast_all([]) == TensorShape([])
    only = TensorShape([None, 3])
    assert broadcast_all([only]) is only
    assert broadcast_all(iter([TensorShape([2, 1]), TensorShape([3]), TensorShape([])])) \
        == TensorShape([2, 3])
    assert broadcast_all([TensorShape([2]), TensorShape(None)]).ndims is None
    with pytest.raises(ValueError, match=r"shapes \(2,\) and \(3,\) cannot be broadcast"):
        broadcast_all([TensorShape([2]), TensorShape([2]), TensorShape([3])])


@settings(max_examples=60, deadline=None)
@given(partial_dims, partial_dims)
def test_merge_agrees_with_compatibility(a, b):
    sa, sb = TensorShape(a), TensorShape(b)
    if not sa.is_compatible_with(sb):
        with pytest.raises(ValueError, match="not compatible"):
            sa.merge_with(sb)
        return
    merged = sa.merge_with(sb)
    assert merged.is_compatible_with(sa) and merged.is_compatible_with(sb)
    if a is not None and b is not None:
        assert merged.as_list() == [x if x is not None else y for x, y in zip(a, b)]
    assert merged == sb.merge_with(sa)


def test_tf1_dimensions():
    # As TF1 (TensorFlow 2.21 compat.v1 with v2 behaviour disabled) answers them.
    x = tf.placeholder(tf.float32, [None, 3, 4])
    shape = x.get_shape()
    assert shape[1].value == 3 and int(x.shape[1]) == 3 and repr(shape[1]) == "Dimension(3)"
    assert isinstance(shape[2], tf.Dimension) and shape[0].value is None
    assert shape.as_list() == [None, 3, 4] and shape.ndims == 3
    assert [d.value for d in shape.dims] == [None, 3, 4] and [d.value for d in shape] == [None, 3, 4]
    assert tf.dimension_value(shape[1]) == 3 and tf.dimension_value(shape[0]) is None
    assert tf.dimension_value(5) == 5 and tf.dimension_at_index(shape, 2).value == 4
    assert shape[1] * 2 == 6 and np.zeros([shape[1], 2]).shape == (3, 2)
    assert tf.TensorShape([shape[0], shape[1]]).as_list() == [None, 3]
    assert tf.Dimension(3).merge_with(None) == 3 and tf.Dimension(None).value is None
    with pytest.raises(ValueError, match="not compatible"):
        tf.Dimension(3).merge_with(4)


def test_tf1_shape_algebra():
    a = tf.TensorShape([None, 3])
    assert a.merge_with([2, None]).as_list() == [2, 3]
    assert a.most_specific_compatible_shape([2, 4]).as_list() == [None, None]
    assert a.most_specific_compatible_shape([2, 3, 1]).ndims is None
    assert a.concatenate([5]).as_list() == [None, 3, 5]
    assert a.is_compatible_with([7, 3]) and not a.is_compatible_with([7, 4])
    assert tf.TensorShape([2, 3]).is_subtype_of(a) and not a.is_subtype_of([2, 3])
    assert repr(a) == "TensorShape([Dimension(None), Dimension(3)])" and str(a) == "(?, 3)"
