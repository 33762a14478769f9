"""Writes staticgraph/ops/data/unicode_scripts.npz: the ICU script code (UScriptCode) of
every Unicode code point, as TensorFlow 2.21's ``tf.strings.unicode_script`` gives it,
stored as runs: ``starts`` (first code point of each run) and ``codes`` (its script).

    /work/tfenv/bin/python tools/make_unicode_scripts.py    # needs tensorflow

staticgraph/ops/string_unicode_ops.py reads the file with ``allow_pickle=False``.
"""
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> None:
    """Asks TF for the script of every code point and saves the runs."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution()
    points = np.arange(0x110000, dtype=np.int32)
    with tf.Session() as sess:
        codes = sess.run(tf.strings.unicode_script(tf.constant(points)))
    starts = np.flatnonzero(np.diff(codes, prepend=codes[0] - 1)).astype(np.int32)
    path = os.path.join(ROOT, "staticgraph", "ops", "data", "unicode_scripts.npz")
    np.savez_compressed(path, starts=starts, codes=codes[starts].astype(np.int32))
    print(f"wrote {len(starts)} runs to {path}")


if __name__ == "__main__":
    main()
