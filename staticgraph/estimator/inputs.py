"""``tf.estimator.inputs.numpy_input_fn``: an input function over in-memory arrays."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..data.dataset import Dataset


def numpy_input_fn(x: Any, y: Any = None, batch_size: int = 128, num_epochs: int | None = 1,
                   shuffle: Any = None, queue_capacity: int = 1000, num_threads: int = 1
                   ) -> Callable[[], Any]:
    """An ``input_fn`` giving batches of ``x`` (an array, or a dict of arrays: the
    features) and ``y`` (an array or dict: the labels; leave None for prediction), for
    ``num_epochs`` epochs (None: forever), reshuffled each epoch when ``shuffle`` (which
    TF1 makes you set explicitly), the last batch of the data possibly smaller. Arrays keep
    their dtypes; every array must have the same length."""
    if not isinstance(shuffle, bool):
        raise ValueError("shuffle must be provided and explicitly set as boolean (it is "
                         f"recommended to set it as True for training); got {shuffle}")
    if isinstance(x, dict) and isinstance(y, dict) and set(x) & set(y):
        raise ValueError(f"{sorted(set(x) & set(y))} duplicate keys are found in both x and "
                         f"y; x and y must have distinct keys")
    arrays = {**({"x": x} if not isinstance(x, dict) else x),
              **({} if y is None else {"y": y} if not isinstance(y, dict) else y)}
    lengths = {key: len(np.asarray(value)) for key, value in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"Length of tensors in x and y is mismatched. All elements in x and "
                         f"y must have the same length: {lengths}")

    def input_fn() -> Any:
        features = {k: np.asarray(v) for k, v in x.items()} if isinstance(x, dict) \
            else np.asarray(x)
        labels = None if y is None else ({k: np.asarray(v) for k, v in y.items()}
                                         if isinstance(y, dict) else np.asarray(y))
        dataset = Dataset.from_tensor_slices(features if labels is None
                                             else (features, labels))
        if shuffle:
            dataset = dataset.shuffle(queue_capacity)
        return dataset.repeat(num_epochs).batch(batch_size).make_one_shot_iterator() \
            .get_next()

    return input_fn
