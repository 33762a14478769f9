"""tf.metrics: streamed over batches, compared with scikit-learn on the whole data."""
import numpy as np
import pytest
from sklearn import metrics as skm

import staticgraph as tf

RNG = np.random.RandomState(42)
N, CLASSES = 300, 5
LABELS = RNG.randint(0, CLASSES, N)
LOGITS = RNG.rand(N, CLASSES) + 0.8 * np.eye(CLASSES)[LABELS]
PREDICTED = LOGITS.argmax(1)
BINARY = RNG.rand(N) > 0.4
SCORES = np.clip(0.35 * BINARY + 0.65 * RNG.rand(N), 0, 1)
WEIGHTS = RNG.rand(N)
TARGETS = RNG.randn(N)
ESTIMATES = TARGETS + 0.3 * RNG.randn(N)


def streamed(build, arrays, batch=64):
    """Runs ``build(*placeholders)``'s update op over batches of ``arrays``; returns the
    final value and the update op's output for the last batch."""
    with tf.Graph().as_default():
        phs = [tf.placeholder(tf.as_dtype(a.dtype), (None,) + a.shape[1:]) for a in arrays]
        value, update = build(*phs)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            for start in range(0, len(arrays[0]), batch):
                last = sess.run(update, {ph: a[start:start + batch]
                                         for ph, a in zip(phs, arrays)})
            return sess.run(value), last


def test_accuracy_streams_to_sklearns_value():
    value, last = streamed(tf.metrics.accuracy, [LABELS, PREDICTED])
    assert value == pytest.approx(skm.accuracy_score(LABELS, PREDICTED), abs=1e-6)
    assert last == value  # the update op returns the metric after its batch
    weighted, _ = streamed(lambda y, p, w: tf.metrics.accuracy(y, p, weights=w),
                           [LABELS, PREDICTED, WEIGHTS])
    assert weighted == pytest.approx(
        skm.accuracy_score(LABELS, PREDICTED, sample_weight=WEIGHTS), rel=1e-5)


def test_precision_recall_and_the_four_counts():
    predicted = SCORES > 0.5
    arrays = [BINARY, predicted]
    assert streamed(tf.metrics.precision, arrays)[0] == pytest.approx(
        skm.precision_score(BINARY, predicted), abs=1e-6)
    assert streamed(tf.metrics.recall, arrays)[0] == pytest.approx(
        skm.recall_score(BINARY, predicted), abs=1e-6)
    tn, fp, fn, tp = skm.confusion_matrix(BINARY, predicted).ravel()
    counts = [streamed(f, arrays)[0] for f in (
        tf.metrics.true_negatives, tf.metrics.false_positives,
        tf.metrics.false_negatives, tf.metrics.true_positives)]
    assert counts == [tn, fp, fn, tp]


def test_precision_is_zero_without_positive_predictions():
    none = np.zeros(4, bool)
    assert streamed(tf.metrics.precision, [np.ones(4, bool), none])[0] == 0.0


def test_auc_is_sklearns_within_the_threshold_grid():
    roc, _ = streamed(tf.metrics.auc, [BINARY, SCORES.astype(np.float32)])
    assert roc == pytest.approx(skm.roc_auc_score(BINARY, SCORES), abs=2e-3)
    fine, _ = streamed(lambda y, p: tf.metrics.auc(y, p, num_thresholds=2000),
                       [BINARY, SCORES.astype(np.float32)])
    assert abs(fine - skm.roc_auc_score(BINARY, SCORES)) < abs(roc - skm.roc_auc_score(
        BINARY, SCORES)) + 1e-4
    weighted, _ = streamed(lambda y, p, w: tf.metrics.auc(y, p, weights=w),
                           [BINARY, SCORES.astype(np.float32), WEIGHTS])
    assert weighted == pytest.approx(
        skm.roc_auc_score(BINARY, SCORES, sample_weight=WEIGHTS), abs=3e-3)
    pr, _ = streamed(lambda y, p: tf.metrics.auc(
        y, p, curve="PR", summation_method="careful_interpolation"),
        [BINARY, SCORES.astype(np.float32)])
    assert pr == pytest.approx(skm.average_precision_score(BINARY, SCORES), abs=0.02)


