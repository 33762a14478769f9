"""Random TF1 graphs for differential testing of the compiler.

``generate(seed)`` builds a graph of 5-60 steps (elementwise unary and binary ops with
broadcasting, comparisons with ``where``, reductions over axes, reshape / transpose /
concat / slice / gather, matmul, casts, ``tf.gradients`` of a scalar reduction) over
constants, placeholders and variables whose values mix ordinary numbers with -0.0, 0, 1,
inf and NaN. A graph is a list of ``Step`` records, so it can be rebuilt in a fresh graph,
printed as a runnable script and shrunk.

``run_all(graph)`` runs it with ``optimize=False`` (the reference), optimized, and with each
compiler pass disabled in turn, and returns every difference: values compared bit for
bit (dtype, shape, signed zeros, NaN positions), a second run of the same plan, fed arrays
and earlier results unchanged by later runs. ``shrink`` cuts a mismatching graph down to the
steps behind the first value that differs. Used by tests/compiler/test_random_graphs.py and
tools/fuzz_graphs.py.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

import staticgraph as tf
from staticgraph.compiler.passes import PIPELINE

SPECIAL = [-0.0, 0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 0.5, 2.0, -2.5, 1e30, 1e-30]
UNARY = ["negative", "abs", "exp", "log", "sqrt", "square", "tanh", "sigmoid", "nn.relu",
         "sin", "cos", "floor", "ceil", "round", "sign", "reciprocal", "rsqrt", "log1p",
         "expm1"]
INT_UNARY = ["negative", "abs", "square", "sign"]
BINARY = ["add", "subtract", "multiply", "divide", "maximum", "minimum", "pow",
          "squared_difference", "div_no_nan", "floordiv", "floormod", "math.multiply_no_nan"]
INT_BINARY = ["add", "subtract", "multiply", "maximum", "minimum", "floordiv", "floormod"]
COMPARE = ["greater", "less", "equal", "greater_equal", "not_equal"]
REDUCE = ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod"]
INT_REDUCE = ["reduce_sum", "reduce_max", "reduce_min"]
FLOATS = ("float32", "float64")


@dataclass(frozen=True)
class Ref:
    """A reference to an earlier step's value by its variable name."""

    name: str

    def __repr__(self) -> str:
        return self.name


@dataclass
class Step:
    """``outs = tf.<call>(*args, **kwargs)``; ``outs`` has several names for gradients."""

    outs: tuple[str, ...]
    call: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)

    def source(self) -> str:
        """This step as a line of Python."""
        parts = [_literal(a) for a in self.args]
        parts += [f"{k}={_literal(v)}" for k, v in self.kwargs.items()]
        target = ", ".join(self.outs) + ("," if len(self.outs) == 1 and self.call ==
                                         "gradients" else "")
        return f"{target} = tf.{self.call}({', '.join(parts)})"


@dataclass
class RandomGraph:
    """A reproducible graph: its steps, the names fetched and the placeholder feeds."""

    steps: list[Step]
    fetches: list[str]
    feeds: dict[str, np.ndarray]

    def build(self) -> tuple[dict[str, Any], dict[Any, np.ndarray]]:
        """Builds the steps into the default graph: (name -> tensor, feed_dict)."""
        env: dict[str, Any] = {}
        for step in self.steps:
            _apply(env, step)
        return env, {env[name]: value for name, value in self.feeds.items()}

    def source(self) -> str:
        """A runnable script building the graph and running it both ways."""
        lines = ["import numpy as np", "import staticgraph as tf",
                 "nan, inf, float32, float64, int32 = np.nan, np.inf, np.float32, "
                 "np.float64, np.int32"]
        lines += [step.source() for step in self.steps]
        feed = ", ".join(f"{name}: {_literal(v)}" for name, v in self.feeds.items())
        lines.append(f"fetches, feed = [{', '.join(self.fetches)}], {{{feed}}}")
        lines.append("for optimize in (False, True):")
        lines.append("    with tf.Session(optimize=optimize) as sess:")
        lines.append("        sess.run(tf.global_variables_initializer())")
        lines.append("        print(sess.run(fetches, feed))")
        return "\n".join(lines)


def _literal(value: Any) -> str:
    if isinstance(value, np.ndarray):
        items = [float(x) if value.dtype.kind == "f" else int(x) for x in value.ravel()]
        return f"np.array({items!r}, {value.dtype.name}).reshape({value.shape!r})"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, str) and value.startswith("tf."):
        return value
    return repr(value)


