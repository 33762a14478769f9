"""The TF1 char-RNN tutorial pattern: a two-layer LSTM built with tf.contrib.rnn,
unrolled by tf.contrib.legacy_seq2seq.rnn_decoder over split-and-squeezed embeddings,
trained with legacy_seq2seq.sequence_loss_by_example, clip_by_global_norm and Adam, the
state carried between batches by feeding the LSTMStateTuple tensors."""
import inspect

import numpy as np

import staticgraph as tf

text = inspect.getdoc(np.linalg.svd)[:1600]
chars = sorted(set(text))
vocab = {c: i for i, c in enumerate(chars)}
data = np.array([vocab[c] for c in text])
batch_size, seq_length, rnn_size, num_layers = 8, 20, 48, 2
vocab_size = len(chars)

tf.set_random_seed(0)
cell = tf.contrib.rnn.MultiRNNCell(
    [tf.contrib.rnn.BasicLSTMCell(rnn_size) for _ in range(num_layers)], state_is_tuple=True)
input_data = tf.placeholder(tf.int32, [batch_size, seq_length])
targets = tf.placeholder(tf.int32, [batch_size, seq_length])
initial_state = cell.zero_state(batch_size, tf.float32)
with tf.variable_scope("rnnlm"):
    softmax_w = tf.get_variable("softmax_w", [rnn_size, vocab_size])
    softmax_b = tf.get_variable("softmax_b", [vocab_size])
embedding = tf.get_variable("embedding", [vocab_size, rnn_size])
inputs = tf.split(tf.nn.embedding_lookup(embedding, input_data), seq_length, 1)
inputs = [tf.squeeze(step, [1]) for step in inputs]
outputs, last_state = tf.contrib.legacy_seq2seq.rnn_decoder(inputs, initial_state, cell,
                                                           scope="rnnlm")
output = tf.reshape(tf.concat(outputs, 1), [-1, rnn_size])
logits = tf.matmul(output, softmax_w) + softmax_b
loss = tf.contrib.legacy_seq2seq.sequence_loss_by_example(
    [logits], [tf.reshape(targets, [-1])], [tf.ones([batch_size * seq_length])])
cost = tf.reduce_sum(loss) / batch_size / seq_length
tvars = tf.trainable_variables()
# the checkpoint names of the public char-rnn TF1 models
assert [v.op.name for v in tvars] == [
    "rnnlm/softmax_w", "rnnlm/softmax_b", "embedding",
    "rnnlm/multi_rnn_cell/cell_0/basic_lstm_cell/kernel",
    "rnnlm/multi_rnn_cell/cell_0/basic_lstm_cell/bias",
    "rnnlm/multi_rnn_cell/cell_1/basic_lstm_cell/kernel",
    "rnnlm/multi_rnn_cell/cell_1/basic_lstm_cell/bias"]
grads, _ = tf.clip_by_global_norm(tf.gradients(cost, tvars), 5.0)
train_op = tf.train.AdamOptimizer(0.01).apply_gradients(zip(grads, tvars))

batches = (len(data) - 1) // (batch_size * seq_length)
xs = data[:batches * batch_size * seq_length].reshape(batch_size, -1)
ys = data[1:batches * batch_size * seq_length + 1].reshape(batch_size, -1)
epoch_losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(8):
        state, losses = sess.run(initial_state), []
        for b in range(batches):
            window = slice(b * seq_length, (b + 1) * seq_length)
            feed = {input_data: xs[:, window], targets: ys[:, window]}
            for i, (c, h) in enumerate(initial_state):
                feed[c], feed[h] = state[i].c, state[i].h
            train_loss, state, _ = sess.run([cost, last_state, train_op], feed)
            losses.append(train_loss)
        epoch_losses.append(float(np.mean(losses)))
        print("epoch %d loss %.3f" % (epoch, epoch_losses[-1]))
assert epoch_losses[-1] < 0.8 * epoch_losses[0], epoch_losses
