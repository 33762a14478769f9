"""Meta-test: every registered op that can carry a gradient has a gradient check.

Op test modules (tests/**/test_*.py) declare ``GRADIENT_CASES``; an op type counts as
covered when some case's forward graph contains it. Op types that by design have no
gradient are listed in ``NO_GRADIENT`` with the reason.
"""
import importlib
import pathlib

import numpy as np

import staticgraph as tf
from staticgraph.core.registry import registered_ops

NO_GRADIENT = {
    # values fed or stored, not computed from inputs
    "Const", "Placeholder", "VariableV2", "Assign", "AssignAdd", "AssignSub", "NoOp",
    "ScatterUpdate", "ScatterAdd", "ScatterSub",
    "IsVariableInitialized", "InitializedValue",
    # fused optimizer updates (staticgraph/ops/training_ops.py): stateful, like Assign
    "ApplyGradientDescent", "ApplyMomentum", "ApplyAdam", "ApplyRMSProp",
    "ApplyCenteredRMSProp", "ApplyAdagrad",
    # more fused updates (staticgraph/ops/training_ops_extra.py)
    "ApplyAdadelta", "ApplyFtrlV2", "ApplyProximalGradientDescent", "ApplyProximalAdagrad",
    # row updates of variables and sparse optimizer updates (staticgraph/ops/sparse_ops.py),
    # and the optimizers' summing of repeated indices (not differentiated, as in TF1)
    "ScatterMul", "ScatterDiv", "SparseApplyMomentum", "SparseApplyNesterovMomentum", "SparseApplyAdagrad",
    "SparseApplyRMSProp", "SparseApplyCenteredRMSProp", "SparseApplyAdam",
    "DeduplicateIndexedSlices",
    # sparse updates of Adadelta, FTRL, the proximal optimizers and LazyAdam
    # (ops/sparse_ops.py)
    "SparseApplyAdadelta", "SparseApplyFtrlV2", "SparseApplyProximalGradientDescent",
    "SparseApplyProximalAdagrad", "SparseApplyLazyAdam",
    # a user function: gradients come from RegisterGradient + gradient_override_map
    "PyFunc",
    # integer or bool results (shapes, indices, comparisons)
    "Shape", "ReducedShape", "ArgMax", "ArgMin", "Any", "All",
    "Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual",
    "LogicalAnd", "LogicalOr", "LogicalNot", "IsNan", "IsInf", "IsFinite",
    "Size", "Rank", "Range", "OneHot", "Where", "ZerosLike", "InvertPermutation",
    "Bincount", "InTopKV2",
    # random samplers: stateful draws (gradients reach mean/stddev through Mul/Add)
    "RandomStandardNormal", "RandomUniform", "RandomUniformInt", "TruncatedNormal",
    "RandomShuffle", "Multinomial",
    # summaries (staticgraph/viz/summary.py): serialized records for TensorBoard
    "ScalarSummary", "HistogramSummary", "MergeSummary", "ImageSummary", "AudioSummaryV2",
    "TensorSummaryV2", "TextSummary",
    # control flow (staticgraph/control_flow/): tf.case's branch index (int) and
    # the never-read stand-in for another branch's value
    "CaseIndex", "Unavailable",
    # a TensorArray's first buffer (zeros sized by an int); the buffer gradient of a
    # TensorArray write (inside a loop's gradient: the derivatives of WhileGrad
    # differentiate the forward loop, not the gradient loop)
    "TensorArrayNew", "TensorArrayWriteGrad",
    # made by the compiler (compiler/passes/matvec.py) inside plans, never in a graph
    "MatVec",
    # tf.data iterators (staticgraph/ops/dataset_ops.py): elements read from the data
    "MakeIterator", "IteratorGetNext", "IteratorToStringHandle", "IteratorGetNextFromHandle",
    # counts of top-k hits for tf.metrics, from scores or given ids (ops/metric_ops.py)
    "TopKSetCounts", "RankedSetCounts",
    # queues and the epoch counter (staticgraph/ops/queue_ops.py)
    "QueueOp", "CountUpTo",
    # string results (staticgraph/ops/string_ops.py) and run-time checks with no output
    "AsString", "StringJoin", "Assert", "PrintV2",
    # file input (staticgraph/io/{io_ops,csv_ops,example_parsing}.py, readers.py): bytes
    # and numbers parsed from bytes
    "ReadFile", "WriteFile", "MatchingFiles", "DecodeRaw", "DecodeCompressed",
    "SerializeTensor", "ParseTensor", "DecodeCSV", "ParseExample",
    "ParseSingleSequenceExample", "ReaderOp", "StringCodec", "LookupTable",
    # gradient accumulators (staticgraph/training/accumulators.py): session state
    "AccumulatorOp",
    # array, scatter and sort ops: variable updates at indices, integer or bool results
    # (positions, counts, shapes, bits), and the piecewise-constant truncating division
    "ScatterNdUpdate", "ScatterNdAdd", "ScatterNdSub", "ScatterMax", "ScatterMin",
    "Unique", "UniqueWithCounts", "SearchSorted", "ListDiff", "UnravelIndex",
    "HistogramFixedWidth", "Repeat", "BroadcastArgs", "TruncateDiv", "TruncateMod",
    "BitwiseAnd", "BitwiseOr", "BitwiseXor", "Invert", "LeftShift", "RightShift",
    # word2vec: candidate samplers (stateful integer draws and their expected counts) and
    # accidental hits (staticgraph/ops/candidate_sampling_ops.py)
    "LogUniformCandidateSampler", "UniformCandidateSampler", "FixedUnigramCandidateSampler",
    "LearnedUnigramCandidateSampler", "AllCandidateSampler", "ComputeAccidentalHits",

    # the complex matrix logarithm (staticgraph/ops/matrix_functions_ops.py): TF registers
    # no gradient for MatrixLogarithm either (wt-linalg)
    "MatrixLogarithm",

    # the integer argmax of tf.nn.max_pool_with_argmax (staticgraph/ops/patch_ops.py) and
    # collapsed integer labels (staticgraph/ops/ctc_ops.py)
    "MaxPoolArgmax", "CollapseRepeated",

    # issue 14: stateless samplers (pure functions of shape and seed; no gradient, as TF)
    # and the integer index shuffle and Sobol points;
    # the derivative kernels IgammaGradA and
    # RandomGammaGrad (no gradient in TF); and the gamma sampler, whose gradient is the
    # implicit-reparameterization derivative (holding the CDF fixed), which finite
    # differences of the draws do not give: tests/ops/test_stateless_random_ops.py checks
    # it against differences of the CDF-preserving sample, and against TF's values
    "StatelessRandomUniform", "StatelessRandomNormal", "StatelessTruncatedNormal",
    "StatelessRandomUniformInt", "StatelessRandomUniformFullInt", "StatelessMultinomial",
    "StatelessRandomPoisson", "StatelessRandomBinomial",
    "StatelessParameterizedTruncatedNormal", "IgammaGradA", "RandomGammaGrad",
    "StatelessRandomGammaV2", "RandomIndexShuffle", "SobolSample",

    # SparseTensor index arithmetic (staticgraph/ops/sparse_index_ops.py): integer indices
    # and positions; values move through gather/segment sums, which carry the gradients
    "SparseConcat", "SparseFillEmptyRows", "SparseReduceIndex", "SparseReorder",
    "SparseReshape", "SparseSlice", "SparseUnion",
    # tf.sets and tf.edit_distance (staticgraph/ops/set_ops.py): integer/string sets, counts
    "SetOperation", "SetSize", "EditDistance", "SparseCross",

    # the box partials of tf.image.crop_and_resize's first-order box gradient (second order
    # w.r.t. boxes is not supported, as in TF) (staticgraph/ops/image_crop_ops.py)
    "CropAndResizeBoxPartials",
    # indices (and scores) chosen by tf.image.non_max_suppression: no gradient in TF either
    "NonMaxSuppression",
    # PNG files and format checks (staticgraph/io/image_codecs.py): strings and integers
    "EncodePng", "DecodePng", "IsImageFormat",
    # box outlines painted over images (staticgraph/ops/image_draw_ops.py): none in TF
    "DrawBoundingBoxes",
    # TF1's string ops (staticgraph/ops/string_{text,join,regex,split,hash}_ops.py):
    # strings, token SparseTensors, lengths, hash buckets, numbers parsed from text
    "StringStrip", "StringLower", "StringUpper", "StringLength", "Substr", "StringToNumber",
    "ReduceJoin", "UnsortedSegmentJoin", "StringFormat", "StaticRegexReplace",
    "StaticRegexFullMatch", "StringSplit", "StringSplitV2", "Ngrams",
    "StringToHashBucketFast", "StringToHashBucket", "StringToHashBucketStrong",
    "Fingerprint", "UnicodeEncode", "UnicodeTranscode", "UnicodeScript",
    # made by the compiler's chain_fusion pass inside plans, never in a graph
    # (staticgraph/ops/fused_conv_ops.py, pool_ops.py)
    "_FusedConv2D", "_FusedMaxPoolGrad",
}


def _all_cases():
    root = pathlib.Path(__file__).parent
    cases = []
    for path in sorted(root.rglob("test_*.py")):
        module_name = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        module = importlib.import_module(module_name)
        cases.extend(getattr(module, "GRADIENT_CASES", []))
    return cases


def _forward_op_types(case):
    graph = tf.Graph()
    with graph.as_default():
        xs = [tf.placeholder(tf.float64, np.shape(v)) for v in case.inputs]
        case.build(*xs)
    return {op.type for op in graph.get_operations()}


def test_every_differentiable_op_has_a_gradient_case():
    covered = set()
    for case in _all_cases():
        covered |= _forward_op_types(case)
    missing = sorted(name for name, opdef in registered_ops().items()
                     if name not in covered and name not in NO_GRADIENT
                     and not name.startswith("Test") and (opdef.vjp is not None
                                                           or not opdef.stateful))
    assert not missing, f"op types with no gradient check: {missing}"


def test_ops_without_gradient_rules_are_declared():
    undeclared = sorted(name for name, opdef in registered_ops().items()
                        if opdef.vjp is None and name not in NO_GRADIENT
                        and not name.startswith("Test"))
    assert not undeclared, (f"ops with neither a VJP nor a NO_GRADIENT entry: {undeclared}")
