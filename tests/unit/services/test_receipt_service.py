"""The kiosk's service receipts: signed at a check-out from its events, checked at the desk against its key."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers.fakes import KIOSK_ID, FakeClock, make_activity, make_service, open_test_store

from checkin_protocol.codes.receipts import ReceiptRefusal, read_receipt, sign_receipt
from checkin_protocol.event_rows import format_utc
from checkin_protocol.models import Identity, Method
from kiosk.services.attendance import AttendanceService
from kiosk.services.outcome import Outcome, OutcomeKind
from kiosk.services.receipts import (
    EventFinding,
    ReceiptIssuer,
    ReceiptVerdict,
    check_receipt,
    receipt_of,
)
from kiosk.store import sync_state
from kiosk.store.database import Store
from kiosk.store.device_keys import device_key, device_key_path
from kiosk.store.outbox import mark_delivered
from kiosk.store.pull_changes import upsert_volunteer

LEI = Identity("V000000001", "雷*霞", Method.QR, card_no=1)
ACTIVITY = "A20261129001"
SERVER = "https://v.example.cn"
VISIT_S = 2 * 3600 + 15 * 60


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_test_store(tmp_path / "kiosk.db", make_activity(hours=12))


@pytest.fixture
def key(store: Store) -> Ed25519PrivateKey:
    """The kiosk is set up for a platform: a device key beside its database and the cloud's address."""
    made = device_key(store.path, create=True)
    assert made is not None
    with store.write() as db:
        sync_state.set_value(db, sync_state.SERVER_URL, SERVER)
        upsert_volunteer(db, LEI.volunteer_id, "雷彩霞", None, None, 1)
    return made


def _visit(service: AttendanceService, clock: FakeClock) -> Outcome:
    clock.advance(0.75)  # stored times have milliseconds; the receipt keeps whole seconds
    assert service.scan(LEI, ACTIVITY).kind is OutcomeKind.CHECKED_IN
    clock.advance(VISIT_S)
    out = service.scan(LEI, ACTIVITY)
    assert out.kind is OutcomeKind.CHECKED_OUT
    return out


def test_a_check_out_is_signed_with_the_device_key_from_its_events(
    store: Store, clock: FakeClock, key: Ed25519PrivateKey
) -> None:
    out = _visit(make_service(store, clock), clock)
    issued = ReceiptIssuer().issue(store.reader(), out)
    assert issued is not None and out.event is not None and out.previous is not None
    assert issued.url == f"HTTPS://V.EXAMPLE.CN/R/{issued.text}"
    signed = read_receipt(issued.url)
    assert signed.verify(key.public_key())
    receipt = signed.receipt
    assert receipt == issued.receipt
    assert (receipt.kiosk_id, receipt.volunteer_id, receipt.activity_id) == (
        KIOSK_ID,
        LEI.volunteer_id,
        ACTIVITY,
    )
    assert receipt.in_event_id == out.previous.event_id and receipt.out_event_id == out.event.event_id
    assert receipt.checked_in == out.previous.clock.wall_utc.replace(microsecond=0)
    assert receipt.checked_out == out.event.clock.wall_utc.replace(microsecond=0)
    assert out.event.clock.wall_utc.microsecond == 750_000
    assert receipt.minutes == VISIT_S // 60 == (out.visit_seconds or 0) // 60


def test_no_receipt_without_a_cloud_address_or_a_device_key(store: Store, clock: FakeClock) -> None:
    out = _visit(make_service(store, clock), clock)
    issuer = ReceiptIssuer()
    assert issuer.issue(store.reader(), out) is None  # neither
    with store.write() as db:
        sync_state.set_value(db, sync_state.SERVER_URL, SERVER)
    assert issuer.issue(store.reader(), out) is None  # no key yet
    device_key(store.path, create=True)  # registration made it while the kiosk ran
    assert issuer.issue(store.reader(), out) is not None
    with store.write() as db:
        sync_state.set_value(db, sync_state.SERVER_URL, None)
    assert issuer.issue(store.reader(), out) is None


def test_a_damaged_key_file_means_no_receipt_not_a_crash(store: Store, clock: FakeClock) -> None:
    out = _visit(make_service(store, clock), clock)
    with store.write() as db:
        sync_state.set_value(db, sync_state.SERVER_URL, SERVER)
    path = device_key_path(store.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"short")
    assert ReceiptIssuer().issue(store.reader(), out) is None


def test_only_a_check_out_has_a_receipt(store: Store, clock: FakeClock, key: Ed25519PrivateKey) -> None:
    service = make_service(store, clock)
    check_in = service.scan(LEI, ACTIVITY)
    assert receipt_of(check_in) is None
    clock.advance(10)
    duplicate = service.scan(LEI, ACTIVITY)
    assert duplicate.kind is OutcomeKind.DUPLICATE and receipt_of(duplicate) is None
    assert ReceiptIssuer().issue(store.reader(), check_in) is None


def test_a_clock_set_back_between_in_and_out_gives_no_receipt(store: Store, clock: FakeClock) -> None:
    out = _visit(make_service(store, clock), clock)
    assert out.event is not None and out.previous is not None
    earlier = replace(
        out.event.clock, wall_utc=out.previous.clock.wall_utc.replace(microsecond=0) - timedelta(seconds=60)
    )
    assert receipt_of(replace(out, event=replace(out.event, clock=earlier))) is None


