"""Verifying scans: what a kiosk accepts, and the reason it gives for everything else."""

from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkin_protocol.codes import Issuer, Refusal, RevocationList, TokenVerifier, TrustedKeys, VerifyResult
from checkin_protocol.codes.base45 import b45decode, b45encode
from checkin_protocol.codes.fields import date_to_day, to_payload
from checkin_protocol.codes.framing import TokenKind, frame, signing_input
from checkin_protocol.codes.verifier import INTERNAL_ERROR
from checkin_protocol.models import Activity, OrgLevel, utc

OLD_KEY = Ed25519PrivateKey.from_private_bytes(bytes([1]) * 32)
NEW_KEY = Ed25519PrivateKey.from_private_bytes(bytes([2]) * 32)
STRANGER_KEY = Ed25519PrivateKey.from_private_bytes(bytes([3]) * 32)
OLD = Issuer(OLD_KEY, "k2024")
NEW = Issuer(NEW_KEY, "k2025")
TODAY = date(2025, 6, 1)
ACTIVITY = Activity(
    activity_id="A1",
    title="敬老院探访",
    org_name="东城区志愿者协会",
    org_level=OrgLevel.COUNTY,
    venue="东城区第一敬老院",
    starts_at=utc(2025, 6, 1, 1),
    ends_at=utc(2025, 6, 1, 3),
    category="助老",
)


def make_verifier(revocations: RevocationList | None = None) -> TokenVerifier:
    trusted = TrustedKeys()
    trusted.add("k2024", OLD.public_key_b64)
    trusted.add("k2025", NEW.public_key_b64)
    return TokenVerifier(trusted, revocations or RevocationList())


def card(issuer: Issuer = NEW, **kwargs: object) -> str:
    args: dict[str, object] = {"card_no": 1, "issued_on": date(2025, 1, 1), "expires_on": None} | kwargs
    return issuer.issue_card("V0001", "雷*霞", **args)  # type: ignore[arg-type]


def signed(fields: list[object], kind: TokenKind = TokenKind.CARD, key: Ed25519PrivateKey = NEW_KEY) -> str:
    """A token whose payload the test writes itself, properly signed with a trusted key."""
    payload = to_payload(fields)
    return frame(kind, payload, key.sign(signing_input(kind, payload)))


def assert_refused(result: VerifyResult, refusal: Refusal) -> None:
    assert not result.ok
    assert result.token is None
    assert result.refusal == refusal, result.detail
    assert result.detail
    assert result.detail != INTERNAL_ERROR  # the verifier's safety net caught an exception


def test_key_rotation_tokens_of_both_trusted_keys_verify() -> None:
    verifier = make_verifier()
    for issuer in (OLD, NEW):
        assert verifier.verify(card(issuer), TODAY).ok
        assert verifier.verify(issuer.issue_activity(ACTIVITY, issued_on=TODAY), TODAY).ok


def test_token_signed_by_an_untrusted_key_is_refused_as_unknown_key() -> None:
    stranger = Issuer(STRANGER_KEY, "k2026")
    assert_refused(make_verifier().verify(card(stranger), TODAY), Refusal.UNKNOWN_KEY)
    activity = stranger.issue_activity(ACTIVITY, issued_on=TODAY)
    assert_refused(make_verifier().verify(activity, TODAY), Refusal.UNKNOWN_KEY)


def test_a_retired_key_is_no_longer_accepted() -> None:
    verifier = make_verifier()
    verifier.trusted.remove("k2024")
    assert_refused(verifier.verify(card(OLD), TODAY), Refusal.UNKNOWN_KEY)
    assert verifier.verify(card(NEW), TODAY).ok


def test_token_forged_under_a_trusted_key_id_is_refused_as_bad_signature() -> None:
    forger = Issuer(STRANGER_KEY, "k2025")
    assert_refused(make_verifier().verify(card(forger), TODAY), Refusal.BAD_SIGNATURE)
    activity = forger.issue_activity(ACTIVITY, issued_on=TODAY)
    assert_refused(make_verifier().verify(activity, TODAY), Refusal.BAD_SIGNATURE)


