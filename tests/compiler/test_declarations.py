"""The compiler knows ops only through their declared fields: no op type names in its code,
and every declaration it relies on holds for the kernels."""
import ast
import itertools
import pathlib
import re

import numpy as np
import pytest

import staticgraph
from staticgraph.core.registry import registered_ops

COMPILER = pathlib.Path(staticgraph.__file__).parent / "compiler"
# A CamelCase word, as op type names are spelled ("MatMul", "Const", "AddV2").
_OP_TYPE_LIKE = re.compile(r"[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*")


def _string_literals(path: pathlib.Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), str(path))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def _class_names(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}


def test_no_op_type_name_appears_in_the_compiler():
    ops = registered_ops()
    files = sorted(COMPILER.rglob("*.py"))
    assert len(files) >= 10
    # Names of the compiler's own classes (in annotations) and Python constants.
    allowed = {"None", "True", "False"}.union(*map(_class_names, files))
    registered, unknown = [], []
    for path in files:
        for line, text in _string_literals(path):
            where = f"{path.relative_to(COMPILER)}:{line}: {text!r}"
            if text in ops:
                registered.append(where)
            elif _OP_TYPE_LIKE.fullmatch(text) and text not in allowed:
                unknown.append(where)
    assert registered == [], "op types named in the compiler (use OpDef fields/roles)"
    assert unknown == [], "names like op types in the compiler that are not registered ops"


def _special_values(kind: str, dtype: np.dtype) -> np.ndarray:
    """Ties, signed zeros, NaNs with different payloads, infinities, large values that
    cancel, and wrap-around extremes, for one dtype."""
    if kind == "b":
        return np.array([False, True])
    if kind in "iu":
        info = np.iinfo(dtype)
        return np.array([0, 1, 2, info.max, info.max - 1, info.min, info.min + 1],
                        dtype=dtype)
    real = np.dtype(dtype).type(0).real.dtype
    bits = np.uint32 if real == np.float32 else np.uint64
    nans = (np.array([1, 2], bits) | np.array(np.nan, real).view(bits)).view(real)
    big = np.finfo(real).max / 4
    values = np.array([0.0, -0.0, 1.0, -1.0, 1e16, -1e16, np.inf, -np.inf, big, 3.0 * big,
                       1.5, *nans], dtype=real)
    if kind == "c":
        return (values[:, None] + 1j * values[[0, 1, 11, 12]][None, :]).ravel().astype(dtype)
    return values


_DTYPES = {"b": [np.bool_], "i": [np.int32, np.int64], "u": [np.uint8, np.uint32],
           "f": [np.float32, np.float64], "c": [np.complex128]}


def _arity(opdef) -> int:
    return 3 if opdef.kernel.__name__ == "_add_n_kernel" else 2


def _all_orders_agree(opdef, dtype) -> bool:
    """Whether every order of the op's inputs gives the same bits over every combination
    of special values."""
    values = _special_values(np.dtype(dtype).kind, np.dtype(dtype))
    n = _arity(opdef)
    grids = [g.ravel() for g in np.meshgrid(*[values] * n, indexing="ij")]
    with np.errstate(all="ignore"):
        results = {np.asarray(opdef.kernel(*order)).tobytes()
                   for order in itertools.permutations(grids)}
    return len(results) == 1


_COMMUTING = sorted((t, d) for t, d in registered_ops().items() if d.commutes_for)


def test_the_ops_declared_commuting():
    assert {t for t, _ in _COMMUTING} >= {"Add", "AddV2", "Mul", "AddN", "Maximum",
                                            "Minimum", "Equal", "NotEqual", "LogicalAnd",
                                            "LogicalOr"}


@pytest.mark.parametrize("op_type, opdef", _COMMUTING, ids=[t for t, _ in _COMMUTING])
def test_declared_commuting_ops_give_the_same_bits_in_every_order(op_type, opdef):
    for kind in opdef.commutes_for:
        for dtype in _DTYPES[kind]:
            assert _all_orders_agree(opdef, dtype), (op_type, np.dtype(dtype).name)


