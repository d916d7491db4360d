"""Issuing cards and activity codes: round trips, field limits and the card's QR size."""

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkin_protocol.codes import (
    ActivityCode,
    Issuer,
    RevocationList,
    TokenVerifier,
    TrustedKeys,
    VolunteerCard,
)
from checkin_protocol.codes.framing import CARD_MAX_TEXT_CHARS
from checkin_protocol.codes.qr_images import qr_version
from checkin_protocol.models import Activity, ActivityStatus, OrgLevel, mask_name, utc

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
ISSUER = Issuer(KEY, "k1")
TODAY = date(2025, 6, 1)
VERIFIER = TokenVerifier(TrustedKeys([("k1", ISSUER.public_key_b64)]), RevocationList())


def make_activity(**changes: object) -> Activity:
    activity = Activity(
        activity_id="A2025-0001",
        title="社区环境清洁志愿服务",
        org_name="雷锋街道志愿者服务队",
        org_level=OrgLevel.TOWNSHIP,
        venue="幸福里社区活动中心",
        starts_at=utc(2025, 6, 1, 1, 0),
        ends_at=utc(2025, 6, 1, 4, 30),
        category="环境保护",
        org_id="ORG-42",
        capacity=30,
        checkin_opens_before_min=45,
        checkin_closes_after_start_min=20,
        signup_required=True,
    )
    return dataclasses.replace(activity, **changes)  # type: ignore[arg-type]


def test_card_round_trip() -> None:
    text = ISSUER.issue_card(
        "V0001", mask_name("雷彩霞"), card_no=2, issued_on=date(2025, 3, 1), expires_on=date(2026, 3, 1)
    )
    assert text.startswith("VC1:")
    result = VERIFIER.verify(text, TODAY)
    assert result.ok, result.detail
    assert result.card == VolunteerCard("k1", "V0001", "雷*霞", 2, date(2025, 3, 1), date(2026, 3, 1))
    assert result.activity_code is None


def test_card_without_expiry_round_trip() -> None:
    text = ISSUER.issue_card("V0001", "王*", issued_on=date(2025, 3, 1))
    card = VERIFIER.verify(text, date(2099, 1, 1)).card
    assert card is not None
    assert card.expires_on is None
    assert card.card_no == 1


@pytest.mark.parametrize(
    "activity",
    [
        make_activity(),
        make_activity(org_id=None, capacity=None, checkin_closes_after_start_min=None, signup_required=False),
        make_activity(org_level=OrgLevel.VILLAGE, checkin_opens_before_min=0, capacity=1),
        make_activity(title='"引号" \\ 反斜杠 and ASCII', venue="V" * 60, category="c" * 20),
    ],
)
def test_activity_round_trip_gives_back_the_same_activity(activity: Activity) -> None:
    text = ISSUER.issue_activity(activity, issued_on=date(2025, 5, 20))
    assert text.startswith("VA1:")
    result = VERIFIER.verify(text, TODAY)
    assert result.ok, result.detail
    code = result.activity_code
    assert code is not None
    assert code == ActivityCode("k1", activity, date(2025, 5, 20))
    assert code.activity_id == activity.activity_id
    assert code.to_activity() == activity
    assert code.to_activity().status is ActivityStatus.SCHEDULED
    assert code.to_activity().starts_at.utcoffset() == timedelta(0)


def test_activity_times_in_another_zone_come_back_as_the_same_instant_in_utc() -> None:
    beijing = timezone(timedelta(hours=8))
    activity = make_activity(
        starts_at=datetime(2025, 6, 1, 9, 0, tzinfo=beijing), ends_at=datetime(2025, 6, 1, 12, tzinfo=beijing)
    )
    code = VERIFIER.verify(ISSUER.issue_activity(activity, issued_on=TODAY), TODAY).activity_code
    assert code is not None
    assert code.activity.starts_at == utc(2025, 6, 1, 1, 0)
    assert code.activity.starts_at.tzinfo is UTC


def test_an_open_activity_is_issued_and_read_back_as_scheduled() -> None:
    text = ISSUER.issue_activity(make_activity(status=ActivityStatus.OPEN), issued_on=TODAY)
    code = VERIFIER.verify(text, TODAY).activity_code
    assert code is not None
    assert code.to_activity().status is ActivityStatus.SCHEDULED


