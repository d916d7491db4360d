"""Base45 as RFC 9285 defines it: the kiosk must read codes other encoders made."""

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkin_protocol.codes.base45 import ALPHABET, Base45Error, b45decode, b45encode


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
        (b"", ""),
        (b"\x00", "00"),
        (b"\xff\xff", "FGW"),
    ],
)
def test_rfc_9285_examples_encode_and_decode(data: bytes, text: str) -> None:
    assert b45encode(data) == text
    assert b45decode(text) == data


@given(st.binary(max_size=300))
def test_any_bytes_round_trip(data: bytes) -> None:
    text = b45encode(data)
    assert set(text) <= set(ALPHABET)
    assert b45decode(text) == data


@given(st.binary(min_size=1, max_size=50))
def test_encoded_text_never_ends_in_whitespace_so_stripping_a_scan_is_safe(data: bytes) -> None:
    assert not b45encode(data)[-1].isspace()


@pytest.mark.parametrize(
    "text",
    [
        "GGW",  # 65536 + ... exceeds two bytes
        ":::",
        "GGW0",
        "A",  # a lone character
        "ABCD",
        "7A",  # 7 + 10*45 = 457 > 255 in a final pair
        "bb8",  # lowercase is not base45; callers upper-case first
        "AB\n",
        "Ä00",
    ],
)
def test_invalid_text_is_refused(text: str) -> None:
    with pytest.raises(Base45Error):
        b45decode(text)


@given(st.text(max_size=60))
def test_decoding_any_text_raises_only_base45_error(text: str) -> None:
    with contextlib.suppress(Base45Error):
        b45decode(text)
