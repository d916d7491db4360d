"""Video files and image folders play as cameras; missing or broken files never crash the kiosk."""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np
import pytest
from helpers.fakes import camera_state

from kiosk.camera import CameraState, FrameSource, ImageFolderSource, VideoFileSource

FRAMES = 10


@pytest.fixture
def video(tmp_path: Path) -> Path:
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 12.0, (160, 120))
    assert writer.isOpened(), "OpenCV cannot write MJPG .avi here"
    for i in range(FRAMES):
        writer.write(np.full((120, 160, 3), 20 * i + 10, dtype=np.uint8))
    writer.release()
    return path


def brightness(frame: np.ndarray | None) -> int:
    assert frame is not None
    return round(float(frame.mean()))


def test_a_video_file_plays_at_its_own_rate_and_ends_when_not_looping(video: Path) -> None:
    source = VideoFileSource(video, loop=False)
    assert source.fps == pytest.approx(12.0)
    assert isinstance(source, FrameSource)
    levels = [brightness(source.read()) for _ in range(FRAMES)]
    assert source.state is CameraState.LIVE
    assert levels == pytest.approx([20 * i + 10 for i in range(FRAMES)], abs=3)
    assert source.read() is None
    assert camera_state(source) is CameraState.ENDED
    assert source.read() is None


def test_a_looping_video_starts_again_after_its_last_frame(video: Path) -> None:
    source = VideoFileSource(video)
    levels = [brightness(source.read()) for _ in range(FRAMES * 2 + 3)]
    assert levels[FRAMES : FRAMES * 2] == pytest.approx(levels[:FRAMES], abs=1)
    assert source.state is CameraState.LIVE


def test_a_missing_or_broken_video_file_is_disconnected_without_an_exception(tmp_path: Path) -> None:
    broken = tmp_path / "broken.avi"
    broken.write_bytes(b"this is not a video")
    for path in (tmp_path / "nothing-here.avi", broken):
        source = VideoFileSource(path)
        assert source.state is CameraState.DISCONNECTED
        assert source.read() is None
        source.close()


def test_closing_a_video_source_stops_it(video: Path) -> None:
    source = VideoFileSource(video)
    assert source.read() is not None
    source.close()
    assert source.read() is None


def write_image(path: Path, level: int) -> None:
    ok, data = cv2.imencode(path.suffix, np.full((60, 80, 3), level, dtype=np.uint8))
    assert ok
    path.write_bytes(data.tobytes())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_image(tmp_path / "a.png", 40)
    (tmp_path / "b.png").write_bytes(b"\x89PNG but truncated")
    write_image(tmp_path / "c.jpg", 120)
    write_image(tmp_path / "d 签到.png", 200)  # non-ASCII names must load too
    (tmp_path / "notes.txt").write_text("not an image")
    return tmp_path


def test_an_image_folder_shows_its_images_in_name_order_skipping_unreadable_ones(
    folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = ImageFolderSource(folder, fps=5.0, loop=False)
    assert source.fps == 5.0
    assert [p.name for p in source.files] == ["a.png", "b.png", "c.jpg", "d 签到.png"]
    with caplog.at_level(logging.WARNING):
        levels = [brightness(source.read()) for _ in range(3)]
    assert levels == pytest.approx([40, 120, 200], abs=3)
    assert "b.png" in caplog.text
    assert source.read() is None
    assert source.state is CameraState.ENDED


def test_a_looping_folder_warns_once_per_unreadable_file(
    folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    source = ImageFolderSource(folder)
    with caplog.at_level(logging.WARNING):
        levels = [brightness(source.read()) for _ in range(9)]
    assert levels == pytest.approx([40, 120, 200] * 3, abs=3)
    assert sum("b.png" in r.getMessage() for r in caplog.records) == 1
    assert source.state is CameraState.LIVE


def test_a_missing_or_unusable_folder_is_disconnected_without_an_exception(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.png").write_bytes(b"garbage")
    (tmp_path / "empty").mkdir()
    for path in (tmp_path / "missing", tmp_path / "empty", tmp_path / "bad"):
        source = ImageFolderSource(path)
        assert source.read() is None
        assert source.read() is None
        assert source.state is CameraState.DISCONNECTED, path.name


def test_closing_a_folder_source_stops_it(folder: Path) -> None:
    source = ImageFolderSource(folder)
    assert source.read() is not None
    source.close()
    assert source.read() is None
    assert source.state is CameraState.DISCONNECTED
