"""Whatever is scanned, verification answers and never accepts what was not issued.

The verifier catches unexpected exceptions as a last resort and reports them
with the detail ``internal error``; these tests treat that detail as a failure,
so a crash path cannot hide behind the safety net.
"""

from datetime import date

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from checkin_protocol.codes import Issuer, RevocationList, TokenVerifier, TrustedKeys, VerifyResult
from checkin_protocol.codes.base45 import ALPHABET, b45encode
from checkin_protocol.codes.verifier import INTERNAL_ERROR
from checkin_protocol.models import Activity, OrgLevel, utc

KEY = Ed25519PrivateKey.from_private_bytes(bytes([7]) * 32)
ISSUER = Issuer(KEY, "kf")
VERIFIER = TokenVerifier(TrustedKeys([("kf", ISSUER.public_key_b64)]), RevocationList())
TODAY = date(2025, 6, 1)
CARD = ISSUER.issue_card("V0001", "雷*霞", issued_on=date(2025, 1, 1), expires_on=date(2026, 1, 1))
ACTIVITY = ISSUER.issue_activity(
    Activity(
        activity_id="A1",
        title="植树",
        org_name="团县委",
        org_level=OrgLevel.COUNTY,
        venue="河堤",
        starts_at=utc(2025, 3, 12, 0),
        ends_at=utc(2025, 3, 12, 4),
        category="环保",
    ),
    issued_on=TODAY,
)
VALID = (CARD, ACTIVITY)


def refused_cleanly(result: VerifyResult) -> bool:
    return not result.ok and result.detail != INTERNAL_ERROR


@settings(max_examples=500)
@given(st.text(max_size=400))
@example("VC1:")
@example("VA1:" + "0" * 3000)
@example("VC1:" + "FGW" * 40)
def test_any_text_is_refused_without_raising(text: str) -> None:
    assert refused_cleanly(VERIFIER.verify(text, TODAY))


@settings(max_examples=500)
@given(st.sampled_from(["VC1:", "VA1:", "vc1:", "VC9:"]), st.text(alphabet=ALPHABET + "abc\n", max_size=400))
def test_any_text_after_our_prefix_is_refused_without_raising(prefix: str, body: str) -> None:
    assert refused_cleanly(VERIFIER.verify(prefix + body, TODAY))


@settings(max_examples=500)
@given(st.sampled_from(["VC1:", "VA1:"]), st.binary(max_size=400))
def test_any_bytes_framed_as_a_token_are_refused_without_raising(prefix: str, data: bytes) -> None:
    assert refused_cleanly(VERIFIER.verify(prefix + b45encode(data), TODAY))


@given(st.binary(max_size=400))
def test_any_bytes_read_as_text_are_refused_without_raising(data: bytes) -> None:
    assert refused_cleanly(VERIFIER.verify(data.decode("latin-1"), TODAY))
    assert refused_cleanly(VERIFIER.verify(data.decode("utf-8", errors="replace"), TODAY))


def test_valid_tokens_are_accepted() -> None:
    # the control for the mutation tests below
    for text in VALID:
        assert VERIFIER.verify(text, TODAY).ok


def test_every_character_replaced_by_every_other_base45_character_is_refused() -> None:
    for text in VALID:
        for i in range(4, len(text)):
            for char in ALPHABET:
                if char != text[i]:
                    mutated = text[:i] + char + text[i + 1 :]
                    assert refused_cleanly(VERIFIER.verify(mutated, TODAY)), (i, char)


def test_every_character_of_the_prefix_replaced_is_refused() -> None:
    for text in VALID:
        for i in range(4):
            for char in "VCA19: x":
                if char.upper() != text[i]:
                    assert refused_cleanly(VERIFIER.verify(text[:i] + char + text[i + 1 :], TODAY)), (i, char)


@given(st.sampled_from(VALID), st.data())
def test_truncated_tokens_with_junk_appended_are_refused(text: str, data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(text) - 1), label="cut")
    junk = data.draw(st.text(max_size=20), label="junk")
    damaged = text[:cut] + junk
    assume(damaged.strip().upper() != text)  # junk that restores the token is no damage
    assert refused_cleanly(VERIFIER.verify(damaged, TODAY))


@given(st.sampled_from(VALID), st.text(min_size=1, max_size=20).filter(lambda s: s.strip() != ""))
def test_valid_tokens_with_junk_appended_are_refused(text: str, junk: str) -> None:
    assert refused_cleanly(VERIFIER.verify(text + junk, TODAY))


@given(st.sampled_from(VALID), st.data())
def test_a_deleted_or_inserted_character_is_refused(text: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(4, len(text) - 1), label="position")
    char = data.draw(st.sampled_from(ALPHABET), label="char")
    assert refused_cleanly(VERIFIER.verify(text[:i] + text[i + 1 :], TODAY))
    assert refused_cleanly(VERIFIER.verify(text[:i] + char + text[i:], TODAY))
