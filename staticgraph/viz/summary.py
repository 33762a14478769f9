"""TF1's summary ops: ``tf.summary.scalar/histogram/image/audio/text/tensor_summary``,
``merge`` and ``merge_all``.

As in TF1, a summary op's value (what ``sess.run`` returns) is a serialized ``Summary``
protocol buffer (bytes; inside the engine a 0-d object array holding them), and merging
concatenates their values (a tag may appear once). ``tf.summary.FileWriter``
(:mod:`.file_writer`) writes them into TensorBoard event files.
"""
from __future__ import annotations

import contextlib
import re
from typing import Any, Iterable, Iterator

import numpy as np
from google.protobuf.message import DecodeError

from ..core.dtypes import string
from ..core.graph import Graph, GraphKeys, Tensor, get_collection, get_default_graph
from ..core.registry import define_op
from ..core.shapes import TensorShape
from ..io.attr_values import to_tensor_proto
from ..io.media import encode_png, encode_wav
from ..io.protos import HistogramProto, Summary, SummaryMetadata, TensorProto
from ..ops.framework import apply_op, convert_to_tensor

SUMMARY_DTYPE = string  # a serialized Summary: bytes (TF1 returns a string)
_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")

__all__ = ["scalar", "histogram", "image", "audio", "text", "tensor_summary", "merge",
           "merge_all", "parse_summary"]


def _pack(*values: Any) -> np.ndarray:
    out = np.empty((), dtype=object)
    out[()] = Summary(value=list(values)).SerializeToString()
    return out


def parse_summary(value: Any) -> Summary:
    """The ``Summary`` held by a summary op's value (bytes from ``sess.run``), or a
    ``Summary`` message itself; ``TypeError`` for anything else."""
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype == object:
        value = value[()]
    if hasattr(value, "value") and hasattr(value, "SerializeToString"):
        return Summary.FromString(value.SerializeToString())
    if isinstance(value, bytes):
        try:
            return Summary.FromString(value)
        except DecodeError:
            pass
    raise TypeError("add_summary expects the value of a summary op (a serialized Summary, "
                    f"as sess.run returns for tf.summary.*) or a tf.Summary, got {value!r:.80}")


# -- kernels ---------------------------------------------------------------------------


def _scalar_kernel(x: np.ndarray, *, tag: str) -> np.ndarray:
    if np.ndim(x) != 0:
        raise ValueError(f"tf.summary.scalar {tag!r} needs a scalar value, got shape "
                         f"{np.shape(x)}")
    return _pack(Summary.Value(tag=tag, simple_value=float(x)))


def _default_bucket_limits() -> np.ndarray:
    """TF1's histogram bucket limits: ±1e-12·1.1^k up to 1e20, zero, and ±DBL_MAX."""
    positive, v = [], 1.0e-12
    while v < 1.0e20:
        positive.append(v)
        v *= 1.1
    positive.append(np.finfo(np.float64).max)
    return np.array([-p for p in reversed(positive)] + [0.0] + positive)


_BUCKET_LIMITS = _default_bucket_limits()


def histogram_proto(tag: str, values: np.ndarray) -> HistogramProto:
    """The histogram TF1 writes: statistics, and counts over its default buckets (bucket
    ``i`` holds values below ``bucket_limit[i]``), runs of empty buckets merged into one."""
    flat = np.asarray(values, dtype=np.float64).ravel()
    if not np.all(np.isfinite(flat)):
        raise ValueError(f"Nan or Inf in summary histogram for: {tag}")
    counts = np.bincount(np.searchsorted(_BUCKET_LIMITS, flat, side="right"),
                         minlength=len(_BUCKET_LIMITS))[:len(_BUCKET_LIMITS)]
    # Kept: every non-empty bucket, and the last bucket of every run of empty ones (the
    # run becomes one empty bucket up to that limit).
    filled = counts != 0
    kept = filled | np.append(filled[1:], True)
    limits, buckets = _BUCKET_LIMITS[kept].tolist(), counts[kept].astype(np.float64).tolist()
    return HistogramProto(min=float(flat.min()) if flat.size else 0.0,
                          max=float(flat.max()) if flat.size else 0.0,
                          num=float(flat.size), sum=float(flat.sum()),
                          sum_squares=float(np.dot(flat, flat)),
                          bucket_limit=limits, bucket=buckets)


