"""A TF1 debugging habit: tf.Print wrapped around the loss inside a training loop (with
first_n and summarize), tf.print of a tensor to stdout, and a tf.while_loop whose body
prints its counter — the printed lines checked, the training checked too."""
import contextlib
import io

import numpy as np
from sklearn.datasets import load_digits

import staticgraph as tf

digits = load_digits()
x_data = (digits.data / 16.0).astype(np.float32)
y_data = np.eye(10, dtype=np.float32)[digits.target]

x = tf.placeholder(tf.float32, [None, 64])
y = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.zeros([64, 10]), name="W")
b = tf.Variable(tf.zeros([10]), name="b")
logits = tf.matmul(x, W) + b
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
loss = tf.Print(loss, [loss, tf.shape(logits)], message="loss and logits shape: ",
                first_n=3, summarize=5)
train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
print_bias = tf.print("bias head:", b[:3], output_stream="stdout")


def body(i, total):
    i = tf.Print(i, [i], message="step ")
    return i + 1, total + tf.cast(i, tf.float32)


_, counted = tf.while_loop(lambda i, total: i < 3, body, [tf.constant(0), tf.constant(0.0)])

stderr = io.StringIO()
losses = []
with tf.Session() as sess, contextlib.redirect_stderr(stderr):
    sess.run(tf.global_variables_initializer())
    for step in range(5):
        _, value = sess.run([train, loss], {x: x_data[:500], y: y_data[:500]})
        losses.append(value)
    sess.run(print_bias)
    total = sess.run(counted)
printed = stderr.getvalue().splitlines()
print("\n".join(printed))
loss_lines = [line for line in printed if line.startswith("loss and logits shape: ")]
assert len(loss_lines) == 3, printed  # first_n=3, though the loss ran 10 times
assert loss_lines[0].endswith("[500 10]") and "2.30258" in loss_lines[0], loss_lines
assert [line for line in printed if line.startswith("step ")] == ["step [0]", "step [1]",
                                                                  "step [2]"], printed
assert total == 3.0 and losses[-1] < losses[0], (total, losses)
