"""The shape of TF1's "with summaries" tutorial: layers built by hand under name scopes,
summaries of every variable (mean, stddev, max, min, histogram), dropout with a
keep_prob placeholder, train and test FileWriters, and every 100th step run with
FULL_TRACE and its RunMetadata added to the writer; on scikit-learn's offline digits.
The script reads its event files back and checks what TensorBoard would show."""
import glob
import os
import tempfile

import numpy as np
from sklearn.datasets import load_digits

import staticgraph as tf

digits = load_digits()
images = (digits.data / 16.0).astype(np.float32)
onehot = np.eye(10, dtype=np.float32)[digits.target]
train_x, test_x, train_y, test_y = images[:1400], images[1400:], onehot[:1400], onehot[1400:]
log_dir = tempfile.mkdtemp()

tf.set_random_seed(3)
with tf.name_scope("input"):
    x = tf.placeholder(tf.float32, [None, 64], name="x-input")
    y_ = tf.placeholder(tf.float32, [None, 10], name="y-input")


def variable_summaries(var):
    with tf.name_scope("summaries"):
        mean = tf.reduce_mean(var)
        tf.summary.scalar("mean", mean)
        with tf.name_scope("stddev"):
            stddev = tf.sqrt(tf.reduce_mean(tf.square(var - mean)))
        tf.summary.scalar("stddev", stddev)
        tf.summary.scalar("max", tf.reduce_max(var))
        tf.summary.scalar("min", tf.reduce_min(var))
        tf.summary.histogram("histogram", var)


def nn_layer(input_tensor, input_dim, output_dim, layer_name, act=tf.nn.relu):
    with tf.name_scope(layer_name):
        with tf.name_scope("weights"):
            weights = tf.Variable(tf.truncated_normal([input_dim, output_dim], stddev=0.1))
            variable_summaries(weights)
        with tf.name_scope("biases"):
            biases = tf.Variable(tf.constant(0.1, shape=[output_dim]))
            variable_summaries(biases)
        with tf.name_scope("Wx_plus_b"):
            preactivate = tf.matmul(input_tensor, weights) + biases
            tf.summary.histogram("pre_activations", preactivate)
        activations = act(preactivate, name="activation")
        tf.summary.histogram("activations", activations)
        return activations


hidden1 = nn_layer(x, 64, 100, "layer1")
with tf.name_scope("dropout"):
    keep_prob = tf.placeholder(tf.float32)
    tf.summary.scalar("dropout_keep_probability", keep_prob)
    dropped = tf.nn.dropout(hidden1, keep_prob)
y = nn_layer(dropped, 100, 10, "layer2", act=tf.identity)
with tf.name_scope("cross_entropy"):
    cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y_,
                                                                           logits=y))
tf.summary.scalar("cross_entropy", cross_entropy)
with tf.name_scope("train"):
    train_step = tf.train.AdamOptimizer(0.001).minimize(cross_entropy)
with tf.name_scope("accuracy"):
    correct = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
tf.summary.scalar("accuracy", accuracy)
merged = tf.summary.merge_all()

rng = np.random.RandomState(0)
with tf.Session() as sess:
    train_writer = tf.summary.FileWriter(log_dir + "/train", sess.graph)
    test_writer = tf.summary.FileWriter(log_dir + "/test")
    sess.run(tf.global_variables_initializer())
    for i in range(400):
        if i % 50 == 0:
            summary, acc = sess.run([merged, accuracy], {x: test_x, y_: test_y,
                                                         keep_prob: 1.0})
            test_writer.add_summary(summary, i)
            print(f"Accuracy at step {i}: {acc:.3f}")
        else:
            batch = rng.choice(len(train_x), 100, replace=False)
            feed = {x: train_x[batch], y_: train_y[batch], keep_prob: 0.9}
            if i % 100 == 99:
                run_options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
                run_metadata = tf.RunMetadata()
                summary, _ = sess.run([merged, train_step], feed_dict=feed,
                                      options=run_options, run_metadata=run_metadata)
                train_writer.add_run_metadata(run_metadata, f"step{i:03d}")
                train_writer.add_summary(summary, i)
            else:
                summary, _ = sess.run([merged, train_step], feed_dict=feed)
                train_writer.add_summary(summary, i)
    final = sess.run(accuracy, {x: test_x, y_: test_y, keep_prob: 1.0})
    train_writer.close()
    test_writer.close()
print("final test accuracy", final)
assert final > 0.85, final  # TF 2.21 compat.v1 reaches 0.889 with this script


def events(folder):
    (path,) = glob.glob(os.path.join(log_dir, folder, "events.out.tfevents.*"))
    return list(tf.train.summary_iterator(path))


train_events, test_events = events("train"), events("test")
traced = [e for e in train_events if e.HasField("tagged_run_metadata")]
assert [e.tagged_run_metadata.tag for e in traced] == ["step099", "step199", "step299",
                                                       "step399"]
stats = tf.RunMetadata.FromString(traced[0].tagged_run_metadata.run_metadata).step_stats
node_names = {n.node_name for d in stats.dev_stats for n in d.node_stats}
assert any(name.startswith("layer1/Wx_plus_b/") for name in node_names), node_names
assert any(e.HasField("graph_def") for e in train_events)
tags = {v.tag for e in test_events for v in e.summary.value}
assert {"accuracy_1", "cross_entropy_1", "layer1/weights/summaries/histogram",
        "layer2/activations"} <= tags, sorted(tags)
assert len([e for e in test_events if e.HasField("summary")]) == 8