def test_token_signed_by_the_other_trusted_key_is_refused_as_bad_signature() -> None:
    # claims k2024 but was signed with k2025's key
    text = signed(["k2024", "V0001", "雷*霞", 1, date_to_day(date(2025, 1, 1)), 0], key=NEW_KEY)
    assert_refused(make_verifier().verify(text, TODAY), Refusal.BAD_SIGNATURE)


@pytest.mark.parametrize("text", [card(), NEW.issue_activity(ACTIVITY, issued_on=TODAY)])
def test_every_flipped_bit_is_refused(text: str) -> None:
    verifier = make_verifier()
    prefix, body = text[:4], text[4:]
    raw = b45decode(body)
    for i in range(len(raw)):
        for bit in range(8):
            damaged = bytearray(raw)
            damaged[i] ^= 1 << bit
            result = verifier.verify(prefix + b45encode(bytes(damaged)), TODAY)
            assert result.refusal in (Refusal.BAD_SIGNATURE, Refusal.MALFORMED, Refusal.UNKNOWN_KEY), (
                i,
                bit,
                result,
            )


def test_the_card_is_still_good_on_its_expiry_day_and_expired_the_day_after() -> None:
    text = card(expires_on=date(2025, 6, 1))
    verifier = make_verifier()
    assert verifier.verify(text, date(2025, 6, 1)).ok
    assert_refused(verifier.verify(text, date(2025, 6, 2)), Refusal.EXPIRED)


def test_a_card_issued_in_the_future_is_accepted_because_kiosk_clocks_may_be_wrong() -> None:
    assert make_verifier().verify(card(issued_on=date(2025, 6, 2)), TODAY).ok


def test_revoking_one_card_leaves_the_replacement_card_good() -> None:
    verifier = make_verifier(RevocationList([("V0001", 1)]))
    assert_refused(verifier.verify(card(card_no=1), TODAY), Refusal.REVOKED)
    assert verifier.verify(card(card_no=2), TODAY).ok


def test_revoking_card_zero_revokes_every_card_of_the_volunteer() -> None:
    verifier = make_verifier(RevocationList([("V0001", 0)]))
    for card_no in (1, 2, 9999):
        assert_refused(verifier.verify(card(card_no=card_no), TODAY), Refusal.REVOKED)
    other = NEW.issue_card("V0002", "王*", issued_on=date(2025, 1, 1))
    assert verifier.verify(other, TODAY).ok


def test_revocation_added_after_the_verifier_was_built_applies_to_the_next_scan() -> None:
    verifier = make_verifier()
    assert verifier.verify(card(), TODAY).ok
    verifier.revocations.add("V0001", 1)
    assert_refused(verifier.verify(card(), TODAY), Refusal.REVOKED)


def test_a_card_signature_replayed_as_an_activity_code_is_refused() -> None:
    verifier = make_verifier()
    text = card()
    assert not verifier.verify("VA1:" + text[4:], TODAY).ok
    # even a payload that would parse as an activity cannot borrow a card signature
    fields: list[object] = ["k2025", "A1", "t", None, "o", "city", "v", 0, 60, 0, None, "c", None, 0, 20000]
    payload = to_payload(fields)
    card_signature = NEW_KEY.sign(signing_input(TokenKind.CARD, payload))
    replayed = frame(TokenKind.ACTIVITY, payload, card_signature)
    assert_refused(verifier.verify(replayed, TODAY), Refusal.BAD_SIGNATURE)
    assert verifier.verify(frame(TokenKind.CARD, to_payload(fields), card_signature), TODAY).refusal == (
        Refusal.MALFORMED
    )


