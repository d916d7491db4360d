"""The kiosk screen syncs in the background: records waiting, then none, against the real server."""

from __future__ import annotations

from pathlib import Path

from helpers.cloud_server import running_cloud
from helpers.gui import make_kiosk
from pytestqt.qtbot import QtBot

from kiosk.sync.backoff import Backoff
from kiosk.sync.client import open_sync_client

WAIT_MS = 30_000


def test_a_check_in_waits_then_reaches_the_cloud(qtbot: QtBot, tmp_path: Path) -> None:
    with running_cloud(tmp_path / "cloud") as cloud:
        ui = make_kiosk(tmp_path / "kiosk")
        client = open_sync_client(
            ui.kiosk.store, ui.kiosk.kiosk_id, ui.kiosk.clock, server_url=cloud.base_url
        )
        client.register(cloud.provision())
        qtbot.addWidget(ui.window)
        label = ui.window.screen_kiosk.status.sync_label
        try:
            ui.window.start()
            assert ui.window.sync.client is not None
            qtbot.waitUntil(lambda: "Synced at" in label.text(), timeout=WAIT_MS)
            # Between rounds the kiosk waits a minute; a check-in shows as waiting until "sync now".
            ui.window.sync.client.backoff = Backoff(interval_s=3600)  # no round by itself
            with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS):
                ui.window.submit_code(ui.card())
            qtbot.waitUntil(lambda: "1 record waiting" in label.text(), timeout=WAIT_MS)
            ui.window.sync.sync_now()
            qtbot.waitUntil(lambda: "0 records waiting" in label.text(), timeout=WAIT_MS)
            assert cloud.store.table_counts()["events"] == 1
        finally:
            ui.window.exit_kiosk()
            ui.kiosk.close()
