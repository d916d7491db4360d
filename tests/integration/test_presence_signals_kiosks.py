"""One card at two kiosks of two venues, as people would use it: two real kiosks and the real cloud.

A volunteer's card is scanned at the kiosk of 东湖一村 and, 30 s later, at
the kiosk of 西山镇 (a friend holding a copy of it). Each kiosk is offline
from the other and takes the scan; when they sync, the cloud flags both
visits (two kiosks within seconds); when both visits are closed an hour
later, it flags them as at two places at once as well. Then the volunteer
registers a phone pass, and the next time the card is shown the visit is
flagged too. The kiosks and the cloud share one clock the test moves.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from helpers.cloud_server import RunningCloud
from helpers.fakes import FakeClock, make_activity

from checkin_protocol.models import Method
from cloud.cli_issue import activity_values
from cloud.instance import Clock
from cloud.protocol import format_time
from kiosk.app import Kiosk, build_kiosk
from kiosk.config import DataDir, load_config
from kiosk.services.outcome import OutcomeKind
from kiosk.sync.client import SyncClient
from kiosk.sync.transport import HttpTransport

ROSTER = "volunteer_id,name,phone,org_id,org_name,org_level\nV001,雷彩霞,13800000001,ORG1,江城市志愿服务联合会,city\n"


@pytest.fixture
def world() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cloud_clock(world: FakeClock) -> Clock:
    return lambda: world.wall


@pytest.fixture
def kiosks(tmp_path: Path, world: FakeClock) -> Iterator[tuple[Kiosk, Kiosk]]:
    built = [build_kiosk(load_config(DataDir(tmp_path / name, "cli"), env={}), clock=world) for name in "EW"]
    yield built[0], built[1]
    for kiosk in built:
        kiosk.close()


def _registered(kiosk: Kiosk, cloud: RunningCloud) -> SyncClient:
    client = SyncClient(kiosk.store, kiosk.kiosk_id, kiosk.clock, HttpTransport(cloud.base_url))
    client.register(cloud.provision())
    kiosk.reload_trust()
    return client


def _sync(kiosk: Kiosk, client: SyncClient) -> None:
    report = client.sync_once()
    assert report.ok, report.lines()
    kiosk.reload_trust()


def _signals(cloud: RunningCloud) -> set[tuple[str, str, str]]:
    with cloud.store.read() as reader:
        rows = reader._conn.execute("SELECT visit_id, signal, other_id FROM presence_signals").fetchall()
    return {(str(row[0]), str(row[1]), str(row[2])) for row in rows}


def _visit_ids(cloud: RunningCloud) -> dict[str, list[str]]:
    """Each kiosk's kept visits of V001, by check-in."""
    with cloud.store.read() as reader:
        facts = sorted(reader.visit_facts_of(["V001"]), key=lambda fact: fact.check_in_utc)
    found: dict[str, list[str]] = {}
    for fact in facts:
        found.setdefault(fact.kiosk_id, []).append(fact.visit_id)
    return found


def test_one_card_at_two_kiosks_of_two_venues_is_flagged_and_a_card_after_a_pass_too(
    cloud: RunningCloud, kiosks: tuple[Kiosk, Kiosk], world: FakeClock, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    cloud.store.import_roster(roster)
    east_activity = make_activity("A-EAST", venue="东湖一村村委会广场", title="社区环境清洁日")
    west_activity = make_activity("A-WEST", venue="西山镇敬老院", title="敬老院陪伴")
    with cloud.store.write() as writer:
        for activity in (east_activity, west_activity):
            writer.upsert_activity(activity_values(activity))
    card = cloud.issuer.issue_card("V001", "雷*霞", issued_on=date(2026, 1, 1))
    east, west = kiosks
    clients = {east.kiosk_id: _registered(east, cloud), west.kiosk_id: _registered(west, cloud)}
    for kiosk, activity in ((east, east_activity), (west, west_activity)):
        _sync(kiosk, clients[kiosk.kiosk_id])
        assert kiosk.scanning.open_known_activity(activity.activity_id).kind is OutcomeKind.ACTIVITY_OPENED

    assert east.scanning.handle_code(card, Method.QR).kind is OutcomeKind.CHECKED_IN
    world.advance(30)
    assert west.scanning.handle_code(card, Method.QR).kind is OutcomeKind.CHECKED_IN  # the copy
    for kiosk in kiosks:
        _sync(kiosk, clients[kiosk.kiosk_id])
    visits = _visit_ids(cloud)
    (here,), (there,) = visits[east.kiosk_id], visits[west.kiosk_id]
    assert _signals(cloud) == {
        (here, "same_credential_seconds", there),
        (there, "same_credential_seconds", here),
    }  # two check-ins, not yet two stays: nothing says V001 stayed at either

    world.advance(3600)
    for kiosk in kiosks:
        assert kiosk.scanning.handle_code(card, Method.QR).kind is OutcomeKind.CHECKED_OUT
        world.advance(5)
    for kiosk in kiosks:
        _sync(kiosk, clients[kiosk.kiosk_id])
    assert _signals(cloud) == {
        (here, "same_credential_seconds", there),
        (there, "same_credential_seconds", here),
        (here, "two_places", there),
        (there, "two_places", here),
    }

    with cloud.store.write() as writer:  # V001 registers a phone pass (the cloud's passes table, issue 18)
        writer._conn.execute(
            "INSERT INTO passes (pass_id, volunteer_id, public_key, created_utc, revoked_utc) "
            "VALUES (?, ?, ?, ?, NULL)",
            ("P00000000A1", "V001", "A" * 43 + "=", format_time(world.wall)),
        )
    world.advance(600)
    assert east.scanning.handle_code(card, Method.QR).kind is OutcomeKind.CHECKED_IN  # a card still works
    _sync(east, clients[east.kiosk_id])
    later = _visit_ids(cloud)[east.kiosk_id][-1]
    assert (later, "card_after_pass", "P00000000A1") in _signals(cloud)
    assert len(_signals(cloud)) == 5
