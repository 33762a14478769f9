"""``tf.strings``: TF1's string ops (joining, splitting, case, regexes, substrings,
numbers, hashing, formatting). Every op works on ``tf.string`` tensors of ``bytes``."""
from __future__ import annotations

from .ops.string_hash_ops import string_to_hash_bucket as to_hash_bucket
from .ops.string_hash_ops import string_to_hash_bucket_fast as to_hash_bucket_fast
from .ops.string_hash_ops import string_to_hash_bucket_strong as to_hash_bucket_strong
from .ops.string_join_ops import reduce_join, unsorted_segment_join
from .ops.string_join_ops import string_format as format  # noqa: A004
from .ops.string_ops import as_string
from .ops.string_ops import string_join as join
from .ops.string_regex_ops import regex_full_match, regex_replace
from .ops.string_split_ops import ngrams, split
from .ops.string_text_ops import length, lower, substr, upper
from .ops.string_text_ops import string_strip as strip
from .ops.string_text_ops import string_to_number as to_number
from .ops.string_unicode_ops import unicode_encode, unicode_script, unicode_transcode

__all__ = ["as_string", "format", "join", "length", "lower", "ngrams", "reduce_join",
           "regex_full_match", "regex_replace", "split", "strip", "substr",
           "to_hash_bucket", "to_hash_bucket_fast", "to_hash_bucket_strong", "to_number",
           "unicode_encode", "unicode_script", "unicode_transcode", "unsorted_segment_join",
           "upper"]
