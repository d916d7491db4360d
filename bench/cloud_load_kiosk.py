"""A simulated kiosk for the cloud load bench: it registers, records check-ins and check-outs, and syncs as a kiosk does.

A real kiosk keeps its outbox in SQLite; the bench runs hundreds of kiosks in
a few processes, so a :class:`SimulatedKiosk` keeps its outbox in memory and
builds everything else with the kiosk's own code:

- registration: a fresh Ed25519 device key, ``POST /register/nonce``, the
  proof signed by :func:`checkin_protocol.registration_proof.sign_registration`,
  ``POST /register``, the reply checked by :func:`kiosk.sync.credentials.parse_registration`;
- events: :class:`checkin_protocol.models.Event` read from the kiosk's
  :class:`kiosk.clock.SystemClock` (wall clock, UTC offset, boot-time
  monotonic clock and boot ID), with the next ``seq`` and a time-ordered ID
  (:func:`kiosk.services.ids.new_event_id`), serialised as the outbox sends
  them (:func:`kiosk.store.outbox.event_record`); a volunteer on site checks
  out, anyone else checks in;
- a sync round is :meth:`kiosk.sync.client.SyncClient.sync_once`'s: measure
  the clock (``GET /time``), push every waiting event in batches of at most
  :data:`kiosk.sync.outbox.MAX_BATCH_EVENTS` (each reply checked by
  :func:`~kiosk.sync.outbox.parse_push_reply`; accepted and duplicate events
  leave the outbox, nothing else does), then pull ``/changes`` pages from
  the kiosk's cursor until ``more`` is false
  (:func:`~kiosk.sync.pull.parse_changes_page`); no face records wait, so no
  face push is sent, as on a kiosk without face check-in. Every push
  carries the kiosk's status (records waiting, its self-test, its version)
  for the fleet's dashboard, as :mod:`kiosk.sync.kiosk_status` builds it. Every request goes
  through the kiosk's :class:`~kiosk.sync.transport.HttpTransport` (gzip
  bodies, timeouts, strict replies).

Every event sent and every answer the cloud gave is kept in the kiosk's
:class:`Ledger`, which the bench checks against the database afterwards.
"""

from __future__ import annotations

import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from checkin_protocol import __version__
from checkin_protocol.codes.issuer import generate_signing_key, public_key_b64
from checkin_protocol.event_rows import event_to_row, format_utc
from checkin_protocol.models import Action, ClockReading, Event, Method
from checkin_protocol.registration_proof import sign_registration
from kiosk.clock import SystemClock
from kiosk.services.ids import new_event_id
from kiosk.store.outbox import event_record
from kiosk.sync.client import PAGE_LIMIT, parse_nonce, parse_server_time
from kiosk.sync.credentials import parse_registration
from kiosk.sync.outbox import MAX_BATCH_EVENTS, parse_push_reply
from kiosk.sync.pull import parse_changes_page
from kiosk.sync.transport import HttpTransport

#: Seconds between two events of a kiosk's backlog (a catch-up kiosk was offline while they were recorded).
BACKLOG_SPACING_S = 10


@dataclass(frozen=True)
class KioskPlan:
    """Who a simulated kiosk is: its ID, its one-time provisioning code, its activity and its volunteers."""

    kiosk_id: str
    code: str
    activity_id: str
    volunteers: tuple[str, ...]
    backlog_activities: tuple[str, ...] = ()  # what a catch-up kiosk served while offline, in turn


@dataclass
class Ledger:
    """What one kiosk sent and what the cloud answered for it (sent between processes: plain data only)."""

    kiosk_id: str
    sent: dict[str, int] = field(default_factory=dict)  # event ID -> seq, every event sent at least once
    accepted: Counter[str] = field(default_factory=Counter)  # event ID -> times the cloud said "accepted"
    duplicate: set[str] = field(default_factory=set)
    rejected: dict[str, str] = field(default_factory=dict)  # event ID -> reason
    waiting: int = 0  # events recorded and not yet acknowledged nor rejected (the kiosk's outbox)

    @property
    def acknowledged(self) -> set[str]:
        """The events the cloud confirmed it holds (accepted or duplicate)."""
        return set(self.accepted) | self.duplicate


