"""ops_between: the ops on some path from sources to targets, in creation order."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.autodiff.graph_walk import ops_between


def _ops_downstream_of(tensor, stop_ids):
    """Ops that consume ``tensor`` directly or through other ops, never through a tensor
    in ``stop_ids``."""
    if id(tensor) in stop_ids:
        return []
    found, frontier = {}, [tensor]
    while frontier:
        for op in frontier.pop().consumers():
            if id(op) not in found:
                found[id(op)] = op
                frontier.extend(t for t in op.outputs if id(t) not in stop_ids)
    return list(found.values())


def _between_by_definition(sources, targets, stop):
    """Every op that a source feeds and that is, or feeds, the op of a target."""
    stop_ids = {id(t) for t in stop}
    fed = {id(op) for s in sources for op in _ops_downstream_of(s, stop_ids)}
    target_ops = {id(t.op) for t in targets}
    return [op for op in tf.get_default_graph().get_operations()
            if id(op) in fed and (id(op) in target_ops or any(
                id(d) in target_ops for t in op.outputs for d in _ops_downstream_of(t, stop_ids)))]


def _random_graph(rng, size):
    tensors = [tf.placeholder(tf.float64, [2]) for _ in range(3)]
    for _ in range(size):
        a, b = (tensors[i] for i in rng.randint(len(tensors), size=2))
        tensors.append(tf.sin(a) if rng.rand() < 0.3 else a + b)
    return tensors


def _pick(rng, tensors, count):
    return [tensors[i] for i in rng.choice(len(tensors), size=count, replace=False)]


@pytest.mark.parametrize("seed", range(12))
def test_ops_between_matches_the_definition(seed):
    rng = np.random.RandomState(seed)
    tensors = _random_graph(rng, 30)
    sources, targets, stop = (_pick(rng, tensors, n) for n in (2, 3, seed % 4))
    assert ops_between(sources, targets, stop) == _between_by_definition(sources, targets, stop)


def test_ops_between_a_deep_chain_in_creation_order():
    x = tf.placeholder(tf.float64, [2])
    h = x
    for _ in range(3000):  # far beyond the recursion limit
        h = tf.sin(h) * 0.5 + h
    side = tf.cos(x)  # fed by x but does not reach the target
    ops = ops_between([x], [h])
    assert len(ops) == 3 * 3000 and side.op not in ops
    assert [op._id for op in ops] == sorted(op._id for op in ops)
    assert ops_between([x], [h], stop=[h]) == ops  # a stopped target still counts
    assert ops_between([x], [h], stop=[x]) == []


def test_ops_between_leaves_the_readers_index_alone():
    # Two scans of the op list: the consumers index is not built for the sweep.
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float64, [2])
        y = tf.reduce_sum(tf.sin(x) * 2.0 + x)
        tf.gradients(y, x)
    assert graph._readers_indexed == 0


def test_ops_between_sources_in_two_graphs():
    found = {}
    for key in ("a", "b"):
        with tf.Graph().as_default():
            x = tf.placeholder(tf.float64, [2])
            side = tf.cos(x)  # fed by x, not reaching the target
            y = tf.sin(x) + x * 2.0
            found[key] = (x, y, side, ops_between([x], [y]))
    (xa, ya, side_a, alone_a), (xb, yb, side_b, alone_b) = found.values()
    ops = ops_between([xa, xb], [ya, yb])
    assert set(ops) == set(alone_a) | set(alone_b)
    assert [op._id for op in ops] == sorted(op._id for op in ops)
    assert side_a.op not in ops and side_b.op not in ops
