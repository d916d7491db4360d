"""Phone pass codes (VP1): reading, signing, refusals and the freshness window under clock skew."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from checkin_protocol.codes.base45 import b45decode, b45encode
from checkin_protocol.codes.pass_codes import (
    STEP_SECONDS,
    Freshness,
    PassCodeRefusal,
    PassCodeRefused,
    is_pass_code,
    judge_freshness,
    read_pass_code,
    sign_pass_code,
    step_of,
)
from checkin_protocol.codes.qr_images import qr_version

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
PASS_ID = "P0123456789"
STEP = 58_000_000  # about 2025-02
TOLERANCE_S = 10


def _refusal(text: str) -> PassCodeRefusal:
    with pytest.raises(PassCodeRefused) as caught:
        read_pass_code(text)
    return caught.value.reason


def test_round_trip_reads_the_pass_and_step_and_verifies() -> None:
    text = sign_pass_code(PASS_ID, STEP, KEY)
    assert text.startswith("VP1:")
    code = read_pass_code(text)
    assert (code.pass_id, code.step) == (PASS_ID, STEP)
    assert code.payload == b'["P0123456789",58000000]'
    assert code.verify(KEY.public_key())
    assert not code.verify(OTHER_KEY.public_key())


def test_the_text_fits_a_version_6_qr_code_in_alphanumeric_mode() -> None:
    text = sign_pass_code("P" + "F" * 10, 2**31, KEY)
    assert len(text) <= 154  # alphanumeric capacity of version 6 at error correction M
    assert text == text.upper()


def test_the_signature_covers_the_vp1_prefix() -> None:
    payload = b'["P0123456789",58000000]'
    raw_signature = KEY.sign(payload)  # the payload alone, without b"VP1|"
    assert not read_pass_code("VP1:" + b45encode(payload + raw_signature)).verify(KEY.public_key())


def test_scanner_input_in_lower_case_with_enter_is_read() -> None:
    text = sign_pass_code(PASS_ID, STEP, KEY)
    code = read_pass_code("  " + text.lower() + "\r\n")
    assert (code.pass_id, code.step) == (PASS_ID, STEP)
    assert code.verify(KEY.public_key())


@pytest.mark.parametrize("position", [4, 20, 60, -1])
def test_an_altered_character_fails_to_read_or_to_verify(position: int) -> None:
    text = sign_pass_code(PASS_ID, STEP, KEY)
    index = position % len(text)
    replacement = "0" if text[index] != "0" else "1"
    altered = text[:index] + replacement + text[index + 1 :]
    try:
        code = read_pass_code(altered)
    except PassCodeRefused as refused:
        assert refused.reason is PassCodeRefusal.MALFORMED
    else:
        assert not code.verify(KEY.public_key())


@given(st.integers(min_value=0), st.integers(min_value=1, max_value=255))
def test_any_altered_byte_never_verifies(index_seed: int, flip: int) -> None:
    text = sign_pass_code(PASS_ID, STEP, KEY)
    raw = bytearray(b45decode(text[4:]))
    raw[index_seed % len(raw)] ^= flip
    try:
        code = read_pass_code("VP1:" + b45encode(bytes(raw)))
    except PassCodeRefused as refused:
        assert refused.reason is PassCodeRefusal.MALFORMED
    else:
        assert not code.verify(KEY.public_key())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", PassCodeRefusal.FOREIGN),
        ("https://example.org/x", PassCodeRefusal.FOREIGN),
        ("VC1:ABC", PassCodeRefusal.FOREIGN),
        ("VP2:ABCDEF", PassCodeRefusal.UNSUPPORTED_VERSION),
        ("vp12:ABCDEF", PassCodeRefusal.UNSUPPORTED_VERSION),
        ("VP1:", PassCodeRefusal.MALFORMED),
        ("VP1:A", PassCodeRefusal.MALFORMED),
        ("VP1:ı23", PassCodeRefusal.MALFORMED),
        ("VP1:" + "0" * 400, PassCodeRefusal.MALFORMED),
    ],
)
def test_refusals_by_reason(text: str, reason: PassCodeRefusal) -> None:
    assert _refusal(text) is reason


@pytest.mark.parametrize(
    "payload",
    [
        b'["P0123456789"]',  # one field
        b'["P0123456789",1,2]',  # three fields
        b'["",1]',  # empty pass ID
        b'["P 1",1]',  # space in the ID
        b'["P01234567890123456",1]',  # 17 characters
        b'["P0123456789",-1]',  # negative step
        b'["P0123456789",1.5]',  # not an integer
        b'["P0123456789",true]',  # a boolean is not a step
        b'{"p":1}',  # not an array
        b"\xff\xfe",  # not UTF-8
    ],
)
def test_well_signed_but_invalid_payloads_are_malformed(payload: bytes) -> None:
    signature = KEY.sign(b"VP1|" + payload)
    assert _refusal("VP1:" + b45encode(payload + signature)) is PassCodeRefusal.MALFORMED


def test_sign_refuses_invalid_fields() -> None:
    with pytest.raises(ValueError, match="pass_id"):
        sign_pass_code("P 1", STEP, KEY)
    with pytest.raises(ValueError, match="step"):
        sign_pass_code(PASS_ID, -1, KEY)


def test_is_pass_code_recognises_any_version_and_case() -> None:
    assert is_pass_code(" vp1:xyz")
    assert is_pass_code("VP7:")
    assert not is_pass_code("VC1:ABC")
    assert not is_pass_code("")


def test_step_of_counts_30_second_steps() -> None:
    assert STEP_SECONDS == 30
    assert step_of(0) == 0
    assert step_of(29.999) == 0
    assert step_of(30) == 1
    assert step_of(1_740_000_000) == 58_000_000


def test_the_window_is_the_current_step_and_the_one_before_widened_by_the_tolerance() -> None:
    start = STEP * STEP_SECONDS
    assert judge_freshness(STEP, start - 10.001, 10) is Freshness.AHEAD
    assert judge_freshness(STEP, start - 10, 10) is Freshness.FRESH
    assert judge_freshness(STEP, start + 69.999, 10) is Freshness.FRESH
    assert judge_freshness(STEP, start + 70, 10) is Freshness.STALE
    assert judge_freshness(STEP, start + 59.999, 0) is Freshness.FRESH
    assert judge_freshness(STEP, start + 60, 0) is Freshness.STALE


# Clock skew. The phone shows the code of step_of(true_time + phone_error) and the
# kiosk judges it at true_time + kiosk_error, where each error is what is left of
# that clock's error after its measured offset to the cloud. Only the difference
# kiosk_error - phone_error matters; the tolerance is a budget for that difference.
TRUE_TIMES = st.floats(min_value=1_600_000_000, max_value=2_000_000_000, allow_nan=False)
HALF = TOLERANCE_S / 2


def _shown_step(true_time: float, phone_error: float) -> int:
    return step_of(true_time + phone_error)


@given(
    TRUE_TIMES,
    st.floats(min_value=-HALF, max_value=HALF),
    st.floats(min_value=-HALF, max_value=HALF),
    st.floats(min_value=0, max_value=2),
)
def test_a_fresh_code_is_accepted_when_both_errors_are_within_half_the_tolerance(
    true_time: float, phone_error: float, kiosk_error: float, scan_delay: float
) -> None:
    step = _shown_step(true_time, phone_error)
    assert judge_freshness(step, true_time + scan_delay + kiosk_error, TOLERANCE_S) is Freshness.FRESH


@given(
    TRUE_TIMES,
    st.floats(min_value=-60, max_value=60),
    st.floats(min_value=-TOLERANCE_S, max_value=TOLERANCE_S),
)
def test_a_fresh_code_is_accepted_for_any_difference_within_the_tolerance(
    true_time: float, phone_error: float, difference: float
) -> None:
    step = _shown_step(true_time, phone_error)
    assert judge_freshness(step, true_time + phone_error + difference, TOLERANCE_S) is Freshness.FRESH


@given(
    TRUE_TIMES,
    st.floats(min_value=-TOLERANCE_S, max_value=TOLERANCE_S),
    st.floats(min_value=-TOLERANCE_S, max_value=TOLERANCE_S),
    st.floats(min_value=120, max_value=10_000),
)
def test_a_code_two_minutes_old_is_always_refused(
    true_time: float, phone_error: float, kiosk_error: float, age: float
) -> None:
    # Even with each clock off by the whole tolerance in the worst directions.
    step = _shown_step(true_time, phone_error)
    assert judge_freshness(step, true_time + age + kiosk_error, TOLERANCE_S) is Freshness.STALE


@given(TRUE_TIMES, st.floats(min_value=TOLERANCE_S + 0.001, max_value=3600))
def test_a_kiosk_behind_the_phone_beyond_the_tolerance_refuses_a_new_code_as_ahead(
    true_time: float, kiosk_behind: float
) -> None:
    # The phone has just started a step; the kiosk's platform clock is still before it.
    step_start = step_of(true_time) * STEP_SECONDS
    assert judge_freshness(step_of(step_start), step_start - kiosk_behind, TOLERANCE_S) is Freshness.AHEAD


@given(TRUE_TIMES, st.floats(min_value=TOLERANCE_S + 0.001, max_value=STEP_SECONDS + TOLERANCE_S))
def test_a_kiosk_behind_by_under_a_step_beyond_the_tolerance_accepts_the_code_later_in_its_step(
    true_time: float, kiosk_behind: float
) -> None:
    # Refused only while the step is young: after (behind - tolerance) seconds the same step is fresh,
    # so "refresh the code" works after a short wait.
    step_start = step_of(true_time) * STEP_SECONDS
    step = step_of(step_start)
    later = step_start + (kiosk_behind - TOLERANCE_S)
    assert judge_freshness(step, later - kiosk_behind, TOLERANCE_S) is Freshness.FRESH


@given(TRUE_TIMES, st.floats(min_value=STEP_SECONDS + TOLERANCE_S + 0.001, max_value=3600))
def test_a_kiosk_ahead_of_the_phone_beyond_a_step_and_the_tolerance_refuses_an_old_step_as_stale(
    true_time: float, kiosk_ahead: float
) -> None:
    # The code shown at the end of its step (the phone is about to refresh it) is stale to that kiosk.
    step_end = (step_of(true_time) + 1) * STEP_SECONDS - 0.001
    assert judge_freshness(step_of(step_end), step_end + kiosk_ahead, TOLERANCE_S) is Freshness.STALE


@given(TRUE_TIMES, st.floats(min_value=2 * STEP_SECONDS + TOLERANCE_S, max_value=3600))
def test_a_kiosk_ahead_by_two_steps_and_the_tolerance_refuses_every_code(
    true_time: float, kiosk_ahead: float
) -> None:
    step = step_of(true_time)
    for phase in (0.0, 10.0, 29.999):
        assert (
            judge_freshness(step, step * STEP_SECONDS + phase + kiosk_ahead, TOLERANCE_S) is Freshness.STALE
        )


@given(TRUE_TIMES, st.floats(min_value=STEP_SECONDS + TOLERANCE_S, max_value=3600))
def test_a_kiosk_behind_by_a_step_and_the_tolerance_refuses_every_code_as_ahead(
    true_time: float, kiosk_behind: float
) -> None:
    step = step_of(true_time)
    for phase in (0.0, 10.0, 29.999):
        assert (
            judge_freshness(step, step * STEP_SECONDS + phase - kiosk_behind, TOLERANCE_S) is Freshness.AHEAD
        )


def test_the_worked_example_of_docs_codes_md_is_what_the_code_makes() -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "codes.md").read_text(encoding="utf-8")
    (documented,) = re.findall(r"^VP1:.*$", doc, flags=re.MULTILINE)
    moment = datetime(2025, 3, 12, 8, 31, 5, tzinfo=timezone(timedelta(hours=8)))
    step = step_of(moment.timestamp())
    assert step == 58_057_982 and f"step `{step}`" in doc
    assert documented == sign_pass_code("P0A1B2C3D4E", step, KEY) and len(documented) == 136
    code = read_pass_code(documented)
    assert f"`{code.payload.decode()}`" in doc
    assert code.signature.hex()[:64] in doc and code.signature.hex()[64:] in doc
    assert qr_version(documented) == 6
