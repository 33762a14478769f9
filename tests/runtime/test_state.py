import numpy as np
import pytest

from staticgraph.runtime.state import SessionState


def test_rollback_restores_assigned_and_removes_new_variables():
    state = SessionState()
    state.values["a"] = np.zeros(2)
    outer = state.begin()
    state.assign("a", np.ones(2))
    state.assign("a", np.full(2, 2.0))
    state.assign("b", np.ones(3))
    state.rollback(outer)
    np.testing.assert_array_equal(state.values["a"], np.zeros(2))
    assert "b" not in state.values


def test_end_keeps_the_run_and_later_assignments_are_not_recorded():
    state = SessionState()
    state.end(state.begin())  # an empty run
    outer = state.begin()
    state.assign("a", np.ones(2))
    state.end(outer)  # the run succeeded
    state.rollback(state.begin())  # a later run that assigned nothing fails
    np.testing.assert_array_equal(state.read("a"), np.ones(2))
    state.assign("a", np.zeros(2))  # outside any run: nothing recorded
    state.rollback(None)
    np.testing.assert_array_equal(state.read("a"), np.zeros(2))
    with pytest.raises(KeyError):
        state.read("missing")


def test_rollback_keeps_a_value_another_run_stored_since():
    state = SessionState()
    state.values["a"] = np.zeros(1)
    outer = state.begin()
    state.assign("a", np.ones(1))
    state.values["a"] = later = np.full(1, 5.0)  # as another thread's run would store it
    state.rollback(outer)
    assert state.read("a") is later


def test_a_nested_run_restores_only_its_own_updates():
    state = SessionState()
    outer = state.begin()
    state.assign("a", np.ones(1))
    inner = state.begin()  # a run started from a kernel of the outer run
    state.assign("a", np.full(1, 2.0))
    state.assign("b", np.ones(1))
    state.rollback(inner)
    np.testing.assert_array_equal(state.read("a"), np.ones(1))
    assert state.get("b") is None
    state.rollback(outer)
    assert state.get("a") is None


def test_locked_takes_every_lock_and_releases_them():
    state = SessionState()
    with state.locked(["b", "a", "b"]):
        assert state._lock_of("a").locked() and state._lock_of("b").locked()
    with state.locked(["a"]):
        assert state._lock_of("a").locked()
    assert not state._lock_of("a").locked() and not state._lock_of("b").locked()


def test_seeded_generators_repeat_across_states():
    a, b = SessionState(), SessionState()
    first = a.rng("op", 42).standard_normal(3)
    np.testing.assert_array_equal(first, b.rng("op", 42).standard_normal(3))
    assert not np.array_equal(first, a.rng("op", 42).standard_normal(3))


def test_writable_rows_and_old_gives_the_undo_copy_read_only_and_rolls_back():
    state = SessionState()
    state.values["t"] = np.arange(12.0).reshape(4, 3)
    rows = np.array([2, 0])
    array, old = state.writable_rows_and_old("t", rows)  # outside a run: a fresh copy
    np.testing.assert_array_equal(old, array[rows])
    outer = state.begin()
    array, old = state.writable_rows_and_old("t", rows)
    assert array is state.read("t") and not old.flags.writeable
    np.testing.assert_array_equal(old, np.arange(12.0).reshape(4, 3)[rows])
    array[rows] = -1.0
    np.testing.assert_array_equal(old, [[6, 7, 8], [0, 1, 2]])  # a copy, not a view
    with pytest.raises(ValueError, match="read-only"):
        old[0] = 5.0
    state.rollback(outer)
    np.testing.assert_array_equal(state.read("t"), np.arange(12.0).reshape(4, 3))


def test_an_array_replaced_by_assign_is_not_kept_alive():
    """The state remembers which arrays only it holds (for in-place row updates); a
    copy kernel storing a new array must not leave the old one referenced there."""
    import weakref
    state = SessionState()
    state.values["t"] = np.zeros((4, 3))
    private = state.writable_rows("t", np.array([1]))  # the state's own copy
    assert state.writable_rows("t", np.array([2])) is private  # no second copy
    gone = weakref.ref(private)
    del private
    state.assign("t", np.ones((4, 3)))
    assert gone() is None
