"""Checkpoints TensorFlow 2.21 wrote (tests/fixtures/tf, made by tools/make_tf_fixtures.py)
restore here; what TensorFlow saw of staticgraph's checkpoints is recorded beside them."""
import json
import pathlib
import shutil

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.io.protos import BundleEntryProto
from staticgraph.io.table import build_table, read_table

FIXTURES = pathlib.Path(__file__).parent.parent / "fixtures" / "tf"
EXPECTED = json.loads((FIXTURES / "mlp_expected.json").read_text())


@pytest.fixture
def ckpt_dir(tmp_path):
    folder = tmp_path / "mlp_ckpt"
    shutil.copytree(FIXTURES / "mlp_ckpt", folder)
    return folder


def _mlp():
    """The fixture's MLP, built with staticgraph's ops and TF's variable names."""
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    names = {}
    h = x
    for scope, (n_in, n_out) in (("hidden", (4, 8)), ("logits", (8, 3))):
        with tf.variable_scope(scope):
            kernel = tf.get_variable("kernel", [n_in, n_out])
            bias = tf.get_variable("bias", [n_out])
        names[f"{scope}/kernel"], names[f"{scope}/bias"] = kernel, bias
        h = tf.nn.bias_add(tf.matmul(h, kernel), bias)
        if scope == "hidden":
            h = tf.nn.relu(h)
    return x, tf.nn.softmax(h), names


def test_list_variables_of_a_tf_checkpoint(ckpt_dir):
    listed = dict(tf.train.list_variables(str(ckpt_dir)))
    assert listed == {k: v["shape"] for k, v in EXPECTED["variables"].items()}
    reader = tf.train.load_checkpoint(str(ckpt_dir))
    for name, info in EXPECTED["variables"].items():
        value = reader.get_tensor(name)
        assert str(value.dtype) == info["dtype"]
        assert float(np.sum(value)) == pytest.approx(info["sum"], rel=1e-6)


def test_tf_checkpoint_restores_into_the_same_model_with_tfs_outputs(ckpt_dir):
    x, probs, variables = _mlp()
    saver = tf.train.Saver(variables)  # partial restore: no Adam slots, no global step
    with tf.Session() as sess:
        saver.restore(sess, tf.train.latest_checkpoint(str(ckpt_dir)))
        got = sess.run(probs, {x: np.load(FIXTURES / "mlp_input.npy")})
    np.testing.assert_allclose(got, np.load(FIXTURES / "mlp_output.npy"), rtol=1e-5,
                               atol=1e-6)


def test_rewriting_tfs_index_gives_tfs_bytes(ckpt_dir):
    index = (ckpt_dir / (EXPECTED["prefix"] + ".index")).read_bytes()
    assert build_table(read_table(index, "fixture")) == index


def test_a_corrupt_tf_checkpoint_changes_no_variable(ckpt_dir):
    x, probs, variables = _mlp()
    data_file = ckpt_dir / (EXPECTED["prefix"] + ".data-00000-of-00001")
    entries = dict(read_table((ckpt_dir / (EXPECTED["prefix"] + ".index")).read_bytes(), "x"))
    kernel = BundleEntryProto.FromString(entries[b"logits/kernel"])
    data = bytearray(data_file.read_bytes())
    data[kernel.offset + kernel.size - 1] ^= 0x01
    data_file.write_bytes(bytes(data))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(list(variables.values()))
        with pytest.raises(tf.errors.DataLossError,
                           match=r"logits/kernel in .*data-00000-of-00001"):
            tf.train.Saver(variables).restore(sess, str(ckpt_dir / EXPECTED["prefix"]))
        for old, new in zip(before, sess.run(list(variables.values()))):
            np.testing.assert_array_equal(old, new)


def test_tensorflow_restored_staticgraphs_checkpoint():
    """Recorded by tools/make_tf_fixtures.py with TensorFlow 2.21."""
    seen = json.loads((FIXTURES / "staticgraph_in_tf.json").read_text())["checkpoint"]
    assert seen["latest_checkpoint"] == seen["prefix_written"] == "sg.ckpt-7"
    assert seen["restored_global_step"] == 7
    assert seen["restored_outputs_max_abs_diff"] < 1e-6
    assert sorted(seen["variables_seen_by_load_checkpoint"]) == [
        "global_step", "hidden/bias", "hidden/kernel", "logits/bias", "logits/kernel"]
