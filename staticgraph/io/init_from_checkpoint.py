"""``tf.train.init_from_checkpoint``: variables whose initializers load checkpoint values.

As in TensorFlow, the mapping's keys are names in the checkpoint and its values say which
variables to initialize from them:

- ``{"ckpt_scope/": "scope/"}``: every variable under ``scope/`` from the tensor of the
  same name under ``ckpt_scope/`` (``"/"`` stands for the root on either side);
- ``{"ckpt_scope/name": "scope/var"}``: one variable by name;
- ``{"ckpt_name": variable}``: one variable object.

The values are read (checksums verified) and checked when this is called; the chosen
variables' initializers then assign them, so call it before
``global_variables_initializer()`` is built.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ..core.graph import get_default_graph
from ..ops.framework import constant
from ..ops.state_ops import assign
from ..ops.variables import Variable, global_variables
from .checkpoint_reader import load_checkpoint

__all__ = ["init_from_checkpoint"]


def _pairs(assignment_map: Mapping[str, Any], ckpt: str) -> list[tuple[str, Variable]]:
    """``(checkpoint name, variable)`` for every variable the map selects."""
    by_name = {v.op.name: v for v in global_variables()}
    pairs: list[tuple[str, Variable]] = []
    for ckpt_name, target in assignment_map.items():
        if isinstance(target, Variable):
            pairs.append((ckpt_name, target))
        elif not isinstance(target, str):
            raise TypeError(f"init_from_checkpoint: the value for {ckpt_name!r} must be a "
                            f"variable or a name, got {target!r}")
        elif target.endswith("/") or ckpt_name.endswith("/"):
            scope = "" if target in ("/", "") else target.rstrip("/") + "/"
            ckpt_scope = "" if ckpt_name in ("/", "") else ckpt_name.rstrip("/") + "/"
            chosen = [(n, v) for n, v in by_name.items() if n.startswith(scope)]
            if not chosen:
                raise ValueError(f"init_from_checkpoint: no variable under scope {target!r}")
            pairs.extend((ckpt_scope + n[len(scope):], v) for n, v in chosen)
        elif target in by_name:
            pairs.append((ckpt_name, by_name[target]))
        else:
            raise ValueError(f"init_from_checkpoint: there is no variable {target!r} "
                             f"(mapped from {ckpt_name!r} of checkpoint {ckpt})")
    return pairs


def init_from_checkpoint(ckpt_dir_or_file: str, assignment_map: Mapping[str, Any]) -> None:
    """Replaces the initializers of the variables ``assignment_map`` selects by
    assignments of the values stored in the checkpoint (or the folder's newest one)."""
    reader = load_checkpoint(ckpt_dir_or_file)
    for ckpt_name, var in _pairs(assignment_map, str(ckpt_dir_or_file)):
        if not reader.has_tensor(ckpt_name):
            raise ValueError(f"Tensor {ckpt_name} is not found in {ckpt_dir_or_file} "
                             f"checkpoint (wanted for variable {var.op.name})")
        value = reader.get_tensor(ckpt_name)
        if not var.shape.is_compatible_with(value.shape):
            raise ValueError(f"Shape of variable {var.op.name} ({var.shape.as_list()}) "
                             f"doesn't match with shape of tensor {ckpt_name} "
                             f"({list(value.shape)}) from checkpoint reader.")
        graph = var.graph if var.graph is not None else get_default_graph()
        with graph.as_default(), graph.control_dependencies(None), \
                graph.name_scope(var.op.name + "/"):
            loaded = constant(np.asarray(value, dtype=var.dtype.dtype),
                              name="checkpoint_initializer")
            var._initializer_op = assign(var, loaded, name="Assign").op
            var._initial_value = loaded
