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
    # TensorFlow 2.21's compat.v1 as_dtype: float is float32, int names no type.
    assert tf.as_dtype(float) is tf.float32
    assert tf.as_dtype(bool) is tf.bool
    assert tf.as_dtype(object) is tf.string
    for refused in (int, complex, str):
        with pytest.raises(TypeError, match="tf.int32"):
            tf.as_dtype(refused)


@pytest.mark.parametrize("name, expected", [
    ("float", "float32"), ("double", "float64"), ("half", "float16"), ("float32", "float32"),
    ("float16", "float16"), ("float64", "float64"), ("int8", "int8"), ("int16", "int16"),
    ("int32", "int32"), ("int64", "int64"), ("uint8", "uint8"), ("uint16", "uint16"),
    ("uint32", "uint32"), ("uint64", "uint64"), ("bool", "bool"), ("string", "string"),
    ("complex64", "complex64"), ("complex128", "complex128"),
])
def test_tf_type_names(name, expected):
    # Each pair as TensorFlow 2.21's tf.compat.v1.as_dtype maps it.
    assert tf.as_dtype(name).name == expected
    assert tf.as_dtype(name) == name


def test_numpy_spellings_that_tf_refuses():
    for name in ("int", "complex", "long", "f4"):
        with pytest.raises(TypeError, match=repr(name)):
            tf.as_dtype(name)
    with pytest.raises(TypeError, match="bfloat16.*not support"):
        tf.as_dtype("bfloat16")


def test_numpy_types_and_strings():
    assert tf.as_dtype(np.float32) is tf.float32
    assert tf.as_dtype(np.dtype("float64")) is tf.float64
    for text_type in (np.str_, np.bytes_, np.object_):
        assert tf.as_dtype(text_type) is tf.string
    assert tf.string.as_numpy_dtype is object and tf.string.size == 1
    assert str(tf.string) == "<dtype: 'string'>"


def test_float_placeholder_and_cast_are_float32():
    x = tf.placeholder("float", [None, 3])
    assert x.dtype is tf.float32
    assert tf.cast(tf.constant([1, 2]), "float").dtype is tf.float32
    w = tf.Variable(np.ones((3, 2), np.float32))
    assert tf.matmul(x, w).dtype is tf.float32


def test_dtype_extras_as_tf():
    # Values from TensorFlow 2.21 (DataType enum, size, real_dtype, unsigned).
    assert tf.float32.as_datatype_enum == 1 and tf.string.as_datatype_enum == 7
    assert tf.float32.size == 4 and tf.int64.size == 8
    assert tf.complex64.real_dtype is tf.float32 and tf.int32.real_dtype is tf.int32
    assert tf.uint8.is_unsigned and not tf.int8.is_unsigned
    assert tf.float32.limits == (np.finfo(np.float32).min, np.finfo(np.float32).max)
    assert tf.float32.is_compatible_with("float") and not tf.bool.is_numeric


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
        tf.as_dtype(np.dtype("datetime64[s]"))
