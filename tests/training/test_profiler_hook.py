"""tf.train.ProfilerHook: Chrome traces of the steps TF1 would trace."""
import json
import os

import pytest

import staticgraph as tf
from staticgraph.io.events import summary_iterator


def test_writes_chrome_traces_every_n_steps(tmp_path):
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        w = tf.Variable(1.0, name="w")
        train = tf.train.GradientDescentOptimizer(0.1).minimize(tf.square(w),
                                                                global_step=step)
        hook = tf.train.ProfilerHook(save_steps=2, output_dir=str(tmp_path))
        with tf.train.MonitoredSession(hooks=[hook]) as sess:
            for _ in range(6):
                sess.run(train)
    traces = sorted(f for f in os.listdir(tmp_path) if f.startswith("timeline-"))
    # the first run starts the timer at step 0; then every second step is traced
    assert traces == ["timeline-2.json", "timeline-4.json", "timeline-6.json"]
    trace = json.loads((tmp_path / "timeline-2.json").read_text())
    names = {e.get("args", {}).get("name") for e in trace["traceEvents"]}
    assert any(n and "GradientDescent" in n for n in names)
    tf.summary.FileWriterCache.get(str(tmp_path)).flush()
    tags = [e.tagged_run_metadata.tag for f in os.listdir(tmp_path)
            if f.startswith("events") for e in summary_iterator(str(tmp_path / f))
            if e.HasField("tagged_run_metadata")]
    assert tags == ["step_2", "step_4", "step_6"]


def test_needs_a_global_step_and_one_trigger():
    with pytest.raises(ValueError):
        tf.train.ProfilerHook(save_steps=1, save_secs=1)
    with tf.Graph().as_default(), pytest.raises(RuntimeError, match="ProfilerHook"):
        tf.train.ProfilerHook(save_steps=1).begin()