def test_wrong_kind_is_refused_by_the_kind_specific_checks() -> None:
    verifier = make_verifier()
    activity = NEW.issue_activity(ACTIVITY, issued_on=TODAY)
    assert_refused(verifier.verify_card(activity, TODAY), Refusal.WRONG_KIND)
    assert_refused(verifier.verify_activity(card(), TODAY), Refusal.WRONG_KIND)
    assert verifier.verify_card(card(), TODAY).card is not None
    assert verifier.verify_activity(activity, TODAY).activity_code is not None
    # a refusal of the right kind keeps its own reason
    assert_refused(verifier.verify_card(card(expires_on=date(2025, 1, 2)), TODAY), Refusal.EXPIRED)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n",
        "https://example.com/volunteer?id=V0001",
        "WIFI:T:WPA;S:Venue;P:secret;;",
        "weixin://wxpay/bizpayurl?pr=abc",
        "BEGIN:VCARD\nVERSION:3.0\nEND:VCARD",
        "VCARD:whatever",
        "VX1:ABC",
        "V" + "A" * 10_000,
        "X" * 10_240,
        "VC1",
        "VC",
        "\x00VC1:ABC",
    ],
)
def test_foreign_texts_are_refused_as_foreign(text: str) -> None:
    assert_refused(make_verifier().verify(text, TODAY), Refusal.FOREIGN)


@pytest.mark.parametrize("text", ["VC9:ABC", "VA2:", "VC10:" + card()[4:], "vc2:abc", "VC0:x"])
def test_our_prefix_with_an_unknown_version_is_refused_as_unsupported(text: str) -> None:
    assert_refused(make_verifier().verify(text, TODAY), Refusal.UNSUPPORTED_VERSION)


def test_surrounding_whitespace_from_a_scanner_is_ignored() -> None:
    verifier = make_verifier()
    for decorated in (card() + "\n", card() + "\r\n", "  " + card() + "\t"):
        assert verifier.verify(decorated, TODAY).ok


def test_inner_whitespace_is_not_ignored() -> None:
    text = card()
    assert not make_verifier().verify(text[:20] + "\n" + text[20:], TODAY).ok


def test_a_scanner_with_caps_lock_sending_lowercase_is_accepted() -> None:
    verifier = make_verifier()
    assert verifier.verify(card().lower(), TODAY).ok
    assert verifier.verify(card().swapcase(), TODAY).ok


def test_non_ascii_lookalikes_of_base45_letters_are_refused() -> None:
    text = card()  # Ed25519 is deterministic: this text is the same on every run
    verifier = make_verifier()
    # "ı".upper() == "I" and "ſ".upper() == "S": only ASCII may be upper-cased
    for letter, lookalike in (("I", "ı"), ("S", "ſ")):
        position = text.index(letter, 4)
        damaged = text[:position] + lookalike + text[position + 1 :]
        assert damaged.upper() == text
        assert_refused(verifier.verify(damaged, TODAY), Refusal.MALFORMED)


def test_every_truncation_is_refused() -> None:
    verifier = make_verifier()
    for text in (card(), NEW.issue_activity(ACTIVITY, issued_on=TODAY)):
        for length in range(len(text)):
            result = verifier.verify(text[:length], TODAY)
            assert not result.ok, length
            expected = Refusal.FOREIGN if length < 4 else Refusal.MALFORMED
            assert result.refusal in (expected, Refusal.BAD_SIGNATURE), (length, result)


def test_appended_junk_is_refused() -> None:
    verifier = make_verifier()
    for junk in ("0", "00", "000", "A", "%%", ":", "VC1:", "x", "雷"):
        assert not verifier.verify(card() + junk, TODAY).ok, junk


