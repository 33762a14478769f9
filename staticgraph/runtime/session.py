"""``tf.Session``: compiles what a ``run`` needs into a cached plan and executes it."""
from __future__ import annotations

import contextlib
import functools
import operator
from typing import Any, Callable, Iterator, NoReturn, Sequence

import numpy as np

from ..compiler.plan import CompileOptions, Plan, compile_plan
from ..core.dtypes import string
from ..core.default_session import pop_default_session, push_default_session
from ..core.graph import Graph, Operation, Tensor, get_default_graph
from ..ops.dataset_ops import close_iterators
from ..ops.framework import as_bytes_array
from .config import options_from_config
from .placement_log import PlacementLog
from .fetches import expand_feeds, flatten_fetches
from .state import SessionState
from .targets import connect
from .tracing import StepRecorder, is_traced


class Session:
    """Runs ops of a graph (TF1 ``tf.Session``).

    ``optimize=False`` turns every compiler pass off; ``config`` accepts a
    ``tf.ConfigProto`` whose graph options can turn individual passes off.

    A ``run`` looks its (fetch structure, feed keys) up in a cache of *runners*: the
    plan's compiled function bound to the fetch structure and the feeds' converters, so
    a repeated run costs one dictionary lookup, the feed conversions, the kernels and the
    rebuilding of the result — nothing that grows with the graph.

    As in TF1, one Session may run from several threads at once (Hogwild training, a
    reader next to a trainer). Each run keeps its own undo record: a run that fails puts
    back only the variables it assigned, and not those another run has replaced since
    (that newer value stands). Writes the compiler moved to the plan's commit block
    (``compiler/passes/commit_phase``) need no record: they run after everything that may
    fail; an interrupt inside that block (or a floating-point error there, when NumPy is
    set to raise them) is the one case that can leave a variable half-written. Updates
    made with ``use_locking=True`` read and write under the variable's lock, so
    concurrent runs lose none of them; other concurrent updates of one variable may
    overwrite each other, as in TF1.
    """

    def __init__(self, target: str = "", graph: Graph | None = None, config: Any = None,
                 optimize: bool = True) -> None:
        self._graph = graph if graph is not None else get_default_graph()
        self._options: CompileOptions = options_from_config(config, optimize)
        self._placement_log = PlacementLog() \
            if getattr(config, "log_device_placement", False) else None
        self._state = SessionState(self._options)
        self._plans: dict[tuple, Plan] = {}
        self._runners: dict[tuple, Callable[..., Any]] = {}
        self._closed = False
        self._context_stack: list = []
        self._remote = connect(target, self)  # a cluster (staticgraph.distributed) or None

    @property
    def graph(self) -> Graph:
        """The graph this session runs."""
        return self._graph

    @property
    def sess_str(self) -> str:
        """TF1 compatibility: the (empty) target."""
        return ""

    # -- running ---------------------------------------------------------------
    def run(self, fetches: Any, feed_dict: dict | None = None, options: Any = None,
            run_metadata: Any = None) -> Any:
        """Evaluates ``fetches`` (a tensor, op, name, or nested list/tuple/dict of them).

        Returns values in the same structure (None for ops). Raises ``OpError`` subclasses
        naming the op that failed; a failed run leaves every variable as it was.

        With ``options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)`` and a
        ``tf.RunMetadata`` as ``run_metadata``, the run executes the plan's instrumented
        twin and replaces ``run_metadata``'s contents with the step's statistics
        (``step_stats``; see :mod:`staticgraph.runtime.tracing`). Untraced runs execute
        the plain plan, which has no timing code.
        """
        if options is not None and run_metadata is not None and is_traced(options):
            return self._run_traced(fetches, feed_dict, run_metadata)
        if self._remote is not None and self._remote.handles(feed_dict):
            return self._remote.run(fetches, feed_dict)
        kind = type(fetches)
        try:  # one flat tuple: the fetch structure's key, then the fed keys, if any
            if kind is list:
                key = (list, *fetches, _FED, *feed_dict) if feed_dict else (list, *fetches)
            elif kind is Tensor or kind is Operation:
                key = (fetches, _FED, *feed_dict) if feed_dict else fetches
            else:
                key = (*_flat_key(fetches), _FED, *(feed_dict or ()))
            entry = self._runners.get(key)
        except TypeError:  # nested containers inside
            key, entry = self._nested_lookup(fetches, tuple(feed_dict or ()))
        if entry is None:
            entry = self._runner(fetches, feed_dict, key)
        return entry(*feed_dict.values()) if feed_dict else entry()

    def make_callable(self, fetches: Any, feed_list: Sequence[Any] | None = None,
                      accept_options: bool = False) -> Callable[..., Any]:
        """A function ``f(*feed_values)`` running ``fetches`` with the fewest steps per call."""
        self._check_open()
        keys = list(feed_list or [])
        call = self._bind_feeds(fetches, keys)
        if not accept_options:
            return call

        def call_with_options(*feed_values: Any, options: Any = None,
                              run_metadata: Any = None) -> Any:
            if run_metadata is not None and is_traced(options):
                return self._run_traced(fetches, dict(zip(keys, feed_values)), run_metadata)
            return call(*feed_values)
        return call_with_options

    def compiled_plan(self, fetches: Any, feed_dict: Any = None) -> Plan:
        """The plan ``run(fetches, feed_dict)`` executes, compiled now unless cached: its
        IR after the passes, the passes' reports and the generated source.

        Only which tensors are fed matters, so ``feed_dict`` may be a list of tensors."""
        self._check_open()
        leaves, _ = flatten_fetches(self._graph, fetches)
        keys, _ = expand_feeds(list(feed_dict or ()))
        return self._plan(leaves, [self.feed_tensor(k) for k in keys])

    def explain(self, fetches: Any, feed_dict: dict | None = None) -> str:
        """What the compiler did for these fetches: node counts before/after each pass,
        and the memory plan of the resulting instructions."""
        return self.compiled_plan(fetches, feed_dict).summary()

    def load_variable(self, key: str, value: Any) -> None:
        """Stores a C-ordered copy of ``value`` as the variable ``key`` (a VariableV2 op's
        ``var_key``) without running ops: what ``Variable.load`` does. Called inside a
        run (from a kernel), the change is undone if that run fails."""
        self._check_open()
        self._state.assign(key, np.array(value, order="C", copy=True))

    # -- compiling -------------------------------------------------------------
    def _nested_lookup(self, fetches: Any, feeds: tuple) -> tuple:
        """(key, cached runner or None) for a nested fetch structure; the key is None
        when some leaf is unhashable (its runner is then not cached)."""
        try:
            key = (_nested_key(fetches), feeds)
            return key, self._runners.get(key)
        except TypeError:
            return None, None

    def _runner(self, fetches: Any, feed_dict: dict | None, key: tuple | None
                ) -> Callable[..., Any]:
        """Compiles (or finds) the plan for a run and caches the bound function."""
        self._check_open()
        entry = self._bind_feeds(fetches, list(feed_dict or {}))
        if key is not None:
            self._runners[key] = entry
        return entry

    def _run_traced(self, fetches: Any, feed_dict: dict | None, run_metadata: Any) -> Any:
        """``run`` executing the plan's instrumented twin; fills ``run_metadata``."""
        self._check_open()
        keys, split = expand_feeds(list(feed_dict or {}))
        fed = [self.feed_tensor(k) for k in keys]
        leaves, rebuild = flatten_fetches(self._graph, fetches)
        plan = self._plan(leaves, fed)
        traced = plan.traced
        recorder = StepRecorder(traced)
        call = self._wrap(functools.partial(traced.function, recorder),
                          functools.partial(plan.translate_error, generated=traced),
                          _result_shape(fetches, leaves, rebuild), plan)
        values = list(feed_dict.values()) if feed_dict else []
        result = call(*(values if split is None else split(values)))
        run_metadata.Clear()  # as TF1, which parses the step's RunMetadata into it
        run_metadata.step_stats.CopyFrom(recorder.step_stats())
        return result

    def _bind_feeds(self, fetches: Any, keys: list) -> Callable[..., Any]:
        """:meth:`_bind` for feed keys, composite ones (a SparseTensor) expanded."""
        keys, split = expand_feeds(keys)
        call = self._bind(fetches, [self.feed_tensor(k) for k in keys])
        if split is None:
            return call
        return lambda *feed_values: call(*split(feed_values))

    def _bind(self, fetches: Any, fed: list[Tensor]) -> Callable[..., Any]:
        """``call(*fed_values)`` running the plan of ``fetches`` and shaping its result."""
        leaves, rebuild = flatten_fetches(self._graph, fetches)
        plan = self._plan(leaves, fed)
        return self._wrap(plan.function, plan.translate_error,
                          _result_shape(fetches, leaves, rebuild), plan)

    def _wrap(self, function: Callable[..., tuple], translate: Callable[..., Exception],
              shape: Callable[[tuple], Any], plan: Plan) -> Callable[..., Any]:
        """``call(*fed_values)``: ``function(variables, *fed_values)`` shaped by
        ``shape``, its errors translated, its variable writes undone when it fails."""
        session, state = self, self._state
        values = state.values  # the same dict for the state's lifetime

        def call(*feed_values: Any) -> Any:
            if session._closed:
                raise RuntimeError("Attempted to use a closed Session.")
            try:
                return shape(function(values, *feed_values))
            except BaseException as err:
                _reraise(err, translate)

        if not plan.writes_state:
            return call

        current = state.current_run  # its begin/end inlined: this runs on every step

        def call_writing(*feed_values: Any) -> Any:
            if session._closed:
                raise RuntimeError("Attempted to use a closed Session.")
            outer = current.undo
            current.undo = {}
            try:
                out = function(values, *feed_values)
            except BaseException as err:
                state.rollback(outer)
                _reraise(err, translate)
            current.undo = outer
            return shape(out)

        if not plan.writes_only_last:
            return call_writing

        def call_writing_last(*feed_values: Any) -> Any:
            # The plan's one write is its last instruction: a failure comes before it
            # stores anything, so no undo record is needed -- unless this run is nested
            # in another one, whose record must see the write.
            if current.undo is not None:
                return call_writing(*feed_values)
            return call(*feed_values)
        return call_writing_last

    def _plan(self, leaves: list, fed: list[Tensor]) -> Plan:
        # Ops never change once created, so a plan stays valid while the graph grows.
        key = (tuple(leaves), tuple(fed))
        plan = self._plans.get(key)
        if plan is None:
            tensors = [x for x in leaves if isinstance(x, Tensor)]
            ops = [x for x in leaves if isinstance(x, Operation)]
            plan = compile_plan(tensors, ops, fed, self._state, self._options,
                                [feed_converter(t) for t in fed],
                                [isinstance(x, Tensor) for x in leaves], commit_phase=True)
            self._plans[key] = plan
            if self._placement_log is not None:
                self._placement_log.place(self._graph)
        return plan

    def feed_tensor(self, key: Any) -> Tensor:
        """The tensor of this session's graph that a ``feed_dict`` key stands for (a
        Tensor, a Variable, or a name such as ``"x:0"``); ``TypeError`` otherwise."""
        try:
            return self._graph.as_graph_element(_feed_key(key), allow_operation=False)
        except (TypeError, KeyError, ValueError) as err:
            raise TypeError(f"Cannot interpret feed_dict key {key!r} as a Tensor: {err}") \
                from None

    # -- lifetime --------------------------------------------------------------
    def close(self) -> None:
        """Frees the session's variables and plans; later runs raise ``RuntimeError``."""
        self._closed = True
        if self._remote is not None:
            self._remote.close()
        self._plans.clear()
        self._runners.clear()
        close_iterators(self._state)  # stops tf.data prefetch threads
        self._state = SessionState(self._options)

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")

    @contextlib.contextmanager
    def as_default(self) -> Iterator["Session"]:
        """Makes this the default session (for ``Tensor.eval`` and ``Operation.run``)."""
        push_default_session(self)
        try:
            yield self
        finally:
            pop_default_session(self)

    def __enter__(self) -> "Session":
        stack = contextlib.ExitStack()
        stack.enter_context(self._graph.as_default())
        stack.enter_context(self.as_default())
        self._context_stack.append(stack)
        return self

    def __exit__(self, *exc: Any) -> None:
        self._context_stack.pop().close()
        self.close()

    def list_devices(self) -> list[str]:
        """The only device: the CPU."""
        return ["/job:localhost/replica:0/task:0/device:CPU:0"]


