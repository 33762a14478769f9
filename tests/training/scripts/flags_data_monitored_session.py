"""A TF1 training program: tf.app.flags and tf.app.run, a tf.data input function (shuffle,
repeat, batch, map over a dict of features, prefetch, one-shot iterator), tf.layers with
an L2 regulariser, batch normalisation (UPDATE_OPS) and dropout, tf.losses, a streaming
tf.metrics accuracy, and MonitoredTrainingSession with checkpoints, summaries and hooks;
then a second session resumes from the last checkpoint."""
import os
import tempfile

import numpy as np
from sklearn.datasets import load_digits

import staticgraph as tf

flags = tf.app.flags
flags.DEFINE_integer("batch_size", 32, "Examples per training step.")
flags.DEFINE_float("learning_rate", 0.05, "Adam's learning rate.")
flags.DEFINE_integer("max_steps", 300, "Global step to stop at.")
flags.DEFINE_string("model_dir", "", "Checkpoints and summaries (default: a temporary).")
FLAGS = flags.FLAGS


def input_fn(images, labels):
    dataset = tf.data.Dataset.from_tensor_slices(({"pixels": images}, labels))
    dataset = dataset.shuffle(1000, seed=3).repeat().batch(FLAGS.batch_size)
    dataset = dataset.map(lambda f, l: ({"pixels": f["pixels"] / 16.0}, tf.cast(l, tf.int32)))
    return dataset.prefetch(1).make_one_shot_iterator().get_next()


def model(features, training):
    net = tf.layers.dense(features["pixels"], 64, activation=tf.nn.relu,
                          kernel_regularizer=tf.contrib.layers.l2_regularizer(1e-4))
    net = tf.layers.batch_normalization(net, training=training)
    net = tf.layers.dropout(net, rate=0.2, training=training)
    return tf.layers.dense(net, 10)


def train(model_dir, images, labels, max_steps):
    with tf.Graph().as_default():
        features, targets = input_fn(images, labels)
        logits = model(features, True)
        loss = tf.losses.sparse_softmax_cross_entropy(labels=targets, logits=logits)
        loss += tf.losses.get_regularization_loss()
        tf.summary.scalar("loss", loss)
        _, accuracy_update = tf.metrics.accuracy(targets, tf.argmax(logits, 1))
        global_step = tf.train.get_or_create_global_step()
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train_op = tf.train.AdamOptimizer(FLAGS.learning_rate).minimize(
                loss, global_step=global_step)
        hooks = [tf.train.StopAtStepHook(last_step=max_steps),
                 tf.train.LoggingTensorHook({"loss": loss, "step": global_step},
                                            every_n_iter=100),
                 tf.train.NanTensorHook(loss)]
        steps_run, accuracy = 0, None
        with tf.train.MonitoredTrainingSession(checkpoint_dir=model_dir, hooks=hooks,
                                               save_checkpoint_steps=100,
                                               save_summaries_steps=50) as sess:
            first_step = None
            while not sess.should_stop():
                _, accuracy, step = sess.run([train_op, accuracy_update, global_step])
                first_step = step if first_step is None else first_step
                steps_run += 1
        return first_step, steps_run, accuracy


def main(_):
    tf.logging.set_verbosity(tf.logging.INFO)
    model_dir = FLAGS.model_dir or tempfile.mkdtemp()
    digits = load_digits()
    images, labels = digits.data.astype(np.float32), digits.target
    first, steps, accuracy = train(model_dir, images, labels, FLAGS.max_steps)
    print("trained steps %d, streaming accuracy %.3f" % (steps, accuracy))
    # a global step fetched with the op that increments it reads 1 after the first step
    assert (first, steps) == (1, FLAGS.max_steps) and accuracy > 0.85, (first, steps, accuracy)
    written = os.listdir(model_dir)
    assert "graph.pbtxt" in written and any(f.startswith("events.out") for f in written)
    assert tf.train.latest_checkpoint(model_dir).endswith("model.ckpt-%d" % FLAGS.max_steps)
    # a second program run resumes at the saved global step and stops 50 steps later
    first, steps, _ = train(model_dir, images, labels, FLAGS.max_steps + 50)
    print("resumed at step %d, ran %d more" % (first, steps))
    assert (first, steps) == (FLAGS.max_steps + 1, 50), (first, steps)


if __name__ == "__main__":
    tf.app.run()
