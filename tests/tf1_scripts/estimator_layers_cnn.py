"""TF1's "build a CNN with tf.layers" tutorial pattern: a model_fn returning
EstimatorSpecs per mode, tf.estimator.Estimator with numpy_input_fn, a LoggingTensorHook
on a named tensor, train / evaluate / predict — on scikit-learn's 8×8 digits."""
import tempfile

import numpy as np
from sklearn.datasets import load_digits

import staticgraph as tf

digits = load_digits()
images = (digits.images / 16.0).astype(np.float32)
labels = digits.target.astype(np.int32)


def cnn_model_fn(features, labels, mode):
    input_layer = tf.reshape(features["x"], [-1, 8, 8, 1])
    conv = tf.layers.conv2d(inputs=input_layer, filters=16, kernel_size=[3, 3],
                            padding="same", activation=tf.nn.relu)
    pool = tf.layers.max_pooling2d(inputs=conv, pool_size=[2, 2], strides=2)
    dense = tf.layers.dense(inputs=tf.reshape(pool, [-1, 4 * 4 * 16]), units=64,
                            activation=tf.nn.relu)
    dropout = tf.layers.dropout(inputs=dense, rate=0.4,
                                training=mode == tf.estimator.ModeKeys.TRAIN)
    logits = tf.layers.dense(inputs=dropout, units=10)
    predictions = {"classes": tf.argmax(input=logits, axis=1),
                   "probabilities": tf.nn.softmax(logits, name="softmax_tensor")}
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    if mode == tf.estimator.ModeKeys.TRAIN:
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.1)
        train_op = optimizer.minimize(loss=loss, global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)
    eval_metric_ops = {"accuracy": tf.metrics.accuracy(labels=labels,
                                                       predictions=predictions["classes"])}
    return tf.estimator.EstimatorSpec(mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)


classifier = tf.estimator.Estimator(model_fn=cnn_model_fn, model_dir=tempfile.mkdtemp(),
                                    config=tf.estimator.RunConfig(tf_random_seed=1))
logging_hook = tf.train.LoggingTensorHook(tensors={"probabilities": "softmax_tensor"},
                                          every_n_iter=200)
train_input_fn = tf.estimator.inputs.numpy_input_fn(
    x={"x": images[:1500]}, y=labels[:1500], batch_size=50, num_epochs=None, shuffle=True)
classifier.train(input_fn=train_input_fn, steps=400, hooks=[logging_hook])
eval_input_fn = tf.estimator.inputs.numpy_input_fn(
    x={"x": images[1500:]}, y=labels[1500:], num_epochs=1, shuffle=False)
eval_results = classifier.evaluate(input_fn=eval_input_fn)
print(eval_results)
assert eval_results["global_step"] == 400 and eval_results["accuracy"] > 0.85, eval_results
predictions = list(classifier.predict(input_fn=tf.estimator.inputs.numpy_input_fn(
    x={"x": images[1500:1520]}, shuffle=False)))
hits = np.mean([p["classes"] == label for p, label in zip(predictions, labels[1500:1520])])
print("prediction accuracy on 20 test digits", hits)
assert len(predictions) == 20 and hits > 0.8