def test_auc_thresholds_follow_tf1():
    from staticgraph.metrics.curves import thresholds_for
    grid = thresholds_for(200)
    assert len(grid) == 200 and grid[0] == -1e-7 and grid[-1] == 1 + 1e-7
    assert grid[1] == pytest.approx(1 / 199)
    with pytest.raises(ValueError, match="ROC or PR"):
        tf.metrics.auc(BINARY, SCORES, curve="XY")


@pytest.mark.parametrize("metric", [
    lambda y, p: tf.metrics.auc(y, p),
    lambda y, p: tf.metrics.precision_at_thresholds(y, p, [0.5]),
    lambda y, p: tf.metrics.sensitivity_at_specificity(y, p, 0.5)])
def test_threshold_metrics_refuse_predictions_outside_0_1(metric):
    """As TF1: an assertion in the update op, raised at build time for constants."""
    for outside in (1.5, -0.5):
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"predictions must be in \[0, 1\]"):
            streamed(metric, [BINARY[:4], np.array([0.5, outside, 0.2, 0.9])])
        with tf.Graph().as_default(), pytest.raises(tf.errors.InvalidArgumentError,
                                                    match=r"predictions must be in \[0, 1\]"):
            metric(BINARY[:2], tf.constant([0.5, outside]))
    value, _ = streamed(metric, [BINARY[:4], np.array([0.0, 1.0, 0.2, 0.9])])
    assert np.all(np.isfinite(value))


def test_ranking_metrics_refuse_bad_arguments():
    labels = tf.constant([[1, -1]], tf.int64)
    with pytest.raises(ValueError, match="invalid k=0"):
        tf.metrics.average_precision_at_k(labels, tf.constant([[0.1, 0.9]]), 0)
    with pytest.raises(TypeError, match="predictions_idx must be integer class ids"):
        tf.metrics.precision_at_top_k(labels, tf.constant([[0.1, 0.9]]))


def test_average_precision_follows_its_formula():
    """Row 1: top 3 = [2, 0, 1], labels {0, 1}: (1/2 + 2/3) / 2; row 2: label 5 is past
    the last class and dropped, so the row has no labels: 0/0 = NaN."""
    scores = np.array([[0.3, 0.1, 0.6]])
    value, update = streamed(lambda y, p: tf.metrics.average_precision_at_k(y, p, 3),
                             [np.array([[0, 1]]), scores])
    assert value == update == pytest.approx((1 / 2 + 2 / 3) / 2)
    value, _ = streamed(lambda y, p: tf.metrics.average_precision_at_k(y, p, 3),
                        [np.array([[0, 1], [5, -1]]), np.vstack([scores, scores])])
    assert np.isnan(value)


def test_regression_errors():
    arrays = [TARGETS, ESTIMATES]
    mse = skm.mean_squared_error(TARGETS, ESTIMATES)
    assert streamed(tf.metrics.mean_squared_error, arrays)[0] == pytest.approx(mse, rel=1e-5)
    assert streamed(tf.metrics.root_mean_squared_error, arrays)[0] == pytest.approx(
        np.sqrt(mse), rel=1e-5)
    assert streamed(tf.metrics.mean_absolute_error, arrays)[0] == pytest.approx(
        skm.mean_absolute_error(TARGETS, ESTIMATES), rel=1e-5)
    weighted, _ = streamed(lambda y, p, w: tf.metrics.mean_squared_error(y, p, weights=w),
                           arrays + [WEIGHTS])
    assert weighted == pytest.approx(
        skm.mean_squared_error(TARGETS, ESTIMATES, sample_weight=WEIGHTS), rel=1e-5)


