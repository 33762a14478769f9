import pytest

from staticgraph.core.registry import (OpDef, define_op, get_gradient_function, get_op_def,
                                       has_gradient_function, register_gradient_function,
                                       registered_ops)


def test_lookup_and_duplicates():
    opdef = get_op_def("Add")
    assert isinstance(opdef, OpDef) and opdef.commutative and opdef.elementwise
    assert "MatMul" in registered_ops()
    with pytest.raises(KeyError, match="NoSuchOp"):
        get_op_def("NoSuchOp")
    with pytest.raises(KeyError, match="already registered"):
        define_op("Add", kernel=lambda x: x, shape_fn=lambda i, a: [])


def test_gradient_function_registry():
    def grad(op, g):
        return [g]

    assert not has_gradient_function("TestRegistryGrad")
    register_gradient_function("TestRegistryGrad", grad)
    assert has_gradient_function("TestRegistryGrad")
    assert get_gradient_function("TestRegistryGrad") is grad
    with pytest.raises(KeyError, match="TestRegistryGrad"):
        register_gradient_function("TestRegistryGrad", grad)
    with pytest.raises(LookupError, match="Nope"):
        get_gradient_function("Nope")
