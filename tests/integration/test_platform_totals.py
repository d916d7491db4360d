"""A volunteer's platform total on the check-out card, through two kiosks and the real reference cloud.

The volunteer serves at kiosk A, then at kiosk B: B's card shows the hours from A (which B only knows from
the cloud) plus its own visit, and after B syncs, its next card counts that visit once, not twice. The two
kiosks and the cloud share one clock the test moves (the cloud corrects kiosk times by the skew it sees at
each push, so clocks days apart would make the two visits overlap).
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
from kiosk.app import Kiosk, build_kiosk
from kiosk.config import DataDir, load_config
from kiosk.services.outcome import Outcome, OutcomeKind, TotalSource
from kiosk.sync.client import SyncClient
from kiosk.sync.transport import HttpTransport

HOUR = 3600


@pytest.fixture
def world() -> FakeClock:
    """The one clock of the kiosks and the cloud."""
    return FakeClock()


@pytest.fixture
def cloud_clock(world: FakeClock) -> Clock:
    return lambda: world.wall


@pytest.fixture
def kiosks(tmp_path: Path, world: FakeClock) -> Iterator[tuple[Kiosk, Kiosk]]:
    built = [build_kiosk(load_config(DataDir(tmp_path / name, "cli"), env={}), clock=world) for name in "AB"]
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


def _visit(kiosk: Kiosk, card: str, minutes: int) -> Outcome:
    """Check in with ``card``, stay ``minutes``, check out; the check-out's outcome."""
    clock = kiosk.clock
    assert isinstance(clock, FakeClock)
    assert kiosk.scanning.handle_code(card, Method.QR).kind is OutcomeKind.CHECKED_IN
    clock.advance(minutes * 60)
    outcome = kiosk.scanning.handle_code(card, Method.QR)
    assert outcome.kind is OutcomeKind.CHECKED_OUT, outcome
    return outcome


def test_the_card_shows_the_platform_total_plus_this_kiosks_visits_not_yet_counted(
    cloud: RunningCloud, kiosks: tuple[Kiosk, Kiosk], world: FakeClock, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "volunteer_id,name,phone,org_id,org_name,org_level\nV001,雷彩霞,13800000001,ORG1,江城市志愿服务联合会,city\n",
        encoding="utf-8",
    )
    cloud.store.import_roster(roster)
    activity = make_activity("A20261129001", hours=8)
    with cloud.store.write() as writer:
        writer.upsert_activity(activity_values(activity))
    card = cloud.issuer.issue_card("V001", "雷*霞", issued_on=date(2026, 1, 1))
    kiosk_a, kiosk_b = kiosks
    client_a, client_b = _registered(kiosk_a, cloud), _registered(kiosk_b, cloud)
    for kiosk, client in ((kiosk_a, client_a), (kiosk_b, client_b)):
        _sync(kiosk, client)
        assert kiosk.scanning.open_known_activity(activity.activity_id).kind is OutcomeKind.ACTIVITY_OPENED

    at_a = _visit(kiosk_a, card, 120)
    assert (at_a.total_source, at_a.total_seconds) == (
        TotalSource.PLATFORM,
        2 * HOUR,
    )  # the platform's 0 + 2 h
    _sync(kiosk_a, client_a)  # A's visit reaches the platform
    _sync(kiosk_b, client_b)  # B hears the new total

    world.advance(HOUR)  # B's visit comes after A's
    at_b = _visit(kiosk_b, card, 60)
    assert (at_b.visit_seconds, at_b.total_seconds) == (HOUR, 3 * HOUR), "A's 2 h from the platform + B's 1 h"
    assert (
        at_b.total_source is TotalSource.PLATFORM and at_b.total_as_of is None
    )  # brought up to date just now

    _sync(kiosk_b, client_b)  # the platform now counts B's visit too; B must not add it again
    world.advance(5 * 60)
    again = _visit(kiosk_b, card, 30)
    assert again.total_seconds == 3 * HOUR + 30 * 60

    _sync(kiosk_b, client_b)
    _sync(kiosk_a, client_a)  # and A, which never saw B, shows the platform's figure at its next check-out
    world.advance(5 * 60)
    later = _visit(kiosk_a, card, 15)
    assert later.total_seconds == 3 * HOUR + 45 * 60
