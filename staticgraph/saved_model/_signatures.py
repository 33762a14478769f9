"""SignatureDefs and TensorInfos: how a SavedModel names the tensors a server feeds and
fetches (``tf.saved_model.utils`` and ``tf.saved_model.signature_def_utils``)."""
from __future__ import annotations

from typing import Any, Mapping

from tensorboard.compat.proto import meta_graph_pb2, types_pb2

from ..core.graph import Graph, Operation, Tensor, get_default_graph
from ..io.attr_values import to_shape_proto, to_tensor_proto
from ..ops.sparse_tensor import SparseTensor
from ..ops.state_ops import group
from ..ops.variables import global_variables_initializer, local_variables_initializer
from ..lookup import tables_initializer

__all__ = ["SignatureDef", "TensorInfo", "TAG_SERVING", "TAG_TRAINING", "TAG_GPU",
           "TAG_TPU", "DEFAULT_SERVING_SIGNATURE_DEF_KEY", "PREDICT_METHOD_NAME",
           "CLASSIFY_METHOD_NAME", "REGRESS_METHOD_NAME", "PREDICT_INPUTS",
           "PREDICT_OUTPUTS", "CLASSIFY_INPUTS", "CLASSIFY_OUTPUT_CLASSES",
           "CLASSIFY_OUTPUT_SCORES", "REGRESS_INPUTS", "REGRESS_OUTPUTS",
           "build_tensor_info", "get_tensor_from_tensor_info", "build_signature_def",
           "predict_signature_def", "classification_signature_def",
           "regression_signature_def", "is_valid_signature", "main_op",
           "main_op_with_restore"]

SignatureDef = meta_graph_pb2.SignatureDef
TensorInfo = meta_graph_pb2.TensorInfo

# tag_constants
TAG_SERVING, TAG_TRAINING, TAG_GPU, TAG_TPU = "serve", "train", "gpu", "tpu"
# signature_constants
DEFAULT_SERVING_SIGNATURE_DEF_KEY = "serving_default"
PREDICT_METHOD_NAME = "tensorflow/serving/predict"
CLASSIFY_METHOD_NAME = "tensorflow/serving/classify"
REGRESS_METHOD_NAME = "tensorflow/serving/regress"
PREDICT_INPUTS, PREDICT_OUTPUTS = "inputs", "outputs"
CLASSIFY_INPUTS, CLASSIFY_OUTPUT_CLASSES, CLASSIFY_OUTPUT_SCORES = \
    "inputs", "classes", "scores"
REGRESS_INPUTS, REGRESS_OUTPUTS = "inputs", "outputs"


def build_tensor_info(tensor: Tensor | SparseTensor) -> TensorInfo:
    """``tf.saved_model.utils.build_tensor_info``: the ``TensorInfo`` (name, dtype,
    shape) of a tensor; a ``SparseTensor`` is named by its three component tensors."""
    if isinstance(tensor, SparseTensor):
        info = TensorInfo(dtype=tensor.dtype.as_datatype_enum,
                          tensor_shape=to_shape_proto(tensor.shape))
        info.coo_sparse.values_tensor_name = tensor.values.name
        info.coo_sparse.indices_tensor_name = tensor.indices.name
        info.coo_sparse.dense_shape_tensor_name = tensor.dense_shape.name
        return info
    if not isinstance(tensor, Tensor):
        raise TypeError(f"build_tensor_info needs a Tensor or SparseTensor, got "
                        f"{type(tensor).__name__} {tensor!r}")
    return TensorInfo(name=tensor.name, dtype=tensor.dtype.as_datatype_enum,
                      tensor_shape=to_shape_proto(tensor.shape))


def get_tensor_from_tensor_info(tensor_info: TensorInfo, graph: Graph | None = None,
                                import_scope: str | None = None
                                ) -> Tensor | SparseTensor:
    """``tf.saved_model.utils.get_tensor_from_tensor_info``: the tensor of ``graph``
    (default: the default graph) a ``TensorInfo`` names, under ``import_scope``."""
    graph = graph or get_default_graph()
    prefix = f"{import_scope.rstrip('/')}/" if import_scope else ""
    encoding = tensor_info.WhichOneof("encoding")
    if encoding == "name":
        return graph.get_tensor_by_name(prefix + tensor_info.name)
    if encoding == "coo_sparse":
        coo = tensor_info.coo_sparse
        return SparseTensor(graph.get_tensor_by_name(prefix + coo.indices_tensor_name),
                            graph.get_tensor_by_name(prefix + coo.values_tensor_name),
                            graph.get_tensor_by_name(prefix + coo.dense_shape_tensor_name))
    raise ValueError(f"Invalid TensorInfo.encoding: {encoding}. Expected `coo_sparse` or "
                     "`name` for a dense tensor (staticgraph has no composite tensors).")


def build_signature_def(inputs: Mapping[str, TensorInfo] | None = None,
                        outputs: Mapping[str, TensorInfo] | None = None,
                        method_name: str | None = None,
                        defaults: Mapping[str, Any] | None = None) -> SignatureDef:
    """``tf.saved_model.build_signature_def``: a ``SignatureDef`` of ``TensorInfo``
    inputs and outputs, a method name, and default values of inputs."""
    signature = SignatureDef()
    for key, info in (inputs or {}).items():
        signature.inputs[key].CopyFrom(info)
    for key, info in (outputs or {}).items():
        signature.outputs[key].CopyFrom(info)
    if method_name is not None:
        signature.method_name = method_name
    for key, value in (defaults or {}).items():
        signature.defaults[key].CopyFrom(to_tensor_proto(value))
    return signature