DAY = date_to_day(date(2025, 1, 1))


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        (["k2025", "V0001", "雷*霞", 1, DAY], TokenKind.CARD),  # too few fields
        (["k2025", "V0001", "雷*霞", 1, DAY, 0, 0], TokenKind.CARD),  # too many
        (["k2025", "V0001", "雷*霞", "1", DAY, 0], TokenKind.CARD),  # card_no as text
        (["k2025", "V0001", "雷*霞", True, DAY, 0], TokenKind.CARD),  # card_no as a bool
        (["k2025", "V0001", "雷*霞", 1.0, DAY, 0], TokenKind.CARD),  # card_no as a float
        (["k2025", "V0001", "雷*霞", 0, DAY, 0], TokenKind.CARD),  # card_no 0
        (["k2025", "V0001", "雷*霞", 1, 0, 0], TokenKind.CARD),  # issued on day 0
        (["k2025", "V0001", "雷*霞", 1, 10**9, 0], TokenKind.CARD),  # beyond year 9999
        (["k2025", "V0001", "雷*霞", 1, DAY, DAY - 1], TokenKind.CARD),  # expires before issue
        (["k2025", "V0001", "雷*霞", 1, DAY, False], TokenKind.CARD),
        (["k2025", "V0001", "雷" * 9, 1, DAY, 0], TokenKind.CARD),  # display_name too long
        (["k2025", "V0001", "", 1, DAY, 0], TokenKind.CARD),
        (["k2025", "V 1", "雷*霞", 1, DAY, 0], TokenKind.CARD),
        (["k2025", None, "雷*霞", 1, DAY, 0], TokenKind.CARD),
        ({"key": "k2025"}, TokenKind.CARD),
        (
            ["k2025", "A1", "t", None, "o", "province", "v", 0, 60, 0, None, "c", None, 0, DAY],
            TokenKind.ACTIVITY,
        ),
        (
            ["k2025", "A1", "t", None, "o", "city", "v", 60, 60, 0, None, "c", None, 0, DAY],
            TokenKind.ACTIVITY,
        ),
        (
            ["k2025", "A1", "t", None, "o", "city", "v", -1, 60, 0, None, "c", None, 0, DAY],
            TokenKind.ACTIVITY,
        ),
        (
            ["k2025", "A1", "t" * 41, None, "o", "city", "v", 0, 60, 0, None, "c", None, 0, DAY],
            TokenKind.ACTIVITY,
        ),
        (
            ["k2025", "A1", "t", None, "o", "city", "v" * 61, 0, 60, 0, None, "c", None, 0, DAY],
            TokenKind.ACTIVITY,
        ),
        (["k2025", "A1", "t", None, "o", "city", "v", 0, 60, 0, None, "c", None, 2, DAY], TokenKind.ACTIVITY),
        (["k2025", "A1", "t", None, "o", "city", "v", 0, 60, 0, None, "c", 0, 0, DAY], TokenKind.ACTIVITY),
        (["k2025", "A1", "t", None, "o", "city", "v", 0, 60, 0, None, "c", None, 0], TokenKind.ACTIVITY),
    ],
)
def test_signed_but_invalid_payloads_are_refused_as_malformed(fields: object, kind: TokenKind) -> None:
    assert_refused(make_verifier().verify(signed(fields, kind), TODAY), Refusal.MALFORMED)  # type: ignore[arg-type]


def test_the_hand_signed_payloads_above_are_accepted_when_valid() -> None:
    # the control for the test above: its refusals come from the fields, not from signed()
    verifier = make_verifier()
    assert verifier.verify(signed(["k2025", "V0001", "雷*霞", 1, DAY, 0]), TODAY).ok
    fields: list[object] = ["k2025", "A1", "t", None, "o", "city", "v", 0, 60, 0, None, "c", None, 0, DAY]
    assert verifier.verify(signed(fields, TokenKind.ACTIVITY), TODAY).ok


@pytest.mark.parametrize("payload", [b"\xff\xfe", b"[1,2", b"not json", b"[]", b'"k2025"', b"[" * 20])
def test_payloads_that_are_not_a_json_array_are_malformed(payload: bytes) -> None:
    text = frame(TokenKind.CARD, payload, NEW_KEY.sign(signing_input(TokenKind.CARD, payload)))
    assert_refused(make_verifier().verify(text, TODAY), Refusal.MALFORMED)


def test_non_text_input_is_refused_not_raised() -> None:
    assert_refused(make_verifier().verify(b"VC1:ABC", TODAY), Refusal.FOREIGN)  # type: ignore[arg-type]
    assert_refused(make_verifier().verify(None, TODAY), Refusal.FOREIGN)  # type: ignore[arg-type]
