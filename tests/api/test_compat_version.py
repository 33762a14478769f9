"""tf.compat, tf.version and the version constants, tf.sysconfig, tf.resource_loader,
tf.config: honest answers for a pure-Python, CPU-only engine."""
import os
import pathlib

import numpy as np
import pytest

import staticgraph as tf


def test_string_helpers():
    assert tf.compat.as_bytes("é") == "é".encode() and tf.compat.as_bytes(bytearray(b"a")) == b"a"
    assert tf.compat.as_text(b"abc") == "abc" and tf.compat.as_str("x") == "x"
    assert tf.compat.as_str_any(5) == "5" and tf.compat.as_str_any(b"b") == "b"
    assert tf.compat.path_to_str(pathlib.Path("a/b")) == os.path.join("a", "b")
    assert tf.compat.path_to_str(3) == 3
    with pytest.raises(TypeError, match="Expected binary or unicode string"):
        tf.compat.as_bytes(3)
    with pytest.raises(TypeError):
        tf.compat.as_text(3)


def test_type_tuples():
    assert isinstance(np.int8(1), tf.compat.integral_types)
    assert isinstance(2.5, tf.compat.real_types) and not isinstance(1j, tf.compat.real_types)
    assert isinstance(1j, tf.compat.complex_types)
    assert isinstance(b"", tf.compat.bytes_or_text_types)


def test_forward_compatibility_horizon():
    assert tf.compat.forward_compatible(2019, 1, 1)
    assert not tf.compat.forward_compatible(2030, 1, 1)
    with tf.compat.forward_compatibility_horizon(2031, 1, 1):
        assert tf.compat.forward_compatible(2030, 1, 1)
    assert not tf.compat.forward_compatible(2030, 1, 1)


def test_v1_and_v2_are_the_package_and_dimension_helpers():
    assert tf.compat.v1 is tf and tf.compat.v2 is tf
    assert tf.compat.dimension_value(tf.TensorShape([3, None])[0]) == 3
    assert tf.compat.dimension_value(tf.TensorShape([3, None])[1]) is None


def test_version_constants():
    assert tf.VERSION.startswith("1.15.") and tf.VERSION.endswith(tf.__version__)
    assert tf.version.VERSION == tf.VERSION and tf.version.GIT_VERSION == tf.GIT_VERSION
    assert tf.CXX11_ABI_FLAG == 0 and tf.MONOLITHIC_BUILD == 0 and tf.CXX_VERSION == 0
    graph_def = tf.Graph().as_graph_def()
    assert graph_def.versions.producer == tf.GRAPH_DEF_VERSION
    assert tf.GRAPH_DEF_VERSION_MIN_CONSUMER == 0 == tf.GRAPH_DEF_VERSION_MIN_PRODUCER
    assert isinstance(tf.COMPILER_VERSION, str)


def test_sysconfig_points_at_the_package_and_has_no_flags():
    package = os.path.dirname(tf.__file__)
    assert os.path.samefile(tf.sysconfig.get_include(), package)
    assert os.path.samefile(tf.sysconfig.get_lib(), package)
    assert tf.sysconfig.get_compile_flags() == [] and tf.sysconfig.get_link_flags() == []
    assert tf.sysconfig.get_build_info()["is_cuda_build"] is False


def test_resource_loader_paths_are_relative_to_the_caller():
    here = os.path.dirname(os.path.abspath(__file__))
    assert os.path.samefile(tf.resource_loader.get_data_files_path(), here)
    assert os.path.samefile(tf.resource_loader.get_root_dir_with_all_resources(), here)
    assert tf.resource_loader.get_path_to_datafile("x.txt") == os.path.join(
        tf.resource_loader.get_data_files_path(), "x.txt")
    assert tf.resource_loader.readahead_file_path("/a/b") == "/a/b"
    assert tf.resource_loader.load_resource("tf1_names.json").startswith(b"{")
    with pytest.raises(OSError):
        tf.resource_loader.load_resource("no_such_file")


def test_config_lists_the_cpu_only():
    (cpu,) = tf.config.list_physical_devices()
    assert cpu.name == "/physical_device:CPU:0" and cpu.device_type == "CPU"
    assert tf.config.list_physical_devices("GPU") == []
    assert tf.config.list_logical_devices("CPU")[0].name == "/device:CPU:0"
    tf.config.set_visible_devices([cpu])
    tf.config.set_visible_devices([], "GPU")
    with pytest.raises(ValueError, match="cannot be hidden"):
        tf.config.set_visible_devices([])
    with pytest.raises(ValueError, match="Unrecognized device"):
        tf.config.set_visible_devices(["/gpu:0"])


def test_config_settings_are_recorded():
    before = tf.config.threading.get_inter_op_parallelism_threads()
    try:
        tf.config.threading.set_inter_op_parallelism_threads(2)
        assert tf.config.threading.get_inter_op_parallelism_threads() == 2
        with pytest.raises(ValueError, match=">= 0"):
            tf.config.threading.set_intra_op_parallelism_threads(-1)
    finally:
        tf.config.threading.set_inter_op_parallelism_threads(before)
    tf.config.set_soft_device_placement(False)
    assert tf.config.get_soft_device_placement() is False
    tf.config.set_soft_device_placement(True)
