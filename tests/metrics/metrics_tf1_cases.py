"""tf.metrics cases compared with TensorFlow 1's values: tools/make_metrics_fixtures.py
runs them in TensorFlow (tests/metrics/data/metrics_tf1.npz) and
tests/metrics/test_metrics_tf1.py in staticgraph. Each case streams several batches
(one of them empty) through the update op, with weights and edge cases (ties at the
thresholds, thresholds 0 and 1, zero normalizers, classes never seen)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

RNG = np.random.RandomState(7)
SIZES = (6, 0, 5, 4)  # the second batch is empty
THRESHOLDS = [0.0, 0.25, 0.5, 0.75, 1.0]


def _batches(make: Callable[[int], list]) -> list[list[np.ndarray]]:
    return [make(n) for n in SIZES]


def _scores(n: int) -> np.ndarray:
    """Scores in [0, 1], half of them exactly on a threshold (ties)."""
    exact = RNG.choice(THRESHOLDS, n)
    return np.where(RNG.rand(n) < 0.5, exact, RNG.rand(n)).astype(np.float32)


def _binary(n: int) -> list:
    return [RNG.rand(n) < 0.5, _scores(n), RNG.rand(n).astype(np.float32)]


def _unit_rows(n: int) -> np.ndarray:
    rows = RNG.randn(n, 3)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _relative(n: int) -> list:
    normalizer = np.where(RNG.rand(n) < 0.3, 0.0, RNG.rand(n) + 0.5).astype(np.float32)
    return [RNG.randn(n).astype(np.float32), RNG.randn(n).astype(np.float32), normalizer,
            RNG.rand(n).astype(np.float32)]


def _classes(n: int) -> list:
    """Labels among 0..3 of 5 classes (class 4 never a label), predictions among 0..4."""
    return [RNG.randint(0, 4, n).astype(np.int64), RNG.randint(0, 5, n).astype(np.int64),
            RNG.rand(n).astype(np.float32)]


def _at_thresholds(metric: str) -> Callable:
    return lambda tf, y, p, w: getattr(tf.metrics, metric)(y, p, THRESHOLDS, weights=w)


def _ranked(n: int) -> list:
    """Labels: one or two class ids of 6 per row (-1 pads the second); scores with ties
    (multiples of 1/4); the top-3 class ids of each row, as given; row weights."""
    labels = np.stack([RNG.randint(0, 6, n), np.where(RNG.rand(n) < 0.5, -1,
                                                       RNG.randint(0, 6, n))], 1)
    scores = (RNG.randint(0, 5, (n, 6)) / 4).astype(np.float32)
    top = np.argsort(-RNG.rand(n, 6), axis=1)[:, :3].astype(np.int64)
    return [labels.astype(np.int64), scores, top, RNG.rand(n).astype(np.float32)]


def _ranking(metric: str, index: int, **kwargs: Any) -> Callable:
    """``metric(labels, batch[index], weights=...)``: index 1 is scores, 2 class ids."""
    def build(tf: Any, labels: Any, scores: Any, top: Any, weights: Any) -> Any:
        return getattr(tf.metrics, metric)(labels, (scores, top)[index - 1], weights=weights,
                                           **kwargs)
    return build


_RANKING_CASES = {
    "precision_at_k_class": (_ranking("precision_at_k", 1, k=3, class_id=2), _batches(_ranked)),
    "recall_at_k_class": (_ranking("recall_at_k", 1, k=2, class_id=0), _batches(_ranked)),
    "precision_at_top_k": (_ranking("precision_at_top_k", 2), _batches(_ranked)),
    "precision_at_top_k_class": (_ranking("precision_at_top_k", 2, k=3, class_id=1),
                                 _batches(_ranked)),
    "recall_at_top_k": (_ranking("recall_at_top_k", 2, k=3), _batches(_ranked)),
    "recall_at_top_k_class": (_ranking("recall_at_top_k", 2, class_id=4), _batches(_ranked)),
    "average_precision_at_k": (_ranking("average_precision_at_k", 1, k=3), _batches(_ranked)),
    "average_precision_at_1": (_ranking("average_precision_at_k", 1, k=1), _batches(_ranked)),
    "sparse_average_precision_at_k": (_ranking("sparse_average_precision_at_k", 1, k=4),
                                      _batches(_ranked)),
}


CASES: dict[str, tuple[Callable, list]] = {
    **{metric: (_at_thresholds(metric), _batches(_binary)) for metric in (
        "true_positives_at_thresholds", "false_positives_at_thresholds",
        "true_negatives_at_thresholds", "false_negatives_at_thresholds",
        "precision_at_thresholds", "recall_at_thresholds")},
    "tp_at_thresholds_unweighted": (
        lambda tf, y, p: tf.metrics.true_positives_at_thresholds(y, p, THRESHOLDS),
        [b[:2] for b in _batches(_binary)]),
    "mean_tensor": (lambda tf, v, w: tf.metrics.mean_tensor(v, weights=w),
                    [[RNG.randn(2, 3).astype(np.float32),
                      (RNG.rand(2, 3) * (RNG.rand(2, 3) < 0.7)).astype(np.float32)]
                     for _ in range(3)]),
    "mean_tensor_unweighted": (lambda tf, v: tf.metrics.mean_tensor(v),
                               [[RNG.randn(2, 3).astype(np.float32)] for _ in range(3)]),
    "mean_relative_error": (
        lambda tf, y, p, z, w: tf.metrics.mean_relative_error(y, p, z, weights=w),
        _batches(_relative)),
    "mean_cosine_distance": (
        lambda tf, y, p, w: tf.metrics.mean_cosine_distance(y, p, dim=1, weights=w),
        _batches(lambda n: [_unit_rows(n), _unit_rows(n),
                            RNG.rand(n, 1).astype(np.float32)])),
    "percentage_below": (
        lambda tf, v, w: tf.metrics.percentage_below(v, 0.5, weights=w),
        _batches(lambda n: _binary(n)[1:])),
    "mean_per_class_accuracy": (
        lambda tf, y, p, w: tf.metrics.mean_per_class_accuracy(y, p, 5, weights=w),
        _batches(_classes)),
    "mean_per_class_accuracy_unweighted": (
        lambda tf, y, p: tf.metrics.mean_per_class_accuracy(y, p, 5),
        [b[:2] for b in _batches(_classes)]),
    "sensitivity_at_specificity": (
        lambda tf, y, p, w: tf.metrics.sensitivity_at_specificity(
            y, p, 0.7, weights=w, num_thresholds=11), _batches(_binary)),
    "specificity_at_sensitivity": (
        lambda tf, y, p, w: tf.metrics.specificity_at_sensitivity(
            y, p, 0.6, weights=w, num_thresholds=11), _batches(_binary)),
    **{f"{metric}_at_{target}": (
        lambda tf, y, p, metric=metric, target=target: getattr(tf.metrics, metric)(
            y, p, target), [b[:2] for b in _batches(_binary)])
       for metric in ("sensitivity_at_specificity", "specificity_at_sensitivity")
       for target in (0.0, 1.0)},
    **_RANKING_CASES,
}


def run_case(tf: Any, case: str) -> dict[str, Any]:
    """Streams the case's batches through ``tf`` (TensorFlow or staticgraph): the update
    op's output per batch, the final value and the metric variables' names."""
    build, batches = CASES[case]
    out: dict[str, Any] = {}
    with tf.Graph().as_default():
        # a fixed shape where every batch has the same (mean_tensor needs one)
        phs = [tf.placeholder(tf.as_dtype(a.dtype), a.shape
                              if all(b[i].shape == a.shape for b in batches)
                              else (None,) + a.shape[1:])
               for i, a in enumerate(batches[0])]
        value, update = build(tf, *phs)
        names = sorted(v.op.name for v in tf.local_variables())
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            for step, batch in enumerate(batches):
                out[f"{case}/update{step}"] = sess.run(update, dict(zip(phs, batch)))
            out[f"{case}/value"] = sess.run(value)
    out[f"{case}/variables"] = np.array(" ".join(names))
    return out