def _infos(tensors: Mapping[str, Any]) -> dict[str, TensorInfo]:
    return {key: build_tensor_info(t) for key, t in tensors.items()}


def predict_signature_def(inputs: Mapping[str, Any],
                          outputs: Mapping[str, Any]) -> SignatureDef:
    """``tf.saved_model.predict_signature_def``: a Predict API signature of named input
    and output tensors."""
    if not inputs:
        raise ValueError("Prediction `inputs` cannot be None or empty.")
    if not outputs:
        raise ValueError("Prediction `outputs` cannot be None or empty.")
    return build_signature_def(_infos(inputs), _infos(outputs), PREDICT_METHOD_NAME)


def _checked_info(tensor: Any, dtype: int, what: str) -> TensorInfo:
    info = build_tensor_info(tensor)
    if info.dtype != dtype:
        raise ValueError(f"{what} must be a {types_pb2.DataType.Name(dtype)} Tensor; "
                         f"{tensor.name} has dtype {tensor.dtype.name}.")
    return info


def regression_signature_def(examples: Tensor, predictions: Tensor) -> SignatureDef:
    """``tf.saved_model.regression_signature_def``: a Regress API signature (serialized
    ``tf.Example`` strings in, float32 predictions out)."""
    if examples is None:
        raise ValueError("Regression `examples` cannot be None.")
    if predictions is None:
        raise ValueError("Regression `predictions` cannot be None.")
    return build_signature_def(
        {REGRESS_INPUTS: _checked_info(examples, types_pb2.DT_STRING,
                                       "Regression `examples`")},
        {REGRESS_OUTPUTS: _checked_info(predictions, types_pb2.DT_FLOAT,
                                        "Regression `predictions`")},
        REGRESS_METHOD_NAME)


def classification_signature_def(examples: Tensor, classes: Tensor | None,
                                 scores: Tensor | None) -> SignatureDef:
    """``tf.saved_model.classification_signature_def``: a Classify API signature
    (serialized ``tf.Example`` strings in; string classes and/or float32 scores out)."""
    if examples is None:
        raise ValueError("Classification `examples` cannot be None.")
    if classes is None and scores is None:
        raise ValueError("Classification `classes` and `scores` cannot both be None.")
    outputs = {}
    if classes is not None:
        outputs[CLASSIFY_OUTPUT_CLASSES] = _checked_info(classes, types_pb2.DT_STRING,
                                                         "Classification `classes`")
    if scores is not None:
        outputs[CLASSIFY_OUTPUT_SCORES] = _checked_info(scores, types_pb2.DT_FLOAT,
                                                        "Classification `scores`")
    inputs = {CLASSIFY_INPUTS: _checked_info(examples, types_pb2.DT_STRING,
                                             "Classification `examples`")}
    return build_signature_def(inputs, outputs, CLASSIFY_METHOD_NAME)


def _has_one_input_of(signature: SignatureDef, key: str, dtype: int) -> bool:
    return set(signature.inputs) == {key} and signature.inputs[key].dtype == dtype


def is_valid_signature(signature_def: SignatureDef | None) -> bool:
    """``tf.saved_model.is_valid_signature``: whether a SignatureDef is usable by the
    Predict (some inputs and outputs), Regress or Classify API (their keys and dtypes)."""
    if signature_def is None:
        return False
    method, outputs = signature_def.method_name, signature_def.outputs
    if method == PREDICT_METHOD_NAME:
        return bool(signature_def.inputs) and bool(outputs)
    if method == REGRESS_METHOD_NAME:
        return (_has_one_input_of(signature_def, REGRESS_INPUTS, types_pb2.DT_STRING)
                and set(outputs) == {REGRESS_OUTPUTS}
                and outputs[REGRESS_OUTPUTS].dtype == types_pb2.DT_FLOAT)
    if method == CLASSIFY_METHOD_NAME:
        wanted = {CLASSIFY_OUTPUT_CLASSES: types_pb2.DT_STRING,
                  CLASSIFY_OUTPUT_SCORES: types_pb2.DT_FLOAT}
        return (_has_one_input_of(signature_def, CLASSIFY_INPUTS, types_pb2.DT_STRING)
                and bool(outputs) and set(outputs) <= set(wanted)
                and all(outputs[key].dtype == wanted[key] for key in outputs))
    return False


def main_op() -> Operation:
    """``tf.saved_model.main_op.main_op``: one op initializing the global and local
    variables and the tables (what a loaded SavedModel runs after restoring)."""
    return group(global_variables_initializer(), local_variables_initializer(),
                 tables_initializer())


def main_op_with_restore(restore_op_name: str) -> Operation:
    """``tf.saved_model.main_op.main_op_with_restore``: ``main_op()``, then the op named
    ``restore_op_name``."""
    graph = get_default_graph()
    with graph.control_dependencies([main_op()]):
        return group(graph.as_graph_element(restore_op_name))
