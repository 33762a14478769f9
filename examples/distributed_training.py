"""The digits MLP trained data-parallel on a Dask LocalCluster, step for step equal to one
process.

Each step splits the 1,437 training digits (scikit-learn's 8×8 ``load_digits``, 80%) into
two partitions that stay on two single-threaded worker processes; the workers compute
their partitions' gradients and the driver combines them (a size-weighted mean, since the
loss is a mean) and applies Adam once. A second, ordinary session trains the same graph
on the whole batch in this process: both loss curves are printed and plotted.

Run: python examples/distributed_training.py [--quick] [--output-dir DIR]
"""
from __future__ import annotations

import dask.array as da
import numpy as np
from distributed import Client, LocalCluster
from sklearn.datasets import load_digits
from tqdm import tqdm

import staticgraph as tf
from example_utils import new_figure, parse_args, save_figure


def build_model() -> dict:
    """Placeholders (batch size unknown), the mean cross-entropy, Adam and accuracy."""
    tf.set_random_seed(0)
    x = tf.placeholder(tf.float64, [None, 64], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    hidden = tf.layers.dense(x, 64, activation=tf.nn.relu, name="hidden")
    logits = tf.layers.dense(hidden, 10, name="logits")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y,
                                                                         logits=logits))
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    return {"x": x, "y": y, "logits": logits, "loss": loss, "train": train,
            "init": tf.global_variables_initializer()}


def main() -> None:
    args = parse_args(__doc__.split("\n\n")[0])
    steps = 5 if args.quick else 100
    digits = load_digits()
    X = digits.data / 16.0
    Y = digits.target.astype(np.int64)
    order = np.random.default_rng(0).permutation(len(X))
    train_rows, test_rows = order[:1437], order[1437:]
    model = build_model()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        half = (len(train_rows) + 1) // 2
        Xd, Yd = client.persist([da.from_array(X[train_rows], chunks=(half, 64)),
                                 da.from_array(Y[train_rows], chunks=(half,))])
        remote, local = tf.Session(target=client), tf.Session()
        remote.run(model["init"])
        local.run(model["init"])
        curves: dict[str, list[float]] = {"2 workers": [], "1 process": []}
        for _ in tqdm(range(steps)):
            loss, _ = remote.run([model["loss"], model["train"]],
                                 {model["x"]: Xd, model["y"]: Yd})
            curves["2 workers"].append(float(loss))
            loss, _ = local.run([model["loss"], model["train"]],
                                {model["x"]: X[train_rows], model["y"]: Y[train_rows]})
            curves["1 process"].append(float(loss))
        # Batch inference: a Dask array, one task per partition, computed here.
        logits = remote.run(model["logits"], {model["x"]: da.from_array(X[test_rows],
                                                                        chunks=(180, 64))})
        accuracy = float(np.mean(np.argmax(logits.compute(), 1) == Y[test_rows]))
    gap = max(abs(a - b) / abs(b) for a, b in zip(*curves.values()))
    print(f"final loss on 2 workers: {curves['2 workers'][-1]:.6f}, in one process: "
          f"{curves['1 process'][-1]:.6f}; largest relative gap over {steps} steps: "
          f"{gap:.2e}")
    print(f"test accuracy (inference on the cluster): {accuracy:.4f}")
    fig, ax = new_figure()
    for label, values in curves.items():
        ax.plot(values, label=label, linestyle="--" if label == "1 process" else "-")
    ax.set_xlabel("step")
    ax.set_ylabel("training loss")
    ax.legend()
    save_figure(fig, args.output_dir, "distributed_loss.png")


if __name__ == "__main__":
    main()
