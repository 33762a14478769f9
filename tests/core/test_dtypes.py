import numpy as np
import pytest

import staticgraph as tf


@pytest.mark.parametrize("dt, np_type", [
    (tf.float16, np.float16), (tf.float32, np.float32), (tf.float64, np.float64),
    (tf.int32, np.int32), (tf.int64, np.int64), (tf.bool, np.bool_),
])
def test_dtype_interoperates_with_numpy(dt, np_type):
    assert dt == np_type
    assert dt == np.dtype(np_type)
    assert np.zeros(2, dtype=dt).dtype == np_type
    assert tf.as_dtype(np_type) is dt
    assert tf.as_dtype(dt.name) is dt
    assert dt.as_numpy_dtype is np_type


def test_dtype_properties():
    assert tf.float32.is_floating and not tf.float32.is_integer
    assert tf.int32.is_integer and not tf.int32.is_differentiable
    assert tf.bool.is_bool
    assert tf.float64.is_differentiable
    assert tf.float32.name == "float32"
    assert tf.float32 != tf.float64
    assert hash(tf.float32) == hash(tf.as_dtype("float32"))
    assert tf.int32.max == 2**31 - 1


def test_python_types_map_like_tf1():
    assert tf.as_dtype(float) is tf.float32
    assert tf.as_dtype(int) is tf.int32
    assert tf.as_dtype(bool) is tf.bool


def test_tf_type_names_map_like_tf1():
    # TF names DT_FLOAT "float" (NumPy reads "float" as float64)
    assert tf.as_dtype("float") == tf.float32
    assert tf.as_dtype("double") == tf.float64
    assert tf.as_dtype("half") == tf.float16
    assert tf.placeholder("float", [2]).dtype == tf.float32


def test_unknown_dtype_is_a_type_error():
    with pytest.raises(TypeError, match="dtype"):
        tf.as_dtype("not-a-type")
    with pytest.raises(TypeError):
        tf.as_dtype(np.dtype("U3"))