def test_mean_of_values_and_of_nothing():
    assert streamed(tf.metrics.mean, [TARGETS])[0] == pytest.approx(TARGETS.mean(), rel=1e-5)
    with tf.Graph().as_default():
        value, _ = tf.metrics.mean(tf.constant([1.0]))
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            assert sess.run(value) == 0.0  # no update yet: 0, not NaN


def test_mean_iou_is_sklearns_macro_jaccard():
    value, matrix = streamed(lambda y, p: tf.metrics.mean_iou(y, p, CLASSES),
                             [LABELS, PREDICTED])
    assert value == pytest.approx(skm.jaccard_score(LABELS, PREDICTED, average="macro"))
    np.testing.assert_array_equal(matrix, skm.confusion_matrix(LABELS, PREDICTED))


def test_recall_at_k_is_top_k_accuracy_and_precision_at_k():
    for k in (1, 2, 3):
        recall, _ = streamed(lambda y, p: tf.metrics.recall_at_k(y, p, k), [LABELS, LOGITS])
        assert recall == pytest.approx(skm.top_k_accuracy_score(LABELS, LOGITS, k=k))
        precision, _ = streamed(lambda y, p: tf.metrics.precision_at_k(y, p, k),
                                [LABELS, LOGITS])
        assert precision == pytest.approx(recall / k)
    per_class, _ = streamed(lambda y, p: tf.metrics.recall_at_k(y, p, 1, class_id=2),
                            [LABELS, LOGITS])
    assert per_class == pytest.approx(skm.recall_score(LABELS == 2, PREDICTED == 2))
    precision2, _ = streamed(lambda y, p: tf.metrics.precision_at_k(y, p, 1, class_id=2),
                             [LABELS, LOGITS])
    assert precision2 == pytest.approx(skm.precision_score(LABELS == 2, PREDICTED == 2))


def test_multi_label_at_k_ignores_padding_for_precision():
    labels = np.array([[1, -1], [2, 3]])
    logits = np.array([[0.1, 0.9, 0.0, 0.5], [0.7, 0.0, 0.2, 0.1]])
    precision, _ = streamed(lambda y, p: tf.metrics.precision_at_k(y, p, 2), [labels, logits])
    recall, _ = streamed(lambda y, p: tf.metrics.recall_at_k(y, p, 2), [labels, logits])
    assert precision == pytest.approx(2 / 4)  # hits: 1 in row 0, 2 in row 1
    assert recall == pytest.approx(2 / 4)  # the -1 label is a miss, as in TF1


def test_local_variables_collections_names_and_reset():
    with tf.Graph().as_default():
        value, update = tf.metrics.accuracy(tf.constant([1, 1]), tf.constant([1, 0]))
        names = [v.op.name for v in tf.local_variables()]
        assert names == ["accuracy/total", "accuracy/count"]
        assert [v.op.name for v in tf.get_collection("metric_variables")] == names
        assert tf.global_variables() == [] and tf.trainable_variables() == []
        with tf.Session() as sess:
            with pytest.raises(tf.errors.FailedPreconditionError, match="accuracy/(total|count)"):
                sess.run(value)
            sess.run(tf.local_variables_initializer())
            assert sess.run(update) == 0.5 and sess.run(value) == 0.5
            sess.run(update)
            assert sess.run([v for v in tf.local_variables()]) == [2.0, 4.0]
            sess.run(tf.local_variables_initializer())
            assert sess.run(value) == 0.0


def test_metric_collections_and_names():
    with tf.Graph().as_default():
        value, update = tf.metrics.mean(tf.constant([1.0, 3.0]), name="avg",
                                        metrics_collections=["m"], updates_collections=["u"])
        assert tf.get_collection("m") == [value] and tf.get_collection("u") == [update]
        assert value.op.name.startswith("avg/")