class InteractiveSession(Session):
    """A Session that makes itself the default on creation (for notebooks and shells)."""

    def __init__(self, target: str = "", graph: Graph | None = None, config: Any = None,
                 optimize: bool = True) -> None:
        super().__init__(target, graph, config, optimize)
        push_default_session(self)

    def close(self) -> None:
        """Closes the session and stops it being the default."""
        pop_default_session(self)
        super().close()


def _reraise(err: BaseException, translate: Callable[[Exception], Exception]) -> NoReturn:
    """Raises ``err`` as the plan's error translation makes it (an ``OpError`` naming
    the op that failed), chained to the original."""
    error = translate(err) if isinstance(err, Exception) else err
    if error is err:
        raise err
    raise error from err


# Separates a run's fetch key from its fed keys in the runner cache's flat keys (never a
# fetch or a feed key itself).
_FED = object()


def _feed_key(key: Any) -> Any:
    as_tensor = getattr(key, "_as_tensor", None)
    return as_tensor() if as_tensor is not None else key


def _flat_key(fetches: Any) -> tuple:
    """A key for a fetch structure, equal only for the same structure of the same graph
    elements; hashable when its items are (``TypeError`` on lookup otherwise)."""
    if isinstance(fetches, (list, tuple)):
        return (type(fetches), *fetches)
    if isinstance(fetches, dict):
        return (type(fetches), *fetches.items())
    return (type(fetches), fetches)


