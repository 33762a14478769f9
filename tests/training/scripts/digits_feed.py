"""The shape of TF1's "fully connected feed" tutorial: flags, placeholders fed from a
Python data set class, two hidden layers built under name scopes, a loss summary, a
Saver checkpoint every N steps, and evaluation by counting in_top_k hits per batch, on
scikit-learn's offline digits. Ends through tf.app.run."""
import os

import numpy as np
from sklearn.datasets import load_digits

import staticgraph as tf

flags = tf.app.flags
flags.DEFINE_float("learning_rate", 0.1, "Initial learning rate.")
flags.DEFINE_integer("max_steps", 400, "Number of steps to run trainer.")
flags.DEFINE_integer("hidden1", 48, "Number of units in hidden layer 1.")
flags.DEFINE_integer("hidden2", 24, "Number of units in hidden layer 2.")
flags.DEFINE_integer("batch_size", 50, "Batch size.")
flags.DEFINE_string("train_dir", "/tmp/digits_feed", "Summaries and checkpoints.")
FLAGS = flags.FLAGS
PIXELS, CLASSES = 64, 10


class DataSet:
    """Images and labels handed out in shuffled batches, epoch after epoch."""

    def __init__(self, images, labels, seed):
        self.images, self.labels = images, labels
        self._rng = np.random.RandomState(seed)
        self._order, self._at = self._rng.permutation(len(images)), 0

    def next_batch(self, size):
        if self._at + size > len(self._order):
            self._order, self._at = self._rng.permutation(len(self.images)), 0
        picked = self._order[self._at:self._at + size]
        self._at += size
        return self.images[picked], self.labels[picked]


def inference(images, hidden1_units, hidden2_units):
    sizes = [PIXELS, hidden1_units, hidden2_units, CLASSES]
    layer = images
    for name, (fan_in, fan_out) in zip(["hidden1", "hidden2", "softmax_linear"],
                                       zip(sizes, sizes[1:])):
        with tf.name_scope(name):
            weights = tf.Variable(tf.truncated_normal(
                [fan_in, fan_out], stddev=1.0 / np.sqrt(float(fan_in))), name="weights")
            biases = tf.Variable(tf.zeros([fan_out]), name="biases")
            layer = tf.matmul(layer, weights) + biases
            if name != "softmax_linear":
                layer = tf.nn.relu(layer)
    return layer


def evaluation(logits, labels):
    return tf.reduce_sum(tf.cast(tf.nn.in_top_k(logits, labels, 1), tf.int32))


def do_eval(sess, correct, images_pl, labels_pl, data):
    hits = 0
    steps = len(data.images) // FLAGS.batch_size
    for _ in range(steps):
        images, labels = data.next_batch(FLAGS.batch_size)
        hits += sess.run(correct, {images_pl: images, labels_pl: labels})
    return hits / (steps * FLAGS.batch_size)


def run_training():
    digits = load_digits()
    images = (digits.data / 16.0).astype(np.float32)
    labels = digits.target.astype(np.int32)
    train, test = DataSet(images[:1400], labels[:1400], 1), DataSet(images[1400:],
                                                                     labels[1400:], 2)
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        images_pl = tf.placeholder(tf.float32, shape=(None, PIXELS))
        labels_pl = tf.placeholder(tf.int32, shape=(None,))
        logits = inference(images_pl, FLAGS.hidden1, FLAGS.hidden2)
        loss = tf.losses.sparse_softmax_cross_entropy(labels=labels_pl, logits=logits)
        tf.summary.scalar("loss", loss)
        global_step = tf.Variable(0, name="global_step", trainable=False)
        train_op = tf.train.GradientDescentOptimizer(FLAGS.learning_rate).minimize(
            loss, global_step=global_step)
        correct = evaluation(logits, labels_pl)
        summary = tf.summary.merge_all()
        saver = tf.train.Saver()
        sess = tf.Session()
        writer = tf.summary.FileWriter(FLAGS.train_dir, sess.graph)
        sess.run(tf.global_variables_initializer())
        for step in range(FLAGS.max_steps):
            images, labels = train.next_batch(FLAGS.batch_size)
            feed = {images_pl: images, labels_pl: labels}
            _, loss_value = sess.run([train_op, loss], feed_dict=feed)
            if step % 100 == 0:
                print(f"Step {step}: loss = {loss_value:.2f}")
                writer.add_summary(sess.run(summary, feed_dict=feed), step)
                writer.flush()
            if (step + 1) % 200 == 0 or step + 1 == FLAGS.max_steps:
                saver.save(sess, os.path.join(FLAGS.train_dir, "model.ckpt"),
                           global_step=step)
                precision = do_eval(sess, correct, images_pl, labels_pl, test)
                print(f"Test precision @ 1 after step {step + 1}: {precision:.3f}")
        writer.close()
    assert precision > 0.85, precision  # TF 2.21 compat.v1 reaches 0.880 with this script
    assert tf.train.latest_checkpoint(FLAGS.train_dir).endswith(f"model.ckpt-{step}")


def main(_):
    if tf.gfile.Exists(FLAGS.train_dir):
        tf.gfile.DeleteRecursively(FLAGS.train_dir)
    tf.gfile.MakeDirs(FLAGS.train_dir)
    run_training()


if __name__ == "__main__":
    tf.app.run(main=main)
