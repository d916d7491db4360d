"""SyncClient against an in-memory fake of the cloud: the order of marking, retries, the executor."""

from __future__ import annotations

import base64
import os
import random
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from helpers.fakes import KIOSK_ID, FakeClock
from sqlite_utils import Database

from checkin_protocol.codes.issuer import generate_signing_key, public_key_b64
from checkin_protocol.codes.trust import public_key_from
from checkin_protocol.models import Action, Event, Method
from checkin_protocol.registration_proof import verify_registration
from kiosk.services.ids import new_event_id
from kiosk.store import sync_state as state
from kiosk.store.database import Store
from kiosk.store.events import append_event
from kiosk.store.trust import load_trusted_keys
from kiosk.sync.client import SyncClient
from kiosk.sync.credentials import load_device_key
from kiosk.sync.errors import SyncError, refusal

T = TypeVar("T")
SECRET = "the-device-secret"
PLATFORM_KEY = public_key_b64(generate_signing_key())


class FakeCloud:
    """The protocol's server side in memory, with failures the test queues."""

    def __init__(self, clock: FakeClock, server_ahead_s: float = 0.0) -> None:
        self.base_url = "http://cloud.test"
        self.clock = clock
        self.server_ahead_s = server_ahead_s
        self.events: dict[str, dict[str, Any]] = {}
        self.changes: list[dict[str, Any]] = []
        self.failures: list[SyncError | str] = []  # an error to raise, or "lose_reply"
        self.requests: list[str] = []
        self.device_keys: list[str] = []
        self.nonces: list[str] = []  # handed out and not used yet
        self.nonce_reply: dict[str, Any] | None = None  # instead of a real nonce, when set
        self.page_limit = 2

    def _fail_or_lose(self) -> bool:
        if not self.failures:
            return False
        failure = self.failures.pop(0)
        if isinstance(failure, SyncError):
            raise failure
        return True  # handle the request, then lose the reply

    def _server_time(self) -> str:
        moment = self.clock.now().wall_utc + timedelta(seconds=self.server_ahead_s)
        return moment.isoformat(timespec="milliseconds")

    def _check(self, token: str | None) -> None:
        if token != f"{KIOSK_ID}.{SECRET}":
            raise refusal(401, "unauthenticated", "no")

    def get_json(
        self, path: str, *, params: Mapping[str, str | int] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        self.requests.append(path)
        lose = self._fail_or_lose()
        if path == "/time":
            reply: dict[str, Any] = {"server_time": self._server_time(), "protocol": 1}
        else:
            self._check(token)
            start = int((params or {}).get("cursor", 0))
            if start > len(self.changes):
                raise refusal(409, "invalid_cursor", "no")  # as the cloud answers a cursor past its log
            end = min(start + self.page_limit, len(self.changes))
            reply = {
                "changes": self.changes[start:end],
                "next_cursor": str(end),
                "more": end < len(self.changes),
                "server_time": self._server_time(),
            }
        if lose:
            raise SyncError("network", "lost")
        return reply

    def _nonce(self) -> dict[str, Any]:
        if self.nonce_reply is not None:
            return self.nonce_reply
        nonce = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode("ascii")
        self.nonces.append(nonce)
        return {"nonce": nonce, "expires_utc": self._server_time()}

    def _check_proof(self, body: Mapping[str, Any]) -> None:
        """As the cloud does: a nonce it handed out, used once, signed by the key being registered."""
        if body["nonce"] not in self.nonces:
            raise refusal(403, "bad_nonce", "no")
        key = public_key_from(body["device_public_key"])
        args = (body["device_signature"], body["nonce"], body["kiosk_id"], body["provisioning_code"])
        if not verify_registration(key, *args):
            raise refusal(403, "bad_signature", "no")
        self.nonces.remove(body["nonce"])

    def post_json(self, path: str, body: Mapping[str, Any], *, token: str | None = None) -> dict[str, Any]:
        if path == "/register/nonce":  # queued failures are for the requests after it
            return self._nonce()
        self.requests.append(path)
        lose = self._fail_or_lose()
        if path == "/register":
            self._check_proof(body)
            self.device_keys.append(body["device_public_key"])
            reply: dict[str, Any] = {
                "device_id": body["kiosk_id"],
                "device_secret": SECRET,
                "area_id": "test",
                "server_time": self._server_time(),
                "platform_keys": [{"key_id": "p1", "public_key": PLATFORM_KEY}],
                "bundle_public_key": "AAAA",
            }
        else:
            self._check(token)
            assert len(body["events"]) <= 500
            reply = {"accepted": [], "duplicate": [], "rejected": [], "server_time": self._server_time()}
            for event in body["events"]:
                stored = self.events.setdefault(event["event_id"], event)
                if stored is event:
                    reply["accepted"].append(event["event_id"])
                elif stored == event:
                    reply["duplicate"].append(event["event_id"])
                else:
                    reply["rejected"].append({"event_id": event["event_id"], "reason": "conflict"})
        if lose:
            raise SyncError("network", "lost")
        return reply


def add_events(store: Store, clock: FakeClock, count: int) -> list[str]:
    ids = []
    with store.write() as db:
        first = (db.execute("SELECT MAX(seq) FROM events").fetchone()[0] or 0) + 1
        for seq in range(first, first + count):
            clock.advance(1)
            event = Event(new_event_id(), KIOSK_ID, seq, "V1", "A1", Action.CHECK_IN, Method.QR, clock.now())
            append_event(db, event)
            ids.append(event.event_id)
    return ids


def _client(store: Store, clock: FakeClock, cloud: FakeCloud, **kwargs: Any) -> SyncClient:
    return SyncClient(store, KIOSK_ID, clock, cloud, rng=random.Random(7), **kwargs)


def _registered(store: Store) -> tuple[FakeClock, FakeCloud, SyncClient]:
    clock = FakeClock()
    cloud = FakeCloud(clock)
    client = _client(store, clock, cloud)
    client.register("KP1:test:ABC")
    return clock, cloud, client


def _delivered(store: Store) -> int:
    return int(
        store.writer.execute("SELECT COUNT(*) FROM outbox WHERE delivered_utc IS NOT NULL").fetchone()[0]
    )


def test_register_keeps_credentials_trusts_the_platform_and_never_shows_the_secret(store: Store) -> None:
    _clock, cloud, client = _registered(store)
    status = client.status()
    assert status.registered and status.device_id == KIOSK_ID and status.server_url == "http://cloud.test"
    assert SECRET not in repr(status)
    assert load_trusted_keys(store.writer).public_b64("p1") == PLATFORM_KEY
    assert state.get_value(store.writer, state.BUNDLE_PUBLIC_KEY) == "AAAA"
    key = load_device_key(store.writer)
    assert key is not None and cloud.device_keys == [public_key_b64(key)]


def test_the_device_key_is_made_before_sending_and_kept_for_a_retry(store: Store) -> None:
    clock = FakeClock()
    cloud = FakeCloud(clock)
    cloud.failures = ["lose_reply"]
    client = _client(store, clock, cloud)
    with pytest.raises(SyncError):
        client.register("KP1:test:ABC")
    assert not client.status().registered
    client.register("KP1:test:ABC")
    assert cloud.device_keys[0] == cloud.device_keys[1], "a retried registration must present the same key"


def test_registration_proves_the_device_key_by_signing_the_servers_nonce(store: Store) -> None:
    clock = FakeClock()
    cloud = FakeCloud(clock)
    sent: list[Mapping[str, Any]] = []
    post = cloud.post_json

    def recording(path: str, body: Mapping[str, Any], *, token: str | None = None) -> dict[str, Any]:
        sent.append(body)
        return post(path, body, token=token)

    cloud.post_json = recording  # type: ignore[method-assign]
    _client(store, clock, cloud).register("  KP1:test:ABC ")
    nonce_request, registration = sent
    assert nonce_request == {"kiosk_id": KIOSK_ID}
    key = load_device_key(store.writer)
    assert key is not None
    args = (registration["device_signature"], registration["nonce"], KIOSK_ID, "KP1:test:ABC")
    assert verify_registration(key.public_key(), *args)
    assert not verify_registration(generate_signing_key().public_key(), *args)
    assert cloud.nonces == [], "the nonce was used"


@pytest.mark.parametrize("reply", [{}, {"nonce": 5}, {"nonce": "short"}, {"nonce": "!" * 43}])
def test_a_garbled_nonce_is_refused_before_anything_is_registered(
    store: Store, reply: dict[str, Any]
) -> None:
    clock = FakeClock()
    cloud = FakeCloud(clock)
    cloud.nonce_reply = reply
    with pytest.raises(SyncError, match="registration nonce could not be read") as raised:
        _client(store, clock, cloud).register("KP1:test:ABC")
    assert raised.value.kind == "garbled"
    assert "/register" not in cloud.requests and not _client(store, clock, cloud).status().registered


def test_a_refused_registration_says_why_in_plain_words(store: Store) -> None:
    clock = FakeClock()
    cloud = FakeCloud(clock)
    cloud.failures = [refusal(409, "code_used", "used")]
    with pytest.raises(SyncError, match="already used"):
        _client(store, clock, cloud).register("KP1:test:ABC")
    with pytest.raises(SyncError, match="empty"):
        _client(store, clock, cloud).register("  ")


def test_the_clock_offset_is_server_time_minus_the_midpoint(store: Store) -> None:
    clock = FakeClock()
    cloud = FakeCloud(clock, server_ahead_s=12.5)
    client = _client(store, clock, cloud)
    assert client.measure_clock() == 12.5
    assert client.status().clock_offset_s == 12.5


def test_a_push_sends_everything_oldest_first_in_batches_of_500(store: Store) -> None:
    clock, cloud, client = _registered(store)
    ids = add_events(store, clock, 1_200)
    report = client.push_pending()
    assert (report.batches, report.accepted, report.error) == (3, 1_200, None)
    assert list(cloud.events) == ids, "events must reach the server oldest first"
    assert client.status().waiting == 0


def test_max_batches_limits_one_push(store: Store) -> None:
    clock, _cloud, client = _registered(store)
    add_events(store, clock, 1_200)
    assert client.push_pending(max_batches=1).sent == 500
    assert client.status().waiting == 700


def test_a_lost_reply_marks_nothing_and_the_retry_comes_back_as_duplicates(store: Store) -> None:
    clock, cloud, client = _registered(store)
    add_events(store, clock, 10)
    cloud.failures = ["lose_reply"]
    report = client.push_pending()
    assert report.error is not None and report.error.retryable
    assert _delivered(store) == 0, "nothing may be marked delivered without the reply"
    assert store.writer.execute("SELECT MIN(attempts) FROM outbox").fetchone()[0] == 1
    assert len(cloud.events) == 10
    again = client.push_pending()
    assert (again.accepted, again.duplicate, again.error) == (0, 10, None)
    assert _delivered(store) == 10


def test_a_conflicting_event_is_kept_with_its_reason_and_not_sent_again(store: Store) -> None:
    clock, cloud, client = _registered(store)
    ids = add_events(store, clock, 3)
    cloud.events[ids[1]] = {"event_id": ids[1], "different": True}
    report = client.push_pending()
    assert report.rejected == [(ids[1], "conflict")] and report.accepted == 2
    status = client.status()
    assert (status.waiting, status.rejected) == (0, 1)
    cloud.requests.clear()
    assert client.push_pending().sent == 0 and cloud.requests == []


def test_a_server_that_does_not_answer_for_every_event_stops_the_push(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock, cloud, client = _registered(store)
    add_events(store, clock, 5)
    original = cloud.post_json

    def forgetful(path: str, body: Mapping[str, Any], *, token: str | None = None) -> dict[str, Any]:
        reply = original(path, body, token=token)
        reply["accepted"] = reply["accepted"][:3]
        return reply

    monkeypatch.setattr(cloud, "post_json", forgetful)
    report = client.push_pending()
    assert report.batches == 1 and report.error is not None, "the push must not loop on the same events"
    assert client.status().waiting == 2


def test_wrong_credentials_are_a_plain_words_error_and_mark_nothing(store: Store) -> None:
    clock, _cloud, client = _registered(store)
    add_events(store, clock, 4)
    with store.write() as db:
        state.set_value(db, state.DEVICE_SECRET, "wrong")
    report = client.sync_once()
    assert not report.ok and "register the kiosk again" in report.error.message  # type: ignore[union-attr]
    assert report.pull is None, "after a refused push the round stops"
    assert _delivered(store) == 0
    assert client.status().last_error == report.error.message  # type: ignore[union-attr]


def test_pull_follows_pages_until_more_is_false(store: Store) -> None:
    _clock, cloud, client = _registered(store)
    cloud.changes = [
        {
            "kind": "volunteer",
            "op": "upsert",
            "key": f"V{i}",
            "data": {"volunteer_id": f"V{i}", "name": "x", "phone": None, "org_id": None, "active": True},
        }
        for i in range(5)
    ]
    report = client.pull()
    assert (report.pages, report.applied, report.error) == (3, 5, None)
    assert state.get_value(store.writer, state.PULL_CURSOR) == "5"
    cloud.requests.clear()
    assert client.pull().applied == 0 and cloud.requests == ["/changes"]


def test_an_unknown_cursor_starts_the_pull_again_from_the_beginning(store: Store) -> None:
    _clock, cloud, client = _registered(store)
    cloud.changes = [{"kind": "trusted_key", "op": "delete", "key": "old", "data": None}]
    with store.write() as db:
        state.set_value(db, state.PULL_CURSOR, "99")
    report = client.pull()
    assert report.error is None and report.applied == 1 and report.trust_changed
    assert state.get_value(store.writer, state.PULL_CURSOR) == "1"


def test_sync_once_records_success_then_failure(store: Store) -> None:
    clock, cloud, client = _registered(store)
    add_events(store, clock, 2)
    report = client.sync_once()
    assert report.ok and report.push is not None and report.push.accepted == 2
    status = client.status()
    assert status.last_success_utc is not None and status.last_error is None
    cloud.failures = [SyncError("network", "cannot reach the server at http://cloud.test; check the network")]
    report = client.sync_once()
    assert not report.ok and report.push is None, "with no network the round stops at the clock"
    status = client.status()
    assert status.last_error is not None and "check the network" in status.last_error
    assert client.sync_once().ok and client.status().last_error is None


def test_an_unregistered_kiosk_is_told_how_to_register(store: Store) -> None:
    clock = FakeClock()
    report = _client(store, clock, FakeCloud(clock)).sync_once()
    assert report.error is not None and "kiosk register" in report.error.message


class _OwnedConnection:
    """A connection that fails the test when used from any thread but its owner."""

    def __init__(self, conn: Any, owner: threading.Thread | None) -> None:
        self._conn = conn
        self.owner: threading.Thread | None = owner

    def __getattr__(self, name: str) -> Any:
        if self.owner is not None and threading.current_thread() is not self.owner:
            raise AssertionError(f"the writer connection was used off the writer thread ({name})")
        return getattr(self._conn, name)


def test_every_database_access_goes_through_the_executor(store: Store) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        writer_thread = pool.submit(threading.current_thread).result()

        def on_writer(fn: Callable[[], T]) -> T:
            return pool.submit(fn).result()

        owned = _OwnedConnection(store.writer.conn, None)
        real = store.writer
        store.writer = Database(owned, execute_plugins=False)  # type: ignore[arg-type]
        owned.owner = writer_thread
        try:
            clock = FakeClock()
            cloud = FakeCloud(clock)
            cloud.changes = [{"kind": "trusted_key", "op": "delete", "key": "old", "data": None}]
            client = SyncClient(store, KIOSK_ID, clock, cloud, executor=on_writer)
            client.register("KP1:test:ABC")
            on_writer(lambda: add_events(store, clock, 3))
            report = client.sync_once()
            assert report.ok and report.push is not None and report.push.accepted == 3
            assert client.status().waiting == 0
        finally:
            owned.owner = None
            store.writer = real


def test_the_loop_waits_backs_off_and_wakes_on_sync_now(store: Store) -> None:
    clock = FakeClock()
    cloud = FakeCloud(clock)
    client = _client(store, clock, cloud, interval_s=600)
    client.register("KP1:test:ABC")
    reports: list[bool] = []
    round_done = threading.Event()

    def on_report(report: Any) -> None:
        reports.append(report.ok)
        round_done.set()

    stop = threading.Event()
    worker = threading.Thread(target=client.run_with_backoff, args=(stop, on_report), daemon=True)
    worker.start()
    assert round_done.wait(5)
    round_done.clear()
    client.sync_now()  # without it the loop would wait the 600 s interval
    assert round_done.wait(5), "sync now must start a round at once"
    stop.set()
    client.sync_now()
    worker.join(5)
    assert not worker.is_alive()
    assert reports[:2] == [True, True]


def test_next_delay_is_the_interval_after_success_and_backs_off_after_failure(store: Store) -> None:
    _clock, cloud, client = _registered(store)
    ok = client.sync_once()
    assert client.next_delay(ok) == 60
    cloud.failures = [SyncError("server", "down")] * 20
    delays = []
    for _ in range(10):
        report = client.sync_once()
        delays.append(client.next_delay(report))
    assert all(0 <= d <= 300 for d in delays)
    assert client.next_delay(ok) == 60 and client.backoff.failures == 0
