"""The service receipt (VR1): signing, reading, refusals, the URL form and its QR size."""

import base64
import json
import re
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from checkin_protocol.codes.qr_images import make_qr, qr_version
from checkin_protocol.codes.receipts import (
    MAX_TEXT_CHARS,
    ReceiptRefusal,
    ReceiptRefused,
    ServiceReceipt,
    SignedReceipt,
    read_receipt,
    receipt_url,
    sign_receipt,
    signing_input,
)

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
IN_EVENT = "0195508f-6a3c-7b21-9c4d-2f0e8a1b3c5d"
OUT_EVENT = "0195510e-12f4-7a08-8e6b-7d3c9f0a4e21"
RECEIPT = ServiceReceipt(
    kiosk_id="K3F2A9C1B7E",
    volunteer_id="V20250001",
    activity_id="A2025-0301-01",
    checked_in=datetime(2025, 3, 1, 1, 2, 3, tzinfo=UTC),
    checked_out=datetime(2025, 3, 1, 5, 17, 40, tzinfo=UTC),
    minutes=255,
    in_event_id=IN_EVENT,
    out_event_id=OUT_EVENT,
)


def b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode().rstrip("=")


def raw_of(text: str) -> bytes:
    body = text[4:]
    return base64.b32decode(body + "=" * (-len(body) % 8))


def refusal_of(text: str) -> ReceiptRefusal:
    with pytest.raises(ReceiptRefused) as caught:
        read_receipt(text)
    return caught.value.reason


def test_round_trip_verifies_under_the_signing_key_only() -> None:
    text = sign_receipt(RECEIPT, KEY)
    assert text.startswith("VR1:") and text == text.upper()
    signed = read_receipt(text)
    assert signed.receipt == RECEIPT
    assert signed.text == text
    assert signed.verify(KEY.public_key())
    assert not signed.verify(OTHER_KEY.public_key())


def test_payload_is_the_documented_array_with_base64url_event_ids() -> None:
    fields = json.loads(RECEIPT.to_payload())
    in_wire = base64.urlsafe_b64encode(uuid.UUID(IN_EVENT).bytes).rstrip(b"=").decode()
    out_wire = base64.urlsafe_b64encode(uuid.UUID(OUT_EVENT).bytes).rstrip(b"=").decode()
    assert fields == [
        "K3F2A9C1B7E",
        "V20250001",
        "A2025-0301-01",
        1740790923,
        1740806260,
        255,
        in_wire,
        out_wire,
    ]
    assert len(in_wire) == len(out_wire) == 22
    assert RECEIPT.to_payload() == json.dumps(fields, separators=(",", ":")).encode()


def test_signature_covers_the_vr1_prefix() -> None:
    signed = read_receipt(sign_receipt(RECEIPT, KEY))
    KEY.public_key().verify(signed.signature, b"VR1|" + signed.payload)
    assert signing_input(signed.payload) == b"VR1|" + signed.payload
    # A signature over the bare payload (no prefix) is not a receipt signature.
    bare = SignedReceipt(signed.receipt, signed.payload, KEY.sign(signed.payload))
    assert not bare.verify(KEY.public_key())


@pytest.mark.parametrize("index", [0, 10, 60, 100, -64, -1])
def test_any_changed_byte_fails_verify_or_reading(index: int) -> None:
    raw = bytearray(raw_of(sign_receipt(RECEIPT, KEY)))
    raw[index] ^= 0x01
    try:
        signed = read_receipt("VR1:" + b32(bytes(raw)))
    except ReceiptRefused as exc:
        assert exc.reason is ReceiptRefusal.MALFORMED
    else:
        assert not signed.verify(KEY.public_key())


def test_every_payload_byte_changed_fails() -> None:
    raw = raw_of(sign_receipt(RECEIPT, KEY))
    for index in range(len(raw) - 64):
        changed = bytearray(raw)
        changed[index] = ord("0") if changed[index] != ord("0") else ord("1")
        try:
            signed = read_receipt("VR1:" + b32(bytes(changed)))
        except ReceiptRefused:
            continue
        assert not signed.verify(KEY.public_key()), index


def test_more_minutes_with_the_old_signature_fails() -> None:
    signed = read_receipt(sign_receipt(RECEIPT, KEY))
    inflated = replace(RECEIPT, minutes=600)
    forged = SignedReceipt(inflated, inflated.to_payload(), signed.signature)
    assert not forged.verify(KEY.public_key())
    assert not read_receipt(forged.text).verify(KEY.public_key())


@pytest.mark.parametrize(
    "server",
    ["https://v.example.cn", "http://127.0.0.1:8765", "https://V.Example.CN/", "http://h:1/PLATFORM"],
)
def test_url_reads_back_and_is_alphanumeric(server: str) -> None:
    text = sign_receipt(RECEIPT, KEY)
    url = receipt_url(server, text)
    assert url.endswith("/R/" + text)
    assert url == url.upper()
    assert make_qr(url).mode == "alphanumeric"
    assert read_receipt(url).receipt == RECEIPT


