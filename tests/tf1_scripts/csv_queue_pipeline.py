"""A TF1 queue input pipeline: string_input_producer over CSV files -> TextLineReader ->
decode_csv -> tf.train.batch, run by queue runners under a Coordinator, feeding a
linear regression that recovers the weights the files were written with."""
import os
import tempfile

import numpy as np

import staticgraph as tf

rng = np.random.RandomState(0)
true_w, true_b = np.array([2.0, -3.0]), 0.5
directory = tempfile.mkdtemp()
files = []
for part in range(3):
    x = rng.uniform(-1, 1, size=(200, 2))
    y = x @ true_w + true_b
    path = os.path.join(directory, f"part-{part}.csv")
    with open(path, "w") as f:
        f.write("x0,x1,y\n")
        f.writelines(f"{a:.6f},{b:.6f},{c:.6f}\n" for (a, b), c in zip(x, y))
    files.append(path)

filename_queue = tf.train.string_input_producer(files, num_epochs=20, seed=1)
reader = tf.TextLineReader(skip_header_lines=1)
_, line = reader.read(filename_queue)
x0, x1, label = tf.decode_csv(line, record_defaults=[[0.0], [0.0], [0.0]])
features = tf.stack([x0, x1])
x_batch, y_batch = tf.train.batch([features, label], batch_size=32, num_threads=2,
                                  allow_smaller_final_batch=True)

w = tf.Variable(tf.zeros([2]))
b = tf.Variable(0.0)
loss = tf.reduce_mean(tf.square(tf.reduce_sum(x_batch * w, axis=1) + b - y_batch))
step = tf.train.GradientDescentOptimizer(0.3).minimize(loss)

with tf.Session() as sess:
    sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)
    steps = 0
    try:
        while not coord.should_stop():
            sess.run(step)
            steps += 1
    except tf.errors.OutOfRangeError:
        pass
    finally:
        coord.request_stop()
    coord.join(threads)
    learned_w, learned_b, lines_read = sess.run([w, b, reader.num_records_produced()])

assert steps == int(np.ceil(3 * 200 * 20 / 32)), steps
assert lines_read == 3 * 200 * 20, lines_read
np.testing.assert_allclose(learned_w, true_w, atol=1e-3)
np.testing.assert_allclose(learned_b, true_b, atol=1e-3)
print(f"{steps} steps over {lines_read} CSV lines: w={learned_w}, b={learned_b:.4f}")
