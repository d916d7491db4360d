"""Service receipts on the kiosk: sign one for each check-out, and check one a volunteer brings back.

A receipt (:mod:`checkin_protocol.codes.receipts`, ``docs/codes.md``) is the
visit a check-out closed, signed with this kiosk's device key. The check-out
card shows it as a QR code of the cloud's receipt page, so it needs both
the key (``keys/device-ed25519.key``) and the cloud's address (``sync_state``
``server_url``); a kiosk with neither (never set up for a platform) shows no
receipt. Signing is about 0.1 ms; the key is read once and kept.

At the desk (and ``kiosk receipt check``), a receipt this kiosk signed is
verified offline against its own key, and its events are looked up: still
held here as the receipt says, and delivered to the platform or not. A
receipt of another kiosk cannot be checked here: the cloud knows every
kiosk's key, so the answer names the cloud's page for it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkin_protocol.codes.receipts import (
    MAX_MINUTES,
    ReceiptRefusal,
    ReceiptRefused,
    ServiceReceipt,
    read_receipt,
    receipt_url,
    sign_receipt,
)
from checkin_protocol.models import Action, Event
from kiosk.services.outcome import Outcome, OutcomeKind
from kiosk.store import activities as activity_store
from kiosk.store import events as event_store
from kiosk.store import sync_state as state
from kiosk.store.database import Transaction
from kiosk.store.device_keys import DeviceKeyError, database_file, device_key
from kiosk.store.roster import get_volunteer
from kiosk.store.volunteer_totals import Delivery, events_with_delivery

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IssuedReceipt:
    """A check-out's signed receipt: its text (``VR1:...``) and the URL its QR code holds."""

    receipt: ServiceReceipt
    text: str
    url: str


