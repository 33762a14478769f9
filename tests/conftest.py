import pytest

import staticgraph as tf
from staticgraph.compiler import plan as compiler_plan


@pytest.fixture(autouse=True)
def fresh_default_graph():
    """Each test builds in a new, empty default graph."""
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


# Every plan compiled by the suite has its IR checked after building and after each pass.
compiler_plan.VERIFY_PASSES = True
