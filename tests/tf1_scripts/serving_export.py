"""Export for serving, TF1 style: train a small digits classifier, write it with
tf.saved_model.simple_save, forget the graph, then load the SavedModel in a fresh session
and predict through the tensor names its serving signature gives."""
import os
import tempfile

import numpy as np
from sklearn.datasets import load_digits

import staticgraph as tf

digits = load_digits()
images = (digits.data / 16.0).astype(np.float32)
train_x, test_x = images[:1400], images[1400:]
train_y, test_y = digits.target[:1400], digits.target[1400:]

with tf.Graph().as_default():
    tf.set_random_seed(0)
    pixels = tf.placeholder(tf.float32, [None, 64], name="pixels")
    digit = tf.placeholder(tf.int64, [None], name="digit")
    hidden = tf.layers.dense(pixels, 32, activation=tf.nn.relu, name="hidden")
    logits = tf.layers.dense(hidden, 10, name="logits")
    probabilities = tf.nn.softmax(logits, name="probabilities")
    predicted = tf.argmax(logits, 1, name="predicted")
    loss = tf.losses.sparse_softmax_cross_entropy(labels=digit, logits=logits)
    train_step = tf.train.AdamOptimizer(0.01).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for epoch in range(30):
            for start in range(0, len(train_x), 100):
                sess.run(train_step, {pixels: train_x[start:start + 100],
                                      digit: train_y[start:start + 100]})
        before = sess.run(probabilities, {pixels: test_x})
        export_dir = os.path.join(tempfile.mkdtemp(), "digits", "1")
        tf.saved_model.simple_save(sess, export_dir, inputs={"pixels": pixels},
                                   outputs={"probabilities": probabilities,
                                            "class": predicted})

tf.reset_default_graph()
with tf.Session(graph=tf.Graph()) as sess:
    meta_graph = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING],
                                            export_dir)
    signature = meta_graph.signature_def[
        tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY]
    input_name = signature.inputs["pixels"].name
    after, classes = sess.run([signature.outputs["probabilities"].name,
                               signature.outputs["class"].name], {input_name: test_x})

accuracy = float(np.mean(classes == test_y))
print(f"served accuracy {accuracy:.3f}, signature input {input_name}")
np.testing.assert_allclose(after, before, rtol=1e-6)  # the served model is the trained one
assert accuracy > 0.88, accuracy  # 0.914 with these seeds
