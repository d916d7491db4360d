"""The worked example in docs/codes.md must stay true to the code."""

import re
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkin_protocol.codes import (
    Issuer,
    RevocationList,
    TokenVerifier,
    TrustedKeys,
    VolunteerCard,
    public_key_b64,
)
from checkin_protocol.codes.base45 import b45decode
from checkin_protocol.codes.qr_images import qr_version
from checkin_protocol.models import OrgLevel, mask_name, utc

DOC = Path(__file__).resolve().parents[3] / "docs" / "codes.md"
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def tokens_in(doc: str, prefix: str) -> list[str]:
    return re.findall(rf"^{prefix}:.*$", doc, flags=re.MULTILINE)


def test_documented_public_key_is_the_documented_private_key(doc: str) -> None:
    match = re.search(r"public key: `([A-Za-z0-9+/=]+)`", doc)
    assert match is not None
    assert match[1] == public_key_b64(KEY)


def test_documented_card_verifies_and_is_what_the_issuer_makes_today(doc: str) -> None:
    (text,) = tokens_in(doc, "VC1")
    verifier = TokenVerifier(TrustedKeys([("demo1", public_key_b64(KEY))]), RevocationList())
    result = verifier.verify(text, date(2025, 3, 1))
    assert result.card == VolunteerCard("demo1", "V20250001", "雷*霞", 2, date(2025, 3, 1), date(2027, 2, 28))
    issued = Issuer(KEY, "demo1").issue_card(
        "V20250001", mask_name("雷彩霞"), card_no=2, issued_on=date(2025, 3, 1), expires_on=date(2027, 2, 28)
    )
    assert issued == text
    raw = b45decode(text[4:])
    assert raw[:-64].decode() in doc
    assert raw[-64:].hex()[:64] in doc and raw[-64:].hex()[64:] in doc
    assert (len(text), qr_version(text)) == (168, 7)


def test_documented_activity_code_verifies(doc: str) -> None:
    (text,) = tokens_in(doc, "VA1")
    verifier = TokenVerifier(TrustedKeys([("demo1", public_key_b64(KEY))]), RevocationList())
    code = verifier.verify(text, date(2025, 3, 1)).activity_code
    assert code is not None
    activity = code.to_activity()
    assert (activity.title, activity.org_level, activity.capacity) == (
        "植树节义务植树",
        OrgLevel.TOWNSHIP,
        40,
    )
    assert (activity.starts_at, activity.ends_at) == (utc(2025, 3, 12, 0, 30), utc(2025, 3, 12, 3, 30))
    assert (activity.checkin_opens_before_min, activity.checkin_closes_after_start_min) == (30, 60)
    assert activity.signup_required
    assert b45decode(text[4:])[:-64].decode() in doc
    assert (len(text), qr_version(text)) == (357, 11)
