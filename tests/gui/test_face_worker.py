"""The face thread: a task gets the newest camera frames off the UI thread, and nothing without a task."""

from __future__ import annotations

import threading

import numpy as np
from pytestqt.qtbot import QtBot

from kiosk.camera.decoder_chain import default_chain
from kiosk.camera.scan_gate import ScanGate
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.face.engine import DlibEngine
from kiosk.ui.camera_pipeline import CameraPipeline
from kiosk.ui.face_worker import FaceThread

WAIT_MS = 20_000


class RecordingTask:
    """Remembers which thread fed it and the frames' shapes; fails on one frame to show it is survived."""

    def __init__(self, fail_on: int = -1) -> None:
        self.threads: set[str] = set()
        self.shapes: list[tuple[int, ...]] = []
        self._fail_on = fail_on

    def feed(self, frame: np.ndarray, at: float) -> object | None:
        self.threads.add(threading.current_thread().name)
        self.shapes.append(frame.shape)
        if len(self.shapes) == self._fail_on:
            raise RuntimeError("a frame the task cannot handle")
        return len(self.shapes) if len(self.shapes) % 2 == 0 else None


def test_a_task_is_fed_the_camera_frames_on_the_face_thread(qtbot: QtBot) -> None:
    pipeline = CameraPipeline(
        lambda: SyntheticSource(["x"], size=(320, 240), fps=30), default_chain(), ScanGate()
    )
    face = FaceThread(DlibEngine(), pipeline)
    updates: list[tuple[object, object]] = []
    face.update.connect(lambda task, result: updates.append((task, result)))
    task = RecordingTask(fail_on=3)
    try:
        with qtbot.waitSignal(face.ready, timeout=WAIT_MS) as ready:
            face.start()
            pipeline.start()
        assert ready.args == [True]  # the models loaded on the face thread
        assert face.engine.loaded  # type: ignore[attr-defined]
        qtbot.wait(300)
        assert face.worker.frames == 0  # no task: frames are dropped unread
        face.set_task(task)
        qtbot.waitUntil(lambda: len(updates) >= 3, timeout=WAIT_MS)
    finally:
        face.stop()
        pipeline.stop()
    assert task.threads and threading.main_thread().name not in task.threads
    assert set(task.shapes) == {(240, 320, 3)}
    # only what feed returned is emitted (None is not), with the task it came from; the failing frame
    # was logged and skipped
    assert all(t is task and isinstance(r, int) and r % 2 == 0 for t, r in updates)
    assert len(task.shapes) >= 5


def test_clearing_the_task_stops_the_work(qtbot: QtBot) -> None:
    pipeline = CameraPipeline(
        lambda: SyntheticSource(["x"], size=(320, 240), fps=30), default_chain(), ScanGate()
    )
    face = FaceThread(DlibEngine(), pipeline)
    task = RecordingTask()
    try:
        with qtbot.waitSignal(face.ready, timeout=WAIT_MS):
            face.start()
            pipeline.start()
        face.set_task(task)
        qtbot.waitUntil(lambda: len(task.shapes) >= 2, timeout=WAIT_MS)
        face.set_task(None)
        qtbot.wait(100)  # a frame being fed when the task was cleared may still finish
        seen = len(task.shapes)
        qtbot.wait(400)
        assert len(task.shapes) == seen
    finally:
        face.stop()
        pipeline.stop()