@pytest.mark.parametrize("op_type", ["Add", "Mul", "Maximum", "Minimum", "AddN"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_ops_left_out_do_show_their_input_order(op_type, dtype):
    """The special values catch what rules these float ops out: the first operand's NaN
    payload, the second operand on a -0.0/0.0 tie, a different rounding of a sum."""
    opdef = registered_ops()[op_type]
    assert "f" not in opdef.commutes_for
    assert not _all_orders_agree(opdef, dtype)


_SAMPLE = np.linspace(-2.0, 2.0, 6).reshape(2, 3)
_ATTRS = {"Cast": {"DstT": staticgraph.float32}, "LeakyRelu": {"alpha": 0.2},
          "LeakyReluGrad": {"alpha": 0.2}}
_FRESH_ELEMENTWISE = sorted(t for t, d in registered_ops().items()
                            if d.fresh and d.elementwise and not d.uses_state)


@pytest.mark.parametrize("op_type", _FRESH_ELEMENTWISE)
def test_fresh_elementwise_kernels_return_new_writable_arrays(op_type):
    opdef = registered_ops()[op_type]
    for n in (1, 2, 3):
        inputs = [_SAMPLE + k for k in range(n)]
        try:
            with np.errstate(all="ignore"):
                out = opdef.kernel(*inputs, **_ATTRS.get(op_type, {}))
        except (TypeError, IndexError):  # another number of inputs
            continue
        assert isinstance(out, np.ndarray) and out.flags.writeable and out.flags.owndata
        assert not any(np.shares_memory(out, x) for x in inputs)
        return
    pytest.fail(f"{op_type}'s kernel takes neither 1, 2 nor 3 arrays")


_X = np.arange(6.0).reshape(2, 3)
_I = np.array([0, 1])
_F32 = staticgraph.float32
# Inputs that tempt a kernel to hand back its input: nothing to reduce, pad, tile,
# gather or concatenate. (op type, inputs, attrs)
_X4 = np.arange(12.0).reshape(1, 2, 2, 3)
_CONV_ATTRS = {"strides": (1, 1), "padding": "VALID", "dilations": (1, 1)}
_POOL_ATTRS = {"strides": (1, 1), "padding": "VALID", "ksize": (1, 1)}
# samples of the 3-D, morphology and patch ops (wt-conv3d)
_X5 = _X4[None]
_CONV3_ATTRS = {"strides": (1, 1, 1), "padding": "VALID", "dilations": (1, 1, 1)}
_POOL3_ATTRS = {"strides": (1, 1, 1), "padding": "VALID", "ksize": (1, 1, 1)}
_MORPH_ATTRS = {"strides": (1, 1), "padding": "VALID", "rates": (1, 1)}
_PATCH_ATTRS = {"ksizes": (1, 1), "strides": (1, 1), "rates": (1, 1), "padding": "VALID"}
_NO_VIEW_SAMPLES = [
    ("Sum", [_X], {"axis": (), "keep_dims": False}),
    ("Mean", [_X], {"axis": (), "keep_dims": False}),
    ("Max", [_X], {"axis": (), "keep_dims": True}),
    ("Min", [_X], {"axis": (), "keep_dims": True}),
    ("Prod", [_X], {"axis": (), "keep_dims": False}),
    ("Softmax", [_X], {"axis": -1}),
    ("LogSoftmax", [_X], {"axis": -1}),
    ("BiasAdd", [_X, np.zeros(3)], {"data_format": "NHWC"}),
    ("ConcatV2", [_X], {"axis": 0}),
    ("Pack", [_X], {"axis": 0}),
    ("ZerosLike", [_X], {}),
    ("Shape", [_X], {"out_type": staticgraph.int32}),
    ("Size", [_X], {"out_type": staticgraph.int32}),
    ("Rank", [_X], {}),
    ("MatMul", [np.eye(3), np.eye(3)], {}),
    ("MatVec", [np.eye(3), np.ones(3)], {}),
    ("Cast", [_X], {"DstT": staticgraph.float64}),
    ("AddN", [_X, np.zeros((2, 3)), np.zeros((2, 3))], {}),
    ("Tile", [_X, np.array([1, 1])], {}),
    ("Pad", [_X, np.zeros((2, 2), np.int64)], {}),
    ("GatherV2", [_X, _I], {"axis": 0}),
    ("Select", [np.ones((2, 3), bool), _X, _X], {}),
    ("SelectV2", [np.ones((2, 3), bool), _X, _X], {}),
    ("Fill", [np.array([2, 3]), np.array(1.0)], {}),
    ("Cumsum", [_X], {"axis": 0, "exclusive": False, "reverse": True}),
    # window ops on 1x1 windows with no padding (a copy-free answer would be the input)
    *[(t, [_X4, np.ones((1, 1, 3, 1))], _CONV_ATTRS)
      for t in ("Conv2D", "DepthwiseConv2dNative")],
    ("Conv2DBackpropInput", [np.array([1, 2, 2, 3]), np.ones((1, 1, 3, 1)), _X4[..., :1]],
     _CONV_ATTRS),
    ("DepthwiseConv2dNativeBackpropInput", [np.array([1, 2, 2, 3]), np.ones((1, 1, 3, 1)),
                                            _X4], _CONV_ATTRS),
    ("Conv2DBackpropFilter", [_X4, np.array([1, 1, 3, 3]), _X4], _CONV_ATTRS),
    ("DepthwiseConv2dNativeBackpropFilter", [_X4, np.array([1, 1, 3, 1]), _X4], _CONV_ATTRS),
    *[(t, [_X4], _POOL_ATTRS) for t in ("MaxPool", "AvgPool")],
    ("AvgPoolGrad", [np.array([1, 2, 2, 3]), _X4], _POOL_ATTRS),
    *[(t, [_X4, _X4, _X4], _POOL_ATTRS) for t in ("MaxPoolGrad", "MaxPoolGradGrad")],
    ("StridedSliceGrad", [np.array([2, 3]), np.array([0, 0]), np.array([2, 3]),
                          np.array([1, 1]), _X],
     dict.fromkeys(("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask",
                    "shrink_axis_mask"), 0)),
    ("MatrixDiag", [np.ones(3)], {}),
    ("MatrixDiagPart", [np.eye(3)], {}),
    ("MatrixSetDiag", [np.eye(3), np.ones(3)], {}),
    ("MatrixBandPart", [np.ones((3, 3)), np.array(-1), np.array(-1)], {}),
    ("UnsortedSegmentSum", [_X, _I, np.array(2)], {"sorted": False}),
    ("UnsortedSegmentMax", [_X, _I, np.array(2)], {"sorted": False}),
    ("UnsortedSegmentMin", [_X, _I, np.array(2)], {"sorted": True}),
    ("Bincount", [np.array([0, 1], np.int32), np.ones(2)], {"minlength": 0,
                                                            "maxlength": None}),
    ("SparseToDense", [np.array([[0], [1]]), np.array([2]), np.ones(2), np.array(0.0)],
     {"validate_indices": True}),
    ("InTopKV2", [_X, _I], {"k": 3}),
    ("MatrixTriangularSolve", [np.eye(2), np.eye(2)], {"lower": True, "adjoint": False}),
    ("TensorArrayNew", [np.array(2)], {"element_shape": (3,), "dtype": staticgraph.float64,
                                       "dynamic_size": False}),
    ("TensorArrayWrite", [_X, np.array(1), np.ones(3)], {"dynamic_size": False}),
    ("TensorArrayWriteGrad", [_X, np.array(0), _X], {}),
    # 3-D window ops, morphology and patches on 1x1 windows (staticgraph/ops/conv3d_ops.py,
    # morphology_ops.py, patch_ops.py)
    ("Conv3D", [_X5, np.ones((1, 1, 1, 3, 1))], _CONV3_ATTRS),
    ("Conv3DBackpropInputV2", [np.array([1, 1, 2, 2, 3]), np.ones((1, 1, 1, 3, 1)),
                               _X5[..., :1]], _CONV3_ATTRS),
    ("Conv3DBackpropFilterV2", [_X5, np.array([1, 1, 1, 3, 3]), _X5], _CONV3_ATTRS),
    *[(t, [_X5], _POOL3_ATTRS) for t in ("MaxPool3D", "AvgPool3D")],
    ("AvgPool3DGrad", [np.array([1, 1, 2, 2, 3]), _X5], _POOL3_ATTRS),
    *[(t, [_X5, _X5, _X5], _POOL3_ATTRS) for t in ("MaxPool3DGrad", "MaxPool3DGradGrad")],
    ("Dilation2D", [_X4, np.zeros((1, 1, 3))], _MORPH_ATTRS),
    *[(t, [_X4, np.zeros((1, 1, 3)), _X4], _MORPH_ATTRS) for t in (
        "Dilation2DBackpropInput", "Dilation2DGatherInput", "Dilation2DGatherFilter")],
    ("Dilation2DBackpropFilter", [_X4, np.zeros((1, 1, 3)), _X4], _MORPH_ATTRS),
    ("ExtractImagePatches", [_X4], _PATCH_ATTRS),
    ("ExtractVolumePatches", [_X5], {**_PATCH_ATTRS, "ksizes": (1, 1, 1),
                                     "strides": (1, 1, 1), "rates": (1, 1, 1)}),
    ("ExtractPatchesGrad", [np.array([1, 2, 2, 3]), _X4], _PATCH_ATTRS),
    ("MaxPoolArgmax", [_X4], {**_POOL_ATTRS, "output_dtype": staticgraph.int64,
                              "include_batch_in_index": False}),
    ("CTCLossDense", [np.zeros((1, 1, 2)), np.ones((1, 1), np.int32), np.ones(1, np.int32),
                      np.ones(1, np.int32)], {"blank_index": 0}),
    ("CollapseRepeated", [np.array([[1, 2]]), np.array([2])], {}),

    # tf.image resizing to the same size (staticgraph/ops/image_resize_ops.py)
    *[(t, [_X4, np.array([2, 2])], {"method": "nearest", "align_corners": False,
                                    "half_pixel_centers": False, "dtype": _F32})
      for t in ("ResizeImage", "ResizeImageGrad")],
    ("CropAndResize", [_X4, np.array([[0.0, 0.0, 1.0, 1.0]]), np.array([0]), np.array([2, 2])],
     {"method": "nearest", "extrapolation_value": 0.0, "dtype": staticgraph.float64}),
    ("CropAndResizeGradImage", [_X4, np.array([[0.0, 0.0, 1.0, 1.0]]), np.array([0]),
                                np.array([1, 2, 2, 3])], {"method": "nearest",
                                                          "dtype": staticgraph.float64}),
    ("CropAndResizeBoxPartials", [_X4, np.array([[0.0, 0.0, 1.0, 1.0]]), np.array([0]),
                                  np.array([2, 2])], {"dtype": staticgraph.float64}),
    ("NonMaxSuppression", [np.eye(3), np.arange(3.0), np.array(3), np.array(0.5),
                           np.array(-1.0), np.array(0.0)], {"overlaps": True}),
    ("DrawBoundingBoxes", [_X4, np.zeros((1, 0, 4)), np.zeros((0, 4))], {}),
    # the chain_fusion pass's ops (staticgraph/ops/fused_conv_ops.py, pool_ops.py)
    ("_FusedConv2D", [_X4, np.ones((1, 1, 3, 1)), np.zeros(1)],
     {**_CONV_ATTRS, "fused_ops": ("BiasAdd", "Relu")}),
    ("_FusedMaxPoolGrad", [_X4, _X4, _X4, _X4], _POOL_ATTRS),
]


def test_every_non_elementwise_fresh_op_has_a_sample():
    fresh = {t for t, d in registered_ops().items() if d.fresh and not d.elementwise}
    assert fresh <= {t for t, _, _ in _NO_VIEW_SAMPLES}


@pytest.mark.parametrize("op_type, inputs, attrs", _NO_VIEW_SAMPLES,
                         ids=[t for t, _, _ in _NO_VIEW_SAMPLES])
def test_ops_declaring_no_views_return_no_view(op_type, inputs, attrs):
    opdef = registered_ops()[op_type]
    assert opdef.view_of == {}
    outs = opdef.kernel(*inputs, **attrs)
    for out in outs if isinstance(outs, tuple) else (outs,):
        assert not any(np.shares_memory(out, x) for x in inputs)
        if opdef.fresh:
            assert isinstance(out, np.ndarray) and out.flags.writeable


# -- commit phases (OpDef.commit): samples of every op declaring one (wt-commit) --------
# op type -> (number of variables: the updated one, then its slots; scalar inputs). A
# dense sample's variable spans several of the commit's blocks.
_DENSE_UPDATES = {
    "ApplyGradientDescent": (1, [0.1]), "ApplyMomentum": (2, [0.1, 0.9]),
    "ApplyAdam": (3, [0.9, 0.999, 0.1, 0.9, 0.999, 1e-7]),
    "ApplyRMSProp": (3, [0.1, 0.9, 0.5, 1e-7]), "ApplyCenteredRMSProp": (4, [0.1, 0.9, 0.5, 0.1]),
    "ApplyAdagrad": (2, [0.1]), "ApplyAdadelta": (3, [0.1, 0.9, 1e-7]),
    "ApplyFtrlV2": (3, [0.1, 0.01, 0.02, 0.1, -0.5]),
    "ApplyProximalGradientDescent": (1, [0.1, 0.01, 0.02]),
    "ApplyProximalAdagrad": (2, [0.1, 0.01, 0.02])}
_SPARSE_UPDATES = {
    "SparseApplyMomentum": (2, [0.1, 0.9]), "SparseApplyNesterovMomentum": (2, [0.1, 0.9]),
    "SparseApplyAdagrad": (2, [0.1]), "SparseApplyRMSProp": (3, [0.1, 0.9, 0.5, 1e-7]),
    "SparseApplyCenteredRMSProp": (4, [0.1, 0.9, 0.5, 0.1]),
    "SparseApplyAdadelta": (3, [0.1, 0.9, 1e-7]),
    "SparseApplyFtrlV2": (3, [0.1, 0.01, 0.02, 0.1, -0.5]),
    "SparseApplyProximalGradientDescent": (1, [0.1, 0.01, 0.02]),
    "SparseApplyProximalAdagrad": (2, [0.1, 0.01, 0.02]),
    "SparseApplyLazyAdam": (3, [0.9, 0.999, 0.1, 0.9, 0.999, 1e-7]),
    "SparseApplyAdam": (3, [0.9, 0.999, 0.1, 0.9, 0.999, 1e-7])}
_ONE_VARIABLE = {"Assign": "value", "AssignAdd": "value", "AssignSub": "value",
                 **dict.fromkeys(["ScatterUpdate", "ScatterAdd", "ScatterSub", "ScatterMul",
                                  "ScatterDiv", "ScatterMax", "ScatterMin"], "rows"),
                 **dict.fromkeys(["ScatterNdUpdate", "ScatterNdAdd", "ScatterNdSub"], "nd")}


def _commit_sample(op_type: str, rng: np.random.Generator) -> tuple:
    """(variables {key: value}, inputs, attrs) of one application of ``op_type``."""
    if op_type in _ONE_VARIABLE:
        var = rng.uniform(0.5, 2.0, (6, 3)).astype(np.float32)
        attrs = {"var_key": "v", "shape": staticgraph.TensorShape([6, 3]), "dtype": _F32}
        if _ONE_VARIABLE[op_type] == "value":
            return {"v": var}, [rng.uniform(0.5, 2.0, (6, 3)).astype(np.float32)], attrs
        if _ONE_VARIABLE[op_type] == "nd":
            return {"v": var}, [np.array([[4, 2], [1, 0], [4, 2]]),
                                rng.uniform(0.5, 2.0, 3).astype(np.float32)], attrs
        return {"v": var}, [np.array([[4, 1], [4, 0]]),
                            rng.uniform(0.5, 2.0, (2, 2, 3)).astype(np.float32)], attrs
    sparse = op_type in _SPARSE_UPDATES
    refs, scalars = (_SPARSE_UPDATES if sparse else _DENSE_UPDATES)[op_type]
    shape = (50, 3) if sparse else (3 * (1 << 14) + 5, 4)
    keys = [f"k{i}" for i in range(refs)]
    # the variable, then positive slots (a centered RMSProp's mean gradient, the 4th,
    # small enough for a positive variance)
    values = {key: (rng.standard_normal(shape) if i == 0 else
                    rng.uniform(0.1, 1.0, shape) / (1 + 9 * (i == 3))).astype(np.float32)
              for i, key in enumerate(keys)}
    if sparse:
        rows = np.array([7, 0, 49, 12])
        tail = [rng.standard_normal((4,) + shape[1:]).astype(np.float32), rows]
    else:
        tail = [rng.standard_normal(shape).astype(np.float32)]
    inputs = [values[k] for k in keys] + [np.float32(s) for s in scalars] + tail
    attrs = {"var_keys": tuple(keys), "use_locking": False}
    if op_type == "ApplyMomentum":
        attrs["use_nesterov"] = True
    return values, inputs, attrs


def _sample_state(values: dict):
    from staticgraph.runtime.state import SessionState
    state = SessionState()
    for key, value in values.items():
        state.assign(key, value.copy())
    return state


_COMMITTING = sorted(t for t, d in registered_ops().items() if d.commit is not None)


def test_every_op_declaring_a_commit_phase_has_a_sample():
    expected = set(_DENSE_UPDATES) | set(_SPARSE_UPDATES) | set(_ONE_VARIABLE)
    assert set(_COMMITTING) == expected


@pytest.mark.parametrize("op_type", _COMMITTING)
def test_prepare_writes_nothing_and_commit_gives_the_kernels_bits(op_type):
    opdef = registered_ops()[op_type]
    values, inputs, attrs = _commit_sample(op_type, np.random.default_rng(7))
    whole, split = _sample_state(values), _sample_state(values)
    expected = opdef.kernel(whole, *inputs, **attrs)
    before = {key: split.read(key) for key in values}
    pending = opdef.commit.prepare(split, *inputs, **attrs)
    for key, value in values.items():  # nothing written, not even in place
        assert split.read(key) is before[key]
        np.testing.assert_array_equal(before[key], value)
    assert set(opdef.commit.keys(attrs)) == set(values)
    got = opdef.commit.commit(split, pending)
    assert got.tobytes() == np.asarray(expected).tobytes()
    for key in values:
        assert split.read(key).tobytes() == whole.read(key).tobytes(), key
    for key, value in values.items():  # the arrays given were copied before the writes
        np.testing.assert_array_equal(before[key], value)
    assert split.commit_target(attrs.get("var_key") or attrs["var_keys"][0]) is \
        split.read(attrs.get("var_key") or attrs["var_keys"][0])  # owned from now on


def test_a_commit_phase_is_refused_on_an_op_without_state():
    from staticgraph.core.registry import CommitPhase, OpDef, _check_declarations
    phase = CommitPhase(lambda *a: None, lambda *a: None, lambda attrs: ())
    with pytest.raises(ValueError, match="Sample.*commit phase"):
        _check_declarations(OpDef("Sample", kernel=abs, shape_fn=None, view_of={},
                                  commit=phase))
