"""The cyclic collector is paused during bulk graph work and restored afterwards."""
import gc

import pytest

import staticgraph as tf
from staticgraph.core.gc_pause import cyclic_gc_paused


@pytest.mark.parametrize("was_enabled", [True, False])
def test_previous_state_is_restored_even_on_error(was_enabled):
    (gc.enable if was_enabled else gc.disable)()
    try:
        with pytest.raises(RuntimeError):
            with cyclic_gc_paused():
                assert not gc.isenabled()
                raise RuntimeError("boom")
        assert gc.isenabled() == was_enabled
    finally:
        gc.enable()


def test_gradients_pause_the_collector_while_building():
    seen = []

    @tf.RegisterGradient("GcProbeSquare")
    def _probe(op, g):
        seen.append(gc.isenabled())
        return g * 2.0 * op.inputs[0]

    x = tf.placeholder(tf.float64, [])
    with tf.get_default_graph().gradient_override_map({"Square": "GcProbeSquare"}):
        y = tf.square(x)
    assert gc.isenabled()
    (grad,) = tf.gradients(y, x)
    assert seen == [False] and gc.isenabled()
    with tf.Session() as sess:
        assert sess.run(grad, {x: 3.0}) == 6.0
