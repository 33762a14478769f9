"""The cyclic collector is paused during bulk graph work and restored afterwards."""
import gc
import weakref

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


class _Probe:
    """A container object the collector tracks."""


def test_objects_made_while_paused_skip_the_young_generations():
    gc.enable()
    with cyclic_gc_paused():
        probe = _Probe()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert any(o is probe for o in gc.get_objects(generation=2))
    assert not any(o is probe for o in gc.get_objects(generation=0))


def test_garbage_cycles_made_while_paused_are_still_collected():
    gc.enable()
    with cyclic_gc_paused():
        cycle = _Probe()
        cycle.self = cycle
    ref = weakref.ref(cycle)
    del cycle
    gc.collect()
    assert ref() is None


def test_objects_frozen_by_the_program_stay_frozen():
    gc.enable()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with cyclic_gc_paused():
            probe = _Probe()
        assert gc.get_freeze_count() == frozen and gc.isenabled()
        assert any(o is probe for o in gc.get_objects(generation=0))
    finally:
        gc.unfreeze()