class SimulatedKiosk:
    """One kiosk in memory: its credentials, outbox, sequence, volunteers on site and pull cursor."""

    def __init__(self, plan: KioskPlan, base_url: str, rng: random.Random, *, read_timeout_s: float = 30.0):
        self.plan = plan
        self.transport = HttpTransport(base_url, read_timeout_s=read_timeout_s)
        self.clock = SystemClock()
        self.rng = rng
        self.ledger = Ledger(plan.kiosk_id)
        self.outbox: list[dict[str, Any]] = []  # waiting events, oldest first
        self.seq = 0
        self.on_site: set[str] = set()
        self.cursor: str | None = None
        self.clock_offset_s: float | None = None
        self.token = ""
        self.changes_pulled = 0
        self.self_test_utc = format_utc(self.clock.now().wall_utc)  # the self-test ran when the kiosk started
        self.status_reported: dict[str, Any] | None = None  # the status the cloud last acknowledged

    # -- registration -----------------------------------------------------------------------------

    def register(self) -> None:
        """Register with the plan's code as ``kiosk register`` does (device key, signed nonce); ``SyncError`` if refused."""
        kiosk_id, code = self.plan.kiosk_id, self.plan.code
        key = generate_signing_key()
        nonce = parse_nonce(self.transport.post_json("/register/nonce", {"kiosk_id": kiosk_id}))
        body = {
            "provisioning_code": code,
            "kiosk_id": kiosk_id,
            "app_version": __version__,
            "device_public_key": public_key_b64(key),
            "nonce": nonce,
            "device_signature": sign_registration(key, nonce, kiosk_id, code),
        }
        registration = parse_registration(self.transport.post_json("/register", body), kiosk_id)
        self.token = f"{registration.device_id}.{registration.device_secret}"

    # -- what happens at the kiosk ----------------------------------------------------------------

    def record(self, count: int) -> None:
        """``count`` scans now at the plan's activity: each volunteer on site checks out, anyone else checks in."""
        for _ in range(count):
            volunteer = self.rng.choice(self.plan.volunteers)
            leaving = volunteer in self.on_site
            (self.on_site.discard if leaving else self.on_site.add)(volunteer)
            action = Action.CHECK_OUT if leaving else Action.CHECK_IN
            self._append(self.clock.now(), volunteer, self.plan.activity_id, action)

    def record_backlog(self, count: int) -> None:
        """``count`` scans recorded offline, ``BACKLOG_SPACING_S`` apart and ending now, all waiting.

        The kiosk served the plan's ``backlog_activities`` one after the
        other (its own activity when it has none): at each, every volunteer
        checked in, then every one checked out, a visit each.
        """
        now = self.clock.now()
        boot_id = f"{now.boot_id}-offline-{self.plan.kiosk_id}"
        activities = self.plan.backlog_activities or (self.plan.activity_id,)
        volunteers = self.plan.volunteers
        for i in range(count):
            session, step = divmod(i, 2 * len(volunteers))
            wall = now.wall_utc - timedelta(seconds=(count - i) * BACKLOG_SPACING_S)
            reading = ClockReading(wall, now.utc_offset_min, (i + 1) * BACKLOG_SPACING_S * 10**9, boot_id)
            action = Action.CHECK_IN if step < len(volunteers) else Action.CHECK_OUT
            activity = activities[session % len(activities)]
            self._append(reading, volunteers[step % len(volunteers)], activity, action)

    def _append(self, reading: ClockReading, volunteer: str, activity_id: str, action: Action) -> None:
        self.seq += 1
        event = Event(
            event_id=new_event_id(),
            kiosk_id=self.plan.kiosk_id,
            seq=self.seq,
            volunteer_id=volunteer,
            activity_id=activity_id,
            action=action,
            method=Method.QR,
            clock=reading,
        )
        self.outbox.append(event_record(event_to_row(event)))
        self.ledger.waiting = len(self.outbox)

    # -- the sync round ---------------------------------------------------------------------------

    def sync_round(self) -> int:
        """Clock, push, pull, as a kiosk's sync round; the events the cloud acknowledged. ``SyncError`` ends it."""
        self.measure_clock()
        acknowledged = self.push()
        self.pull()
        return acknowledged

    def measure_clock(self) -> None:
        """``GET /time``: the offset of the cloud's clock from this kiosk's, sent with every push."""
        sent = self.clock.now().wall_utc
        reply = self.transport.get_json("/time")
        received = self.clock.now().wall_utc
        midpoint = sent + (received - sent) / 2
        self.clock_offset_s = round((parse_server_time(reply) - midpoint).total_seconds(), 3)

    def status(self) -> dict[str, Any]:
        """The kiosk's status as every push carries it (:func:`kiosk.sync.kiosk_status.current_status`)."""
        return {
            "waiting": len(self.outbox),
            "self_test": "ok",
            "self_test_utc": self.self_test_utc,
            "app_version": __version__,
        }

    def push(self, on_batch: Callable[[float], None] | None = None) -> int:
        """Send the waiting events, oldest first, in batches, until none wait; the number acknowledged.

        Each batch carries the kiosk's status; with nothing waiting, an empty
        batch carries it when the cloud has not had it yet, as
        :func:`kiosk.sync.push.push_one_batch` does. ``on_batch(seconds)`` is
        called after each answered batch. A failed batch raises ``SyncError``
        and its events stay waiting (sent again next round).
        """
        acknowledged = 0
        while True:
            batch = self.outbox[:MAX_BATCH_EVENTS]
            status = self.status()
            if not batch and status == self.status_reported:
                return acknowledged
            for item in batch:
                self.ledger.sent[item["event_id"]] = item["seq"]
            body = {
                "batch_id": str(uuid.uuid4()),
                "sent_at_device": format_utc(self.clock.now().wall_utc),
                "clock_offset_s": self.clock_offset_s,
                "events": batch,
                "status": status,
            }
            started = time.monotonic()
            reply = parse_push_reply(self.transport.post_json("/events", body, token=self.token))
            if on_batch is not None:
                on_batch(time.monotonic() - started)
            self.status_reported = {**status, "waiting": max(0, status["waiting"] - len(batch))}
            if not batch:
                return acknowledged
            acknowledged += self._settle(batch, reply.accepted, reply.duplicate, reply.rejected)

    def _settle(
        self,
        batch: list[dict[str, Any]],
        accepted: tuple[str, ...],
        duplicate: tuple[str, ...],
        rejected: tuple[tuple[str | None, str], ...],
    ) -> int:
        self.ledger.accepted.update(accepted)
        self.ledger.duplicate.update(duplicate)
        refused = {event_id: reason for event_id, reason in rejected if event_id is not None}
        self.ledger.rejected.update(refused)
        settled = set(accepted) | set(duplicate) | set(refused)
        self.outbox = [item for item in self.outbox if item["event_id"] not in settled]
        self.ledger.waiting = len(self.outbox)
        if not settled & {item["event_id"] for item in batch}:
            raise RuntimeError(f"{self.plan.kiosk_id}: the cloud answered for none of a batch's events")
        return len((set(accepted) | set(duplicate)) & {item["event_id"] for item in batch})

    def pull(self) -> int:
        """Fetch ``/changes`` pages from the cursor until ``more`` is false; the pages read."""
        pages = 0
        while True:
            params: dict[str, str | int] = {"limit": PAGE_LIMIT}
            if self.cursor:
                params["cursor"] = self.cursor
            page = parse_changes_page(self.transport.get_json("/changes", params=params, token=self.token))
            pages += 1
            self.changes_pulled += len(page.changes)
            moved = page.next_cursor != self.cursor
            self.cursor = page.next_cursor
            if not page.more:
                return pages
            if not moved:
                raise RuntimeError(f"{self.plan.kiosk_id}: the change log did not move on")

    def close(self) -> None:
        """Close the kiosk's connections."""
        self.transport.close()
