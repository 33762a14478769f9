"""An MLP with tf.layers.batch_normalization: the moving statistics are updated by the ops
in UPDATE_OPS run under control_dependencies with the train op, as TF1's docs say, and
inference (training=False) uses them."""
import numpy as np
from sklearn.datasets import load_digits

import staticgraph as tf

digits = load_digits()
images = digits.data.astype(np.float32)  # unscaled pixels 0..16: batch norm copes
labels = np.eye(10, dtype=np.float32)[digits.target]
train_x, test_x = images[:1400], images[1400:]
train_y, test_y = labels[:1400], labels[1400:]

tf.set_random_seed(2)
x = tf.placeholder(tf.float32, [None, 64])
y_ = tf.placeholder(tf.float32, [None, 10])
training = tf.placeholder(tf.bool, [])

hidden = tf.layers.dense(x, 100, use_bias=False)
hidden = tf.nn.relu(tf.layers.batch_normalization(hidden, training=training))
logits = tf.layers.dense(hidden, 10)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=logits))

update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
assert len(update_ops) == 2, update_ops
with tf.control_dependencies(update_ops):
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y_, 1))
accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))

moving_mean = [v for v in tf.global_variables()
               if v.name == "batch_normalization/moving_mean:0"][0]
rng = np.random.RandomState(0)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(150):
        batch = rng.choice(len(train_x), 100, replace=False)
        sess.run(train_op, {x: train_x[batch], y_: train_y[batch], training: True})
    statistics = sess.run(moving_mean)
    result = sess.run(accuracy, {x: test_x, y_: test_y, training: False})
print("test accuracy", result)
assert np.abs(statistics).max() > 1.0, statistics  # the updates ran
assert result > 0.9, result