def test_url_keeps_a_path_prefix_and_upper_cases_only_scheme_and_host() -> None:
    text = sign_receipt(RECEIPT, KEY)
    url = receipt_url("https://v.example.cn:8443/volunteer/cloud/", text)
    assert url == f"HTTPS://V.EXAMPLE.CN:8443/volunteer/cloud/R/{text}"
    assert read_receipt(url).verify(KEY.public_key())
    assert read_receipt(f"https://x.example/a/b/r/{text}?from=wechat#top").receipt == RECEIPT


@pytest.mark.parametrize("server", ["ftp://v.example.cn", "v.example.cn", "https://", ""])
def test_url_needs_an_http_server(server: str) -> None:
    with pytest.raises(ValueError, match="server URL"):
        receipt_url(server, sign_receipt(RECEIPT, KEY))


def test_lower_case_text_and_url_read_the_same() -> None:
    text = sign_receipt(RECEIPT, KEY)
    assert read_receipt(text.lower()).verify(KEY.public_key())
    assert read_receipt(receipt_url("https://v.example.cn", text).lower()).verify(KEY.public_key())
    assert read_receipt(f"  {text}\r\n").receipt == RECEIPT
    assert read_receipt(f"https://v.example.cn/R/{text.replace(':', '%3A')}").receipt == RECEIPT


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "VC1:NCF0",  # a card, not a receipt
        "https://v.example.cn/",
        "https://v.example.cn/R/",
        "https://weixin.qq.com/r/abc",
        "VR:ABC",
        "R1:ABC",
        "x" * 3000,
    ],
)
def test_foreign_texts(text: str) -> None:
    assert refusal_of(text) is ReceiptRefusal.FOREIGN


@pytest.mark.parametrize("text", ["VR2:AAAA", "vr10:AAAA", "https://v.example.cn/R/VR999:AAAA"])
def test_unsupported_versions(text: str) -> None:
    assert refusal_of(text) is ReceiptRefusal.UNSUPPORTED_VERSION


def _with_payload(payload: bytes) -> str:
    return "VR1:" + b32(payload + KEY.sign(b"VR1|" + payload))


def _payload_with(index: int, value: object) -> bytes:
    fields = json.loads(RECEIPT.to_payload())
    fields[index] = value
    return json.dumps(fields, separators=(",", ":")).encode()


@pytest.mark.parametrize(
    "text",
    [
        "VR1:",
        "VR1:AAAA",  # too short
        "VR1:" + b32(bytes(65)),  # one byte short of "[]" + signature
        "VR1:ABC1",  # '1' is not base32
        "VR1:" + b32(bytes(81)) + "=",  # padding is not part of the text
        "VR1:" + b32(bytes(81))[:-1],  # a length base32 cannot have
        "VR1:" + b32(bytes(81))[:-1] + "B",  # stray bits in the last character
        "VR1:ＡＢＣ",
        "VR1:ıı",
        "VR1:" + "A" * (MAX_TEXT_CHARS - 3),
        _with_payload(b"[]"),
        _with_payload(b"not json"),
        _with_payload(b'{"a":1}'),
        _with_payload(_payload_with(0, "")),  # kiosk_id empty
        _with_payload(_payload_with(1, "V 1")),  # space in an ID
        _with_payload(_payload_with(3, "1740790923")),  # time as a string
        _with_payload(_payload_with(4, 1740790922)),  # out before in
        _with_payload(_payload_with(5, -1)),
        _with_payload(_payload_with(5, 100001)),
        _with_payload(_payload_with(5, True)),
        _with_payload(_payload_with(6, IN_EVENT)),  # UUID text, not base64url
        _with_payload(_payload_with(6, "AZVQj2o8eyGcTS8Oihs8X")),  # 21 characters
        _with_payload(_payload_with(6, "AZVQj2o8eyGcTS8Oihs8XR")),  # non-zero spare bits
        _with_payload(_payload_with(7, json.loads(RECEIPT.to_payload())[6])),  # same event twice
        _with_payload(RECEIPT.to_payload()[:-1] + b',"extra"]'),
    ],
)
def test_malformed_texts(text: str) -> None:
    assert refusal_of(text) is ReceiptRefusal.MALFORMED


