"""Writes tests/fixtures/tf_dimension.json: TF1's answers for ``Dimension`` and
``TensorShape`` edge cases, from TensorFlow's ``compat.v1`` with the v2 tensor-shape
behaviour disabled (and, for the ``v2:`` cases, enabled)::

    /work/tfenv/bin/python tools/tf_dimension_fixture.py

Each case is a Python expression over ``tf`` (the module), ``D`` (``tf.Dimension``),
``u`` (``Dimension(None)``) and ``k`` (``Dimension(3)``); the fixture holds its ``repr``
or, when it raises, the exception's type name. tests/core/test_dimension.py evaluates the
same expressions with staticgraph. Not listed (staticgraph differs on purpose, a known
Dimension being an int): ``isinstance(k, int)``, ``hash(k)``, ``-k``, ``k / 2``, ``k ** 2``,
``k + 2.0``; ``Dimension(None) is Dimension(None)`` (one unknown object here);
``Dimension(True)`` (TF keeps ``True`` as the size, staticgraph makes it 1).
"""
from __future__ import annotations

import json
import pathlib
from typing import Any

CASES = [
    "u.value", "str(u)", "repr(u)", "str(k)", "repr(k)", "'{}'.format(u)", "f'{k}'",
    "'%d' % k", "u + 1", "1 + u", "u + k", "k + 1", "k + D(2)", "(k + 1).value",
    "u * 2", "2 * u", "u - 1", "2 - u", "u // 2", "u % 2", "k // 2", "k % 2", "2 // k",
    "k * u", "u * 0", "u + None", "k + None", "k - 1", "5 - k", "k * [1]", "[1] * D(2)",
    "u == None", "None == u", "u == 1", "u != 1", "u < 1", "u <= 1", "u > 1", "u >= 1",
    "u == u", "u != u", "u == D(None)", "k == 3", "k == 4", "k != 3", "k == D(3)",
    "k == u", "k != u", "k < u", "k == None", "k != None", "k < 4", "3 < k", "k < None",
    "u in [None]", "u is None", "k in [3]", "max(k, D(4))", "[1, 2, 3][k - 2]",
    "int(u)", "int(k)", "float(k)", "float(u)", "bool(u)", "bool(k)", "bool(D(0))",
    "hash(u)", "u ** 2", "u / 2", "k // D(0)",
    "u.is_compatible_with(3)", "u.is_compatible_with(None)", "k.is_compatible_with(4)",
    "k.is_compatible_with(None)", "k.is_compatible_with(D(3))",
    "u.merge_with(3)", "u.merge_with(None)", "k.merge_with(None)", "k.merge_with(4)",
    "k.assert_is_compatible_with(4)", "u.assert_is_compatible_with(3)",
    "D(D(3))", "D(D(None))", "D(-1)", "D(2.5)", "D('3')",
    "isinstance(u, D)", "isinstance(k, D)",
    "tf.dimension_value(u)", "tf.dimension_value(k)", "tf.dimension_value(3)",
    "tf.dimension_value(None)",
    "tf.TensorShape([None, 3])[0]", "tf.TensorShape([None, 3])[1]",
    "tf.TensorShape([None, 3])[-1]", "tf.TensorShape([None, 3]).dims",
    "list(tf.TensorShape([None, 3]))", "tf.TensorShape([None, 3]).as_list()",
    "tf.TensorShape([None, 3])[0:1]", "tf.TensorShape([None, 3])[0].value is None",
    "tf.TensorShape(None)[0]", "tf.TensorShape(None).dims", "tf.TensorShape(None)[0:1]",
    "tf.TensorShape(None)[1:3]", "tf.TensorShape(None)[:2]", "tf.TensorShape(None)[1:]",
    "tf.TensorShape(None)[-3:-1]", "tf.TensorShape(None)[0:2:2]",
    "tf.TensorShape([1, 2])[5]", "tf.TensorShape([D(None), D(3)]).as_list()",
    "tf.TensorShape([u, k]) == tf.TensorShape([None, 3])",
    "tf.dimension_at_index(tf.TensorShape([None, 3]), 0)",
    "tf.dimension_at_index(tf.TensorShape([None, 3]), 1)",
    "tf.dimension_at_index(tf.TensorShape(None), 1)",
    "repr(tf.TensorShape([None, 3]))", "str(tf.TensorShape([None, 3]))",
]
# Cases evaluated after tf.compat.v1.enable_v2_tensorshape() (TF2's int/None dimensions).
V2_CASES = [
    "tf.TensorShape([None, 3])[0]", "tf.TensorShape([None, 3])[1]",
    "type(tf.TensorShape([None, 3])[1]).__name__", "list(tf.TensorShape([None, 3]))",
    "tf.TensorShape([None, 3]).dims", "tf.TensorShape([None, 3])[0:1]",
    "tf.TensorShape(None)[0]", "tf.dimension_at_index(tf.TensorShape([None, 3]), 0)",
    "tf.dimension_value(tf.TensorShape([None, 3]).dims[1])",
    "repr(tf.TensorShape([None, 3]))", "D(None) + 1",
]


def evaluate(tf: Any, expression: str) -> str:
    """``repr`` of the expression's value, or ``"raises <ExceptionType>"``."""
    namespace = {"tf": tf, "D": tf.Dimension, "u": tf.Dimension(None), "k": tf.Dimension(3)}
    try:
        return repr(eval(expression, namespace))  # noqa: S307 (the fixed cases above)
    except Exception as error:  # noqa: BLE001 (the exception's type is the answer)
        return f"raises {type(error).__name__}"


def main() -> None:
    """Evaluates every case in TensorFlow and writes the fixture."""
    import tensorflow.compat.v1 as tf  # noqa: PLC0415

    tf.disable_v2_tensorshape()
    answers = {"v1": {case: evaluate(tf, case) for case in CASES}}
    tf.enable_v2_tensorshape()
    answers["v2"] = {case: evaluate(tf, case) for case in V2_CASES}
    tf.disable_v2_tensorshape()
    path = pathlib.Path(__file__).resolve().parents[1] / "tests/fixtures/tf_dimension.json"
    path.write_text(json.dumps(answers, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
