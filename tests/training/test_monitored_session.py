"""MonitoredTrainingSession / MonitoredSession / SingularMonitoredSession and Scaffold."""
import numpy as np
import pytest

import staticgraph as tf
from staticgraph.training.monitored_session import merge_run_options

X = np.random.RandomState(0).randn(32, 3)
Y = X @ np.array([[1.0], [-2.0], [0.5]])


def build_model():
    """A linear regression with a global step, trained with Adam."""
    x = tf.constant(X)
    w = tf.Variable(np.zeros((3, 1)), name="w")
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - Y))
    step = tf.train.get_or_create_global_step()
    train = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
    return w, loss, step, train


class Crash(Exception):
    """Stands for the process dying in the middle of training."""


def train_steps(checkpoint_dir, last_step, save_steps, crash_after=None):
    """Trains in a new graph until ``last_step``; returns (runs, w, global step).

    With ``crash_after``, an exception leaves the session after that many runs (so the
    end-of-session checkpoint is not written) and (runs, None, None) is returned.
    """
    with tf.Graph().as_default():
        w, _, step, train = build_model()
        hooks = [tf.train.StopAtStepHook(last_step=last_step)]
        runs = 0
        try:
            with tf.train.MonitoredTrainingSession(
                    checkpoint_dir=checkpoint_dir, hooks=hooks,
                    save_checkpoint_steps=save_steps, save_summaries_steps=None,
                    log_step_count_steps=None, save_graph_def=False) as sess:
                while not sess.should_stop():
                    sess.run(train)
                    runs += 1
                    if runs == crash_after:
                        raise Crash
                raw = sess._sess
                return runs, raw.run(w), int(raw.run(step))
        except Crash:
            return runs, None, None


def test_interrupted_training_resumes_from_the_last_checkpoint(tmp_path):
    _, straight_w, straight_step = train_steps(str(tmp_path / "straight"), 12, 100)
    folder = str(tmp_path / "resumed")
    assert train_steps(folder, 12, 5, crash_after=7)[0] == 7
    assert tf.train.latest_checkpoint(folder).endswith("model.ckpt-5")
    runs, w, step = train_steps(folder, 12, 5)
    assert (runs, step) == (7, 12)  # steps 6..12 again, from the step-5 checkpoint
    np.testing.assert_allclose(w, straight_w, rtol=1e-12)
    assert straight_step == 12
    assert tf.train.latest_checkpoint(folder).endswith("model.ckpt-12")


def test_resume_restores_exact_values_and_step(tmp_path):
    folder = str(tmp_path)
    _, w_first, step_first = train_steps(folder, 4, 100)
    with tf.Graph().as_default():
        w, _, step, _ = build_model()
        with tf.train.SingularMonitoredSession(checkpoint_dir=folder) as sess:
            np.testing.assert_array_equal(sess.run(w), w_first)
            assert sess.run(step) == step_first == 4


def test_hooks_see_every_stage_in_order():
    events = []

    class Recorder(tf.train.SessionRunHook):
        def begin(self):
            events.append("begin")

        def after_create_session(self, session, coord):
            events.append("created")

        def before_run(self, run_context):
            events.append(("before", run_context.original_args.fetches is not None))
            return tf.train.SessionRunArgs({"c": c}, feed_dict={fed: 2.0})

        def after_run(self, run_context, run_values):
            events.append(("after", float(run_values.results["c"])))
            if len(events) > 6:
                run_context.request_stop()

        def end(self, session):
            events.append("end")

    with tf.Graph().as_default():
        fed = tf.placeholder_with_default(1.0, [])
        c = fed * 3.0
        with tf.train.MonitoredSession(hooks=[Recorder()]) as sess:
            while not sess.should_stop():
                assert sess.run(c) == 6.0
            with pytest.raises(RuntimeError, match="should_stop"):
                sess.run(c)
    assert events == ["begin", "created", ("before", True), ("after", 6.0),
                      ("before", True), ("after", 6.0), ("before", True), ("after", 6.0),
                      "end"]


