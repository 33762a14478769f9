"""Writes staticgraph/ops/data/sobol_directions.npz: the Sobol direction numbers that
TensorFlow's ``tf.math.sobol_sample`` uses (Joe and Kuo's), for the first ``DIMS``
dimensions, read off TensorFlow's own points.

    /work/tfenv/bin/python tools/make_sobol_directions.py    # needs tensorflow

TF emits the points of indices n = skip + 1, ..., skip + num_results (Gray-code order, the
all-zero point left out): with D the bit length of skip + num_results, a point is the XOR
of the integers ``m_k << (D - 1 - k)`` over the set bits k of gray(n) = n ^ (n >> 1),
divided by 2**D. For n = 2**(k+1) - 1 (gray(n) = 2**k), skip = n - 1 and one result,
D = k + 1 and the point is m_k / 2**(k+1). TF's points are wrong (negative) once D
reaches 30, so k < 29 covers every point it gets right. The file holds ``m`` (uint32,
[DIMS, 29]).

It also writes tests/ops/data/sobol_tf.npz: TF's points for the ``CASES`` (dim,
num_results, skip), keyed ``<dim>_<num_results>_<skip>`` (float64) and ``float32`` (the
first case in float32), for the tests.
"""
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "staticgraph", "ops", "data", "sobol_directions.npz")
TESTS_OUT = os.path.join(ROOT, "tests", "ops", "data", "sobol_tf.npz")
DIMS = 1111
DIGITS = 29
CASES = [(3, 16, 0), (1, 10, 0), (5, 11, 5), (40, 37, 100), (1111, 3, 1000), (7, 5, 2 ** 20),
         (2, 4, 2 ** 28 + 7), (4, 3, 2 ** 29 - 5)]


def main() -> None:
    """Reads m_k of every dimension from TF's point 2**(k+1) - 1 and saves the table."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution()
    points = [tf.math.sobol_sample(DIMS, 1, skip=2 ** (k + 1) - 2, dtype=tf.float64)[0]
              for k in range(DIGITS)]
    with tf.Session() as sess:
        values = np.stack(sess.run(points), axis=1) * 2.0 ** np.arange(1, DIGITS + 1)
    m = values.astype(np.uint64)
    assert np.array_equal(m, values) and np.all(m % 2 == 1)
    np.savez_compressed(OUT, m=m.astype(np.uint32))
    print(f"wrote {m.shape} direction numbers to {OUT}")
    cases = {f"{d}_{n}_{k}": tf.math.sobol_sample(d, n, skip=k, dtype=tf.float64)
             for d, n, k in CASES}
    cases["float32"] = tf.math.sobol_sample(*CASES[0][:2], skip=CASES[0][2])
    with tf.Session() as sess:
        np.savez(TESTS_OUT, **sess.run(cases))
    print(f"wrote {len(cases)} cases to {TESTS_OUT}")


if __name__ == "__main__":
    main()
