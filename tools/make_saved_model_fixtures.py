"""Writes tests/io/fixtures/saved_model/: SavedModels in both directions with TensorFlow.

Run with a Python that has ``tensorflow-cpu`` 2.21 and staticgraph's dependencies, from
the repository root (the tests only read the files written here):

    /work/tfenv/bin/python tools/make_saved_model_fixtures.py

- ``tf_mlp/``: a SavedModel TensorFlow 1's ``simple_save`` wrote (reference variables, an
  asset file, a legacy init op setting a local variable), with ``tf_mlp_expected.json``:
  TF's outputs for a fixed input after loading it back, and what the init op set;
- ``staticgraph_in_tf.json``: what TensorFlow's ``loader.load`` saw when loading
  SavedModels staticgraph wrote (binary and text), compared with staticgraph's outputs.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "io", "fixtures", "saved_model")
sys.path.insert(0, ROOT)

import tensorflow.compat.v1 as tf1  # noqa: E402
from tensorflow.python.saved_model import loader_impl  # noqa: E402

import staticgraph as sg  # noqa: E402

VOCAB = b"alpha\nbeta\ngamma\n"


def _weights(seed: int) -> dict:
    rng = np.random.RandomState(seed)
    return {"hidden/kernel": rng.randn(4, 8).astype(np.float32),
            "hidden/bias": rng.randn(8).astype(np.float32),
            "logits/kernel": rng.randn(8, 3).astype(np.float32),
            "logits/bias": rng.randn(3).astype(np.float32)}


def _mlp(lib, weights: dict):
    """The same MLP in TensorFlow or staticgraph (``lib``): x -> relu -> softmax, an asset
    path constant, and an init op that sets a local variable to 7."""
    x = lib.placeholder(lib.float32, [None, 4], name="x")
    h = x
    for scope in ("hidden", "logits"):
        with lib.variable_scope(scope):
            kernel = lib.get_variable("kernel", initializer=weights[f"{scope}/kernel"])
            bias = lib.get_variable("bias", initializer=weights[f"{scope}/bias"])
        h = lib.nn.bias_add(lib.matmul(h, kernel), bias)
        if scope == "hidden":
            h = lib.nn.relu(h)
    probs = lib.nn.softmax(h, name="probs")
    counter = lib.Variable(0, name="counter", collections=[lib.GraphKeys.LOCAL_VARIABLES])
    init_op = lib.group(lib.assign(counter, 7), name="legacy_init")
    return x, probs, counter, init_op


def _asset(lib, folder: str):
    path = os.path.join(folder, "vocab.txt")
    with open(path, "wb") as f:
        f.write(VOCAB)
    asset = lib.constant(path, name="vocab_path")
    lib.add_to_collection(lib.GraphKeys.ASSET_FILEPATHS, asset)
    return asset


def write_tf_saved_model(scratch: str, x_val: np.ndarray) -> None:
    """TF's SavedModel of the MLP, and TF's own outputs after loading it back."""
    export = os.path.join(OUT, "tf_mlp")
    shutil.rmtree(export, ignore_errors=True)
    with tf1.Graph().as_default():
        x, probs, _, init_op = _mlp(tf1, _weights(0))
        _asset(tf1, scratch)
        with tf1.Session() as sess:
            sess.run(tf1.global_variables_initializer())
            tf1.saved_model.simple_save(sess, export, {"x": x}, {"probs": probs},
                                        legacy_init_op=init_op)
    with tf1.Graph().as_default() as graph:
        with tf1.Session() as sess:
            meta = tf1.saved_model.loader.load(sess, ["serve"], export)
            sig = meta.signature_def["serving_default"]
            out = sess.run(sig.outputs["probs"].name, {sig.inputs["x"].name: x_val})
            counter = sess.run(graph.get_tensor_by_name("counter:0"))
            assets = loader_impl.get_asset_tensors(export, meta)
    expected = {"input": x_val.tolist(), "probs": out.tolist(), "counter": int(counter),
                "asset_tensors": {name: os.path.relpath(path.decode(), export)
                                  for name, path in assets.items()},
                "tensorflow": tf1.VERSION}
    with open(os.path.join(OUT, "tf_mlp_expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


def _staticgraph_export(folder: str, x_val: np.ndarray, as_text: bool) -> tuple:
    with sg.Graph().as_default() as graph:
        x, probs, _, init_op = _mlp(sg, _weights(1))
        asset = _asset(sg, folder)
        export = os.path.join(folder, "export")
        with sg.Session() as sess:
            sess.run(sg.global_variables_initializer())
            expected = sess.run(probs, {x: x_val})
            builder = sg.saved_model.Builder(export)
            builder.add_meta_graph_and_variables(
                sess, [sg.saved_model.SERVING],
                signature_def_map={"serving_default": sg.saved_model.predict_signature_def(
                    {"x": x}, {"probs": probs})},
                assets_collection=graph.get_collection(sg.GraphKeys.ASSET_FILEPATHS),
                main_op=init_op, clear_devices=True)
            builder.save(as_text=as_text)
    return export, expected, asset.name


def check_staticgraph_saved_model(folder: str, x_val: np.ndarray, as_text: bool) -> dict:
    """A SavedModel staticgraph wrote, loaded by TF1's ``loader.load``."""
    export, expected, asset_name = _staticgraph_export(folder, x_val, as_text)
    with tf1.Graph().as_default() as graph:
        with tf1.Session() as sess:
            meta = tf1.saved_model.loader.load(sess, ["serve"], export)
            sig = meta.signature_def["serving_default"]
            got = sess.run(sig.outputs["probs"].name, {sig.inputs["x"].name: x_val})
            counter = sess.run(graph.get_tensor_by_name("counter:0"))
            assets = loader_impl.get_asset_tensors(export, meta)
    return {"files": sorted(os.listdir(export)),
            "tags": list(meta.meta_info_def.tags),
            "signature_keys": sorted(meta.signature_def),
            "method_name": sig.method_name,
            "counter_after_main_op": int(counter),
            "asset_tensors": sorted(assets) == [asset_name],
            "max_abs_diff": float(np.max(np.abs(got - expected)))}


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    tf1.disable_v2_behavior()
    tf1.disable_resource_variables()
    x_val = np.random.RandomState(5).randn(5, 4).astype(np.float32)
    report = {}
    with tempfile.TemporaryDirectory() as scratch:
        write_tf_saved_model(scratch, x_val)
        for name, as_text in (("binary", False), ("text", True)):
            sub = os.path.join(scratch, name)
            os.makedirs(sub)
            try:
                report[name] = check_staticgraph_saved_model(sub, x_val, as_text)
            except Exception as err:  # recorded, so the JSON shows what failed
                report[name] = {"error": f"{type(err).__name__}: {str(err)[:500]}"}
    report["tensorflow"] = tf1.VERSION
    with open(os.path.join(OUT, "staticgraph_in_tf.json"), "w") as f:
        json.dump(report, f, indent=1)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
