"""Per-thread default graphs and sessions; op name validation; the kernel protocol."""
import threading

import numpy as np
import pytest

import staticgraph as tf
from staticgraph.core.session_state import KernelState
from staticgraph.runtime.state import SessionState


def _in_thread(function):
    """Runs ``function`` on a new thread; returns its result or raises its exception."""
    outcome = []

    def target():
        try:
            outcome.append((True, function()))
        except Exception as err:  # handed to the calling thread
            outcome.append((False, err))

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def test_a_default_graph_is_per_thread_and_the_global_one_is_shared():
    shared = tf.get_default_graph()
    other = tf.Graph()
    with other.as_default():
        assert tf.get_default_graph() is other
        assert _in_thread(tf.get_default_graph) is shared  # not the other thread's
        with pytest.raises(AssertionError):
            tf.reset_default_graph()
        assert _in_thread(lambda: tf.reset_default_graph() or 1) == 1  # allowed there
    assert tf.get_default_graph() is not shared  # the reset replaced the global one


def test_a_default_session_is_per_thread():
    x = tf.constant(2.0)
    with tf.Session() as sess:
        assert tf.get_default_session() is sess
        assert _in_thread(tf.get_default_session) is None
        assert _in_thread(lambda: x.eval(session=sess)) == 2.0
        with pytest.raises(ValueError, match="no default session"):
            _in_thread(x.eval)


def test_graphs_made_default_in_two_threads_do_not_mix():
    barrier = threading.Barrier(2)
    seen = {}

    def build(label):
        graph = tf.Graph()
        with graph.as_default():
            barrier.wait()  # both threads are inside their own as_default now
            tf.constant(1.0, name=label)
            barrier.wait()
            seen[label] = [op.name for op in tf.get_default_graph().get_operations()]

    threads = [threading.Thread(target=build, args=(k,)) for k in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"a": ["a"], "b": ["b"]}


@pytest.mark.parametrize("bad", ["q'uote{0}", "_x", "a b", "-a", "x{0}"])
def test_invalid_op_names_are_refused(bad):
    x = tf.constant(1.0)
    with pytest.raises(ValueError, match="not a valid op name"):
        tf.identity(x, name=bad)
    with pytest.raises(ValueError, match="not a valid"):
        tf.Variable(1.0, name=bad)


def test_a_name_checked_once_in_one_scope_is_checked_again_in_another():
    x = tf.constant(1.0)
    assert [tf.identity(x, name="y").op.name for _ in range(3)] == ["y", "y_1", "y_2"]
    # A valid name for a nested scope, taken verbatim, where op names are not valid.
    with tf.name_scope("outer"), tf.name_scope("_x/"):
        with pytest.raises(ValueError, match="'_x/y' is not a valid op name"):
            tf.identity(x, name="y")
    with tf.name_scope("ok"):
        assert tf.identity(x, name="y").op.name == "ok/y"


@pytest.mark.parametrize("good", [".a", "a>b", "a-b/c", "A.1", "a\\b"])
def test_valid_op_names_are_accepted(good):
    assert tf.identity(tf.constant(1.0), name=good).op.name == good


def test_an_op_name_inside_a_scope_may_start_with_an_underscore():
    with tf.name_scope("outer"):
        assert tf.identity(tf.constant(1.0), name="_inner").op.name == "outer/_inner"


def test_the_runtime_state_implements_the_kernel_protocol():
    declared = {name for name in vars(KernelState) if not name.startswith("_")}
    assert declared == {"read", "get", "assign", "writable_rows", "writable_rows_and_old",
                        "commit_target", "commit_value", "locked", "rng", "run_function"}
    state = SessionState()
    for name in declared:
        assert getattr(type(state), name) is not getattr(KernelState, name), name
    state.assign("v", np.ones(2))
    assert state.get("v") is state.read("v") and state.get("missing", 3) == 3


def test_graphs_are_drawn_by_tf_to_dot_not_by_a_graph_method():
    # (tests/test_layering.py checks that core imports nothing above it)
    assert not hasattr(tf.Graph, "to_dot") and not hasattr(tf.Graph, "to_networkx")
    assert "only" in tf.to_dot(_graph_with("only")).source


def _graph_with(name):
    graph = tf.Graph()
    with graph.as_default():
        tf.constant(1.0, name=name)
    return graph