def test_longest_card_fits_a_version_8_qr_code_at_error_correction_m() -> None:
    issuer = Issuer(KEY, "K" * 8)
    for name in ("雷" * 8, "𠀀" * 6, '"' * 8, "雷******霞"):
        text = issuer.issue_card(
            "V" * 20, name, card_no=9999, issued_on=date(2025, 3, 1), expires_on=date(2099, 12, 31)
        )
        assert len(text) <= CARD_MAX_TEXT_CHARS
        version = segno.make(text, error="m", boost_error=False).version
        assert isinstance(version, int) and version <= 8
        assert qr_version(text) <= 8
        assert VERIFIER.verify(text, TODAY).refusal == "unknown_key"  # K*8 is not trusted; it parses


def test_card_that_would_not_fit_the_qr_budget_is_refused_at_issue() -> None:
    with pytest.raises(ValueError, match="version-8 QR"):
        Issuer(KEY, "K" * 8).issue_card(
            "V" * 20, "𠀀" * 8, card_no=9999, issued_on=date(2025, 3, 1), expires_on=date(2099, 12, 31)
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"volunteer_id": ""}, "volunteer_id"),
        ({"volunteer_id": "V" * 21}, "volunteer_id"),
        ({"volunteer_id": "雷0001"}, "volunteer_id"),
        ({"volunteer_id": "V 1"}, "volunteer_id"),
        ({"display_name": "雷" * 9}, "display_name"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "  "}, "display_name"),
        ({"display_name": "雷\n霞"}, "display_name"),
        ({"display_name": "雷\ud800"}, "display_name"),
        ({"card_no": 0}, "card_no"),
        ({"card_no": 10_000}, "card_no"),
        ({"card_no": True}, "card_no"),
        ({"issued_on": datetime(2025, 3, 1, tzinfo=UTC)}, "issued_on"),
        ({"issued_on": date(1970, 1, 1)}, "issued_on"),
        ({"expires_on": date(2025, 2, 28)}, "expires_on"),
    ],
)
def test_bad_card_fields_are_refused_at_issue(changes: dict[str, object], message: str) -> None:
    kwargs: dict[str, object] = {
        "volunteer_id": "V0001",
        "display_name": "雷*霞",
        "card_no": 1,
        "issued_on": date(2025, 3, 1),
        "expires_on": None,
    } | changes
    with pytest.raises(ValueError, match=message):
        ISSUER.issue_card(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"activity_id": "A" * 33}, "activity_id"),
        ({"title": "题" * 41}, "title"),
        ({"org_name": "队" * 41}, "org_name"),
        ({"venue": "地" * 61}, "venue"),
        ({"category": "类" * 21}, "category"),
        ({"org_id": ""}, "org_id"),
        ({"org_level": "province"}, "org_level"),
        ({"starts_at": datetime(2025, 6, 1, 9, 0)}, "starts_at"),
        ({"starts_at": utc(2025, 6, 1, 1, 0) + timedelta(microseconds=5)}, "starts_at"),
        ({"ends_at": utc(2025, 6, 1, 1, 0)}, "ends_at"),
        ({"checkin_opens_before_min": -1}, "checkin_opens_before_min"),
        ({"checkin_closes_after_start_min": 7 * 24 * 60 + 1}, "checkin_closes_after_start_min"),
        ({"capacity": 0}, "capacity"),
        ({"signup_required": 1}, "signup_required"),
    ],
)
def test_bad_activity_fields_are_refused_at_issue(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ISSUER.issue_activity(make_activity(**changes), issued_on=TODAY)


@pytest.mark.parametrize("key_id", ["", "K" * 9, "k 1", "键"])
def test_bad_key_ids_are_refused(key_id: str) -> None:
    with pytest.raises(ValueError, match="key_id"):
        Issuer(KEY, key_id)


def test_card_expiry_is_inclusive_of_the_expiry_day() -> None:
    card = VolunteerCard("k1", "V1", "王*", 1, date(2025, 1, 1), date(2025, 6, 1))
    assert not card.is_expired(date(2025, 6, 1))
    assert card.is_expired(date(2025, 6, 2))
    assert not dataclasses.replace(card, expires_on=None).is_expired(date(9999, 12, 31))
