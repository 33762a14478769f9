"""Skip-gram word2vec with the NCE loss on the docstrings of Python's standard library.

The corpus ships with Python: ``inspect.getdoc`` of the public functions and classes of a
few dozen stdlib modules, lower-cased and split into words. Words are numbered by
decreasing frequency (rare ones share the id of "UNK"), so the log-uniform sampler that
``tf.nn.nce_loss`` uses by default draws frequent words as negatives. Each (center,
context) pair within a small window is one training example; plain SGD minimizes the mean
NCE loss. At the end, the nearest neighbours of a few words by cosine similarity are
printed, and the embeddings of the most frequent words are drawn in 2-D by PCA.
Run: python examples/word2vec.py [--quick] [--output-dir DIR]
"""
from __future__ import annotations

import collections
import importlib
import inspect
import re

import numpy as np
from tqdm import tqdm

import staticgraph as tf
from example_utils import new_figure, parse_args, plot_curve, save_figure

MODULES = ["builtins", "os", "os.path", "sys", "collections", "itertools", "functools",
           "re", "string", "json", "math", "random", "statistics", "textwrap", "inspect",
           "pathlib", "shutil", "subprocess", "threading", "socket", "datetime", "time",
           "argparse", "logging", "unittest", "io", "csv", "zipfile", "tarfile", "email",
           "http.client", "urllib.request", "decimal", "fractions", "heapq", "bisect",
           "array", "struct", "codecs", "locale", "tempfile", "glob", "fnmatch", "pickle",
           "copy", "pprint", "enum", "typing", "dataclasses", "contextlib", "abc", "ast",
           "dis", "tokenize", "difflib", "calendar", "sqlite3", "configparser", "hashlib"]
PROBES = ["return", "file", "list", "string", "true", "number", "directory", "thread"]


def corpus() -> list[str]:
    """The lower-cased words of the docstrings of the modules' public members."""
    docs = []
    for module_name in MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # a module left out of this Python build
            continue
        docs.append(inspect.getdoc(module) or "")
        for name, member in sorted(vars(module).items()):
            if name.startswith("_") or not (inspect.isroutine(member) or
                                            inspect.isclass(member)):
                continue
            docs.append(inspect.getdoc(member) or "")
            if inspect.isclass(member):  # and its own methods'
                docs.extend(inspect.getdoc(method) or "" for key, method in
                            sorted(vars(member).items())
                            if not key.startswith("_") and inspect.isroutine(method))
    return re.findall(r"[a-z]+", "\n".join(docs).lower())


def build_vocabulary(words: list[str], size: int) -> tuple[np.ndarray, list[str]]:
    """(the corpus as ids, the words by id): id 0 is "UNK", then by decreasing count."""
    vocab = ["UNK"] + [w for w, _ in collections.Counter(words).most_common(size - 1)]
    index = {w: i for i, w in enumerate(vocab)}
    return np.array([index.get(w, 0) for w in words], np.int64), vocab


def skipgram_batch(data: np.ndarray, rng: np.random.RandomState, batch: int,
                   window: int) -> tuple[np.ndarray, np.ndarray]:
    """``batch`` (center, context) pairs: random centers, a random offset in the window."""
    centers = rng.randint(window, len(data) - window, size=batch)
    offsets = rng.randint(1, window + 1, size=batch) * rng.choice([-1, 1], size=batch)
    return data[centers].astype(np.int32), data[centers + offsets][:, None]


class SkipGram:
    """Embeddings, the NCE loss and an SGD step; cosine similarities to probe words."""

    def __init__(self, vocab: int, dim: int, num_sampled: int, probes: list[int]) -> None:
        self.inputs = tf.placeholder(tf.int32, [None], name="inputs")
        self.labels = tf.placeholder(tf.int64, [None, 1], name="labels")
        self.embeddings = tf.Variable(tf.random_uniform([vocab, dim], -1.0, 1.0),
                                      name="embeddings")
        embed = tf.nn.embedding_lookup(self.embeddings, self.inputs)
        nce_weights = tf.Variable(tf.truncated_normal([vocab, dim], stddev=dim ** -0.5),
                                  name="nce_weights")
        nce_biases = tf.Variable(tf.zeros([vocab]), name="nce_biases")
        self.loss = tf.reduce_mean(tf.nn.nce_loss(weights=nce_weights, biases=nce_biases,
                                                  labels=self.labels, inputs=embed,
                                                  num_sampled=num_sampled,
                                                  num_classes=vocab))
        self.train = tf.train.GradientDescentOptimizer(1.0).minimize(self.loss)
        norm = tf.sqrt(tf.reduce_sum(tf.square(self.embeddings), 1, keepdims=True))
        self.normalized = self.embeddings / norm
        probe_vectors = tf.nn.embedding_lookup(self.normalized, tf.constant(probes))
        self.similarity = tf.matmul(probe_vectors, self.normalized, transpose_b=True)


def pca_2d(vectors: np.ndarray) -> np.ndarray:
    """The projection of ``vectors`` on their first two principal axes."""
    centered = vectors - vectors.mean(axis=0)
    _, _, axes = np.linalg.svd(centered, full_matrices=False)
    return centered @ axes[:2].T


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    words = corpus()
    vocab_size, dim, batch, steps = (500, 16, 64, 300) if args.quick else (2000, 64, 128,
                                                                          20000)
    data, vocab = build_vocabulary(words, vocab_size)
    print(f"{len(words)} words, {len(set(words))} distinct; vocabulary {len(vocab)}")
    probes = [vocab.index(w) for w in PROBES if w in vocab]
    tf.set_random_seed(0)
    model = SkipGram(len(vocab), dim, num_sampled=16 if args.quick else 64, probes=probes)
    rng = np.random.RandomState(0)
    losses, average = [], []
    report = max(steps // 20, 1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        step_fn = sess.make_callable([model.loss, model.train],
                                     feed_list=[model.inputs, model.labels])
        for t in tqdm(range(steps), desc="training", unit="step"):
            loss_value, _ = step_fn(*skipgram_batch(data, rng, batch, window=2))
            average.append(float(loss_value))
            if len(average) == report or t == steps - 1:
                losses.append(float(np.mean(average)))
                average = []
                tqdm.write(f"step {t + 1:6d}  average loss {losses[-1]:.4f}")
        similarity, embeddings = sess.run([model.similarity, model.normalized])
    print(f"final loss: {losses[-1]:.4f} (initial {losses[0]:.4f})")
    for row, probe in zip(similarity, probes):
        nearest = [vocab[i] for i in np.argsort(-row) if i != probe][:6]
        print(f"nearest to {vocab[probe]}: {', '.join(nearest)}")

    fig, (curve, scatter) = new_figure(2)
    plot_curve(curve, losses, "skip-gram NCE loss", "mean NCE loss",
               xlabel=f"x{report} steps")
    shown = min(120, len(vocab) - 1)
    points = pca_2d(embeddings[1:shown + 1])
    scatter.scatter(points[:, 0], points[:, 1], s=6)
    for (x, y), word in zip(points, vocab[1:shown + 1]):
        scatter.annotate(word, (x, y), fontsize=6)
    scatter.set_title(f"the {shown} most frequent words (PCA)")
    save_figure(fig, args.output_dir, "word2vec.png")


if __name__ == "__main__":
    main()
