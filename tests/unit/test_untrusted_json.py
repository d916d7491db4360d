"""The guard for JSON from outside: it parses what ``json.loads`` parses, within limits, and refuses the rest."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from helpers.fuzz import fuzz_settings
from hypothesis import example, given
from hypothesis import strategies as st

from checkin_protocol.untrusted_json import MAX_DEPTH, JsonRefused, loads_untrusted, nesting_depth

FUZZ = fuzz_settings(1000)

# Strings full of what the depth check must see through: brackets, quotes and backslashes.
_TRICKY_TEXT = st.text(alphabet=st.sampled_from('[]{}"\\/ a中\n\u2028\x00'), max_size=12)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _TRICKY_TEXT
)
JSON_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_TRICKY_TEXT, children, max_size=4),
    max_leaves=40,
)


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


@FUZZ
@given(JSON_VALUES, st.booleans())
def test_the_depth_is_counted_outside_strings_only(value: Any, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert nesting_depth(text.encode("utf-8", "surrogatepass")) == _depth(value)


@FUZZ
@given(JSON_VALUES)
def test_whatever_json_dumps_writes_within_the_limits_reads_back_the_same(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert loads_untrusted(text.encode("utf-8", "surrogatepass"), max_bytes=1 << 20) == value
    assert loads_untrusted(text, max_bytes=1 << 20) == value


@FUZZ
@given(st.binary(max_size=300) | st.text(alphabet=st.sampled_from('[]{}",:\\ 0a1e-.tnulfr"'), max_size=300))
@example(b"[" * 6000)  # the 6 KB of brackets of the issue
@example(b'{"a":' * 3000)
@example(b'"' + b"\\" * 3 + b'"' + b"[" * 100)
@example(b"9" * 5000)  # more digits than Python converts
@example(b"\xef\xbb\xbf{}")  # a UTF-8 byte order mark
def test_any_bytes_parse_or_are_refused_with_a_reason(data: bytes | str) -> None:
    try:
        loads_untrusted(data, max_bytes=4096, max_depth=16)
    except JsonRefused as exc:
        assert exc.reason and str(exc) == exc.reason


def test_six_kilobytes_of_brackets_are_refused_as_too_deep_not_a_recursion_error() -> None:
    with pytest.raises(JsonRefused, match=r"nested 6000 levels deep, more than the 32 allowed"):
        loads_untrusted(b"[" * 6000 + b"]" * 6000, max_bytes=1 << 20)
    with pytest.raises(JsonRefused, match="nested"):
        loads_untrusted("[" * 6000, max_bytes=1 << 20)  # cut off: the parser would still recurse


def test_brackets_hidden_in_strings_do_not_count_and_escaped_quotes_do_not_end_strings() -> None:
    deep_inside_a_string = json.dumps({"name": "[" * 1000 + '\\"' + "{" * 1000})
    assert loads_untrusted(deep_inside_a_string, max_bytes=1 << 20)["name"].startswith("[[[")
    closers_in_a_string_do_not_hide_real_depth = '["' + "]" * 100 + '",' + "[" * 40 + "]" * 40 + "]"
    with pytest.raises(JsonRefused, match="nested 41 levels"):
        loads_untrusted(closers_in_a_string_do_not_hide_real_depth, max_bytes=1 << 20)


def test_exactly_the_limit_is_taken_one_more_is_refused() -> None:
    assert loads_untrusted("[" * MAX_DEPTH + "]" * MAX_DEPTH, max_bytes=1 << 20) is not None
    with pytest.raises(JsonRefused, match="33 levels"):
        loads_untrusted("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), max_bytes=1 << 20)
    assert loads_untrusted(b"[1,2]", max_bytes=5) == [1, 2]
    with pytest.raises(JsonRefused, match=r"it is 6 bytes, more than the 5 bytes this format may be"):
        loads_untrusted(b"[1,22]", max_bytes=5)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xff{}", "not UTF-8 text (a bad byte at offset 0)"),
        (b'{"a": 1', "not JSON (Expecting ',' delimiter at line 1, column 8)"),
        (b"NaN", "NaN is not a JSON number"),
        (b"[-Infinity]", "-Infinity is not a JSON number"),
        (b"1e999", "too large a number"),
        (b"9" * 5000, "not JSON (Exceeds the limit (4300 digits)"),
    ],
)
def test_what_is_not_json_says_so(data: bytes, words: str) -> None:
    with pytest.raises(JsonRefused) as refused:
        loads_untrusted(data, max_bytes=1 << 20)
    assert words in refused.value.reason


def test_a_refusal_is_a_value_error_so_older_callers_still_catch_it() -> None:
    with pytest.raises(ValueError):
        loads_untrusted(b"[", max_bytes=10)
    assert math.isfinite(loads_untrusted(b"1e308", max_bytes=10))