def _histogram_kernel(values: np.ndarray, *, tag: str) -> np.ndarray:
    return _pack(Summary.Value(tag=tag, histo=histogram_proto(tag, values)))


_BAD_COLOR = np.array([255, 0, 0, 255], np.uint8)  # TF1's default: opaque red


def _to_uint8(image: np.ndarray) -> np.ndarray:
    """TF1's image scaling of one ``[height, width, channels]`` image: uint8 as is;
    floats scaled so the largest is 255 when none is negative, else so that 0 is 128 and
    the largest magnitude 127, then truncated; pixels with a non-finite channel are red."""
    if image.dtype == np.uint8:
        return image
    values = np.asarray(image, np.float64)
    bad = ~np.all(np.isfinite(values), axis=-1)
    finite = values[~bad]
    low, high = (finite.min(), finite.max()) if finite.size else (0.0, 0.0)
    if low < 0:
        top = max(abs(low), abs(high))
        scale, offset = (127.0 / top if top > 1e-6 else 0.0), 128.0
    else:
        scale, offset = (255.0 / high if high > 1e-6 else 0.0), 0.0
    out = np.clip(np.where(np.isfinite(values), values * scale + offset, 0.0), 0, 255)
    out = out.astype(np.uint8)
    out[bad] = _BAD_COLOR[:image.shape[-1]]
    return out


def _numbered(tag: str, kind: str, i: int, max_outputs: int) -> str:
    return f"{tag}/{kind}/{i}" if max_outputs > 1 else f"{tag}/{kind}"


def _image_kernel(images: np.ndarray, *, tag: str, max_outputs: int) -> np.ndarray:
    if images.ndim != 4 or images.shape[-1] not in (1, 3, 4):
        raise ValueError(f"tf.summary.image {tag!r} needs [batch, height, width, 1|3|4] "
                         f"images, got shape {images.shape}")
    values = []
    for i, image in enumerate(images[:max_outputs]):
        h, w, c = image.shape
        values.append(Summary.Value(tag=_numbered(tag, "image", i, max_outputs),
                                    image=Summary.Image(height=h, width=w, colorspace=c,
                                                        encoded_image_string=encode_png(
                                                            _to_uint8(image)))))
    return _pack(*values)


def _audio_kernel(sounds: np.ndarray, sample_rate: np.ndarray, *, tag: str,
                  max_outputs: int) -> np.ndarray:
    if sounds.ndim not in (2, 3):
        raise ValueError(f"tf.summary.audio {tag!r} needs [batch, frames] or [batch, "
                         f"frames, channels] samples, got shape {sounds.shape}")
    rate = int(sample_rate)
    values = []
    for i, sound in enumerate(sounds[:max_outputs]):
        sound = sound.reshape(sound.shape[0], -1)
        values.append(Summary.Value(tag=_numbered(tag, "audio", i, max_outputs),
                                    audio=Summary.Audio(
                                        sample_rate=rate, num_channels=sound.shape[1],
                                        length_frames=sound.shape[0],
                                        content_type="audio/wav",
                                        encoded_audio_string=encode_wav(sound, rate))))
    return _pack(*values)


def _tensor_kernel(x: np.ndarray, *, tag: str, metadata: bytes) -> np.ndarray:
    return _pack(Summary.Value(tag=tag, metadata=SummaryMetadata.FromString(metadata),
                               tensor=to_tensor_proto(x)))


def _text_kernel(*, tag: str, strings: tuple, shape: tuple, metadata: bytes) -> np.ndarray:
    proto = TensorProto(dtype=7, string_val=[s.encode() for s in strings])  # DT_STRING
    for d in shape:
        proto.tensor_shape.dim.add(size=d)
    return _pack(Summary.Value(tag=tag, metadata=SummaryMetadata.FromString(metadata),
                               tensor=proto))