def _resolve(value: Any, env: dict[str, Any]) -> Any:
    if isinstance(value, Ref):
        return env[value.name]
    if isinstance(value, list):
        return [_resolve(v, env) for v in value]
    if isinstance(value, str) and value.startswith("tf."):
        return getattr(tf, value[3:])
    return value


def _apply(env: dict[str, Any], step: Step) -> None:
    fn: Any = tf
    for part in step.call.split("."):
        fn = getattr(fn, part)
    args = [_resolve(a, env) for a in step.args]
    kwargs = {k: _resolve(v, env) for k, v in step.kwargs.items()}
    result = fn(*args, **kwargs)
    if step.call == "gradients":
        for name, grad in zip(step.outs, result):  # fetched dense, so densified here
            env[name] = tf.convert_to_tensor(grad) if isinstance(grad, tf.IndexedSlices) \
                else grad
    else:
        env[step.outs[0]] = result


class _Generator:
    """Grows one graph step by step, building it as it goes to know every shape."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.steps: list[Step] = []
        self.env: dict[str, Any] = {}
        self.feeds: dict[str, np.ndarray] = {}
        self.pool: list[str] = []    # names of values usable as operands
        self.leaves: list[str] = []  # float placeholders, variables and constants

    # -- helpers -----------------------------------------------------------------------
    def choice(self, items: list) -> Any:
        return items[int(self.rng.integers(len(items)))]

    def add(self, call: str, *args: Any, **kwargs: Any) -> str | None:
        name = f"v{len(self.steps)}"
        step = Step((name,), call, args, kwargs)
        _apply(self.env, step)
        self.steps.append(step)
        self.pool.append(name)
        return name

    def shape(self, name: str) -> tuple[int, ...]:
        return tuple(self.env[name].shape.as_list())

    def dtype(self, name: str) -> str:
        return self.env[name].dtype.name

    def values(self, shape: tuple[int, ...], dtype: str) -> np.ndarray:
        size = int(np.prod(shape))
        if dtype == "int32":
            return self.rng.integers(-4, 5, size).astype(np.int32).reshape(shape)
        normal = self.rng.normal(0.0, 2.0, size)
        special = np.array(SPECIAL)[self.rng.integers(len(SPECIAL), size=size)]
        share = 0.9 if self.rng.random() < 0.2 else 0.3  # some leaves are mostly ties
        mixed = np.where(self.rng.random(size) < share, special, normal)
        with np.errstate(over="ignore"):
            return mixed.astype(dtype).reshape(shape)

    def random_shape(self) -> tuple[int, ...]:
        rank = int(self.rng.integers(0, 4))
        return tuple(int(d) for d in self.rng.integers(1, 4, size=rank))

    def leaf(self, shape: tuple[int, ...] | None = None, dtype: str | None = None) -> str:
        shape = self.random_shape() if shape is None else shape
        dtype = dtype or self.choice(list(FLOATS))
        value = self.values(shape, dtype)
        kind = self.choice(["constant", "placeholder", "Variable"])
        if kind == "constant":
            name = self.add("constant", value)
        elif kind == "Variable":
            name = self.add("Variable", value)
        else:
            name = self.add("placeholder", f"tf.{dtype}", list(shape))
            self.feeds[name] = self.values(shape, dtype)
        if dtype in FLOATS:
            self.leaves.append(name)
        return name

    def operand(self, dtypes: tuple[str, ...] = FLOATS) -> str:
        """A recent value of one of ``dtypes`` (or a new leaf)."""
        usable = [n for n in self.pool[-8:] if self.dtype(n) in dtypes]
        if not usable or self.rng.random() < 0.15:
            return self.leaf(dtype=self.choice(list(dtypes)))
        return self.choice(usable)

    def partner(self, name: str) -> str:
        """A value of ``name``'s dtype whose shape broadcasts against it."""
        shape, dtype = self.shape(name), self.dtype(name)
        fits = [n for n in self.pool if self.dtype(n) == dtype and _broadcasts(shape,
                                                                               self.shape(n))]
        roll = self.rng.random()
        if roll < 0.25:
            value = np.array(self.choice(SPECIAL if dtype in FLOATS else [0, 1, -1, 2]), dtype)
            return self.add("constant", value)
        if fits and roll < 0.7:
            return self.choice(fits)
        keep = int(self.rng.integers(0, len(shape) + 1))
        small = tuple(d if self.rng.random() < 0.6 else 1 for d in shape[len(shape) - keep:])
        return self.leaf(small, dtype)

    # -- one step of each kind -----------------------------------------------------------
    def unary(self) -> None:
        x = self.operand(FLOATS + ("int32",))
        self.add(self.choice(INT_UNARY if self.dtype(x) == "int32" else UNARY), Ref(x))

    def binary(self) -> None:
        x = self.operand(FLOATS + ("int32",))
        y = self.partner(x)
        ops = INT_BINARY if self.dtype(x) == "int32" else BINARY
        first, second = (x, y) if self.rng.random() < 0.5 else (y, x)
        self.add(self.choice(ops), Ref(first), Ref(second))

    def twins(self) -> None:
        """Expressions that CSE and the sign pass must keep apart or merge exactly:
        ``f(x, y)`` beside ``f(y, x)``, sums of the same terms in another order,
        negations of products with -1 constants, and a repeat of an earlier step."""
        x = self.operand()
        y = self.partner(x)
        kind = self.choice(["swap", "add_n", "negate", "repeat"])
        if kind == "swap":
            op = self.choice(["add", "multiply", "maximum", "minimum"])
            self.add(op, Ref(x), Ref(y))
            self.add(op, Ref(y), Ref(x))
        elif kind == "add_n" and self.shape(x) == self.shape(y):
            z = self.leaf(self.shape(x), self.dtype(x))
            self.add("add_n", [Ref(x), Ref(y), Ref(z)])
            self.add("add_n", [Ref(z), Ref(y), Ref(x)])
        elif kind == "negate":
            minus = self.add("constant", np.array(-1.0, self.dtype(x)))
            inner = self.add(self.choice(["multiply", "minimum", "divide"]),
                             Ref(self.add("negative", Ref(x))), Ref(minus))
            self.add("negative", Ref(inner))
        else:
            earlier = [s for s in self.steps if s.call not in
                       ("constant", "placeholder", "Variable", "gradients")]
            if earlier:
                step = self.choice(earlier)
                self.add(step.call, *step.args, **step.kwargs)

    def select(self) -> None:
        x = self.operand()
        y, z = (self.leaf(self.shape(x), self.dtype(x)) if self.rng.random() < 0.5 else x
                for _ in range(2))
        cond = self.add(self.choice(COMPARE), Ref(x), Ref(y))
        kind = self.choice(["where", "maximum", "minimum"])
        if kind == "where":
            self.add("where", Ref(cond), Ref(y), Ref(z))
        else:
            self.add(kind, Ref(z), Ref(y))

    def reduce(self) -> None:
        x = self.operand(FLOATS + ("int32",))
        rank = len(self.shape(x))
        ops = INT_REDUCE if self.dtype(x) == "int32" else REDUCE
        axes = [a for a in range(rank) if self.rng.random() < 0.5]
        axis = None if self.rng.random() < 0.3 else axes
        self.add(self.choice(ops), Ref(x), axis=axis, keepdims=bool(self.rng.random() < 0.4))

    def reshape(self) -> None:
        x = self.operand()
        shape = self.shape(x)
        kind = self.choice(["reshape", "transpose", "concat", "slice", "gather"])
        if kind == "reshape":
            size = int(np.prod(shape))
            new = [d for d in (1, 2, 3, 4, 6, 9) if size % d == 0]
            first = self.choice(new)
            self.add("reshape", Ref(x), [first, -1] if self.rng.random() < 0.5 else [size])
        elif kind == "transpose" and len(shape) >= 2:
            self.add("transpose", Ref(x), [int(p) for p in self.rng.permutation(len(shape))])
        elif kind == "concat" and shape:
            axis = int(self.rng.integers(len(shape)))
            other = list(shape)
            other[axis] = int(self.rng.integers(1, 3))
            y = self.leaf(tuple(other), self.dtype(x))
            self.add("concat", [Ref(x), Ref(y)], axis)
        elif kind == "slice" and shape:
            begin = [int(self.rng.integers(d)) for d in shape]
            size = [int(self.rng.integers(1, d - b + 1)) for d, b in zip(shape, begin)]
            self.add("slice", Ref(x), begin, size)
        elif kind == "gather" and shape:
            axis = int(self.rng.integers(len(shape)))
            index = self.rng.integers(0, shape[axis], size=int(self.rng.integers(1, 4)))
            self.add("gather", Ref(x), index.astype(np.int32), axis=axis)
        else:
            self.unary()

    def matmul(self) -> None:
        x = self.operand()
        shape = self.shape(x)
        if len(shape) != 2:
            x = self.add("reshape", Ref(x), [-1, 1] if self.rng.random() < 0.5 else [1, -1])
            shape = self.shape(x)
        transpose_a = bool(self.rng.random() < 0.3)
        k = shape[0] if transpose_a else shape[1]
        transpose_b = bool(self.rng.random() < 0.3)
        n = int(self.choice([1, 1, 2, 3]))
        y = self.leaf((n, k) if transpose_b else (k, n), self.dtype(x))
        self.add("matmul", Ref(x), Ref(y), transpose_a=transpose_a, transpose_b=transpose_b)

    def cast(self) -> None:
        x = self.operand(FLOATS + ("int32",))
        targets = [d for d in FLOATS + ("int32",) if d != self.dtype(x)]
        self.add("cast", Ref(x), f"tf.{self.choice(targets)}")

    def gradients(self) -> None:
        floats = [n for n in self.pool if self.dtype(n) in FLOATS and n not in self.leaves]
        if not floats or not self.leaves:
            return self.unary()
        y = self.choice(floats[-10:])
        total = self.add(self.choice(["reduce_sum", "reduce_mean"]), Ref(y))
        count = int(self.rng.integers(1, min(3, len(self.leaves)) + 1))
        xs = [str(n) for n in self.rng.choice(self.leaves, size=count, replace=False)]
        names = tuple(f"v{len(self.steps)}_{i}" for i in range(len(xs)))
        step = Step(names, "gradients", (Ref(total), [Ref(n) for n in xs]))
        _apply(self.env, step)
        self.steps.append(step)
        self.pool.extend(n for n in names if self.env[n] is not None)

    def generate(self) -> RandomGraph:
        kinds = [self.unary, self.binary, self.binary, self.twins, self.select, self.reduce,
                 self.reshape, self.matmul, self.cast, self.gradients]
        target = int(self.rng.integers(5, 61))
        while len(self.steps) < target:
            self.choice(kinds)()
        results = [n for n in self.pool if n not in self.feeds and n in self.env
                   and self.env[n] is not None]
        picked = {results[-1]} | {n for n in results if self.rng.random() < 0.3}
        picked |= {n for s in self.steps if s.call == "gradients" for n in s.outs
                   if self.env[n] is not None}
        return RandomGraph(self.steps, [n for n in results if n in picked], self.feeds)


