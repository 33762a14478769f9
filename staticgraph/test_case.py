"""``tf.test.TestCase`` and ``tf.test.main``: TF1's unit-test base class, on absl's
``absltest.TestCase`` as TF's is (so ``assertLen``, ``assertSameElements``... come from
absl), with TF's session helpers and array assertions."""
from __future__ import annotations

import contextlib
import os
import re
import tempfile
from typing import Any, Callable, Iterator

import numpy as np
from absl.testing import absltest
from google.protobuf import message, text_format

from .core import dtypes, errors
from .core.default_session import get_default_session
from .core.graph import Graph, get_default_graph, reset_default_graph
from .runtime.session import Session

__all__ = ["TestCase", "main", "get_temp_dir", "assert_equal_graph_def"]


def main(argv: Any = None) -> None:
    """``tf.test.main``: runs the module's tests (absl's test main)."""
    absltest.main(argv=argv)


def get_temp_dir() -> str:
    """``tf.test.get_temp_dir``: a temporary folder for this test program."""
    return absltest.get_default_test_tmpdir() if "TEST_TMPDIR" in os.environ \
        else tempfile.mkdtemp()


def assert_equal_graph_def(expected: Any, actual: Any, checkpoint_v2: bool = False,
                           hash_table_shared_name: bool = False) -> None:
    """``tf.test.assert_equal_graph_def``: the two GraphDefs have the same nodes (in any
    order); ``AssertionError`` naming the first nodes that differ."""
    expected_nodes = {node.name: node for node in expected.node}
    actual_nodes = {node.name: node for node in actual.node}
    missing = sorted(set(expected_nodes) - set(actual_nodes))
    extra = sorted(set(actual_nodes) - set(expected_nodes))
    if missing or extra:
        raise AssertionError(f"GraphDefs differ in their nodes: only in expected {missing}, "
                             f"only in actual {extra}")
    for name, node in expected_nodes.items():
        if node != actual_nodes[name]:
            raise AssertionError(f"Node {name!r} differs:\nexpected:\n{node}\nactual:\n"
                                 f"{actual_nodes[name]}")


def _as_array(value: Any) -> np.ndarray:
    if hasattr(value, "graph") and hasattr(value, "op"):  # a Tensor: run it
        value = get_default_session().run(value)
    return np.asarray(value)


