"""String ops against TensorFlow 1's values (tests/ops/data/string_tf1.json, written by
tools/make_string_fixtures.py with tensorflow.compat.v1; TensorFlow is not needed here).

A case TF refuses must fail here too: while building the graph (``ValueError`` or
``TypeError`` naming the op) or, for data found bad when the graph runs, with an
``InvalidArgumentError``. staticgraph refuses the regex syntax it cannot honour while
building (TF reports an RE2 parse error when running), so for those either is accepted.
"""
import json
import math
import os

import pytest

import staticgraph as tf
from tests.ops.string_tf1_cases import CASES, to_json

FIXTURES = os.path.join(os.path.dirname(__file__), "data", "string_tf1.json")
with open(FIXTURES, encoding="utf-8") as _f:
    EXPECTED = json.load(_f)["cases"]
# TF fails these while running (an RE2 parse error); staticgraph refuses them at build.
REFUSED_AT_BUILD = {"regex_lookahead_refused"}


def _run(name):
    graph = tf.Graph()
    with graph.as_default():
        try:
            fetch, feed = CASES[name](tf)
        except (ValueError, TypeError) as err:
            return {"error": "build"}, err
        with tf.Session(graph=graph) as sess:
            try:
                return {"value": to_json(sess.run(fetch, feed))}, None
            except tf.errors.InvalidArgumentError as err:
                return {"error": "run"}, err


def _same(got, want):
    if isinstance(want, dict):
        return isinstance(got, dict) and got.keys() == want.keys() and all(
            _same(got[k], want[k]) for k in want)
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(
            _same(g, w) for g, w in zip(got, want))
    if isinstance(want, float) and math.isnan(want):
        return isinstance(got, float) and math.isnan(got)
    return got == want


def test_every_case_has_a_fixture():
    assert set(CASES) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_tensorflow(name):
    got, err = _run(name)
    want = EXPECTED[name]
    if name in REFUSED_AT_BUILD:
        assert want["error"] == "run" and got == {"error": "build"}
        assert "not support" in str(err)
        return
    assert _same(got, want), f"{name}: staticgraph {got} != TF {want} ({err!r})"
