"""TF1's public names: the coverage document is current, missing names say so, and the
namespaces list only public names."""
import importlib.util
import pathlib

import pytest

import staticgraph as tf
from staticgraph import _tf1_api

ROOT = pathlib.Path(__file__).resolve().parents[1]


def load_coverage_tool():
    spec = importlib.util.spec_from_file_location("tf1_coverage", ROOT / "tools" / "tf1_coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_coverage_document_is_current():
    text = load_coverage_tool().render(tf)
    assert (ROOT / "docs" / "tf1_coverage.md").read_text() == text, (
        "docs/tf1_coverage.md is out of date: run python tools/tf1_coverage.py")


def test_excluded_categories():
    tool = load_coverage_tool()
    assert tool.excluded_category("tf.test", "is_gpu_available") == "GPUs"
    assert tool.excluded_category("tf", "enable_eager_execution") == "eager execution"
    assert tool.excluded_category("tf.strings", "unicode_split") == "ragged strings"
    assert tool.excluded_category("tf.strings", "regex_replace") is None
    assert tool.excluded_category("tf", "as_string") is None
    assert tool.excluded_category("tf.nn", "relu") is None


@pytest.mark.parametrize("path", ["tf.SparseConditionalAccumulator", "tf.nn.ctc_loss",
                                  "tf.image.decode_jpeg", "tf.math.special",
                                  "tf.train.sdca_optimizer"])
def test_missing_tf1_name_says_so(path):
    parts = path.split(".")
    module = tf
    for part in parts[1:-1]:
        module = getattr(module, part)
    with pytest.raises(AttributeError, match=(
            rf"^{path.replace('.', '[.]')} is part of TensorFlow 1's API but not "
            r"implemented in staticgraph; see docs/tf1_coverage.md$")):
        getattr(module, parts[-1])
    assert not hasattr(module, parts[-1])


def test_unknown_name_gets_the_usual_message():
    with pytest.raises(AttributeError, match="^module 'staticgraph' has no attribute 'fooo'$"):
        tf.fooo  # noqa: B018
    with pytest.raises(AttributeError, match="^module 'staticgraph.nn' has no attribute 'fooo'$"):
        tf.nn.fooo  # noqa: B018


def namespaces():
    return [ns for ns in sorted(_tf1_api.tf1_names())
            if _tf1_api.namespace_module(tf, ns) is not None]


@pytest.mark.parametrize("namespace", namespaces())
def test_namespaces_hold_only_public_names(namespace):
    module = _tf1_api.namespace_module(tf, namespace)
    allowed = _tf1_api.tf1_names()[namespace] | set(_tf1_api.EXTENSIONS.get(namespace, {}))
    stray = [name for name in dir(module) if name not in allowed]
    assert not stray, f"{namespace} lists names TF1 does not have: {stray}"


def test_stray_names_are_gone_but_the_code_behind_them_works():
    assert "annotations" not in dir(tf.linalg) and "Any" not in dir(tf.errors)
    assert "adam" not in dir(tf.train) and "protos" not in dir(tf.io)
    assert "nn" in dir(tf) and "train" in dir(tf)
    import staticgraph.train.adam as adam_module
    assert adam_module.AdamOptimizer is tf.train.AdamOptimizer


def test_extensions_exist():
    for namespace, names in _tf1_api.EXTENSIONS.items():
        module = _tf1_api.namespace_module(tf, namespace)
        for name in names:
            assert name in vars(module), f"{namespace}.{name}"


def test_v2_behaviour_switches_are_accepted_and_change_nothing():
    """``import tensorflow.compat.v1 as tf; tf.disable_v2_behavior()`` opens most scripts
    written for TF 1.15/2.x; with the import changed they must still run."""
    import numpy as np
    import staticgraph as tf

    for switch in (tf.disable_v2_behavior, tf.disable_eager_execution,
                   tf.disable_resource_variables, tf.disable_v2_tensorshape,
                   tf.disable_control_flow_v2, tf.disable_tensor_equality):
        assert switch() is None
    assert tf.executing_eagerly() is False
    x = tf.placeholder(tf.float32, [None, 2])
    assert isinstance(x.shape[1], tf.Dimension) and x.shape[1].value == 2
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(x * 2, {x: np.ones((1, 2))}), [[2, 2]])
