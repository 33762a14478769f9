"""The TF1 "layers" CNN tutorial shape (conv -> pool -> conv -> pool -> dense -> dropout ->
logits) with tf.layers, on scikit-learn's 8×8 digits; dropout follows an is_training
placeholder."""
import numpy as np
from sklearn.datasets import load_digits

import staticgraph as tf

digits = load_digits()
images = (digits.data / 16.0).astype(np.float32)
labels = digits.target.astype(np.int64)
train_x, test_x = images[:1400], images[1400:]
train_y, test_y = labels[:1400], labels[1400:]

tf.set_random_seed(1)
x = tf.placeholder(tf.float32, [None, 64], name="x")
y = tf.placeholder(tf.int64, [None], name="y")
is_training = tf.placeholder_with_default(False, [], name="is_training")

net = tf.reshape(x, [-1, 8, 8, 1])
net = tf.layers.conv2d(net, filters=8, kernel_size=[3, 3], padding="same",
                       activation=tf.nn.relu)
net = tf.layers.max_pooling2d(net, pool_size=[2, 2], strides=2)
net = tf.layers.conv2d(net, 16, 3, padding="same", activation=tf.nn.relu)
net = tf.layers.max_pooling2d(net, 2, 2)
net = tf.layers.flatten(net)
net = tf.layers.dense(net, units=32, activation=tf.nn.relu)
net = tf.layers.dropout(net, rate=0.4, training=is_training)
logits = tf.layers.dense(net, units=10)

loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
train_op = tf.train.AdamOptimizer(1e-2).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))
assert [v.name for v in tf.trainable_variables()] == [
    "conv2d/kernel:0", "conv2d/bias:0", "conv2d_1/kernel:0", "conv2d_1/bias:0",
    "dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0"]

rng = np.random.RandomState(0)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(150):
        batch = rng.choice(len(train_x), 50, replace=False)
        sess.run(train_op, {x: train_x[batch], y: train_y[batch], is_training: True})
    result = sess.run(accuracy, {x: test_x, y: test_y})
    again = sess.run(accuracy, {x: test_x, y: test_y})
print("test accuracy", result)
assert result > 0.85, result  # TensorFlow 2.21 compat.v1 reaches 0.87 with this script
assert result == again  # no dropout when not training
