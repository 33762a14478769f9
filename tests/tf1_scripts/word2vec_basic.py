"""The TF1 tutorial's basic skip-gram word2vec (NCE loss, SGD), written anew, on the
docstrings of Python's collections and itertools modules; only the import differs."""
import collections
import inspect
import itertools
import math
import re

import numpy as np

import staticgraph as tf

text = "\n".join(inspect.getdoc(obj) or "" for module in (collections, itertools)
                 for obj in [module] + [getattr(module, n) for n in dir(module)
                                        if not n.startswith("_")])
words = re.findall(r"[a-z]+", text.lower())

vocabulary_size = 300
count = [["UNK", -1]] + collections.Counter(words).most_common(vocabulary_size - 1)
dictionary = {word: i for i, (word, _) in enumerate(count)}
data = [dictionary.get(word, 0) for word in words]
reverse_dictionary = {i: word for word, i in dictionary.items()}

data_index = 0


def generate_batch(batch_size, num_skips, skip_window):
    """num_skips (center, context) pairs per center word, sliding along the data."""
    global data_index
    batch = np.ndarray(shape=(batch_size,), dtype=np.int32)
    labels = np.ndarray(shape=(batch_size, 1), dtype=np.int32)
    span = 2 * skip_window + 1
    buffer = collections.deque(maxlen=span)
    if data_index + span > len(data):
        data_index = 0
    buffer.extend(data[data_index:data_index + span])
    data_index += span
    for i in range(batch_size // num_skips):
        context_words = [w for w in range(span) if w != skip_window]
        for j, context_word in enumerate(np.random.choice(context_words, num_skips,
                                                          replace=False)):
            batch[i * num_skips + j] = buffer[skip_window]
            labels[i * num_skips + j, 0] = buffer[context_word]
        if data_index == len(data):
            buffer.extend(data[0:span])
            data_index = span
        else:
            buffer.append(data[data_index])
            data_index += 1
    data_index = (data_index + len(data) - span) % len(data)
    return batch, labels


batch_size, embedding_size, skip_window, num_skips, num_sampled = 64, 32, 1, 2, 16
valid_examples = np.array([dictionary[w] for w in ("the", "of", "iterable", "return")])

graph = tf.Graph()
with graph.as_default():
    tf.set_random_seed(1)
    train_inputs = tf.placeholder(tf.int32, shape=[batch_size])
    train_labels = tf.placeholder(tf.int32, shape=[batch_size, 1])
    valid_dataset = tf.constant(valid_examples, dtype=tf.int32)
    with tf.device("/cpu:0"):
        embeddings = tf.Variable(
            tf.random_uniform([vocabulary_size, embedding_size], -1.0, 1.0))
        embed = tf.nn.embedding_lookup(embeddings, train_inputs)
        nce_weights = tf.Variable(
            tf.truncated_normal([vocabulary_size, embedding_size],
                                stddev=1.0 / math.sqrt(embedding_size)))
        nce_biases = tf.Variable(tf.zeros([vocabulary_size]))
    loss = tf.reduce_mean(
        tf.nn.nce_loss(weights=nce_weights, biases=nce_biases, labels=train_labels,
                       inputs=embed, num_sampled=num_sampled, num_classes=vocabulary_size))
    optimizer = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
    norm = tf.sqrt(tf.reduce_sum(tf.square(embeddings), 1, keepdims=True))
    normalized_embeddings = embeddings / norm
    valid_embeddings = tf.nn.embedding_lookup(normalized_embeddings, valid_dataset)
    similarity = tf.matmul(valid_embeddings, normalized_embeddings, transpose_b=True)
    init = tf.global_variables_initializer()

np.random.seed(0)
averages = []
with tf.Session(graph=graph) as session:
    init.run()
    average_loss = 0
    for step in range(1, 801):
        batch_inputs, batch_labels = generate_batch(batch_size, num_skips, skip_window)
        _, loss_val = session.run([optimizer, loss], feed_dict={
            train_inputs: batch_inputs, train_labels: batch_labels})
        average_loss += loss_val
        if step % 200 == 0:
            averages.append(average_loss / 200)
            print("Average loss at step", step, ":", averages[-1])
            average_loss = 0
    sim = similarity.eval()
    for i, word_id in enumerate(valid_examples):
        nearest = (-sim[i, :]).argsort()[1:6]
        print("Nearest to", reverse_dictionary[word_id], ":",
              ", ".join(reverse_dictionary[k] for k in nearest))
    final_embeddings = normalized_embeddings.eval()

assert averages[-1] < 0.6 * averages[0], averages
assert np.allclose(np.linalg.norm(final_embeddings, axis=1), 1.0, atol=1e-5)
assert sim.shape == (4, vocabulary_size)
