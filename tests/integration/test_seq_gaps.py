"""Gaps mean loss, end to end: the real cloud finds the records it lacks, the kiosk sends them again.

A kiosk believes records delivered that the cloud never stored (a receipt
lost or forged, a delivered mark forged in its database, a cloud restored
from a backup). The cloud sees the hole in the kiosk's sequence numbers once
a later record arrives, reports it on the kiosk's next pull (or USB update),
the kiosk queues the records again, the next push (or export) delivers them,
and the platform's report is clean.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.cloud_server import RunningCloud, kiosk_event_rows, running_cloud
from helpers.fakes import FakeClock, append_events

from checkin_protocol.bundle_files import write_bundle
from checkin_protocol.event_rows import event_to_row
from checkin_protocol.models import Event
from cloud.bundles import export_changes, import_events_bundle, provisioning_bundle
from cloud.instance import init_instance
from cloud.seq_gaps import gap_report_lines, read_gap_report
from cloud.storage import Storage
from kiosk.app import Kiosk, build_kiosk
from kiosk.cli.main import cli
from kiosk.config import KIOSK_ID_FILE_NAME, DataDir, load_config
from kiosk.store.outbox import waiting_count
from kiosk.sync.client import SyncClient
from kiosk.sync.status import read_status
from kiosk.sync.transport import HttpTransport
from kiosk.sync.usb import export_events, import_bundles
from kiosk.sync.usb_setup import register_offline


def _kiosk(folder: Path, name: str) -> Kiosk:
    folder.mkdir(parents=True)
    (folder / KIOSK_ID_FILE_NAME).write_text(name + "\n", encoding="ascii")
    return build_kiosk(load_config(DataDir(folder, "cli"), env={}), clock=FakeClock())


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    kiosk = _kiosk(tmp_path / "kiosk", "K-GAPS")
    yield kiosk
    kiosk.close()


def _add(kiosk: Kiosk, count: int) -> list[Event]:
    assert isinstance(kiosk.clock, FakeClock)
    return append_events(kiosk.store, kiosk.kiosk_id, kiosk.clock, count)


def _forge_delivered(kiosk: Kiosk, *seqs: int) -> None:
    """What a forged or misread receipt leaves behind: records marked delivered that the cloud never got."""
    marks = ", ".join("?" * len(seqs))
    with kiosk.store.write() as db:
        db.execute(
            "UPDATE outbox SET delivered_utc = '2026-11-29T01:00:00.000+00:00' WHERE event_id IN "
            f"(SELECT event_id FROM events WHERE seq IN ({marks}))",
            list(seqs),
        )


def _cloud_gaps(store: Storage, kiosk_id: str) -> list[tuple[int, int, str | None]]:
    with store.read() as reader:
        return [(g.first_seq, g.last_seq, g.rejected) for g in reader.seq_gaps(kiosk_id, 1000)]


def _sync_status(data: Path) -> str:
    result = CliRunner().invoke(cli, ["--data", str(data), "sync-status"])
    assert result.exit_code == 0, result.output
    return result.output


def _client(kiosk: Kiosk, cloud: RunningCloud) -> SyncClient:
    return SyncClient(kiosk.store, kiosk.kiosk_id, kiosk.clock, HttpTransport(cloud.base_url))


def test_records_marked_delivered_by_a_forged_receipt_are_found_missing_sent_again_and_the_gap_closes(
    tmp_path: Path, kiosk: Kiosk
) -> None:
    with running_cloud(tmp_path / "cloud") as cloud:
        client = _client(kiosk, cloud)
        client.register(cloud.provision())
        events = _add(kiosk, 6)
        _forge_delivered(kiosk, 3, 4)

        first = client.sync_once()
        assert first.ok, first.lines()
        assert first.push is not None and first.push.accepted == 4, (
            "1, 2, 5 and 6 went; 3 and 4 looked delivered"
        )
        assert _cloud_gaps(cloud.store, kiosk.kiosk_id) == [(3, 4, None)], "the cloud sees the hole"
        assert first.pull is not None and (first.pull.missing, first.pull.requeued) == (2, 2)
        assert "the cloud lacks 2 records of this kiosk, 2 queued to send again" in "\n".join(first.lines())
        status = read_status(kiosk.store.writer)
        assert status.waiting == 2 and status.cloud_missing == 2
        shown = _sync_status(tmp_path / "kiosk")
        assert "missing at the cloud  2 records (#3-4), as of " in shown and "2 queued to send again" in shown
        report_text = "\n".join(gap_report_lines(read_gap_report(cloud.store)))
        assert f"{kiosk.kiosk_id}: 2 missing, 0 refused, in 1 range: 3-4 never arrived" in report_text

        second = client.sync_once()
        assert second.ok, second.lines()
        assert second.push is not None and second.push.accepted == 2
        assert _cloud_gaps(cloud.store, kiosk.kiosk_id) == []
        assert second.pull is not None and second.pull.missing == 0
        assert kiosk_event_rows(cloud.store, kiosk.kiosk_id) == [event_to_row(e) for e in events]
        assert read_status(kiosk.store.writer).cloud_missing == 0 and waiting_count(kiosk.store.writer) == 0
        assert "missing at the cloud" not in _sync_status(tmp_path / "kiosk")
        assert gap_report_lines(read_gap_report(cloud.store))[0].startswith("Missing records: none")
        audit = kiosk.store.writer.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'sync_requeued'")
        assert audit.fetchone()[0] == 1
        assert isinstance(client.transport, HttpTransport)
        client.transport.close()


def _backup(source: Path, target: Path) -> None:
    """An online backup of the cloud's database, as an operator would take it."""
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    live.close()
    copy.close()