def test_the_desk_finds_its_own_receipt_valid_held_and_then_delivered(
    store: Store, clock: FakeClock, key: Ed25519PrivateKey
) -> None:
    out = _visit(make_service(store, clock), clock)
    issued = ReceiptIssuer().issue(store.reader(), out)
    assert issued is not None and out.event is not None and out.previous is not None
    found = check_receipt(store.reader(), KIOSK_ID, issued.url.lower())
    assert found.verdict is ReceiptVerdict.VALID
    assert (found.volunteer_name, found.activity_title) == ("雷彩霞", "图书馆阅读推广志愿服务")
    assert found.held and not found.delivered
    assert found.platform_url == issued.url
    with store.write() as db:
        mark_delivered(db, [out.previous.event_id, out.event.event_id], "b1", format_utc(clock.wall))
    found = check_receipt(store.reader(), KIOSK_ID, issued.text)
    assert found.held and found.delivered
    assert found.check_out is not None and found.check_out.delivered_utc == format_utc(clock.wall)


def test_an_undone_check_out_is_said(store: Store, clock: FakeClock, key: Ed25519PrivateKey) -> None:
    service = make_service(store, clock)
    out = _visit(service, clock)
    issued = ReceiptIssuer().issue(store.reader(), out)
    assert issued is not None and out.event is not None
    assert service.undo(out.event.event_id).kind is OutcomeKind.UNDONE
    found = check_receipt(store.reader(), KIOSK_ID, issued.text)
    assert found.verdict is ReceiptVerdict.VALID and not found.held
    assert found.check_in is not None and found.check_in.finding is EventFinding.HELD
    assert found.check_out is not None and found.check_out.finding is EventFinding.UNDONE


def test_a_receipt_whose_events_this_kiosk_no_longer_holds(
    tmp_path: Path, store: Store, clock: FakeClock, key: Ed25519PrivateKey
) -> None:
    out = _visit(make_service(store, clock), clock)
    issued = ReceiptIssuer().issue(store.reader(), out)
    assert issued is not None
    # The data folder restored from before the visit: the same kiosk and key, not these events.
    restored = open_test_store(tmp_path / "restored" / "kiosk.db", make_activity(hours=12))
    key_file = device_key_path(restored.path)
    key_file.parent.mkdir(parents=True)
    key_file.write_bytes(device_key_path(store.path).read_bytes())
    found = check_receipt(restored.reader(), KIOSK_ID, issued.text)
    assert found.verdict is ReceiptVerdict.VALID
    assert found.check_in is not None and found.check_in.finding is EventFinding.MISSING
    assert not found.held and not found.delivered


def test_an_altered_receipt_of_this_kiosk_is_invalid(
    store: Store, clock: FakeClock, key: Ed25519PrivateKey
) -> None:
    out = _visit(make_service(store, clock), clock)
    issued = ReceiptIssuer().issue(store.reader(), out)
    assert issued is not None
    more = replace(issued.receipt, minutes=issued.receipt.minutes + 120)
    forged_payload = more.to_payload()
    signature = read_receipt(issued.text).signature
    body = base64.b32encode(forged_payload + signature).decode().rstrip("=")
    found = check_receipt(store.reader(), KIOSK_ID, "VR1:" + body)
    assert found.verdict is ReceiptVerdict.INVALID and found.receipt == more
    stranger = Ed25519PrivateKey.generate()  # forged from scratch with another key
    found = check_receipt(store.reader(), KIOSK_ID, sign_receipt(more, stranger))
    assert found.verdict is ReceiptVerdict.INVALID


def test_another_kiosks_receipt_points_to_the_platform(
    store: Store, clock: FakeClock, key: Ed25519PrivateKey
) -> None:
    out = _visit(make_service(store, clock), clock)
    issued = ReceiptIssuer().issue(store.reader(), out)
    assert issued is not None
    theirs = sign_receipt(replace(issued.receipt, kiosk_id="KOTHER0001"), Ed25519PrivateKey.generate())
    found = check_receipt(store.reader(), KIOSK_ID, theirs)
    assert found.verdict is ReceiptVerdict.ANOTHER_KIOSK
    assert found.platform_url == f"HTTPS://V.EXAMPLE.CN/R/{theirs}"
    assert found.check_in is None and found.volunteer_name is None


def test_own_receipt_on_a_kiosk_without_a_key_cannot_be_checked_here(store: Store, clock: FakeClock) -> None:
    out = _visit(make_service(store, clock), clock)
    receipt = receipt_of(out)
    assert receipt is not None
    found = check_receipt(store.reader(), KIOSK_ID, sign_receipt(receipt, Ed25519PrivateKey.generate()))
    assert found.verdict is ReceiptVerdict.UNVERIFIABLE and found.platform_url is None


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("", ReceiptRefusal.FOREIGN),
        ("VC1:NCF0", ReceiptRefusal.FOREIGN),
        ("https://weixin.qq.com/r/abc", ReceiptRefusal.FOREIGN),
        ("VR2:AAAA", ReceiptRefusal.UNSUPPORTED_VERSION),
        ("VR1:ABCDEFGH", ReceiptRefusal.MALFORMED),
    ],
)
def test_garbage_is_unreadable(store: Store, text: str, refusal: ReceiptRefusal) -> None:
    found = check_receipt(store.reader(), KIOSK_ID, text)
    assert (found.verdict, found.refusal, found.receipt) == (ReceiptVerdict.UNREADABLE, refusal, None)
