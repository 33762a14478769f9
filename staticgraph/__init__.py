"""staticgraph: a define-then-run autodiff engine on NumPy with TensorFlow 1's graph API.

Replace ``import tensorflow.compat.v1 as tf`` with ``import staticgraph as tf``.
"""
from __future__ import annotations

import sys as _sys

from .core import errors
from .core.dtypes import (DType, as_dtype, bool_ as bool, complex64, complex128, double,
                          float16, float32, float64, half, int8, int16, int32, int64, string,
                          uint8, uint16, uint32, uint64)
from .core.default_session import get_default_session
from .core.graph import (Graph, GraphKeys, Operation, Tensor, add_to_collection,
                         add_to_collections, control_dependencies, device, get_collection,
                         get_collection_ref, get_default_graph, name_scope,
                         reset_default_graph, set_random_seed)
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
# array, scatter and sort ops (sorting, scatters at nd indices, partitions, space/batch)
from .ops.array_extra_ops import *  # noqa: F401,F403
from .ops.bitwise_ops import *  # noqa: F401,F403
from .ops.partition_ops import *  # noqa: F401,F403
from .ops.scatter_nd_ops import *  # noqa: F401,F403
from .ops.sort_ops import *  # noqa: F401,F403
from .ops.space_batch_ops import *  # noqa: F401,F403
from . import bitwise, manip  # noqa: E402  (tf.bitwise, tf.manip)
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
# matrix functions, complex numbers, FFT (wt-linalg)
from .ops.matrix_functions_ops import sqrtm as matrix_square_root  # noqa: E402,F401
from .ops.complex_ops import (abs, angle, complex, imag, real,  # noqa: E402,F401
                              to_complex64, to_complex128)
from .ops.fft_ops import fft, fft2d, fft3d, ifft, ifft2d, ifft3d  # noqa: E402,F401
from . import signal  # noqa: E402  (tf.signal)
spectral = signal  # TF1's older name for the Fourier transforms

# gamma/Poisson samplers, incomplete gamma/beta, orthogonal init (issue 14)
from .ops.random_distributions import random_gamma, random_poisson  # noqa: E402,F401
from .ops.special_functions_extra import betainc, igamma, igammac  # noqa: E402,F401
from .ops.orthogonal_init import orthogonal_initializer  # noqa: E402,F401
from .ops.approx_topk import approx_top_k  # noqa: E402,F401
from .ops.index_shuffle import random_index_shuffle  # noqa: E402,F401

vars(train).update(_TRAIN_NAMES)  # tf.train.MonitoredTrainingSession, hooks, Scaffold, ...
summary.FileWriterCache = _FileWriterCache

# SparseTensor and the sparse ops (tf.SparseTensor, tf.sparse_*, tf.sparse)
from .ops.sparse_tensor import *  # noqa: E402,F401,F403
from .ops.sparse_math_ops import *  # noqa: E402,F401,F403
from .ops.sparse_reshape_ops import *  # noqa: E402,F401,F403
from .ops.set_ops import edit_distance  # noqa: E402,F401
from . import sets, sparse  # noqa: E402  (tf.sets, tf.sparse)

from .v2_switches import *  # noqa: E402,F401,F403  (tf.disable_v2_behavior() etc.)

newaxis = None
__version__ = "0.1.0"
from . import distributed  # noqa: E402,F401  (tf.Session(target=<Dask client>))
# Run tracing: tf.timeline / staticgraph.timeline (TF1's client.timeline)
from . import timeline  # noqa: E402,F401
# tf.image: resizing, flips and crops, colour adjustments (staticgraph/image.py)
from . import image  # noqa: E402,F401
from .ops.image_geometry_ops import random_crop  # noqa: E402,F401

