"""The setup QR code's text: written by the cloud, read strictly by the kiosk."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkin_protocol.provisioning_qr import (
    PREFIX,
    ProvisioningQr,
    ProvisioningQrError,
    parse_provisioning_qr,
    provisioning_qr_text,
)

CODE = "KP1:north:" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _wrap(value: object) -> str:
    raw = json.dumps(value).encode("utf-8")
    return PREFIX + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def test_the_text_round_trips_and_is_compact_and_canonical() -> None:
    text = provisioning_qr_text("https://cloud.example.org/api/v1/", CODE)
    assert text.startswith("VKPROV1:") and "=" not in text and len(text) < 200
    body = base64.urlsafe_b64decode(text[len(PREFIX) :] + "==")
    assert body == b'{"code":"' + CODE.encode() + b'","url":"https://cloud.example.org"}'
    assert parse_provisioning_qr(f"  {text}\r\n") == ProvisioningQr("https://cloud.example.org", CODE)


@pytest.mark.parametrize(
    ("url", "code"),
    [("ftp://x.org", CODE), ("https://x.org?a=1", CODE), ("https://x.org", "KP1:north:short"), ("", CODE)],
)
def test_the_cloud_refuses_to_write_a_bad_address_or_code(url: str, code: str) -> None:
    with pytest.raises(ValueError):
        provisioning_qr_text(url, code)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("https://weixin.qq.com/r/abc", "foreign"),
        ("", "foreign"),
        ("VC1:ABCDEF", "volunteer_code"),
        ("VA1:ABCDEF", "volunteer_code"),
        (CODE, "bare_code"),
        ("KP1:broken", "bare_code"),
        ("VKPROV2:e30", "unsupported_version"),
        ("VKPROV1:", "malformed"),
        ("VKPROV1:not base64!", "malformed"),
        ("VKPROV1:e30=", "malformed"),  # padding is not canonical
        ("VKPROV1:e31", "malformed"),  # trailing bits set: not canonical
        (_wrap([CODE, "https://x.org"]), "malformed"),
        (_wrap({"code": CODE}), "malformed"),
        (_wrap({"code": CODE, "url": "https://x.org", "area": "n"}), "malformed"),
        (_wrap({"code": "KP1:north:abc", "url": "https://x.org"}), "malformed"),
        (_wrap({"code": CODE, "url": "javascript:alert(1)"}), "malformed"),
        (_wrap({"code": CODE, "url": 7}), "malformed"),
        (PREFIX + "A" * 2000, "malformed"),
        (PREFIX + base64.urlsafe_b64encode(b"\xff\xfe").decode().rstrip("="), "malformed"),
    ],
)
def test_foreign_and_damaged_texts_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ProvisioningQrError) as refused:
        parse_provisioning_qr(text)
    assert refused.value.reason == reason and refused.value.message


@given(st.text(max_size=300))
def test_no_text_makes_the_reader_fail_other_than_with_a_refusal(text: str) -> None:
    try:
        result = parse_provisioning_qr(text)
    except ProvisioningQrError:
        return
    assert result.code.startswith("KP1:") and result.server_url.startswith(("http://", "https://"))