def _nested_key(fetches: Any) -> tuple:
    """Like :func:`_flat_key`, for containers nested in containers."""
    if isinstance(fetches, (list, tuple)):
        return (type(fetches), *map(_nested_key, fetches))
    if isinstance(fetches, dict):
        return (type(fetches), *((k, _nested_key(v)) for k, v in fetches.items()))
    return (type(fetches), fetches)


def _is_container(item: Any) -> bool:
    return isinstance(item, (list, tuple, dict))


def _result_shape(fetches: Any, leaves: list, rebuild: Callable[[Any], Any]
                  ) -> Callable[[tuple], Any]:
    """``shape(out)``: the plan's flat outputs in the structure of ``fetches``."""
    kind = type(fetches)
    if not _is_container(fetches):
        return operator.itemgetter(0) if len(leaves) == 1 else rebuild  # else composite
    items = fetches.values() if kind is dict else fetches
    if len(leaves) != len(fetches) or any(map(_is_container, items)):
        return rebuild
    if kind is list:
        return list
    if kind is tuple:
        return tuple
    if kind is dict:
        keys = list(fetches)
        return lambda out: dict(zip(keys, out))
    return rebuild


def feed_converter(tensor: Tensor) -> Callable[[Any], Any]:
    """The function turning a value fed for ``tensor`` into an array of its dtype, checked
    against its static shape (``ValueError`` naming the tensor and both shapes).

    C-contiguous, aligned arrays of the right dtype and shape pass through; other
    layouts (Fortran order, strided or broadcast views) are copied into C order, so that
    results never depend on how a fed array is laid out in memory. A value fed to a
    scalar becomes a NumPy scalar (which NumPy computes with much faster than a 0-d
    array); everything else goes through ``np.asarray``.
    """
    dtype = tensor.dtype.dtype
    dims = tensor.shape.as_tuple()
    if tensor.dtype is string:  # str or bytes, nested: an object array of bytes
        return lambda value: _convert_feed(tensor, dtype, dims, as_bytes_array(
            value, f"feeding {tensor.name}"))[() if dims == () else ...]
    exact = dims if dims is not None and None not in dims else None
    if dims == ():
        return _scalar_converter(tensor, dtype)

    def convert(value: Any) -> Any:
        # ``carray``: C-contiguous, aligned and writable (read-only arrays are checked
        # in _convert_feed, also without a copy when C-contiguous and aligned).
        if (type(value) is np.ndarray and value.shape == exact and value.flags.carray
                and (value.dtype is dtype or value.dtype == dtype)):
            return value
        return _convert_feed(tensor, dtype, dims, value)
    if exact is not None:  # the generated code tests this itself (see codegen.feed_line)
        convert.passes_unchanged = (dtype, exact)  # type: ignore[attr-defined]
    return convert


