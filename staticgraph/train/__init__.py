"""``tf.train``: optimizers, the global step, learning-rate schedules and checkpoints."""
from __future__ import annotations

from .adadelta import AdadeltaOptimizer
from .adagrad import AdagradOptimizer
from .adam import AdamOptimizer
from .decay_schedules import (cosine_decay, cosine_decay_restarts, inverse_time_decay,
                              linear_cosine_decay, natural_exp_decay,
                              piecewise_constant_decay, polynomial_decay)
from .ftrl import FtrlOptimizer
from .gradient_descent import GradientDescentOptimizer
from .learning_rate import exponential_decay, piecewise_constant
from .momentum import MomentumOptimizer
from .moving_averages import ExponentialMovingAverage
from .optimizer import Optimizer
from .proximal import ProximalAdagradOptimizer, ProximalGradientDescentOptimizer
from .rmsprop import RMSPropOptimizer
from ..io.checkpoint_reader import (NewCheckpointReader, list_variables, load_checkpoint,
                                   load_variable)
from ..io.events import summary_iterator
from ..io.graph_util import write_graph
from ..io.init_from_checkpoint import init_from_checkpoint
from .saver import (Saver, checkpoint_exists, export_meta_graph,
                    get_checkpoint_state, import_meta_graph, latest_checkpoint)
from .training_util import (assert_global_step, create_global_step, get_global_step,
                            get_or_create_global_step, global_step)
# tf.train.noisy_linear_cosine_decay, AdagradDAOptimizer (issue 14)
from .noisy_decay import noisy_linear_cosine_decay
from .adagrad_da import AdagradDAOptimizer
