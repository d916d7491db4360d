"""The cloud load bench (``bench/cloud_load.py``): a tiny run works on both databases, and its counters catch faults.

The bench's own numbers are only worth something if its checks can fail:
here a kiosk that lost a record, a cloud that stored an event nobody sent
or answered ``accepted`` twice, and a server that goes away mid-run must
each show in ``gaps``, ``duplicates`` and ``errors``. The province loader
(``bench/cloud_load_province.py``) is run at a small scale and must leave
the dashboard's tables exactly as the cloud's own projection rebuilds them.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from helpers.postgres import PostgresServer, new_postgres_database

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

from cloud_load_generator import LoadSettings, load_process, run_phase, split  # noqa: E402
from cloud_load_kiosk import KioskPlan, SimulatedKiosk  # noqa: E402
from cloud_load_province import ProvinceSize, kiosk_id, level_sizes, load_province  # noqa: E402
from cloud_load_server import (  # noqa: E402
    Roster,
    ServedCloud,
    prepare_cloud,
    provision,
    served_cloud,
)
from cloud_load_verify import percentile, verify  # noqa: E402

from cloud.instance import CloudInstance  # noqa: E402
from cloud.storage_postgres import PostgresCloudStore  # noqa: E402
from cloud.visit_projection import rebuild_all  # noqa: E402

REQUIRED_FIGURES = (
    "backend",
    "kiosks",
    "workers",
    "rounds_per_s",
    "events_per_s",
    "p50_ms",
    "p95_ms",
    "errors",
    "duplicates",
    "gaps",
    "catchup_events_per_s",
)


@pytest.mark.slow
@pytest.mark.linux_only  # "--backend both" starts a PostgreSQL of Debian's packages
@pytest.mark.timeout(600)
def test_a_tiny_run_on_both_databases_reports_every_figure_and_no_fault() -> None:
    command = [
        sys.executable, str(ROOT / "bench" / "cloud_load.py"), "--json", "--backend", "both",
        "--kiosks", "6", "--seconds", "3", "--interval", "1", "--workers", "2", "--processes", "2",
        "--catchup-kiosks", "2", "--catchup-events", "600", "--volunteers", "100", "--activities", "3",
        "--roster-edits", "3",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=540, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert [r["backend"] for r in results] == ["sqlite", "postgres"]
    for result in results:
        assert set(REQUIRED_FIGURES) <= result.keys()
        assert (result["kiosks"], result["workers"]) == (6, 2)
        assert (result["errors"], result["duplicates"], result["gaps"]) == (0, 0, 0)
        assert (result["waiting"], result["rejected"]) == (0, 0)
        assert result["rounds"] >= 6 * 2  # every kiosk synced in the 3 s window at 1 s intervals
        assert result["rounds_per_s"] > 0 and result["events_per_s"] > 0
        assert 0 < result["p50_ms"] <= result["p95_ms"]
        assert result["catchup_events"] == 1200 and result["catchup_events_per_s"] > 0
        assert result["changes_pulled"] > 0  # the platform's roster edits reached the kiosks
        assert result["stored_events"] >= 1200 + result["events_per_s"]  # the catch-up and the load


@pytest.fixture
def bench_cloud(tmp_path: Path) -> Iterator[tuple[CloudInstance, Roster, ServedCloud]]:
    """A bench cloud on SQLite (roster, activities) and its ``kiosk-cloud serve`` process."""
    instance, roster = prepare_cloud(tmp_path / "cloud", None, volunteers=50, activities=2, seed=3)
    with instance, served_cloud(tmp_path / "cloud", None, 1, tmp_path / "server.log") as served:
        yield instance, roster, served


def _kiosks(instance: CloudInstance, roster: Roster, served: ServedCloud, count: int) -> list[SimulatedKiosk]:
    volunteers = tuple(v for v, _ in roster.volunteers[:10])
    kiosks = []
    for n, code in enumerate(provision(instance, count), start=1):
        plan = KioskPlan(f"KTEST{n}", code, roster.activity_ids[0], volunteers)
        kiosk = SimulatedKiosk(plan, served.base_url, random.Random(n))
        kiosk.register()
        kiosks.append(kiosk)
    return kiosks


@pytest.mark.timeout(120)
def test_a_lost_record_and_an_unsent_or_twice_accepted_event_show_as_gaps_and_duplicates(
    bench_cloud: tuple[CloudInstance, Roster, ServedCloud],
) -> None:
    instance, roster, served = bench_cloud
    first, second = _kiosks(instance, roster, served, 2)
    try:
        for kiosk in (first, second):
            kiosk.record(4)
            assert kiosk.sync_round() == 4
        ledgers = [first.ledger, second.ledger]
        clean = verify(instance.store, ledgers)
        assert (clean.stored, clean.duplicates, clean.gaps, clean.waiting) == (8, 0, 0, 0)

        first.record(2)
        first.outbox.pop(0)  # seq 5 never leaves the kiosk: the cloud sees 6 after 4
        first.sync_round()
        assert verify(instance.store, ledgers).gaps == 1  # the cloud's own missing range (5-5)

        second.ledger.accepted[next(iter(second.ledger.sent))] += 1  # the cloud said "accepted" twice
        assert verify(instance.store, ledgers).duplicates == 1
        second.record(1)
        second.sync_round()
        unsent = max(second.ledger.sent, key=second.ledger.sent.__getitem__)
        del second.ledger.sent[unsent]  # the cloud now holds an event no kiosk sent
        second.ledger.accepted.pop(unsent)
        faulty = verify(instance.store, ledgers)
        assert (faulty.duplicates, faulty.gaps) == (2, 1)

        second.ledger.accepted["00000000-0000-7000-8000-000000000000"] = 1  # acknowledged, never stored
        assert verify(instance.store, ledgers).gaps == 2
    finally:
        first.close()
        second.close()


def _kill_once_events_arrive(instance: CloudInstance, served: ServedCloud, stop: threading.Event) -> None:
    """Kill the server a second after the first pushed events are stored (the load window has begun)."""
    while not stop.wait(0.1):
        with instance.store.read() as reader:
            if reader.table_counts()["events"]:
                break
    if not stop.wait(1.0):
        os.killpg(served.pid, signal.SIGKILL)


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_a_server_gone_mid_run_shows_as_errors_and_events_left_waiting(tmp_path: Path) -> None:
    instance, roster = prepare_cloud(tmp_path / "cloud", None, volunteers=50, activities=2, seed=4)
    volunteers = tuple(v for v, _ in roster.volunteers[:10])
    with instance, served_cloud(tmp_path / "cloud", None, 1, tmp_path / "server.log") as served:
        plans = [
            KioskPlan(f"KGONE{n}", code, roster.activity_ids[0], volunteers)
            for n, code in enumerate(provision(instance, 3), start=1)
        ]
        settings = LoadSettings(
            served.base_url, interval_s=0.5, seconds=4.0, events_per_round=2, total_kiosks=3, seed=4
        )
        stop = threading.Event()
        killer = threading.Thread(target=_kill_once_events_arrive, args=(instance, served, stop))
        killer.start()
        try:
            phase = run_phase(load_process, split(plans, 1), settings)
        finally:
            stop.set()
            killer.join()
        outcome = phase.outcomes[0]
        verdict = verify(instance.store, outcome.ledgers)
    assert outcome.latencies_s, "rounds succeeded before the server went"
    assert outcome.failures > 0 and set(outcome.error_kinds) == {"network"}
    assert any("ConnectionError" in line for line in outcome.transport_log)
    assert verdict.waiting > 0  # recorded after the server died: still at the kiosks
    assert (verdict.duplicates, verdict.gaps) == (0, 0)  # what was acknowledged is stored


def test_percentiles_are_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([3.0], 95) == 3.0
    assert percentile([], 95) is None


def _rows(conn: psycopg.Connection[Any], sql: str) -> set[tuple[Any, ...]]:
    return {tuple(row) for row in conn.execute(sql).fetchall()}


@pytest.mark.timeout(300)
def test_a_small_province_loads_as_the_projection_would_keep_it(postgres_server: PostgresServer) -> None:
    database = new_postgres_database(postgres_server)
    size = ProvinceSize().scaled(0.002)  # 10,000 volunteers, 20,000 events
    report = load_province(database, size)

    assert report.rows["volunteers"] == size.volunteers
    assert report.rows["organisations"] == size.organisations
    assert report.rows["activities"] == size.activities
    assert report.rows["events"] == size.events
    assert report.rows["devices"] == size.kiosks
    with psycopg.connect(database) as conn:
        levels = conn.execute("SELECT level, count(*) FROM organisations GROUP BY level").fetchall()
        assert dict(levels) == dict(
            zip(("city", "county", "township", "village"), level_sizes(size.organisations), strict=True)
        )
        orphans = conn.execute(
            "SELECT count(*) FROM organisations c LEFT JOIN organisations p ON p.org_id = c.parent_id "
            "WHERE c.level <> 'city' AND p.org_id IS NULL"
        ).fetchone()
        assert orphans == (0,)
        numbering = conn.execute(
            "SELECT count(*) FROM (SELECT kiosk_id FROM events GROUP BY kiosk_id "
            "HAVING max(seq) <> count(*) OR min(seq) <> 1) AS broken"
        ).fetchone()
        assert numbering == (0,)  # every kiosk numbered its events 1..n
        assert conn.execute("SELECT count(*) FROM seq_gaps").fetchone() == (0,)
        on_site = conn.execute("SELECT count(*) FROM visit_facts WHERE on_site = 1").fetchone()
        assert on_site == (size.on_site,)
        assert conn.execute("SELECT count(*) FROM changes").fetchone() == (
            size.organisations + size.volunteers + size.activities,
        )
        assert conn.execute("SELECT count(DISTINCT kiosk_id) FROM events").fetchone() == (size.kiosks,)
        assert kiosk_id(0) in {r[0] for r in conn.execute("SELECT device_id FROM kiosk_status").fetchall()}
        facts_sql = "SELECT * FROM visit_facts"
        totals_sql = "SELECT service_date, org_id, category, visits, credited_seconds FROM daily_totals"
        ancestors_sql = "SELECT org_id, ancestor_id, depth FROM org_ancestors"
        loaded = (_rows(conn, facts_sql), _rows(conn, totals_sql), _rows(conn, ancestors_sql))
    assert len(loaded[0]) == (size.events + size.on_site) // 2
    assert any(row[-1] == "auto_closed" for row in loaded[0])  # closed by a kiosk: to review

    store = PostgresCloudStore.open(database)
    try:
        with store.write() as writer:
            rebuild_all(writer)  # the cloud's own projection, from the events
    finally:
        store.close()
    with psycopg.connect(database) as conn:
        rebuilt = (_rows(conn, facts_sql), _rows(conn, totals_sql), _rows(conn, ancestors_sql))
    assert rebuilt[0] == loaded[0]
    assert rebuilt[1] == loaded[1]
    assert rebuilt[2] == loaded[2]