def _scalar_converter(tensor: Tensor, dtype: np.dtype) -> Callable[[Any], Any]:
    scalar = dtype.type
    numbers = {"f": (float, int), "c": (complex, float, int), "i": (int,), "u": (int,),
               "b": (bool,)}.get(dtype.kind, ())

    def convert(value: Any) -> Any:
        kind = type(value)
        if kind is scalar:
            return value
        if kind in numbers:
            try:
                return scalar(value)
            except OverflowError:
                pass  # reported by _convert_feed, naming the tensor
        return _convert_feed(tensor, dtype, (), value)[()]
    return convert


def _convert_feed(tensor: Tensor, dtype: np.dtype, dims: tuple | None, value: Any) -> Any:
    if type(value) is np.ndarray and value.dtype == dtype:
        arr = value
    else:
        if isinstance(value, (Tensor, Operation)) or hasattr(value, "_as_tensor"):
            raise TypeError(f"The value of a feed cannot be a tf.Tensor object (feeding "
                            f"{tensor.name}). Acceptable feed values include Python "
                            "scalars, strings, lists, numpy ndarrays.")
        try:
            arr = np.asarray(value, dtype=dtype)
        except OverflowError:
            raise TypeError(f"Type of feed value {_abbreviated(value)} with type "
                            f"{type(value)} is not compatible with Tensor '{tensor.name}' "
                            f"of dtype {tensor.dtype.name}: a value is out of its range. "
                            "Feed it to a tensor of a larger type.") from None
        except (TypeError, ValueError) as err:
            raise ValueError(f"Cannot feed value {_abbreviated(value)} for Tensor "
                             f"'{tensor.name}' of dtype {tensor.dtype.name}: {err}") from None
    if dims is not None and (arr.ndim != len(dims) or any(
            d is not None and d != a for d, a in zip(dims, arr.shape))):
        raise ValueError(f"Cannot feed value of shape {arr.shape} for Tensor "
                         f"'{tensor.name}', which has shape '{tensor.shape}'")
    flags = arr.flags
    if not (flags.c_contiguous and flags.aligned):
        arr = np.array(arr, order="C", copy=True)
    return arr


def _abbreviated(value: Any) -> str:
    """``repr(value)``, cut short for a large value."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
