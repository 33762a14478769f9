"""The ``tf.linalg.LinearOperator`` family: matrices known by their structure (diagonal,
triangular, Kronecker, block, low-rank update, ...), whose methods use that structure and
build ordinary staticgraph ops, so gradients flow through them."""

from .base import (LinearOperator, LinearOperatorAdjoint, LinearOperatorComposition,
                   LinearOperatorInversion)
from .basic import (LinearOperatorDiag, LinearOperatorFullMatrix, LinearOperatorHouseholder,
                    LinearOperatorIdentity, LinearOperatorLowerTriangular,
                    LinearOperatorPermutation, LinearOperatorScaledIdentity,
                    LinearOperatorZeros)
from .circulant import (LinearOperatorCirculant, LinearOperatorCirculant2D,
                        LinearOperatorCirculant3D)
from .composed import (LinearOperatorBlockDiag, LinearOperatorBlockLowerTriangular,
                       LinearOperatorKronecker, LinearOperatorLowRankUpdate)
from .structured import LinearOperatorToeplitz, LinearOperatorTridiag

__all__ = ["LinearOperator", "LinearOperatorAdjoint", "LinearOperatorBlockDiag",
           "LinearOperatorBlockLowerTriangular", "LinearOperatorCirculant",
           "LinearOperatorCirculant2D", "LinearOperatorCirculant3D", "LinearOperatorComposition",
           "LinearOperatorDiag", "LinearOperatorFullMatrix", "LinearOperatorHouseholder",
           "LinearOperatorIdentity", "LinearOperatorInversion", "LinearOperatorKronecker",
           "LinearOperatorLowRankUpdate", "LinearOperatorLowerTriangular",
           "LinearOperatorPermutation", "LinearOperatorScaledIdentity",
           "LinearOperatorToeplitz", "LinearOperatorTridiag", "LinearOperatorZeros"]