def receipt_of(outcome: Outcome) -> ServiceReceipt | None:
    """The visit a check-out outcome closed, as a receipt; None for any other outcome.

    Times are the events' wall-clock times to the whole second (the
    fraction is dropped); the minutes are the credited minutes the card
    shows. A visit whose check-out reads earlier than its check-in (the
    device clock was set back in between) gets no receipt.
    """
    check_out, check_in = outcome.event, outcome.previous
    if outcome.kind is not OutcomeKind.CHECKED_OUT or check_out is None or check_in is None:
        return None
    if check_in.action is not Action.CHECK_IN or check_out.action is not Action.CHECK_OUT:
        return None
    minutes = min(MAX_MINUTES, max(0, outcome.visit_seconds or 0) // 60)
    try:
        return ServiceReceipt(
            kiosk_id=check_out.kiosk_id,
            volunteer_id=check_out.volunteer_id,
            activity_id=check_out.activity_id,
            checked_in=check_in.clock.wall_utc.replace(microsecond=0),
            checked_out=check_out.clock.wall_utc.replace(microsecond=0),
            minutes=minutes,
            in_event_id=check_in.event_id,
            out_event_id=check_out.event_id,
        )
    except ValueError as exc:
        log.warning("no receipt for check-out %s: %s", check_out.event_id, exc)
        return None


class ReceiptIssuer:
    """Signs check-out receipts with the device key of the database it is handed.

    The key is read on first use and kept; while the kiosk has none (not
    set up for a platform yet) each check-out looks again, so the first
    check-out after registration has its receipt.
    """

    def __init__(self) -> None:
        self._key: Ed25519PrivateKey | None = None
        self._key_for: Path | None = None
        self._damaged = False

    def issue(self, db: Transaction, outcome: Outcome) -> IssuedReceipt | None:
        """The receipt of a check-out, or None (not a check-out, no cloud address, no device key)."""
        receipt = receipt_of(outcome)
        if receipt is None:
            return None
        server_url = state.get_value(db, state.SERVER_URL)
        if not server_url:
            return None
        key = self._device_key(db)
        if key is None:
            return None
        text = sign_receipt(receipt, key)
        try:
            url = receipt_url(server_url, text)
        except ValueError as exc:
            log.warning("no receipt: %s", exc)
            return None
        return IssuedReceipt(receipt, text, url)

    def _device_key(self, db: Transaction) -> Ed25519PrivateKey | None:
        try:
            database = database_file(db)
        except DeviceKeyError:
            return None  # an in-memory database (a test) has no keys folder
        if self._key is not None and self._key_for == database:
            return self._key
        try:
            self._key = device_key(database, create=False)
        except DeviceKeyError as exc:
            if not self._damaged:  # said once, not at every check-out
                log.error("no receipts: %s", exc)
                self._damaged = True
            return None
        self._key_for = database
        return self._key


class ReceiptVerdict(StrEnum):
    """What a receipt brought to the desk is."""

    VALID = "valid"  # signed by this kiosk's device key
    INVALID = "invalid"  # names this kiosk, but the signature does not match: forged or altered
    ANOTHER_KIOSK = "another_kiosk"  # names another kiosk: only the platform can check it
    UNVERIFIABLE = "unverifiable"  # names this kiosk, which has no device key to check it with
    UNREADABLE = "unreadable"  # not a receipt, or damaged (``refusal`` says which)


class EventFinding(StrEnum):
    """Whether this kiosk holds one of a receipt's events as the receipt says."""

    HELD = "held"
    UNDONE = "undone"  # held, and later undone (by the volunteer or a coordinator)
    DIFFERENT = "different"  # an event with that ID, but another volunteer, activity, action or time
    MISSING = "missing"  # not here: the kiosk's records were reset or restored since


@dataclass(frozen=True)
class HeldEvent:
    """One of a receipt's events as this kiosk holds it, and whether it reached the platform."""

    finding: EventFinding
    delivered_utc: str | None = None
    rejected: bool = False

    @property
    def delivered(self) -> bool:
        """Whether the platform acknowledged the event."""
        return self.delivered_utc is not None and not self.rejected


@dataclass(frozen=True)
class ReceiptCheck:
    """The answer to "is this receipt true?", for the desk and the command line.

    ``platform_url`` is the cloud's page of this receipt (None when this
    kiosk knows no cloud): the place to check another kiosk's receipt.
    ``volunteer_name`` is the roster's full name (the desk is the
    coordinator's); ``activity_title`` the activity's title, each None when
    unknown here.
    """

    verdict: ReceiptVerdict
    receipt: ServiceReceipt | None = None
    refusal: ReceiptRefusal | None = None
    platform_url: str | None = None
    volunteer_name: str | None = None
    activity_title: str | None = None
    check_in: HeldEvent | None = None
    check_out: HeldEvent | None = None

    @property
    def held(self) -> bool:
        """Whether this kiosk holds both events as the receipt says (and neither was undone)."""
        return all(e is not None and e.finding is EventFinding.HELD for e in (self.check_in, self.check_out))

    @property
    def delivered(self) -> bool:
        """Whether both events reached the platform."""
        return all(e is not None and e.delivered for e in (self.check_in, self.check_out))


def looks_like_receipt(scanned: str) -> bool:
    """Whether a scan is meant as a receipt (``VR``, bare or at the end of a URL), readable or not."""
    try:
        read_receipt(scanned)
    except ReceiptRefused as exc:
        return exc.reason is not ReceiptRefusal.FOREIGN
    return True


def is_whole_receipt(typed: str) -> bool:
    """Whether ``typed`` reads as a whole receipt: a USB scanner typing one into a search box has finished."""
    try:
        read_receipt(typed)
    except ReceiptRefused:
        return False
    return True


def check_receipt(db: Transaction, kiosk_id: str, scanned: str) -> ReceiptCheck:
    """Check a scanned or pasted receipt (text or URL) against this kiosk's key and records."""
    try:
        signed = read_receipt(scanned)
    except ReceiptRefused as exc:
        return ReceiptCheck(ReceiptVerdict.UNREADABLE, refusal=exc.reason)
    receipt = signed.receipt
    server_url = state.get_value(db, state.SERVER_URL)
    platform_url = None
    if server_url:
        try:
            platform_url = receipt_url(server_url, signed.text)
        except ValueError:
            platform_url = None
    if receipt.kiosk_id != kiosk_id:
        return ReceiptCheck(ReceiptVerdict.ANOTHER_KIOSK, receipt, platform_url=platform_url)
    try:
        key = device_key(database_file(db), create=False)
    except DeviceKeyError as exc:
        log.error("cannot check a receipt: %s", exc)
        key = None
    if key is None:
        return ReceiptCheck(ReceiptVerdict.UNVERIFIABLE, receipt, platform_url=platform_url)
    if not signed.verify(key.public_key()):
        return ReceiptCheck(ReceiptVerdict.INVALID, receipt, platform_url=platform_url)
    volunteer = get_volunteer(db, receipt.volunteer_id)
    activity = activity_store.get_activity(db, receipt.activity_id)
    events, deliveries = events_with_delivery(db, receipt.volunteer_id)
    held = {event.event_id: event for event in events}
    return ReceiptCheck(
        ReceiptVerdict.VALID,
        receipt,
        platform_url=platform_url,
        volunteer_name=volunteer.name if volunteer is not None else None,
        activity_title=activity.title if activity is not None else None,
        check_in=_find(db, held, deliveries, receipt, Action.CHECK_IN),
        check_out=_find(db, held, deliveries, receipt, Action.CHECK_OUT),
    )


def _find(
    db: Transaction,
    held: dict[str, Event],
    deliveries: dict[str, Delivery],
    receipt: ServiceReceipt,
    action: Action,
) -> HeldEvent:
    """What this kiosk holds of the receipt's check-in (or check-out): among the volunteer's events, by ID."""
    check_in = action is Action.CHECK_IN
    event_id = receipt.in_event_id if check_in else receipt.out_event_id
    at = receipt.checked_in if check_in else receipt.checked_out
    event = held.get(event_id)
    if event is None:  # not this volunteer's here: gone, or (a record replaced since) someone else's
        other = event_store.get_event(db, event_id)
        return HeldEvent(EventFinding.MISSING if other is None else EventFinding.DIFFERENT)
    delivery = deliveries.get(event_id, Delivery(None, False))
    same = (
        event.kiosk_id == receipt.kiosk_id
        and event.activity_id == receipt.activity_id
        and event.action is action
        and event.clock.wall_utc.replace(microsecond=0) == at
    )
    if not same:
        finding = EventFinding.DIFFERENT
    elif event_store.is_undone(db, event_id):
        finding = EventFinding.UNDONE
    else:
        finding = EventFinding.HELD
    return HeldEvent(finding, delivery.delivered_utc, delivery.rejected)