def test_feed_conflicts_between_hook_and_user_are_refused():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [])
        y = x * 2
        hook = tf.train.FeedFnHook(lambda: {x: 1.0})
        with tf.train.MonitoredSession(hooks=[hook]) as sess:
            assert sess.run(y) == 2.0
            with pytest.raises(RuntimeError, match="fed by a SessionRunHook and user"):
                sess.run(x, feed_dict={x: 3.0})


def test_out_of_range_ends_the_with_block_and_calls_end():
    with tf.Graph().as_default():
        nxt = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
        total = tf.Variable(0, dtype=tf.int64)
        add = tf.assign_add(total, nxt)
        final = tf.train.FinalOpsHook(total)
        seen = []
        with tf.train.MonitoredSession(hooks=[final]) as sess:
            while not sess.should_stop():
                seen.append(sess.run(add))
        assert seen == [0, 1, 3] and final.final_ops_values == 3
        assert not tf.get_default_graph().finalized  # unfinalized again on close


def test_scaffold_defaults_and_graph_finalization():
    with tf.Graph().as_default() as graph:
        v = tf.Variable(1.0)
        local = tf.Variable(5.0, collections=[tf.GraphKeys.LOCAL_VARIABLES])
        set_v = v.assign(4.0)
        scaffold = tf.train.Scaffold(init_fn=lambda scaffold, sess: sess.run(set_v))
        with tf.train.MonitoredSession(
                tf.train.ChiefSessionCreator(scaffold=scaffold)) as sess:
            assert graph.finalized
            with pytest.raises(RuntimeError):
                tf.constant(1.0)
            assert sess.run([v, local]) == [4.0, 5.0]
            assert scaffold.saver is not None and scaffold.summary_op is None
        assert not graph.finalized


def test_scaffold_reports_variables_left_uninitialized():
    with tf.Graph().as_default():
        tf.Variable(1.0, name="forgotten")
        scaffold = tf.train.Scaffold(init_op=tf.no_op())
        with pytest.raises(RuntimeError, match="forgotten"):
            tf.train.MonitoredSession(tf.train.ChiefSessionCreator(scaffold=scaffold))


def test_run_step_fn_and_request_stop():
    with tf.Graph().as_default():
        c = tf.constant(2.0)

        def step_fn(step_context):
            value = step_context.session.run(c)
            if value > 1:
                step_context.request_stop()
            return value

        with tf.train.MonitoredSession() as sess:
            assert sess.run_step_fn(lambda ctx: ctx.run_with_hooks(c)) == 2.0
            assert sess.run_step_fn(step_fn) is None
            assert sess.should_stop()


class _TracingHook(tf.train.SessionRunHook):
    """Asks for a full trace of every run and keeps what it gets back."""

    def __init__(self):
        self.metadata = []

    def before_run(self, run_context):
        return tf.train.SessionRunArgs(None, options=tf.RunOptions(
            trace_level=tf.RunOptions.FULL_TRACE))

    def after_run(self, run_context, run_values):
        assert run_values.options.trace_level == tf.RunOptions.FULL_TRACE
        self.metadata.append(run_values.run_metadata)


def test_hook_run_options_are_merged_into_the_run():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, [3], name="x")
        y = tf.reduce_sum(tf.square(x), name="total")
        hook = _TracingHook()
        caller = tf.RunMetadata()
        with tf.train.MonitoredSession(hooks=[hook]) as sess:
            value = sess.run(y, {x: [1.0, 2.0, 3.0]}, run_metadata=caller)
            sess.run(y, {x: [1.0, 2.0, 3.0]})
    assert value == 14.0 and len(hook.metadata) == 2
    for metadata in (hook.metadata[0], hook.metadata[1], caller):
        names = {n.node_name for d in metadata.step_stats.dev_stats for n in d.node_stats}
        assert "total" in names
    merged = merge_run_options(tf.RunOptions(timeout_in_ms=5), [
        tf.RunOptions(trace_level=2, timeout_in_ms=3), tf.RunOptions(output_partition_graphs=True)])
    assert (merged.timeout_in_ms, merged.trace_level, merged.output_partition_graphs) == \
        (5, 2, True)
