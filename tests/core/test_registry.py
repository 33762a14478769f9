import pytest

from staticgraph.core.registry import (EVERY, OpDef, Role, define_op, get_gradient_function,
                                       get_op_def, has_gradient_function, op_for,
                                       register_gradient_function, registered_ops)


def test_lookup_and_duplicates():
    opdef = get_op_def("Add")
    assert isinstance(opdef, OpDef) and opdef.commutes_for == "biu" and opdef.elementwise
    assert opdef.role is Role.ADD and opdef.view_of == {} and opdef.fresh
    assert "MatMul" in registered_ops()
    with pytest.raises(KeyError, match="NoSuchOp"):
        get_op_def("NoSuchOp")
    with pytest.raises(KeyError, match="already registered"):
        define_op("Add", kernel=lambda x: x, shape_fn=lambda i, a: [], view_of={})


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


def _shape_fn(inputs, attrs):
    return []


def test_aliasing_is_a_required_declaration():
    with pytest.raises(TypeError, match="view_of"):
        OpDef(type="TestUndeclared", kernel=lambda x: x, shape_fn=_shape_fn)
    with pytest.raises(TypeError, match="TestUndeclared.*view_of"):
        define_op("TestUndeclared", kernel=lambda x: x, shape_fn=_shape_fn)
    with pytest.raises(TypeError, match="TestUndeclared.*view_of"):
        define_op("TestUndeclared", kernel=lambda x: x, shape_fn=_shape_fn, view_of=None)
    with pytest.raises(TypeError, match="tuples of input indices"):
        define_op("TestUndeclared", kernel=lambda x: x, shape_fn=_shape_fn, view_of={0: 0})
    with pytest.raises(ValueError, match="fresh outputs that are also views"):
        define_op("TestUndeclared", kernel=lambda x: x, shape_fn=_shape_fn,
                  view_of={0: (0,)}, fresh=True)
    with pytest.raises(ValueError, match="not NumPy dtype kinds"):
        define_op("TestUndeclared", kernel=lambda x: x, shape_fn=_shape_fn, view_of={},
                  commutes_for="fx")
    assert "TestUndeclared" not in registered_ops()


def test_every_registered_op_declares_its_aliasing():
    undeclared = sorted(t for t, d in registered_ops().items()
                        if not isinstance(d.view_of, dict)
                        or any(not isinstance(v, tuple) for v in d.view_of.values()))
    assert undeclared == []
    contradictory = sorted(t for t, d in registered_ops().items()
                           if d.fresh and any(d.view_of.values()))
    assert contradictory == []


def test_viewed_inputs():
    assert get_op_def("Reshape").viewed_inputs(0, 2) == (0,)
    assert get_op_def("Split").viewed_inputs(3, 1) == (0,)
    assert get_op_def("IdentityN").viewed_inputs(1, 3) == (0, 1, 2)
    assert get_op_def("Shape").viewed_inputs(0, 1) == ()
    assert get_op_def("IdentityN").view_of == {EVERY: (EVERY,)}


def test_op_for_gives_the_op_a_pass_builds():
    assert op_for(Role.ADD).type == "AddV2"  # Add and AddV2 share the role
    assert op_for(Role.CONSTANT).type == "Const"
    assert {d.type for d in registered_ops().values() if d.role is Role.IDENTITY} >= {
        "Identity", "StopGradient", "PlaceholderWithDefault"}
    with pytest.raises(LookupError, match="IDENTITY"):  # three ops, none preferred
        op_for(Role.IDENTITY)
    for role in set(Role) - {Role.IDENTITY}:  # the others name one op a pass can build
        assert op_for(role).role is role


def test_the_view_of_registered_gradients_is_live_and_read_only():
    from staticgraph.core.registry import REGISTERED_GRADIENTS
    assert "TestViewGrad" not in REGISTERED_GRADIENTS

    def _grad(op, grad):
        return grad

    register_gradient_function("TestViewGrad", _grad)
    assert REGISTERED_GRADIENTS["TestViewGrad"] is _grad
    with pytest.raises(TypeError):
        REGISTERED_GRADIENTS["TestViewGrad"] = None  # type: ignore[index]
