"""``tf.train``: optimizers, the global step, learning-rate schedules and checkpoints."""
from __future__ import annotations

from .adagrad import AdagradOptimizer
from .adam import AdamOptimizer
from .gradient_descent import GradientDescentOptimizer
from .learning_rate import exponential_decay, piecewise_constant
from .momentum import MomentumOptimizer
from .optimizer import Optimizer
from .rmsprop import RMSPropOptimizer
from ..io.checkpoint_reader import (NewCheckpointReader, list_variables, load_checkpoint,
                                   load_variable)
from ..io.graph_util import write_graph
from ..io.init_from_checkpoint import init_from_checkpoint
from .saver import (CheckpointState, Saver, checkpoint_exists, export_meta_graph,
                    get_checkpoint_state, import_meta_graph, latest_checkpoint)
from .training_util import (assert_global_step, create_global_step, get_global_step,
                            get_or_create_global_step, global_step)
