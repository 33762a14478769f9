"""A TF1-era training script: flags, tf.data, MonitoredTrainingSession with hooks,
checkpoints, and tf.metrics for evaluation, on scikit-learn's offline digits.

Run twice with the same --train_dir: the second run resumes from the last checkpoint.
"""
import numpy as np
from sklearn.datasets import load_digits

import staticgraph as tf

flags = tf.app.flags
flags.DEFINE_string("train_dir", "/tmp/digits_monitored", "Checkpoint and summary folder.")
flags.DEFINE_integer("max_steps", 300, "Global step to train up to.")
flags.DEFINE_integer("batch_size", 64, "Examples per training step.")
flags.DEFINE_float("learning_rate", 0.05, "Adam's learning rate.")
flags.DEFINE_integer("hidden", 32, "Hidden units.")
flags.DEFINE_boolean("fresh", False, "Delete train_dir first.")
FLAGS = flags.FLAGS


def load():
    digits = load_digits()
    images = (digits.data / 16.0).astype(np.float32)
    labels = digits.target.astype(np.int64)
    return (images[:1500], labels[:1500]), (images[1500:], labels[1500:])


def model(images):
    with tf.variable_scope("mlp", reuse=tf.AUTO_REUSE):
        w1 = tf.get_variable("w1", [64, FLAGS.hidden],
                             initializer=tf.truncated_normal_initializer(stddev=0.1))
        b1 = tf.get_variable("b1", [FLAGS.hidden], initializer=tf.zeros_initializer())
        hidden = tf.nn.relu(tf.matmul(images, w1) + b1)
        w2 = tf.get_variable("w2", [FLAGS.hidden, 10],
                             initializer=tf.truncated_normal_initializer(stddev=0.1))
        b2 = tf.get_variable("b2", [10], initializer=tf.zeros_initializer())
        return tf.matmul(hidden, w2) + b2


def main(argv):
    del argv
    tf.logging.set_verbosity(tf.logging.INFO)
    if FLAGS.fresh and tf.gfile.Exists(FLAGS.train_dir):
        tf.gfile.DeleteRecursively(FLAGS.train_dir)
    tf.gfile.MakeDirs(FLAGS.train_dir)
    (train_x, train_y), (test_x, test_y) = load()
    tf.set_random_seed(1)

    train = (tf.data.Dataset.from_tensor_slices((train_x, train_y))
             .shuffle(1000, seed=3).repeat().batch(FLAGS.batch_size).prefetch(1))
    images, labels = train.make_one_shot_iterator().get_next()
    logits = model(images)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    step = tf.train.get_or_create_global_step()
    train_op = tf.train.AdamOptimizer(FLAGS.learning_rate).minimize(loss, global_step=step)
    tf.summary.scalar("loss", loss)

    test_images = tf.placeholder(tf.float32, [None, 64])
    test_labels = tf.placeholder(tf.int64, [None])
    evaluation = tf.data.Dataset.from_tensor_slices((test_images, test_labels)).batch(100)
    eval_iter = evaluation.make_initializable_iterator()
    eval_x, eval_y = eval_iter.get_next()
    predictions = tf.argmax(model(eval_x), 1)
    accuracy, update_accuracy = tf.metrics.accuracy(eval_y, predictions)

    hooks = [tf.train.StopAtStepHook(last_step=FLAGS.max_steps),
             tf.train.NanTensorHook(loss),
             tf.train.LoggingTensorHook({"loss": loss, "step": step}, every_n_iter=100)]
    runs = 0
    with tf.train.MonitoredTrainingSession(checkpoint_dir=FLAGS.train_dir, hooks=hooks,
                                           save_checkpoint_steps=100,
                                           save_summaries_steps=50,
                                           log_step_count_steps=100) as sess:
        start = sess.run(step)
        while not sess.should_stop():
            sess.run(train_op)
            runs += 1
        raw = sess._sess
        raw.run(eval_iter.initializer, {test_images: test_x, test_labels: test_y})
        while True:
            try:
                raw.run(update_accuracy)
            except tf.errors.OutOfRangeError:
                break
        final = raw.run(accuracy)
    print(f"started at step {start}, ran {runs} steps, test accuracy {final:.3f}")
    assert start + runs == FLAGS.max_steps
    assert tf.train.latest_checkpoint(FLAGS.train_dir).endswith(f"-{FLAGS.max_steps}")
    assert final > 0.85, final


if __name__ == "__main__":
    tf.app.run()