def test_refusal_carries_a_detail() -> None:
    with pytest.raises(ReceiptRefused) as caught:
        read_receipt(_with_payload(_payload_with(5, -1)))
    assert "minutes" in caught.value.detail


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kiosk_id": "K" * 33}, "kiosk_id"),
        ({"volunteer_id": "V" * 21}, "volunteer_id"),
        ({"activity_id": ""}, "activity_id"),
        ({"checked_in": datetime(2025, 3, 1, 1, 2, 3)}, "timezone-aware"),
        ({"checked_out": datetime(2025, 3, 1, 5, 0, 0, 500, tzinfo=UTC)}, "whole second"),
        ({"checked_out": datetime(2025, 3, 1, 1, 2, 2, tzinfo=UTC)}, "before"),
        ({"minutes": 100_001}, "minutes"),
        ({"in_event_id": IN_EVENT.upper()}, "lower-case"),
        ({"out_event_id": "nope"}, "UUID"),
        ({"out_event_id": IN_EVENT}, "different"),
    ],
)
def test_invalid_receipts_are_refused_at_making(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        replace(RECEIPT, **change)  # type: ignore[arg-type]


def test_times_in_another_zone_are_kept_as_utc() -> None:
    china = timezone(timedelta(hours=8))
    receipt = replace(RECEIPT, checked_in=datetime(2025, 3, 1, 9, 2, 3, tzinfo=china))
    assert receipt.checked_in.tzinfo is UTC
    assert receipt == RECEIPT


def test_realistic_receipt_urls_are_small_qr_codes() -> None:
    """The QR versions docs/codes.md gives; a version-11 code is 61 modules across."""
    text = sign_receipt(RECEIPT, KEY)
    assert (len(text), qr_version(text)) == (297, 10)
    assert qr_version(receipt_url("https://v.example.cn", text)) == 11
    assert qr_version(receipt_url("http://127.0.0.1:8765", text)) == 11


def test_longest_receipt_url_stays_within_version_12() -> None:
    longest = ServiceReceipt(
        kiosk_id="K" * 32,
        volunteer_id="V" * 20,
        activity_id="A" * 32,
        checked_in=datetime(9999, 12, 31, 0, 0, 0, tzinfo=UTC),
        checked_out=datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
        minutes=100_000,
        in_event_id=IN_EVENT,
        out_event_id=OUT_EVENT,
    )
    text = sign_receipt(longest, KEY)
    assert len(text) <= MAX_TEXT_CHARS
    assert qr_version(receipt_url("https://v.example.cn", text)) <= 12
    assert read_receipt(text).receipt == longest


_ID = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters='"\\'), min_size=1
)
_SECONDS = st.integers(0, 253402300799)


@st.composite
def receipts(draw: st.DrawFn) -> ServiceReceipt:
    start = draw(_SECONDS)
    end = draw(st.integers(start, 253402300799))
    in_event, out_event = draw(st.lists(st.uuids(), min_size=2, max_size=2, unique=True))
    return ServiceReceipt(
        kiosk_id=draw(_ID.filter(lambda s: len(s) <= 32)),
        volunteer_id=draw(_ID.filter(lambda s: len(s) <= 20)),
        activity_id=draw(_ID.filter(lambda s: len(s) <= 32)),
        checked_in=datetime.fromtimestamp(start, UTC),
        checked_out=datetime.fromtimestamp(end, UTC),
        minutes=draw(st.integers(0, 100_000)),
        in_event_id=str(in_event),
        out_event_id=str(out_event),
    )


@given(receipts())
def test_any_receipt_round_trips_through_text_and_url(receipt: ServiceReceipt) -> None:
    text = sign_receipt(receipt, KEY)
    assert len(text) <= MAX_TEXT_CHARS
    signed = read_receipt(text)
    assert signed.receipt == receipt
    assert signed.verify(KEY.public_key())
    assert read_receipt(receipt_url("http://127.0.0.1:8765", text).lower()).receipt == receipt


@given(st.text(max_size=600))
def test_any_text_is_read_or_refused_never_crashes(text: str) -> None:
    try:
        read_receipt(text)
    except ReceiptRefused as exc:
        assert exc.reason in ReceiptRefusal


@given(st.binary(min_size=66, max_size=300))
def test_any_bytes_after_the_prefix_are_read_or_refused(raw: bytes) -> None:
    try:
        signed = read_receipt("VR1:" + b32(raw))
    except ReceiptRefused as exc:
        assert exc.reason is ReceiptRefusal.MALFORMED
    else:
        assert not signed.verify(KEY.public_key())


def test_the_worked_example_in_docs_codes_md_is_what_the_code_makes() -> None:
    doc = (Path(__file__).resolve().parents[3] / "docs" / "codes.md").read_text(encoding="utf-8")
    section = doc[doc.index("## 9. Service receipt (VR1)") :]
    (text,) = re.findall(r"^VR1:[A-Z2-7]+$", section, flags=re.MULTILINE)
    example = ServiceReceipt(
        kiosk_id="K3F2A9C1B7E",
        volunteer_id="V20250001",
        activity_id="A2025-0312",
        checked_in=datetime(2025, 3, 12, 8, 31, 5, tzinfo=timezone(timedelta(hours=8))),
        checked_out=datetime(2025, 3, 12, 11, 32, 40, tzinfo=timezone(timedelta(hours=8))),
        minutes=180,
        in_event_id="0195884c-6a3c-7b21-9c4d-2f0e8a1b3c5d",
        out_event_id="0195891d-12f4-7a08-8e6b-7d3c9f0a4e21",
    )
    assert sign_receipt(example, KEY) == text  # Ed25519 signatures are deterministic
    signed = read_receipt(text)
    assert signed.receipt == example and signed.verify(KEY.public_key())
    assert signed.payload.decode() in section
    assert signed.signature.hex()[:64] in section and signed.signature.hex()[64:] in section
    url = receipt_url("https://v.example.cn", text)
    assert (len(signed.payload), len(text), len(url), qr_version(url)) == (116, 292, 315, 11)
    assert f"{len(url)} characters, version {qr_version(url)}" in section
