"""The shape of TF1's "deep MNIST" tutorial: a CNN written with tf.nn.conv2d and
tf.nn.max_pool on weight and bias helper functions, dropout fed through a keep_prob
placeholder, Adam, accuracy evaluated with Tensor.eval inside the session; on
scikit-learn's offline 8x8 digits."""
import numpy as np
from sklearn.datasets import load_digits

import staticgraph as tf

digits = load_digits()
images = (digits.data / 16.0).astype(np.float32)
onehot = np.eye(10, dtype=np.float32)[digits.target]
train_x, test_x, train_y, test_y = images[:1400], images[1400:], onehot[:1400], onehot[1400:]


def weight_variable(shape):
    return tf.Variable(tf.truncated_normal(shape, stddev=0.1))


def bias_variable(shape):
    return tf.Variable(tf.constant(0.1, shape=shape))


def conv2d(x, W):
    return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding="SAME")


def max_pool_2x2(x):
    return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")


tf.set_random_seed(5)
x = tf.placeholder(tf.float32, [None, 64])
y_ = tf.placeholder(tf.float32, [None, 10])
x_image = tf.reshape(x, [-1, 8, 8, 1])
h_pool1 = max_pool_2x2(tf.nn.relu(conv2d(x_image, weight_variable([3, 3, 1, 16])) +
                                  bias_variable([16])))
h_pool2 = max_pool_2x2(tf.nn.relu(conv2d(h_pool1, weight_variable([3, 3, 16, 32])) +
                                  bias_variable([32])))
assert h_pool2.get_shape().as_list() == [None, 2, 2, 32]
h_flat = tf.reshape(h_pool2, [-1, 2 * 2 * 32])
h_fc1 = tf.nn.relu(tf.matmul(h_flat, weight_variable([128, 64])) + bias_variable([64]))
keep_prob = tf.placeholder(tf.float32)
h_fc1_drop = tf.nn.dropout(h_fc1, keep_prob)
y_conv = tf.matmul(h_fc1_drop, weight_variable([64, 10])) + bias_variable([10])

cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_,
                                                                          logits=y_conv))
train_step = tf.train.AdamOptimizer(1e-3).minimize(cross_entropy)
correct_prediction = tf.equal(tf.argmax(y_conv, 1), tf.argmax(y_, 1))
accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

rng = np.random.RandomState(1)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(600):
        batch = rng.choice(len(train_x), 50, replace=False)
        if i % 200 == 0:
            train_accuracy = accuracy.eval(feed_dict={x: train_x[batch], y_: train_y[batch],
                                                      keep_prob: 1.0})
            print(f"step {i}, training accuracy {train_accuracy:g}")
        train_step.run(feed_dict={x: train_x[batch], y_: train_y[batch], keep_prob: 0.5})
    result = accuracy.eval(feed_dict={x: test_x, y_: test_y, keep_prob: 1.0})
print("test accuracy", result)
assert result > 0.85, result  # TF 2.21 compat.v1 reaches 0.902 with this script
