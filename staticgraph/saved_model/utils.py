"""``tf.saved_model.utils``: TensorInfo protos of tensors and back."""
from ._signatures import build_tensor_info, get_tensor_from_tensor_info

__all__ = ["build_tensor_info", "get_tensor_from_tensor_info"]
