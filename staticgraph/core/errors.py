"""TF1's run-time error classes (``tf.errors``)."""
from __future__ import annotations

import warnings
from typing import Any


class OpError(Exception):
    """An error raised while running an op; names the op that failed (``.op``)."""

    error_code = 2

    def __init__(self, node_def: Any, op: Any, message: str, *args: Any) -> None:
        super().__init__(message)
        self.node_def = node_def
        self.op = op
        self.message = message
        if type(self) is OpError and args and args[0] is not None:
            self.error_code = int(args[0])  # OpError(node_def, op, message, error_code)

    def __str__(self) -> str:
        return self.message


class CancelledError(OpError):
    """The operation was cancelled."""
    error_code = 1


class UnknownError(OpError):
    """An error of unknown kind."""
    error_code = 2


class InvalidArgumentError(OpError):
    """An op received an invalid argument (bad shape, missing feed, NaN check...)."""
    error_code = 3


class DeadlineExceededError(OpError):
    """A deadline expired."""
    error_code = 4


class NotFoundError(OpError):
    """A requested entity (file, checkpoint, tensor) was not found."""
    error_code = 5


class AlreadyExistsError(OpError):
    """An entity we tried to create already exists."""
    error_code = 6


class PermissionDeniedError(OpError):
    """The caller may not run the operation."""
    error_code = 7


class ResourceExhaustedError(OpError):
    """Some resource (e.g. memory) was exhausted."""
    error_code = 8


class FailedPreconditionError(OpError):
    """The system is not in a state that allows the op, e.g. an uninitialized variable."""
    error_code = 9


class AbortedError(OpError):
    """The operation was aborted."""
    error_code = 10


class OutOfRangeError(OpError):
    """An op iterated past the valid input range."""
    error_code = 11


class UnimplementedError(OpError):
    """The operation is not implemented."""
    error_code = 12


class InternalError(OpError):
    """An internal invariant broke."""
    error_code = 13


class UnavailableError(OpError):
    """The runtime is unavailable."""
    error_code = 14


class DataLossError(OpError):
    """Unrecoverable data loss or corruption."""
    error_code = 15


class UnauthenticatedError(OpError):
    """The request lacks valid authentication credentials."""
    error_code = 16


# TF's status codes (tf.errors.OK ... tf.errors.UNAUTHENTICATED)
OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16

_CLASS_OF_CODE = {cls.error_code: cls for cls in OpError.__subclasses__()}


def exception_type_from_error_code(error_code: int) -> type:
    """``tf.errors.exception_type_from_error_code``: the error class of a status code
    (``KeyError`` for an unknown code, as TF)."""
    return _CLASS_OF_CODE[error_code]


def error_code_from_exception_type(cls: type) -> Any:
    """``tf.errors.error_code_from_exception_type``: the status code of an error class;
    for any other class TF warns and returns an ``UnknownError``, and so does this."""
    codes = {error_class: code for code, error_class in _CLASS_OF_CODE.items()}
    if cls in codes:
        return codes[cls]
    warnings.warn("Unknown class exception")
    return UnknownError(None, None, "Unknown class exception", None)
