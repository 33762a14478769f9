"""Which op and scope names are valid (TF1 rules)."""
from __future__ import annotations

import re
# TF's pattern for op names and root scope names (``_VALID_OP_NAME_REGEX``).
VALID_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\\-/>]*$")


def check_op_name(name: str) -> None:
    """``ValueError`` naming ``name`` unless it is a valid op name."""
    if not VALID_NAME.match(name):
        raise ValueError(f"{name!r} is not a valid op name: op names must match "
                         f"{VALID_NAME.pattern}")