def test_a_cloud_restored_from_a_backup_gets_back_what_it_lost_from_the_kiosk(
    tmp_path: Path, kiosk: Kiosk
) -> None:
    folder = tmp_path / "cloud"
    with running_cloud(folder) as cloud:
        client = _client(kiosk, cloud)
        client.register(cloud.provision())
        events = _add(kiosk, 3)
        assert client.sync_once().ok
        _backup(folder / "cloud.db", tmp_path / "backup.db")
        events += _add(kiosk, 4)
        assert client.sync_once().ok
        assert waiting_count(kiosk.store.writer) == 0, "4 to 7 delivered, then the cloud's disk dies"
    for leftover in folder.glob("cloud.db*"):
        leftover.unlink()
    shutil.copy(tmp_path / "backup.db", folder / "cloud.db")

    with running_cloud(folder) as restored:
        client = _client(kiosk, restored)
        assert len(kiosk_event_rows(restored.store, kiosk.kiosk_id)) == 3
        events += _add(kiosk, 1)
        told = client.sync_once()
        assert told.ok, told.lines()
        assert told.pull is not None and (told.pull.missing, told.pull.requeued) == (4, 4)
        healed = client.sync_once()
        assert healed.ok and healed.push is not None and healed.push.accepted == 4
        assert kiosk_event_rows(restored.store, kiosk.kiosk_id) == [event_to_row(e) for e in events]
        assert read_gap_report(restored.store) == []


def test_a_usb_update_tells_the_kiosk_what_is_missing_and_the_next_export_brings_it(tmp_path: Path) -> None:
    instance, _ = init_instance(tmp_path / "cloud")
    stick = tmp_path / "stick"
    stick.mkdir()
    kiosk = _kiosk(tmp_path / "kiosk", "K-USB-GAPS")
    try:
        _code, setup = provisioning_bundle(instance, "library", instance.clock())
        write_bundle(setup, tmp_path / "setup.kbundle")
        register_offline(kiosk.store, kiosk.kiosk_id, tmp_path / "setup.kbundle", kiosk.clock.now().wall_utc)
        kiosk.reload_trust()

        def round_trip() -> None:
            for bundle in export_events(kiosk.store, kiosk.kiosk_id, stick, kiosk.clock.now().wall_utc):
                result = import_events_bundle(instance, bundle.path.read_bytes(), instance.clock())
                write_bundle(result.receipt, stick / f"receipt-{result.bundle_id}.kbundle")
                bundle.path.unlink()
            update = export_changes(instance, kiosk.kiosk_id, instance.clock())
            write_bundle(
                update.bundle, stick / f"changes-{update.next_cursor}-{update.bundle['bundle_id']}.kbundle"
            )
            import_bundles(kiosk.store, kiosk.kiosk_id, stick, kiosk.clock.now().wall_utc)
            for path in stick.iterdir():
                path.unlink()

        events = _add(kiosk, 5)
        _forge_delivered(kiosk, 2, 3)
        round_trip()
        assert _cloud_gaps(instance.store, kiosk.kiosk_id) == [(2, 3, None)]
        assert read_status(kiosk.store.writer).cloud_missing == 2
        assert waiting_count(kiosk.store.writer) == 2, "the update queued 2 and 3 for the next export"

        round_trip()
        assert _cloud_gaps(instance.store, kiosk.kiosk_id) == []
        assert kiosk_event_rows(instance.store, kiosk.kiosk_id) == [event_to_row(e) for e in events]
        assert waiting_count(kiosk.store.writer) == 0 and read_status(kiosk.store.writer).cloud_missing == 0
    finally:
        kiosk.close()
        instance.close()
