"""TF1's recurrent-network classifier on image rows (the MNIST-rows LSTM tutorial), on
scikit-learn's 8×8 digits: each image is a sequence of 8 rows of 8 pixels."""
import numpy as np
from sklearn.datasets import load_digits

import staticgraph as tf

learning_rate = 0.01
training_steps = 300
batch_size = 64
num_input = 8    # pixels per row
timesteps = 8    # rows
num_hidden = 32
num_classes = 10

digits = load_digits()
images = (digits.data / 16.0).astype(np.float32).reshape(-1, timesteps, num_input)
labels = np.eye(num_classes, dtype=np.float32)[digits.target]
train_x, test_x = images[:1400], images[1400:]
train_y, test_y = labels[:1400], labels[1400:]

tf.set_random_seed(0)
X = tf.placeholder("float", [None, timesteps, num_input])
Y = tf.placeholder("float", [None, num_classes])
weights = {"out": tf.Variable(tf.random_normal([num_hidden, num_classes]))}
biases = {"out": tf.Variable(tf.random_normal([num_classes]))}


def RNN(x, weights, biases):
    lstm_cell = tf.nn.rnn_cell.BasicLSTMCell(num_hidden, forget_bias=1.0)
    outputs, states = tf.nn.dynamic_rnn(lstm_cell, x, dtype=tf.float32)
    return tf.matmul(outputs[:, -1, :], weights["out"]) + biases["out"]


logits = RNN(X, weights, biases)
prediction = tf.nn.softmax(logits)
loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
optimizer = tf.train.AdamOptimizer(learning_rate=learning_rate)
train_op = optimizer.minimize(loss_op)
correct_pred = tf.equal(tf.argmax(prediction, 1), tf.argmax(Y, 1))
accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
init = tf.global_variables_initializer()

rng = np.random.RandomState(0)
with tf.Session() as sess:
    sess.run(init)
    for step in range(1, training_steps + 1):
        batch = rng.choice(len(train_x), batch_size, replace=False)
        sess.run(train_op, feed_dict={X: train_x[batch], Y: train_y[batch]})
        if step % 100 == 0 or step == 1:
            loss, acc = sess.run([loss_op, accuracy], feed_dict={X: train_x[batch],
                                                                 Y: train_y[batch]})
            print(f"Step {step}, Minibatch Loss= {loss:.4f}, Training Accuracy= {acc:.3f}")
    test_accuracy = sess.run(accuracy, feed_dict={X: test_x, Y: test_y})
    print("Testing Accuracy:", test_accuracy)
    assert test_accuracy > 0.85, test_accuracy
