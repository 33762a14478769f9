"""staticgraph: a define-then-run autodiff engine on NumPy with TensorFlow 1's graph API.

Replace ``import tensorflow.compat.v1 as tf`` with ``import staticgraph as tf``.
"""
from __future__ import annotations

import sys as _sys

from .core import errors
from .core.dtypes import (DType, as_dtype, bool_ as bool, complex64, complex128, double,
                          float16, float32, float64, half, int8, int16, int32, int64, string,
                          uint8, uint16, uint32, uint64)
from .core.graph import (Graph, GraphKeys, Operation, Tensor, add_to_collection,
                         add_to_collections, control_dependencies, device, get_collection,
                         get_collection_ref, get_default_graph, get_default_session,
                         name_scope, reset_default_graph, set_random_seed)
from .core.shapes import Dimension, TensorShape, dimension_at_index, dimension_value
from .autodiff.custom import RegisterGradient, custom_gradient
from .autodiff.forward import jvp
from .autodiff.gradients import gradients
from .autodiff.hvp import hessian_vector_product, hessians
from .autodiff.jacobian import jacobian
from .control_flow import *  # noqa: F401,F403
from .ops import overloads as _overloads  # noqa: F401  (installs Tensor operators)
from .ops.cast_ops import *  # noqa: F401,F403
from .ops.clip_ops import *  # noqa: F401,F403
from .ops.comparison_ops import *  # noqa: F401,F403
from .ops.composites import *  # noqa: F401,F403
from .ops.custom_ops import *  # noqa: F401,F403
from .ops.decomposition_ops import *  # noqa: F401,F403
from .ops.einsum_ops import *  # noqa: F401,F403
from .ops.fill_ops import *  # noqa: F401,F403
from .ops import dataset_ops as _dataset_ops  # noqa: F401  (tf.data's iterator ops)
from .ops import metric_ops as _metric_ops  # noqa: F401  (tf.metrics' top-k counts)
from .ops.framework import *  # noqa: F401,F403
from .ops.gather_ops import *  # noqa: F401,F403
from .ops.indexed_slices import *  # noqa: F401,F403
from .ops.indexing_ops import *  # noqa: F401,F403
from .ops.init_ops import *  # noqa: F401,F403
from .ops.join_ops import *  # noqa: F401,F403
from .ops.linalg_ops import *  # noqa: F401,F403
from .ops.math_ops import *  # noqa: F401,F403
from .ops.matmul_ops import *  # noqa: F401,F403
from .ops.matrix_ops import *  # noqa: F401,F403
from .ops.numerics_ops import *  # noqa: F401,F403
from .ops.random_ops import *  # noqa: F401,F403
from .ops.reduce_ops import *  # noqa: F401,F403
from .ops.scan_ops import *  # noqa: F401,F403
from .ops.segment_ops import *  # noqa: F401,F403
from .ops.selection_ops import *  # noqa: F401,F403
from .ops.shape_ops import *  # noqa: F401,F403
from .ops.special_math_ops import *  # noqa: F401,F403
from .ops.stack_ops import *  # noqa: F401,F403
from .ops.state_ops import *  # noqa: F401,F403
from .ops.topk_ops import *  # noqa: F401,F403
from .ops.variable_scope import *  # noqa: F401,F403
from .ops.variables import *  # noqa: F401,F403
from .ops.math_composites import *  # noqa: F401,F403
from .ops.nn_extra_ops import depth_to_space, log_sigmoid, space_to_depth  # noqa: F401
from .ops.variable_checks import *  # noqa: F401,F403
from .ops.logging_ops import *  # noqa: F401,F403  (Print, print, Assert)
from .ops.check_ops import *  # noqa: F401,F403
from .ops.string_ops import *  # noqa: F401,F403
from .ops.state_ops import tuple_ as tuple  # noqa: F401
from .runtime.config import (ConfigProto, GPUOptions, GraphOptions, OptimizerOptions,
                             RunMetadata, RunOptions)
from .runtime.session import InteractiveSession, Session
from .viz.dot import to_dot
from .io import graph_methods as _graph_methods  # noqa: F401  (Graph.as_graph_def, ...)
from .io.import_graph import import_graph_def
from .io.protos import AttrValue, Event, GraphDef, MetaGraphDef, NodeDef, Summary

from . import math  # noqa: E402  (tf.math)
from . import debugging, dtypes, strings  # noqa: E402  (tf.debugging, tf.dtypes, tf.strings)
from . import initializers, random  # noqa: E402  (tf.initializers, tf.random)
from . import linalg, losses, nn  # noqa: E402  (tf.linalg, tf.losses, tf.nn)
from . import summary, trace  # noqa: E402  (tf.summary, tf.trace)
from . import test  # noqa: E402  (tf.test.compute_gradient)
from . import graph_util, io, onnx  # noqa: E402  (tf.graph_util, tf.io, staticgraph.onnx)
from . import train  # noqa: E402  (tf.train: optimizers, Saver)
from . import contrib, layers  # noqa: E402  (tf.contrib pieces, tf.layers)
from . import app, data, flags, gfile, metrics  # noqa: E402  (tf.app, tf.data, ...)
from . import tf_logging as logging  # noqa: E402  (tf.logging)
from .io import gfile as _io_gfile  # noqa: E402,F401  (makes tf.io.gfile)
from .training import TRAIN_NAMES as _TRAIN_NAMES  # noqa: E402
from .training.basic_hooks import FileWriterCache as _FileWriterCache  # noqa: E402
from .training.queues import (FIFOQueue, PaddingFIFOQueue, QueueBase,  # noqa: E402,F401
                              RandomShuffleQueue)
from .ops.queue_ops import count_up_to  # noqa: E402,F401

vars(train).update(_TRAIN_NAMES)  # tf.train.MonitoredTrainingSession, hooks, Scaffold, ...
summary.FileWriterCache = _FileWriterCache

from .v2_switches import *  # noqa: E402,F401,F403  (tf.disable_v2_behavior() etc.)

newaxis = None
__version__ = "0.1.0"
from . import distributed  # noqa: E402,F401  (tf.Session(target=<Dask client>))
# Run tracing: tf.timeline / staticgraph.timeline (TF1's client.timeline)
from . import timeline  # noqa: E402,F401
# tf.image: resizing, flips and crops, colour adjustments (staticgraph/image.py)
from . import image  # noqa: E402,F401
from .ops.image_geometry_ops import random_crop  # noqa: E402,F401

from . import _tf1_api  # noqa: E402
_tf1_api.install(_sys.modules[__name__])  # TF1 names not implemented here raise saying so
