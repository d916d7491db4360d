"""Building a kiosk window for GUI tests: a real data folder, a test signing key, no real camera."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from checkin_protocol.codes.issuer import Issuer, generate_signing_key
from checkin_protocol.codes.trust import CODE_PURPOSES
from checkin_protocol.models import Activity
from helpers.fakes import FakeClock, RecordingSoundPlayer, make_activity
from kiosk.app import Kiosk, build_kiosk
from kiosk.camera.frame_source import FrameSource
from kiosk.config import DataDir, load_config
from kiosk.store.activities import save_activity, set_activity_status
from kiosk.store.trust import trust_key
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.qt_app import build_window

TODAY = date(2026, 11, 29)
TEST_PIN = "246810"


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item at ``row``, ``column`` of ``table``; fails the test if the cell is empty."""
    item = table.item(row, column)
    assert item is not None, f"no item at row {row}, column {column}"
    return item


@dataclass
class KioskUnderTest:
    kiosk: Kiosk
    window: KioskWindow
    issuer: Issuer
    clock: FakeClock
    sounds: RecordingSoundPlayer

    def card(self, volunteer_id: str = "V000000001", name: str = "雷*霞", card_no: int = 1) -> str:
        return self.issuer.issue_card(volunteer_id, name, card_no=card_no, issued_on=TODAY)

    def events(self) -> list[tuple[str, str, str]]:
        return self.kiosk.store.writer.execute(
            "SELECT volunteer_id, action, method FROM events ORDER BY seq"
        ).fetchall()


def make_kiosk(
    data: Path,
    *activities: Activity,
    source_factory: Callable[[], FrameSource] | None = None,
    language: str = "en",
    clock: FakeClock | None = None,
    fullscreen: bool = False,
) -> KioskUnderTest:
    """A kiosk on ``data`` with ``activities`` (default: one open now), trusting a fresh test key."""
    clock = clock or FakeClock()
    config = load_config(DataDir(data, "cli"), env={})
    kiosk = build_kiosk(config, clock=clock)
    issuer = Issuer(generate_signing_key(), "test1")
    with kiosk.store.write() as db:
        trust_key(db, "test1", issuer.public_key_b64, "test", clock.now().wall_utc, CODE_PURPOSES)
        for activity in activities or (make_activity(),):
            save_activity(db, activity)
            set_activity_status(db, activity.activity_id, activity.status)
    kiosk.reload_trust()
    sounds = RecordingSoundPlayer()
    _, window = build_window(
        kiosk, source_factory=source_factory, sounds=sounds, fullscreen=fullscreen, language=language
    )
    window.pin_guard.set_pin(TEST_PIN)
    return KioskUnderTest(kiosk, window, issuer, clock, sounds)
