"""A TF 1.x-era MLP: tf.get_variable with tf.contrib.layers.xavier_initializer, an L2
penalty from tf.contrib.layers.l2_regularizer, and a contrib fully_connected output layer."""
import numpy as np
from sklearn.datasets import load_digits

import staticgraph as tf

digits = load_digits()
images = (digits.data / 16.0).astype(np.float32)
labels = np.eye(10, dtype=np.float32)[digits.target]
train_x, test_x = images[:1400], images[1400:]
train_y, test_y = labels[:1400], labels[1400:]

X = tf.placeholder(tf.float32, [None, 64])
Y = tf.placeholder(tf.float32, [None, 10])
regularizer = tf.contrib.layers.l2_regularizer(scale=1e-4)
with tf.variable_scope("hidden", regularizer=regularizer):
    W1 = tf.get_variable("W1", shape=[64, 128],
                         initializer=tf.contrib.layers.xavier_initializer(seed=0))
    b1 = tf.get_variable("b1", shape=[128], initializer=tf.zeros_initializer())
layer1 = tf.nn.relu(tf.matmul(X, W1) + b1)
logits = tf.contrib.layers.fully_connected(
    layer1, 10, activation_fn=None,
    weights_initializer=tf.contrib.layers.xavier_initializer(seed=1),
    weights_regularizer=regularizer)

cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y, logits=logits))
total = cost + tf.losses.get_regularization_loss()
optimizer = tf.train.AdamOptimizer(learning_rate=0.01).minimize(total)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1)),
                                  tf.float32))
assert len(tf.losses.get_regularization_losses()) == 3  # W1, b1 (scope) and weights

rng = np.random.RandomState(0)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(10):
        order = rng.permutation(len(train_x))
        for start in range(0, len(order), 100):
            batch = order[start:start + 100]
            sess.run(optimizer, {X: train_x[batch], Y: train_y[batch]})
    result = sess.run(accuracy, {X: test_x, Y: test_y})
print("test accuracy", result)
assert result > 0.9, result
