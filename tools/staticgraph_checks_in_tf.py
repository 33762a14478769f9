"""Files written by staticgraph, loaded in TensorFlow: what TF sees (for make_tf_fixtures.py).

Each check writes a file with staticgraph into a scratch folder, loads it with TensorFlow
1's API and records what TensorFlow reported, so that the committed JSON shows which
directions work.
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

import staticgraph as sg


def _sg_mlp(seed: int = 0) -> tuple[Any, Any, np.ndarray]:
    rng = np.random.RandomState(seed)
    x = sg.placeholder(sg.float32, [None, 4], name="x")
    w1 = sg.Variable(rng.randn(4, 8).astype(np.float32), name="hidden/kernel")
    b1 = sg.Variable(rng.randn(8).astype(np.float32), name="hidden/bias")
    w2 = sg.Variable(rng.randn(8, 3).astype(np.float32), name="logits/kernel")
    b2 = sg.Variable(rng.randn(3).astype(np.float32), name="logits/bias")
    h = sg.nn.relu(sg.nn.bias_add(sg.matmul(x, w1), b1))
    probs = sg.nn.softmax(sg.matmul(h, w2) + b2, name="probs")
    return x, probs, rng.randn(5, 4).astype(np.float32)


def check_checkpoint(tf1: Any, folder: str) -> dict:
    """A staticgraph checkpoint read by ``tf.train.load_checkpoint`` and restored by TF1's
    ``Saver`` into the same model built with TensorFlow."""
    with sg.Graph().as_default():
        x, probs, x_val = _sg_mlp()
        step = sg.train.get_or_create_global_step()
        with sg.Session() as sess:
            sess.run(sg.global_variables_initializer())
            sess.run(sg.assign(step, 7))
            prefix = sg.train.Saver().save(sess, os.path.join(folder, "sg.ckpt"),
                                           global_step=step, write_meta_graph=False)
            expected = sess.run(probs, {x: x_val})
    reader = tf1.train.load_checkpoint(folder)
    shapes = reader.get_variable_to_shape_map()
    with tf1.Graph().as_default():
        tx = tf1.placeholder(tf1.float32, [None, 4], name="x")
        h = tf1.nn.relu(tf1.nn.bias_add(tf1.matmul(tx, tf1.get_variable(
            "hidden/kernel", [4, 8])), tf1.get_variable("hidden/bias", [8])))
        out = tf1.nn.softmax(tf1.matmul(h, tf1.get_variable("logits/kernel", [8, 3]))
                             + tf1.get_variable("logits/bias", [3]))
        tf1.train.get_or_create_global_step()
        with tf1.Session() as sess:
            tf1.train.Saver().restore(sess, tf1.train.latest_checkpoint(folder))
            got = sess.run(out, {tx: x_val})
            step_value = int(sess.run(tf1.train.get_global_step()))
    return {"latest_checkpoint": os.path.basename(tf1.train.latest_checkpoint(folder)),
            "prefix_written": os.path.basename(prefix),
            "variables_seen_by_load_checkpoint": {k: list(v) for k, v in sorted(shapes.items())},
            "restored_global_step": step_value,
            "restored_outputs_max_abs_diff": float(np.max(np.abs(got - expected)))}


def check_staticgraph_files(tf1: Any, folder: str) -> dict:
    """Every check, each in its own subfolder of ``folder``."""
    report = {}
    for name, check in [("checkpoint", check_checkpoint)]:
        sub = os.path.join(folder, name)
        os.makedirs(sub)
        try:
            report[name] = check(tf1, sub)
        except Exception as err:  # recorded, so the JSON shows what failed
            report[name] = {"error": f"{type(err).__name__}: {str(err)[:500]}"}
    return report