def _broadcasts(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return all(x == y or x == 1 or y == 1 for x, y in zip(a[::-1], b[::-1]))


def generate(seed: int) -> RandomGraph:
    """The random graph of ``seed`` (built once in a scratch graph to check shapes)."""
    with tf.Graph().as_default():
        return _Generator(seed).generate()


CONFIGS: list[tuple[str, dict]] = [("optimized", {})] + [
    (f"without {name}", {"config": tf.ConfigProto(graph_options=tf.GraphOptions(
        optimizer_options=tf.OptimizerOptions(disabled_passes=(name,))))})
    for name, _ in PIPELINE]


def _outcome(graph: RandomGraph, fetches: list[str], session_kwargs: dict,
             problems: list[str], label: str) -> list | str:
    """Runs ``fetches`` twice in one session: the results, or the error's class name."""
    with tf.Graph().as_default():
        env, feed = graph.build()
        before = {name: value.copy() for name, value in graph.feeds.items()}
        with tf.Session(**session_kwargs) as sess:
            sess.run(tf.global_variables_initializer())
            try:
                first = sess.run([env[n] for n in fetches], feed)
            except Exception as error:  # noqa: BLE001 - compared across configurations
                return f"{type(error).__name__}: {str(error)[:300]}"
            kept = [np.array(r, copy=True) for r in first]  # arrays, even for scalars
            second = sess.run([env[n] for n in fetches], feed)
        for name, a, b in zip(fetches, first, second):
            if not _identical(a, b):
                problems.append(f"{label}: second run of {name} differs: {_short(b)} "
                                f"vs {_short(a)}")
        for name, a, k in zip(fetches, first, kept):
            if not _identical(np.asarray(a), k):
                problems.append(f"{label}: result {name} changed by the second run")
        for name, value in graph.feeds.items():
            if not _identical(value, before[name]):
                problems.append(f"{label}: fed array {name} was changed")
    return first


def _identical(a: Any, b: Any) -> bool:
    """Same type, dtype, shape and bits, except that NaNs only need the same positions
    (NumPy gives no promise about a NaN's sign bit or payload, nor does TensorFlow)."""
    if type(a) is not type(b):
        return False
    x, y = np.asarray(a), np.asarray(b)
    if x.dtype != y.dtype or x.shape != y.shape:
        return False
    if x.dtype.kind in "fc":
        nans = np.isnan(x)
        if not np.array_equal(nans, np.isnan(y)):
            return False
        x, y = np.where(nans, 0, x), np.where(nans, 0, y)
    return x.tobytes() == y.tobytes()


def _short(value: Any) -> str:
    if isinstance(value, str):
        return value[:200]
    if isinstance(value, list):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    array = np.asarray(value)
    text = np.array2string(array, threshold=12, max_line_width=10**6, separator=",",
                           floatmode="unique")
    return f"{text.replace(chr(10), '')} {array.dtype}{list(array.shape)}"


def compare(graph: RandomGraph, fetches: list[str] | None = None,
            configs: list[tuple[str, dict]] | None = None) -> list[str]:
    """Every difference between the reference run and each configuration."""
    fetches = graph.fetches if fetches is None else fetches
    problems: list[str] = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        reference = _outcome(graph, fetches, {"optimize": False}, problems, "unoptimized")
        kept = None if isinstance(reference, str) else [np.array(r) for r in reference]
        for label, kwargs in CONFIGS if configs is None else configs:
            got = _outcome(graph, fetches, kwargs, problems, label)
            if isinstance(reference, str) or isinstance(got, str):
                if not (isinstance(got, str) and isinstance(reference, str)
                        and got.split(":")[0] == reference.split(":")[0]):
                    problems.append(f"{label}: {_short(got)} where unoptimized gave "
                                    f"{_short(reference)}")
                continue
            for name, a, e in zip(fetches, got, reference):
                if not _identical(a, e):
                    problems.append(f"{label}: {name} = {_short(a)}, unoptimized {_short(e)}")
        for name, value, copy in zip(fetches, reference, kept or []):
            if not _identical(np.asarray(value), copy):
                problems.append(f"unoptimized: result {name} changed by later sessions")
    return problems


def _closure(graph: RandomGraph, names: list[str]) -> RandomGraph:
    """The steps ``names`` depend on, fetching ``names``."""
    needed = set(names)
    steps = []
    for step in reversed(graph.steps):
        if needed.intersection(step.outs):
            steps.append(step)
            needed |= {r.name for r in _refs(step.args) + _refs(list(step.kwargs.values()))}
    steps.reverse()
    outs = {o for s in steps for o in s.outs}
    return RandomGraph(steps, names, {k: v for k, v in graph.feeds.items() if k in outs})


def _refs(values: list) -> list[Ref]:
    refs = []
    for v in values:
        if isinstance(v, Ref):
            refs.append(v)
        elif isinstance(v, (list, tuple)):
            refs.extend(_refs(list(v)))
    return refs


def _still_differs(graph: RandomGraph, configs: list[tuple[str, dict]]) -> bool:
    """Whether a shrunk candidate builds and still differs under ``configs``."""
    try:
        return bool(compare(graph, configs=configs))
    except (TypeError, ValueError):  # a gradient left unconnected (None) by the shrinking
        return False


def shrink(graph: RandomGraph, label: str) -> RandomGraph:
    """The smallest graph found that still differs under configuration ``label``: the
    steps behind the earliest value that differs alone (else the fetches not needed for
    the difference dropped), then each step in turn replaced by a constant holding its
    unoptimized value while the difference remains."""
    configs = [c for c in CONFIGS if c[0] == label]
    produced = [o for s in graph.steps for o in s.outs if o not in graph.feeds]
    for name in produced:
        small = _closure(graph, [name])
        if _still_differs(small, configs):
            graph = small
            break
    else:  # the difference needs several fetches: drop those it does not need
        for name in list(graph.fetches):
            fewer = _closure(graph, [n for n in graph.fetches if n != name])
            if fewer.fetches and _still_differs(fewer, configs):
                graph = fewer
    for index in range(len(graph.steps) - 2, -1, -1):
        if index >= len(graph.steps) - 1:
            continue
        step = graph.steps[index]
        if step.call in ("constant", "placeholder", "Variable", "gradients"):
            continue
        with tf.Graph().as_default(), np.errstate(all="ignore"):
            env, feed = graph.build()
            with tf.Session(optimize=False) as sess:
                sess.run(tf.global_variables_initializer())
                value = np.asarray(sess.run(env[step.outs[0]], feed))
        steps = list(graph.steps)
        steps[index] = replace(step, call="constant", args=(value,), kwargs={})
        candidate = _closure(RandomGraph(steps, graph.fetches, graph.feeds), graph.fetches)
        if _still_differs(candidate, configs):
            graph = candidate
    return graph
