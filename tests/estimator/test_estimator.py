"""tf.estimator: a custom Estimator trains, resumes, evaluates and predicts as TF1's does,
state kept only in model_dir's checkpoints; numpy_input_fn; the specs' checks."""
import os

import numpy as np
import pytest

import staticgraph as tf

RNG = np.random.RandomState(0)
X = RNG.normal(size=(200, 3)).astype(np.float32)
TRUE_W = np.array([[1.5], [-2.0], [0.5]], np.float32)
Y = X @ TRUE_W + 0.3


def model_fn(features, labels, mode, params):
    predictions = tf.layers.dense(features["x"], 1, name="linear")
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"y": predictions,
                                                             "double": 2 * predictions})
    loss = tf.losses.mean_squared_error(labels, predictions)
    if mode == tf.estimator.ModeKeys.EVAL:
        return tf.estimator.EstimatorSpec(mode, loss=loss, eval_metric_ops={
            "mae": tf.metrics.mean_absolute_error(labels, predictions)})
    train_op = tf.train.GradientDescentOptimizer(params["rate"]).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def _train_input(epochs=None):
    return tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=20,
                                              num_epochs=epochs, shuffle=True)


def _estimator(folder, **config):
    return tf.estimator.Estimator(model_fn, model_dir=str(folder), params={"rate": 0.1},
                                  config=tf.estimator.RunConfig(tf_random_seed=3, **config))


def test_train_resume_evaluate_and_predict(tmp_path):
    estimator = _estimator(tmp_path, save_checkpoints_steps=50)
    assert estimator.train(_train_input(), steps=120) is estimator
    assert estimator.get_variable_value("global_step") == 120
    checkpoints = tf.train.get_checkpoint_state(str(tmp_path)).all_model_checkpoint_paths
    assert [int(p.rsplit("-", 1)[1]) for p in checkpoints] == [0, 50, 100, 120]
    estimator.train(_train_input(), max_steps=150)  # resumes at 120
    assert estimator.get_variable_value("global_step") == 150
    estimator.train(_train_input(), max_steps=150)  # already there: skipped
    assert estimator.get_variable_value("global_step") == 150
    kernel = estimator.get_variable_value("linear/kernel")
    np.testing.assert_allclose(kernel, TRUE_W, atol=0.05)
    bias = estimator.get_variable_value("linear/bias")

    evaluation = tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=64,
                                                    shuffle=False)
    results = estimator.evaluate(evaluation)
    predicted = X @ kernel + bias
    assert results["global_step"] == 150
    assert results["loss"] == pytest.approx(np.mean([  # mean of the 4 batches' losses
        np.mean((predicted[i:i + 64] - Y[i:i + 64]) ** 2) for i in range(0, 200, 64)]),
        rel=1e-5)
    assert results["mae"] == pytest.approx(np.mean(np.abs(predicted - Y)), rel=1e-5)
    assert os.listdir(tmp_path / "eval")  # the eval summaries' event file
    two_batches = estimator.evaluate(evaluation, steps=2, name="short")
    assert two_batches["mae"] == pytest.approx(np.mean(np.abs(predicted[:128] - Y[:128])),
                                               rel=1e-5)
    assert os.listdir(tmp_path / "eval_short")

    rows = list(estimator.predict(tf.estimator.inputs.numpy_input_fn(
        {"x": X[:5]}, shuffle=False)))
    assert [sorted(r) for r in rows] == [["double", "y"]] * 5
    np.testing.assert_allclose([r["y"] for r in rows], predicted[:5], rtol=1e-5)
    batches = list(estimator.predict(tf.estimator.inputs.numpy_input_fn(
        {"x": X[:5]}, batch_size=2, shuffle=False), predict_keys="y",
        yield_single_examples=False))
    assert [sorted(b) for b in batches] == [["y"]] * 3 and len(batches[2]["y"]) == 1


def test_the_same_seed_trains_the_same_model_and_input_fn_may_return_a_dataset(tmp_path):
    def dataset_input():
        return tf.data.Dataset.from_tensor_slices(({"x": X}, Y)).batch(20).repeat()

    kernels = []
    for run in ("a", "b"):
        estimator = _estimator(tmp_path / run)
        estimator.train(dataset_input, steps=30)
        kernels.append(estimator.get_variable_value("linear/kernel"))
    np.testing.assert_array_equal(*kernels)


def test_input_ending_stops_training(tmp_path):
    estimator = _estimator(tmp_path)
    estimator.train(_train_input(epochs=2))  # 200 rows, batches of 20, two epochs
    assert estimator.get_variable_value("global_step") == 20


def test_bad_specs_and_inputs_are_named(tmp_path):
    with pytest.raises(ValueError, match="Missing train_op"):
        tf.estimator.EstimatorSpec("train", loss=tf.constant(1.0)).check()
    with pytest.raises(ValueError, match="Missing predictions"):
        tf.estimator.EstimatorSpec("infer").check()
    with pytest.raises(ValueError, match="shuffle must be provided"):
        tf.estimator.inputs.numpy_input_fn({"x": X}, Y)
    with pytest.raises(ValueError, match="Length of tensors in x and y is mismatched"):
        tf.estimator.inputs.numpy_input_fn({"x": X}, Y[:5], shuffle=False)
    estimator = _estimator(tmp_path)
    with pytest.raises(ValueError, match="Can not provide both steps and max_steps"):
        estimator.train(_train_input(), steps=1, max_steps=2)
    with pytest.raises(ValueError, match="Could not find trained model"):
        estimator.get_variable_names()

    def features_only(features, mode):
        return tf.estimator.EstimatorSpec(mode, predictions=features["x"])

    with pytest.raises(ValueError, match="model_fn does not take labels"):
        tf.estimator.Estimator(features_only, model_dir=str(tmp_path / "f")).train(
            _train_input(), steps=1)
    with pytest.raises(AttributeError, match="tf.estimator.DNNClassifier is not supported"):
        tf.estimator.DNNClassifier