def _merge_kernel(*summaries: np.ndarray) -> np.ndarray:
    merged, seen = [], set()
    for s in summaries:
        for value in parse_summary(s).value:
            if value.tag in seen:
                raise ValueError(f"Duplicate tag {value.tag} found in summary inputs")
            seen.add(value.tag)
            merged.append(value)
    return _pack(*merged)


# -- shape rules and registration -------------------------------------------------------


def _summary_of_real(what: str, rank: int | None = None):
    def shape_fn(inputs: list, attrs: dict) -> list:
        x = inputs[0]
        if not (x.dtype.is_floating or x.dtype.is_integer or x.dtype.is_bool):
            raise TypeError(f"{what} needs a real number tensor, got {x.dtype.name}")
        if rank is not None and x.shape.ndims not in (None, rank):
            raise ValueError(f"{what} needs a rank-{rank} value, got shape {x.shape}")
        return [(TensorShape([]), SUMMARY_DTYPE)]
    return shape_fn


def _scalar_shape(inputs: list, attrs: dict) -> list:
    if inputs[0].shape.ndims not in (None, 0):
        raise ValueError(f"tf.summary.scalar needs a scalar value, got shape "
                         f"{inputs[0].shape}")
    return _summary_of_real("tf.summary.scalar")(inputs, attrs)


def _merge_shape(inputs: list, attrs: dict) -> list:
    if not inputs:
        raise ValueError("tf.summary.merge needs at least one summary")
    for t in inputs:
        if t.dtype != SUMMARY_DTYPE:
            raise TypeError(f"tf.summary.merge takes summary tensors, got {t.name} of dtype "
                            f"{t.dtype.name}")
    return [(TensorShape([]), SUMMARY_DTYPE)]


for _type, _kernel, _shape, _doc in [
        ("ScalarSummary", _scalar_kernel, _scalar_shape, "A scalar summary."),
        ("HistogramSummary", _histogram_kernel, _summary_of_real("tf.summary.histogram"),
         "A histogram summary."),
        ("ImageSummary", _image_kernel, _summary_of_real("tf.summary.image", 4),
         "PNG images of a batch."),
        ("AudioSummaryV2", _audio_kernel, _summary_of_real("tf.summary.audio"),
         "WAV sounds of a batch."),
        ("TensorSummaryV2", _tensor_kernel, _summary_of_real("tf.summary.tensor_summary"),
         "A whole tensor.")]:
    define_op(_type, kernel=_kernel, shape_fn=_shape, non_differentiable=(0, 1), doc=_doc,
              view_of={})
define_op("TextSummary", kernel=_text_kernel,
          shape_fn=lambda inputs, attrs: [(TensorShape([]), SUMMARY_DTYPE)],
          doc="Text known when the graph is built (staticgraph has no string tensors).",
          view_of={})
define_op("MergeSummary", kernel=_merge_kernel, shape_fn=_merge_shape,
          doc="Summaries merged into one.",
          view_of={})


# -- the API ------------------------------------------------------------------------------


def clean_tag(name: str) -> str:
    """``name`` with characters TensorBoard does not accept replaced by ``_`` (TF1)."""
    return _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")


@contextlib.contextmanager
def _summary_scope(graph: Graph, name: str, family: str | None) -> Iterator[tuple[str, str]]:
    """TF1's tag and op-name scope: ``name`` under the current scope (``family/`` first)."""
    name = clean_tag(name)
    family = clean_tag(family) if family else None
    with graph.name_scope(name if family is None else f"{family}/{name}") as scope:
        tag = scope.rstrip("/")
        yield (tag if family is None else f"{family}/{tag}"), scope


def _summary_op(op_type: str, name: str, inputs: list, attrs: dict,
                collections: Iterable[str] | None, family: str | None = None) -> Tensor:
    tensors = [convert_to_tensor(i) for i in inputs]
    graph = tensors[0].graph if tensors else get_default_graph()
    with _summary_scope(graph, name, family) as (tag, scope):
        out = apply_op(op_type, tensors, {"tag": tag, **attrs}, name=scope,
                       graph=graph).outputs[0]
    graph.add_to_collections(list(collections or [GraphKeys.SUMMARIES]), out)
    return out


