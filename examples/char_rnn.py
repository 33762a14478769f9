"""A character-level LSTM language model on the docstrings of Python's builtins.

The text ships with Python (``inspect.getdoc`` of every builtin). Characters are one-hot
encoded, a ``BasicLSTMCell`` runs over windows of the text with ``tf.nn.dynamic_rnn``, a
dense layer predicts the next character, and Adam minimizes the mean cross-entropy. At the
end the same cell, called one step at a time, samples new text from a prompt.
Run: python examples/char_rnn.py [--quick] [--output-dir DIR]
"""
from __future__ import annotations

import builtins
import inspect

import numpy as np
from tqdm import tqdm

import staticgraph as tf
from example_utils import new_figure, parse_args, plot_curve, save_figure


def corpus() -> str:
    """The docstrings of every builtin, one after another."""
    docs = (inspect.getdoc(getattr(builtins, name)) for name in sorted(dir(builtins))
            if not name.startswith("_"))
    return "\n\n".join(d for d in docs if d)


class CharModel:
    """The training graph and a one-step sampling graph sharing one LSTM cell."""

    def __init__(self, vocab: int, units: int, window: int) -> None:
        self.inputs = tf.placeholder(tf.int32, [None, window], name="inputs")
        self.targets = tf.placeholder(tf.int32, [None, window], name="targets")
        self.cell = tf.nn.rnn_cell.BasicLSTMCell(units)
        outputs, _ = tf.nn.dynamic_rnn(self.cell, tf.one_hot(self.inputs, vocab),
                                       dtype=tf.float32)
        self.w = tf.get_variable("softmax_w", [units, vocab])
        self.b = tf.get_variable("softmax_b", [vocab], initializer=tf.zeros_initializer())
        logits = tf.matmul(tf.reshape(outputs, [-1, units]), self.w) + self.b
        self.loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.reshape(self.targets, [-1]), logits=logits))
        self.train = tf.train.AdamOptimizer(0.005).minimize(self.loss)
        # sampling: one character and the previous state in, probabilities and state out
        self.char = tf.placeholder(tf.int32, [1], name="char")
        self.state = tf.nn.rnn_cell.LSTMStateTuple(tf.placeholder(tf.float32, [1, units]),
                                                   tf.placeholder(tf.float32, [1, units]))
        with tf.variable_scope("rnn"):
            out, self.next_state = self.cell(tf.one_hot(self.char, vocab), self.state)
        self.probs = tf.nn.softmax(tf.matmul(out, self.w) + self.b)

    def sample(self, sess: tf.Session, prompt: list[int], length: int,
               rng: np.random.RandomState, temperature: float = 0.7) -> list[int]:
        """``length`` characters drawn after feeding ``prompt``."""
        units = self.state.c.shape.as_list()[1]
        state = (np.zeros((1, units), np.float32), np.zeros((1, units), np.float32))
        out: list[int] = []
        char = prompt[0]
        for step in range(len(prompt) + length - 1):
            probs, state = sess.run([self.probs, self.next_state],
                                    {self.char: [char], self.state.c: state[0],
                                     self.state.h: state[1]})
            if step + 1 < len(prompt):
                char = prompt[step + 1]
                continue
            logits = np.log(probs[0] + 1e-12) / temperature
            p = np.exp(logits - logits.max())
            char = int(rng.choice(len(p), p=p / p.sum()))
            out.append(char)
        return out


def main() -> None:
    args = parse_args(__doc__.splitlines()[0])
    text = corpus()
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    data = np.array([index[c] for c in text], np.int32)
    steps, batch, window, units = (20, 8, 10, 32) if args.quick else (1500, 32, 50, 128)
    print(f"{len(text)} characters, {len(chars)} distinct")
    tf.set_random_seed(0)
    model = CharModel(len(chars), units, window)
    rng = np.random.RandomState(0)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        step_fn = sess.make_callable([model.loss, model.train],
                                     feed_list=[model.inputs, model.targets])
        for t in tqdm(range(steps), desc="training", unit="step"):
            starts = rng.randint(0, len(data) - window - 1, size=batch)
            x = np.stack([data[s:s + window] for s in starts])
            y = np.stack([data[s + 1:s + window + 1] for s in starts])
            loss_value, _ = step_fn(x, y)
            losses.append(float(loss_value))
            if t % 100 == 0 or t == steps - 1:
                tqdm.write(f"step {t:5d}  loss {loss_value:.4f}")
        sampled = model.sample(sess, [index[c] for c in "Return the "],
                               40 if args.quick else 400, rng)
    print(f"final loss: {losses[-1]:.4f} (initial {losses[0]:.4f})")
    print("sample:\nReturn the " + "".join(chars[i] for i in sampled))

    fig, ax = new_figure()
    plot_curve(ax, losses, "char-RNN on builtins' docstrings", "cross-entropy (nats)")
    save_figure(fig, args.output_dir, "char_rnn_loss.png")


if __name__ == "__main__":
    main()
