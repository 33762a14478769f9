"""Writes staticgraph/tf1_names.json: TensorFlow 1's public names per namespace (facts).

Run once with TensorFlow installed (``TF_USE_LEGACY_KERAS=1`` so that ``tf.layers``
imports through tf_keras)::

    TF_USE_LEGACY_KERAS=1 /work/tfenv/bin/python tools/make_tf1_names.py

Every public name (no leading underscore) of each namespace of
``tensorflow.compat.v1`` listed in NAMESPACES is recorded, sorted; a name that is itself a
module is recorded with a trailing ``/`` so that readers can tell namespaces from
functions and classes. The file holds names only; staticgraph's code never imports
TensorFlow.
"""
from __future__ import annotations

import json
import os
import pathlib
import types

NAMESPACES = [
    "", "nn", "nn.rnn_cell", "layers", "losses", "math", "linalg", "random",
    "initializers", "train", "summary", "dtypes", "debugging", "errors", "io",
    "graph_util", "test", "strings", "metrics", "image", "sparse", "signal", "bitwise",
]
OUT = pathlib.Path(__file__).resolve().parents[1] / "staticgraph" / "tf1_names.json"


def public_names(module: types.ModuleType) -> list[str]:
    """Sorted public names of a module, modules marked with a trailing slash."""
    names = []
    for name in dir(module):
        if name.startswith("_"):
            continue
        value = getattr(module, name)
        names.append(name + "/" if isinstance(value, types.ModuleType) else name)
    return sorted(names)


def main() -> None:
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    import tensorflow.compat.v1 as tf1  # noqa: PLC0415  (only this tool needs TensorFlow)

    facts = {"source": f"tensorflow.compat.v1 {tf1.__version__}"}
    for namespace in NAMESPACES:
        module = tf1
        for part in filter(None, namespace.split(".")):
            module = getattr(module, part)
        facts["tf" + ("." + namespace if namespace else "")] = public_names(module)
    OUT.write_text(json.dumps(facts, indent=0, sort_keys=False) + "\n")
    print(f"wrote {OUT} ({sum(len(v) for v in facts.values() if isinstance(v, list))} names)")


if __name__ == "__main__":
    main()
