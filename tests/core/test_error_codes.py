"""tf.errors' status codes and the code <-> class mappings, as TF 2.21 (compat.v1) has
them."""
import pytest

import staticgraph as tf

CODES = {"OK": 0, "CANCELLED": 1, "UNKNOWN": 2, "INVALID_ARGUMENT": 3,
         "DEADLINE_EXCEEDED": 4, "NOT_FOUND": 5, "ALREADY_EXISTS": 6, "PERMISSION_DENIED": 7,
         "RESOURCE_EXHAUSTED": 8, "FAILED_PRECONDITION": 9, "ABORTED": 10,
         "OUT_OF_RANGE": 11, "UNIMPLEMENTED": 12, "INTERNAL": 13, "UNAVAILABLE": 14,
         "DATA_LOSS": 15, "UNAUTHENTICATED": 16}


def test_codes_and_mappings():
    assert {name: getattr(tf.errors, name) for name in CODES} == CODES
    for code in range(1, 17):
        cls = tf.errors.exception_type_from_error_code(code)
        assert issubclass(cls, tf.errors.OpError)
        assert tf.errors.error_code_from_exception_type(cls) == code == cls.error_code
    assert tf.errors.exception_type_from_error_code(3) is tf.errors.InvalidArgumentError
    assert tf.errors.UnauthenticatedError(None, None, "no").error_code == 16
    assert tf.errors.OpError(None, None, "message", 5).error_code == 5
    with pytest.raises(KeyError):
        tf.errors.exception_type_from_error_code(99)
    with pytest.warns(UserWarning, match="Unknown class exception"):
        unknown = tf.errors.error_code_from_exception_type(ValueError)
    assert isinstance(unknown, tf.errors.UnknownError)