def scalar(name: str, tensor: Any, collections: Iterable[str] | None = None,
           family: str | None = None) -> Tensor:
    """``tf.summary.scalar``: a summary of one real number, tagged by ``name`` and scope."""
    return _summary_op("ScalarSummary", name, [tensor], {}, collections, family)


def histogram(name: str, values: Any, collections: Iterable[str] | None = None,
              family: str | None = None) -> Tensor:
    """``tf.summary.histogram``: a histogram summary of all entries of ``values``."""
    return _summary_op("HistogramSummary", name, [values], {}, collections, family)


def image(name: str, tensor: Any, max_outputs: int = 3,
          collections: Iterable[str] | None = None, family: str | None = None) -> Tensor:
    """``tf.summary.image``: PNGs of up to ``max_outputs`` images of a
    ``[batch, height, width, channels]`` batch (tags ``name/image/i``)."""
    return _summary_op("ImageSummary", name, [tensor], {"max_outputs": int(max_outputs)},
                       collections, family)


def audio(name: str, tensor: Any, sample_rate: Any, max_outputs: int = 3,
          collections: Iterable[str] | None = None, family: str | None = None) -> Tensor:
    """``tf.summary.audio``: WAVs of up to ``max_outputs`` sounds (samples in [-1, 1])."""
    return _summary_op("AudioSummaryV2", name, [tensor, sample_rate],
                       {"max_outputs": int(max_outputs)}, collections, family)


def _metadata(plugin: str, display_name: str | None, description: str | None) -> bytes:
    meta = SummaryMetadata(display_name=display_name or "",
                           summary_description=description or "")
    if plugin:
        meta.plugin_data.plugin_name = plugin
    return meta.SerializeToString()


def tensor_summary(name: str, tensor: Any, summary_description: str | None = None,
                   collections: Iterable[str] | None = None, summary_metadata: Any = None,
                   family: str | None = None, display_name: str | None = None) -> Tensor:
    """``tf.summary.tensor_summary``: the whole tensor as a ``TensorProto``."""
    meta = summary_metadata.SerializeToString() if summary_metadata is not None else \
        _metadata("", display_name, summary_description)
    return _summary_op("TensorSummaryV2", name, [tensor], {"metadata": meta}, collections,
                       family)


def text(name: str, tensor: Any, collections: Iterable[str] | None = None) -> Tensor:
    """``tf.summary.text``: text for TensorBoard's text tab. The text must be known when
    the graph is built (a str, bytes or nested list of them)."""
    if isinstance(tensor, Tensor):
        raise TypeError("tf.summary.text: staticgraph has no string tensors; pass the text "
                        "itself (a str or a list of str)")
    values = np.asarray(tensor, dtype=object)
    strings = tuple(v.decode() if isinstance(v, bytes) else str(v) for v in values.ravel())
    return _summary_op("TextSummary", name, [], {"strings": strings, "shape": values.shape,
                                                 "metadata": _metadata("text", None, None)},
                       collections)


def merge(inputs: list, collections: Iterable[str] | None = None,
          name: str | None = None) -> Tensor:
    """``tf.summary.merge``: one summary holding every value of ``inputs``."""
    inputs = [convert_to_tensor(i) for i in inputs]
    graph = inputs[0].graph if inputs else get_default_graph()
    with graph.name_scope(name or "Merge"):
        out = apply_op("MergeSummary", inputs, name="MergeSummary", graph=graph).outputs[0]
    graph.add_to_collections(list(collections or []), out)
    return out


def merge_all(key: str = GraphKeys.SUMMARIES, scope: str | None = None,
              name: str | None = None) -> Tensor | None:
    """``tf.summary.merge_all``: all summaries of collection ``key``, or None if none."""
    summaries = get_collection(key, scope)
    return merge(summaries, name=name) if summaries else None
