"""The camera-ready marker: logged, and written to KIOSK_READY_FILE once, when the first picture is shown."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.camera.decoder_chain import DecoderChain
from kiosk.camera.scan_gate import ScanGate
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.ui.camera_pipeline import READY_FILE_ENV, CameraPipeline, announce_camera_ready


def test_the_ready_file_gets_the_time(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    ready = tmp_path / "ready"
    before = time.time()
    with caplog.at_level(logging.INFO, logger="kiosk.ui.camera_pipeline"):
        announce_camera_ready({READY_FILE_ENV: str(ready)})
    assert before <= float(ready.read_text(encoding="utf-8")) <= time.time()
    assert "camera ready" in caplog.text


def test_no_ready_file_unless_asked(tmp_path: Path) -> None:
    announce_camera_ready({})
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_ready_file_does_not_stop_the_kiosk(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    announce_camera_ready({READY_FILE_ENV: str(tmp_path / "missing" / "ready")})
    assert "could not write the ready file" in caplog.text


def test_only_the_first_preview_marks_ready(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready = tmp_path / "ready"
    monkeypatch.setenv(READY_FILE_ENV, str(ready))
    pipeline = CameraPipeline(lambda: SyntheticSource([]), DecoderChain([]), ScanGate())
    pipeline.preview_shown()
    assert ready.is_file()
    ready.unlink()
    pipeline.preview_shown()
    assert not ready.exists()
