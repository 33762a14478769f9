"""tf.logging: TF1's levels and functions over absl's logger."""
import logging

import pytest
from absl import logging as absl_logging

import staticgraph as tf


@pytest.fixture
def records():
    """The records absl's logger emits during a test, at any level."""
    caught = []

    class Catch(logging.Handler):
        def emit(self, record):
            caught.append(record)

    handler = Catch()
    logger = logging.getLogger("absl")
    before = tf.logging.get_verbosity()
    logger.addHandler(handler)
    yield caught
    logger.removeHandler(handler)
    tf.logging.set_verbosity(before)


def test_levels_are_tf1s():
    assert (tf.logging.DEBUG, tf.logging.INFO, tf.logging.WARN, tf.logging.ERROR,
            tf.logging.FATAL) == (10, 20, 30, 40, 50)


def test_set_verbosity_filters(records):
    tf.logging.set_verbosity(tf.logging.WARN)
    assert tf.logging.get_verbosity() == tf.logging.WARN
    tf.logging.info("hidden %d", 1)
    tf.logging.warning("shown %d", 2)
    tf.logging.set_verbosity(tf.logging.INFO)
    tf.logging.info("now shown %s", "too")
    tf.logging.debug("still hidden")
    assert [r.getMessage() for r in records] == ["shown 2", "now shown too"]
    assert records[0].levelno == logging.WARNING


def test_fatal_logs_and_returns(records):
    absl_logging.use_absl_handler()  # as after tf.app.run: absl aborts on its own FATAL
    tf.logging.fatal("bad %s", "thing")
    tf.logging.error("err")
    assert [(r.levelno, r.getMessage()) for r in records] == [(50, "bad thing"), (40, "err")]


def test_log_every_n_and_first_n_count_per_line(records):
    tf.logging.set_verbosity(tf.logging.INFO)
    for i in range(7):
        tf.logging.log_every_n(tf.logging.INFO, "every %d", 3, i)
        tf.logging.log_first_n(tf.logging.INFO, "first %d", 2, i)
    tf.logging.log_if(tf.logging.INFO, "if %d", False, 0)
    tf.logging.log_if(tf.logging.INFO, "if %d", True, 1)
    assert [r.getMessage() for r in records] == [
        "every 0", "first 0", "first 1", "every 3", "every 6", "if 1"]


def test_records_point_at_the_callers_line(records):
    tf.logging.warn("where")
    assert records[0].pathname == __file__