# File input (issue 14): TFRecord files, tf.train.Example parsing, CSV, readers, file ops
from . import python_io  # noqa: E402,F401  (tf.python_io)
from . import lookup  # noqa: E402,F401  (tf.lookup)
from .lookup import initialize_all_tables, tables_initializer  # noqa: E402,F401
from .io.codec_ops import decode_json_example  # noqa: E402,F401
from .io.csv_ops import decode_csv  # noqa: E402,F401
from .io.example_parsing import (FixedLenFeature, FixedLenSequenceFeature,  # noqa: E402,F401
                                 VarLenFeature, parse_example, parse_single_example,
                                 parse_single_sequence_example)
from .io.io_ops import (decode_compressed, decode_raw, matching_files,  # noqa: E402,F401
                        parse_tensor, read_file, serialize_tensor, write_file)
from .io import example_protos as _example_protos  # noqa: E402
from .readers import (FixedLengthRecordReader, IdentityReader,  # noqa: E402,F401
                      ReaderBase, TextLineReader, TFRecordReader, WholeFileReader)
from .readers import match_filenames_once as _match_filenames_once  # noqa: E402
vars(train).update({n: getattr(_example_protos, n) for n in _example_protos.__all__},
                   match_filenames_once=_match_filenames_once)
from .training.priority_queue import PriorityQueue  # noqa: E402,F401
from .training.accumulators import (ConditionalAccumulator,  # noqa: E402,F401
                                    ConditionalAccumulatorBase)
vars(io).update(QueueBase=QueueBase, PaddingFIFOQueue=PaddingFIFOQueue,
                RandomShuffleQueue=RandomShuffleQueue, PriorityQueue=PriorityQueue,
                match_filenames_once=_match_filenames_once)

# patch extraction and conv2d's gradients taking tensors (wt-conv3d)
from .ops.patch_ops import extract_image_patches, extract_volume_patches  # noqa: E402,F401
from .ops.conv_dispatch import (conv2d_backprop_filter_v2,  # noqa: E402,F401
                                conv2d_backprop_input_v2)

# Framework-level TF1 names that are not ops (templates, tf.nest, tf.compat, specs, ...)
from .framework_api import *  # noqa: E402,F401,F403
from .core.errors import OpError  # noqa: E402,F401
from .device_spec import DeviceSpec  # noqa: E402,F401
from .io.protos import HistogramProto, SummaryMetadata  # noqa: E402,F401
from .io.protos import LogMessage, NameAttrList, SessionLog, TensorInfo  # noqa: E402,F401
from .partitioners import *  # noqa: E402,F401,F403
from .ops.variable_creators import variable_creator_scope  # noqa: E402,F401
from .recompute import recompute_grad  # noqa: E402,F401
from .module import Module  # noqa: E402,F401
from .templates import make_template  # noqa: E402,F401
from .type_specs import *  # noqa: E402,F401,F403
from .version import *  # noqa: E402,F401,F403
from .sysconfig import CXX11_ABI_FLAG, CXX_VERSION, MONOLITHIC_BUILD  # noqa: E402,F401
from . import compat, config, nest, resource_loader, sysconfig, version  # noqa: E402
compat.v1 = compat.v2 = _sys.modules[__name__]
# tf.estimator: Estimator, EstimatorSpec, ModeKeys, RunConfig, inputs.numpy_input_fn
from . import estimator  # noqa: E402

# TF1's top-level string ops (wt-strings; tf.strings holds the rest)
from .ops.string_text_ops import string_strip, string_to_number, substr  # noqa: E402,F401
from .ops.string_regex_ops import regex_replace  # noqa: E402,F401
from .ops.string_join_ops import reduce_join  # noqa: E402,F401
from .ops.string_split_ops import string_split  # noqa: E402,F401
from .ops.string_hash_ops import (fingerprint, string_to_hash_bucket,  # noqa: E402,F401
                                  string_to_hash_bucket_fast, string_to_hash_bucket_strong)
from .io.codec_ops import decode_base64, encode_base64  # noqa: E402,F401

# TF1 SavedModel directories (wt-savedmodel): tf.saved_model.builder/loader/simple_save
from . import saved_model  # noqa: E402,F401

from . import _tf1_api  # noqa: E402
_tf1_api.install(_sys.modules[__name__])  # TF1 names not implemented here raise saying so
