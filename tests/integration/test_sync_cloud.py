"""The kiosk's sync client against the real reference server over HTTP on 127.0.0.1."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers.cloud_server import RunningCloud, kiosk_event_rows
from helpers.fakes import FakeClock, append_events, make_activity

from checkin_protocol.codes.results import Refusal
from checkin_protocol.event_rows import event_to_row
from checkin_protocol.models import Event, Method
from cloud.cli_issue import activity_values
from kiosk.app import Kiosk, build_kiosk
from kiosk.config import DataDir, load_config
from kiosk.services.outcome import OutcomeKind
from kiosk.store import sync_state as state
from kiosk.sync.client import SyncClient
from kiosk.sync.errors import SyncError
from kiosk.sync.transport import HttpTransport, Transport


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    config = load_config(DataDir(tmp_path / "kiosk", "cli"), env={})
    kiosk = build_kiosk(config, clock=FakeClock())
    yield kiosk
    kiosk.close()


def _client(kiosk: Kiosk, transport: Transport) -> SyncClient:
    return SyncClient(kiosk.store, kiosk.kiosk_id, kiosk.clock, transport)


def _registered(kiosk: Kiosk, cloud: RunningCloud) -> tuple[SyncClient, HttpTransport]:
    transport = HttpTransport(cloud.base_url)
    client = _client(kiosk, transport)
    client.register(cloud.provision())
    kiosk.reload_trust()
    return client, transport


def add_events(kiosk: Kiosk, count: int) -> list[Event]:
    """Append ``count`` events of this kiosk (check-ins and check-outs of a few volunteers)."""
    assert isinstance(kiosk.clock, FakeClock)
    return append_events(kiosk.store, kiosk.kiosk_id, kiosk.clock, count)


def _local(kiosk: Kiosk, sql: str) -> Any:
    return kiosk.store.writer.execute(sql).fetchone()[0]


class LosingTransport:
    """Delivers requests but loses the reply of the first ``lose`` POSTs to ``path`` (a dropped connection)."""

    def __init__(self, inner: HttpTransport, lose: int, path: str = "/events") -> None:
        self.inner = inner
        self.base_url = inner.base_url
        self.lose = lose
        self.path = path

    def get_json(
        self, path: str, *, params: Mapping[str, str | int] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        return self.inner.get_json(path, params=params, token=token)

    def post_json(self, path: str, body: Mapping[str, Any], *, token: str | None = None) -> dict[str, Any]:
        reply = self.inner.post_json(path, body, token=token)
        if path == self.path and self.lose > 0:
            self.lose -= 1
            raise SyncError("network", "the connection dropped before the reply arrived")
        return reply


def test_1200_events_reach_the_server_exactly_once_and_leave_the_outbox(
    cloud: RunningCloud, kiosk: Kiosk
) -> None:
    client, _ = _registered(kiosk, cloud)
    events = add_events(kiosk, 1_200)
    report = client.sync_once()
    assert report.ok, report.lines()
    assert report.push is not None and (report.push.batches, report.push.accepted) == (3, 1_200)
    assert kiosk_event_rows(cloud.store, kiosk.kiosk_id) == [event_to_row(e) for e in events], (
        "the server must hold every event exactly as the kiosk recorded it"
    )
    assert client.status().waiting == 0
    assert _local(kiosk, "SELECT COUNT(*) FROM outbox WHERE delivered_utc IS NULL") == 0
    with cloud.store.read() as reader:
        offsets = reader._conn.execute(
            "SELECT DISTINCT clock_offset_s FROM events WHERE kiosk_id = ?", (kiosk.kiosk_id,)
        ).fetchall()
    assert offsets == [(report.clock_offset_s,)], "each batch carries the measured clock offset"


def test_a_lost_reply_is_retried_and_the_events_are_still_there_exactly_once(
    cloud: RunningCloud, kiosk: Kiosk
) -> None:
    client, transport = _registered(kiosk, cloud)
    events = add_events(kiosk, 700)
    losing = _client(kiosk, LosingTransport(transport, lose=1))
    report = losing.push_pending()
    assert report.error is not None and report.error.retryable
    assert len(kiosk_event_rows(cloud.store, kiosk.kiosk_id)) == 500, "the server took the first batch"
    assert _local(kiosk, "SELECT COUNT(*) FROM outbox WHERE delivered_utc IS NOT NULL") == 0, (
        "nothing may be marked delivered when the reply was lost"
    )
    assert _local(kiosk, "SELECT SUM(attempts) FROM outbox") == 500
    retry = client.push_pending()
    assert (retry.duplicate, retry.accepted, retry.error) == (500, 200, None)
    assert [r[0] for r in kiosk_event_rows(cloud.store, kiosk.kiosk_id)] == [e.event_id for e in events]
    assert client.status().waiting == 0


def test_a_conflicting_event_is_rejected_and_kept_with_the_reason(cloud: RunningCloud, kiosk: Kiosk) -> None:
    client, _ = _registered(kiosk, cloud)
    events = add_events(kiosk, 3)
    impostor = replace(events[1], volunteer_id="V999")  # same ID, different content, already on the server
    now = datetime.now(UTC)
    with cloud.store.write() as writer:
        writer.insert_event(event_to_row(impostor), now, None, now, str(uuid.uuid4()))
    report = client.push_pending()
    assert report.accepted == 2 and report.rejected == [(events[1].event_id, "conflict")]
    row = kiosk.store.writer.execute(
        "SELECT delivered_utc, rejected_reason FROM outbox WHERE event_id = ?", [events[1].event_id]
    ).fetchone()
    assert tuple(row) == (None, "conflict")
    assert _local(kiosk, "SELECT COUNT(*) FROM events") == 3, "a rejected event is kept on the kiosk"
    status = client.status()
    assert (status.waiting, status.rejected) == (0, 1)
    assert client.push_pending().sent == 0, "a rejected event is not sent again"


def test_a_pulled_roster_and_then_a_revoked_card_are_obeyed(
    cloud: RunningCloud, kiosk: Kiosk, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "volunteer_id,name,phone,org_id,org_name,org_level\n"
        "V001,雷彩霞,13800000001,ORG1,江城市志愿服务联合会,city\n"
        "V002,王芳,,ORG1,江城市志愿服务联合会,city\n",
        encoding="utf-8",
    )
    cloud.store.import_roster(roster)
    activity = make_activity("A20261129001")
    with cloud.store.write() as writer:
        writer.upsert_activity(activity_values(activity))
    client, _ = _registered(kiosk, cloud)

    report = client.sync_once()
    assert report.ok, report.lines()
    kiosk.reload_trust()
    db = kiosk.store.writer
    assert db.execute("SELECT volunteer_id, name FROM volunteers ORDER BY 1").fetchall() == [
        ("V001", "雷彩霞"),
        ("V002", "王芳"),
    ]
    assert db.execute("SELECT org_id, level FROM organisations").fetchall() == [("ORG1", "city")]
    assert db.execute("SELECT status FROM activities").fetchall() == [("scheduled",)]

    card = cloud.issuer.issue_card("V001", "雷*霞", issued_on=date(2026, 1, 1))
    today = kiosk.clock.now().local.date()
    assert kiosk.verifier.verify_card(card, today).ok, "the registration's platform key must be trusted"
    assert kiosk.scanning.open_known_activity(activity.activity_id).kind is OutcomeKind.ACTIVITY_OPENED
    assert kiosk.scanning.handle_code(card, Method.QR).kind is OutcomeKind.CHECKED_IN

    with cloud.store.write() as writer:
        writer.revoke("V001", 1, "lost", datetime.now(UTC))
    report = client.sync_once()
    assert report.ok and report.trust_changed
    assert report.push is not None and report.push.accepted == 1
    kiosk.reload_trust()
    assert kiosk.verifier.verify_card(card, today).refusal is Refusal.REVOKED
    outcome = kiosk.scanning.handle_code(card, Method.QR)
    assert (outcome.kind, outcome.reason) == (OutcomeKind.REFUSED, "revoked"), (
        "a revoked card must be refused"
    )
    assert db.execute("SELECT status FROM activities").fetchall() == [("open",)], "the kiosk's status is kept"


def test_wrong_credentials_are_a_plain_words_error_and_mark_nothing(
    cloud: RunningCloud, kiosk: Kiosk
) -> None:
    client, _ = _registered(kiosk, cloud)
    add_events(kiosk, 5)
    with kiosk.store.write() as db:
        state.set_value(db, state.DEVICE_SECRET, "not-the-secret")
    report = client.sync_once()
    assert not report.ok and report.error is not None
    assert "register the kiosk again" in report.error.message
    assert "not-the-secret" not in report.error.message
    assert (
        _local(
            kiosk,
            "SELECT COUNT(*) FROM outbox WHERE delivered_utc IS NOT NULL OR rejected_reason IS NOT NULL",
        )
        == 0
    )
    assert kiosk_event_rows(cloud.store, kiosk.kiosk_id) == []
    assert client.status().last_error == report.error.message


def test_a_used_or_unknown_code_is_refused_in_plain_words(
    cloud: RunningCloud, kiosk: Kiosk, tmp_path: Path
) -> None:
    code = cloud.provision()
    cloud.register("KOTHER00001")  # uses a code of its own
    client = _client(kiosk, HttpTransport(cloud.base_url))
    with pytest.raises(SyncError, match="does not know this provisioning code"):
        client.register("KP1:test:" + "A" * 32)
    client.register(code)
    other = build_kiosk(load_config(DataDir(tmp_path / "other", "cli"), env={}), clock=FakeClock())
    try:
        with pytest.raises(SyncError, match="already used"):
            _client(other, HttpTransport(cloud.base_url)).register(code)
    finally:
        other.close()


def test_a_lost_registration_reply_can_be_retried_with_the_same_code(
    cloud: RunningCloud, kiosk: Kiosk
) -> None:
    code = cloud.provision()
    transport = HttpTransport(cloud.base_url)
    with pytest.raises(SyncError):
        _client(kiosk, LosingTransport(transport, lose=1, path="/register")).register(code)
    client = _client(kiosk, transport)
    assert not client.status().registered
    client.register(code)  # the same device key, within the server's retry window
    add_events(kiosk, 3)
    assert client.sync_once().ok, "the secret of the retried registration must work"