class TestCase(absltest.TestCase):
    """Base class for TF1-style tests: every test starts with an empty default graph;
    ``self.session()`` / ``self.cached_session()`` / ``self.test_session()`` give a
    session on it; ``assertAllClose`` and the other array checks accept arrays, nested
    lists, tuples and dicts of them, and tensors (run in the default session)."""

    def setUp(self) -> None:
        super().setUp()
        self._cached_session: Session | None = None
        reset_default_graph()
        np.random.seed(87654321)

    def tearDown(self) -> None:
        if self._cached_session is not None:
            self._cached_session.close()
            self._cached_session = None
        super().tearDown()

    # -- sessions ------------------------------------------------------------------
    def get_temp_dir(self) -> str:
        """A temporary folder for this test."""
        return self.create_tempdir().full_path

    @contextlib.contextmanager
    def session(self, graph: Graph | None = None, config: Any = None, use_gpu: bool = False,
                force_gpu: bool = False) -> Iterator[Session]:
        """A new session on ``graph`` (default: the default graph), installed as the
        default session and its graph as the default graph while the block runs."""
        graph = graph or get_default_graph()
        with Session(graph=graph, config=config) as sess, graph.as_default(), \
                sess.as_default():
            yield sess

    @contextlib.contextmanager
    def cached_session(self, graph: Graph | None = None, config: Any = None,
                       use_gpu: bool = False, force_gpu: bool = False) -> Iterator[Session]:
        """The same session for the whole test (made on first use), as the default."""
        graph = graph or get_default_graph()
        if self._cached_session is None or self._cached_session.graph is not graph:
            if self._cached_session is not None:
                self._cached_session.close()
            self._cached_session = Session(graph=graph, config=config)
        with graph.as_default(), self._cached_session.as_default():
            yield self._cached_session

    test_session = cached_session

    def evaluate(self, tensors: Any) -> Any:
        """``tensors`` (any structure) run in the default session."""
        session = get_default_session()
        if session is None:
            with self.cached_session() as session:
                return session.run(tensors)
        return session.run(tensors)

    # -- array assertions --------------------------------------------------------------
    def _compare(self, a: Any, b: Any, check: Callable[[np.ndarray, np.ndarray, str], None],
                 path: str = "") -> None:
        if isinstance(a, dict) or isinstance(b, dict):
            self.assertIsInstance(a, dict, f"{path}: one side is a dict, the other is not")
            self.assertIsInstance(b, dict, f"{path}: one side is a dict, the other is not")
            self.assertEqual(set(a), set(b), f"{path}: the dicts' keys differ")
            for key in a:
                self._compare(a[key], b[key], check, f"{path}[{key!r}]")
            return
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and \
                (any(isinstance(x, (dict, list, tuple)) or hasattr(x, "op") for x in a)):
            self.assertEqual(len(a), len(b), f"{path}: lengths differ")
            for i, (x, y) in enumerate(zip(a, b)):
                self._compare(x, y, check, f"{path}[{i}]")
            return
        check(_as_array(a), _as_array(b), path)

    def assertAllClose(self, a: Any, b: Any, rtol: float = 1e-6, atol: float = 1e-6,
                       msg: str | None = None) -> None:
        """``|a - b| <= atol + rtol * |b|`` elementwise, with equal shapes (broadcasting
        only from a scalar), for arrays and nested structures of them."""
        def check(x: np.ndarray, y: np.ndarray, path: str) -> None:
            if x.shape != y.shape and x.size != 1 and y.size != 1:
                self.fail(f"{msg or ''} {path}: shape mismatch: expected {x.shape}, got "
                          f"{y.shape}")
            np.testing.assert_allclose(y, x, rtol=rtol, atol=atol, equal_nan=True,
                                       err_msg=f"{msg or ''} {path}")
        self._compare(a, b, check)

    def assertAllCloseAccordingToType(self, a: Any, b: Any, rtol: float = 1e-6,
                                      atol: float = 1e-6, float_rtol: float = 1e-6,
                                      float_atol: float = 1e-6, half_rtol: float = 1e-3,
                                      half_atol: float = 1e-3, bfloat16_rtol: float = 1e-2,
                                      bfloat16_atol: float = 1e-2, msg: str | None = None
                                      ) -> None:
        """``assertAllClose`` with the tolerances loosened to the least precise dtype."""
        dtype_set = {np.asarray(_as_array(a)).dtype, np.asarray(_as_array(b)).dtype}
        if np.dtype(np.float16) in dtype_set:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        elif np.dtype(np.float32) in dtype_set or np.dtype(np.complex64) in dtype_set:
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertNotAllClose(self, a: Any, b: Any, rtol: float = 1e-6, atol: float = 1e-6,
                          msg: str | None = None) -> None:
        """Fails if ``assertAllClose(a, b)`` would pass."""
        try:
            self.assertAllClose(a, b, rtol=rtol, atol=atol)
        except AssertionError:
            return
        self.fail(msg or "The two values are close at all elements")

    def assertAllEqual(self, a: Any, b: Any, msg: str | None = None) -> None:
        """Equal shapes and elements (strings compared as bytes or text alike)."""
        def check(x: np.ndarray, y: np.ndarray, path: str) -> None:
            if x.shape != y.shape and x.size != 1 and y.size != 1:
                self.fail(f"{msg or ''} {path}: shape mismatch: expected {x.shape}, got "
                          f"{y.shape}")
            np.testing.assert_array_equal(_text(y), _text(x), err_msg=f"{msg or ''} {path}")
        self._compare(a, b, check)

    def assertNotAllEqual(self, a: Any, b: Any, msg: str | None = None) -> None:
        """Fails if every element is equal."""
        try:
            self.assertAllEqual(a, b)
        except AssertionError:
            return
        self.fail(msg or "The two values are equal at all elements")

    def _all(self, a: Any, holds: Callable[[np.ndarray], np.ndarray], what: str) -> None:
        values = _as_array(a)
        if not np.all(holds(values)):
            self.fail(f"Not all elements are {what}: {values}")

    def assertAllGreater(self, a: Any, comparison_target: Any) -> None:
        """Every element > ``comparison_target``."""
        self._all(a, lambda v: v > comparison_target, f"> {comparison_target}")

    def assertAllGreaterEqual(self, a: Any, comparison_target: Any) -> None:
        """Every element >= ``comparison_target``."""
        self._all(a, lambda v: v >= comparison_target, f">= {comparison_target}")

    def assertAllLess(self, a: Any, comparison_target: Any) -> None:
        """Every element < ``comparison_target``."""
        self._all(a, lambda v: v < comparison_target, f"< {comparison_target}")

    def assertAllLessEqual(self, a: Any, comparison_target: Any) -> None:
        """Every element <= ``comparison_target``."""
        self._all(a, lambda v: v <= comparison_target, f"<= {comparison_target}")

    def assertAllInRange(self, target: Any, lower_bound: Any, upper_bound: Any,
                         open_lower_bound: bool = False, open_upper_bound: bool = False
                         ) -> None:
        """Every element within the bounds (closed unless ``open_*`` is set)."""
        def inside(v: np.ndarray) -> np.ndarray:
            low = v > lower_bound if open_lower_bound else v >= lower_bound
            high = v < upper_bound if open_upper_bound else v <= upper_bound
            return low & high
        self._all(target, inside, f"in the range ({lower_bound}, {upper_bound})")

    def assertAllInSet(self, target: Any, expected_set: Any) -> None:
        """Every element is one of ``expected_set``."""
        allowed = set(expected_set)
        values = _as_array(target).reshape(-1).tolist()
        outside = sorted({v for v in values if v not in allowed}, key=repr)
        if outside:
            self.fail(f"{outside} not in {sorted(allowed, key=repr)}")

    def assertNear(self, f1: float, f2: float, err: float, msg: str | None = None) -> None:
        """``|f1 - f2| <= err``."""
        self.assertTrue(abs(f1 - f2) <= err, msg or f"{f1} != {f2} +/- {err}")

    def assertArrayNear(self, farray1: Any, farray2: Any, err: float,
                        msg: str | None = None) -> None:
        """Two lists of numbers of one length, element by element within ``err``."""
        self.assertEqual(len(farray1), len(farray2), msg)
        for f1, f2 in zip(farray1, farray2):
            self.assertNear(float(f1), float(f2), err, msg)

    def assertNDArrayNear(self, ndarray1: Any, ndarray2: Any, err: float,
                          msg: str | None = None) -> None:
        """Two arrays within ``err`` everywhere."""
        self.assertTrue(np.allclose(ndarray1, ndarray2, atol=err, rtol=0), msg)

    def assertShapeEqual(self, np_array: Any, tf_tensor: Any, msg: str | None = None) -> None:
        """The NumPy array's shape equals the tensor's static shape."""
        self.assertEqual(list(np.shape(np_array)), tf_tensor.get_shape().as_list(), msg)

    def assertDTypeEqual(self, target: Any, expected_dtype: Any) -> None:
        """The array's dtype is ``expected_dtype`` (a NumPy or staticgraph dtype)."""
        expected = dtypes.as_dtype(expected_dtype).as_numpy_dtype
        self.assertEqual(_as_array(target).dtype, np.dtype(expected))

    def assertDeviceEqual(self, device1: Any, device2: Any, msg: str | None = None) -> None:
        """The two device strings name the same device (everything runs on the CPU)."""
        self.assertEqual(str(device1 or "").lower().replace("/device:", "/"),
                         str(device2 or "").lower().replace("/device:", "/"), msg)

    def assertProtoEquals(self, expected_message_maybe_ascii: Any, message_: Any,
                          msg: str | None = None) -> None:
        """The protobuf ``message_`` equals the expected one (a message or its text)."""
        if isinstance(expected_message_maybe_ascii, (str, bytes)):
            expected = type(message_)()
            text_format.Merge(expected_message_maybe_ascii, expected)
        elif isinstance(expected_message_maybe_ascii, message.Message):
            expected = expected_message_maybe_ascii
        else:
            raise TypeError(f"Can't compare protos of type {type(expected_message_maybe_ascii)}"
                            f" and {type(message_)}.")
        self.assertEqual(text_format.MessageToString(expected),
                         text_format.MessageToString(message_), msg)

    @contextlib.contextmanager
    def assertRaisesWithPredicateMatch(self, exception_type: type,
                                       expected_err_re_or_predicate: Any) -> Iterator[None]:
        """The block raises ``exception_type`` whose message matches the regular
        expression (searched) or satisfies the predicate."""
        if callable(expected_err_re_or_predicate):
            predicate = expected_err_re_or_predicate
        else:
            def predicate(error: Exception) -> bool:
                return re.search(expected_err_re_or_predicate, str(error)) is not None
        try:
            yield
        except exception_type as error:
            if not predicate(error):
                raise AssertionError(f"Exception of type {type(error).__name__}: {error} "
                                     f"does not match {expected_err_re_or_predicate!r}") \
                    from error
            return
        self.fail(f"{exception_type.__name__} not raised")

    def assertRaisesOpError(self, expected_err_re_or_predicate: Any) -> Any:
        """``assertRaisesWithPredicateMatch(tf.errors.OpError, ...)``."""
        return self.assertRaisesWithPredicateMatch(errors.OpError,
                                                   expected_err_re_or_predicate)

    def assertRaisesIncompatibleShapesError(self, exception_type: type = ValueError) -> Any:
        """The block fails on incompatible shapes (at build time: ``ValueError``)."""
        return self.assertRaisesWithPredicateMatch(
            exception_type, r"[Ii]ncompatible|cannot be broadcast|must have the same|"
                            r"not compatible|Dimensions must be equal")


def _text(values: np.ndarray) -> np.ndarray:
    """Bytes elements as text, so b"a" and "a" compare equal as in TF's assertAllEqual."""
    if values.dtype.kind in "OSU":
        return np.vectorize(lambda v: v.decode() if isinstance(v, bytes) else v,
                            otypes=[object])(values)
    return values
