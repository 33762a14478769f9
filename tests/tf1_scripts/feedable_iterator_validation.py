"""The TF1 "Importing Data" guide's feedable iterator: one training and one validation
dataset behind a string-handle placeholder, a tf.layers classifier, exponential decay
with staircase, and streaming accuracy over the whole validation set after training."""
import numpy as np

import staticgraph as tf

rng = np.random.RandomState(0)
X = rng.randn(200, 4).astype(np.float32)
Y = (X.sum(1) > 0).astype(np.int64)
train_ds = tf.data.Dataset.from_tensor_slices((X[:150], Y[:150])).shuffle(150, seed=1)
train_ds = train_ds.batch(32).repeat()
val_ds = tf.data.Dataset.from_tensor_slices((X[150:], Y[150:])).batch(20)

handle = tf.placeholder(tf.string, shape=[])
iterator = tf.data.Iterator.from_string_handle(handle, train_ds.output_types,
                                               train_ds.output_shapes)
x, y = iterator.get_next()
train_it = train_ds.make_one_shot_iterator()
val_it = val_ds.make_initializable_iterator()

tf.set_random_seed(3)
logits = tf.layers.dense(tf.layers.dense(x, 16, tf.nn.relu), 2)
loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
accuracy, accuracy_update = tf.metrics.accuracy(y, tf.argmax(logits, 1))
step = tf.train.get_or_create_global_step()
lr = tf.train.exponential_decay(0.1, step, 10, 0.9, staircase=True)
train = tf.train.GradientDescentOptimizer(lr).minimize(loss, global_step=step)

with tf.Session() as sess:
    sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
    train_handle, val_handle = sess.run([train_it.string_handle(), val_it.string_handle()])
    first = sess.run(loss, {handle: train_handle})
    for _ in range(60):
        last, _ = sess.run([loss, train], {handle: train_handle})
    sess.run(val_it.initializer)
    batches = 0
    while True:
        try:
            sess.run(accuracy_update, {handle: val_handle})
            batches += 1
        except tf.errors.OutOfRangeError:
            break
    final_accuracy, steps, rate = sess.run([accuracy, step, lr])
    print(f"loss {first:.3f} -> {last:.3f}, validation accuracy {final_accuracy:.3f} "
          f"over {batches} batches, step {steps}, learning rate {rate:.5f}")
    assert batches == 3 and steps == 60
    assert abs(rate - 0.1 * 0.9 ** 6) < 1e-7  # TF 2.21 prints 0.05314 for this script
    assert last < first and final_accuracy > 0.85  # TF 2.21: 0.94 (other initial weights)
