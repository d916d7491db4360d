"""On a bare X server (no window manager), the kiosk and its setup cover the whole screen.

A kiosk started by ``xinit`` has no window manager, so nothing carries out
Qt's request for full screen (``kiosk/ui/screen_cover.py``). These tests
start Xvfb without one, run the real ``kiosk demo`` and ``kiosk run`` (which
shows the setup on a fresh data folder) with Qt's X11 platform, and look at
the top-level windows from outside with ``xwininfo``, as the screen shows them.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.linux_only,  # an X server
    pytest.mark.skipif(
        shutil.which("Xvfb") is None or shutil.which("xwininfo") is None,
        reason="needs Xvfb and xwininfo (Debian: xvfb, x11-utils; `sh scripts/system-deps.sh bundle` installs them)",
    ),
]

SIZES = [(1920, 1080), (1280, 800)]
RESIZED = (1280, 800)  # the screen of 1920×1080 changes to this while the demo runs
XVFB = ["Xvfb", "-nolisten", "tcp", "-noreset"]  # no window manager is started: a bare X screen
KIOSK_TITLE = "志愿服务签到机"  # Chinese is the default language
SETUP_TITLE = "志愿服务签到机设置"
RUN_SECONDS = 3  # the kiosk closes itself after this (``--seconds``)
WAIT_S = 30.0
_WINDOW_LINE = re.compile(
    r'^\s+0x[0-9a-f]+ "(?P<title>.*)": \((?P<wm_class>.*)\)\s+(?P<w>\d+)x(?P<h>\d+)\+(?P<x>-?\d+)\+(?P<y>-?\d+)'
)
APP_CLASS = '"volunteer-kiosk"'  # WM_CLASS: Qt's class name is the application name (kiosk/ui/qt_app.py)


@dataclass(frozen=True)
class TopLevel:
    """A window on the root window of the display: its title, WM_CLASS and where it is."""

    title: str
    wm_class: str
    x: int
    y: int
    width: int
    height: int

    def __str__(self) -> str:
        return f"{self.title!r} {self.width}x{self.height} at {self.x},{self.y}"

    def covers(self, width: int, height: int) -> bool:
        return (self.x, self.y, self.width, self.height) == (0, 0, width, height)


@dataclass(frozen=True)
class Sighting:
    """What the screen showed of the kiosk.

    ``first``: its first window, as first seen; ``window``: the titled one
    once it covered the screen (else as last seen); ``resized``: the titled
    one after the screen's resolution changed, once it covered it again (else
    as last seen; ``None`` without a change).
    """

    first: TopLevel
    window: TopLevel
    resized: TopLevel | None


@contextmanager
def bare_x_server(width: int, height: int, log: Path) -> Iterator[str]:
    """An Xvfb of ``width``×``height`` with no window manager, on a free display; stopped afterwards."""
    read_fd, write_fd = os.pipe()
    with log.open("wb") as errors:
        server = subprocess.Popen(
            [*XVFB, "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24"],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        os.close(write_fd)
        try:
            yield f":{_read_display_number(read_fd, log)}"
        finally:
            os.close(read_fd)
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _read_display_number(read_fd: int, log: Path) -> int:
    """Xvfb writes its display number to ``-displayfd`` once it accepts clients."""
    text = b""
    deadline = time.monotonic() + 15
    while not text.endswith(b"\n"):
        ready, _, _ = select.select([read_fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(read_fd, 16) if ready else b""
        if not chunk:
            raise RuntimeError(f"Xvfb did not start: {log.read_text(errors='replace')}")
        text += chunk
    return int(text)


def top_levels(display: str) -> list[TopLevel]:
    """The windows on the root window (with no window manager, the programs' own top-level windows)."""
    env = {**os.environ, "DISPLAY": display, "LC_ALL": "C.UTF-8"}  # titles in UTF-8
    listing = subprocess.run(
        ["xwininfo", "-root", "-children"], env=env, capture_output=True, text=True, timeout=10, check=True
    ).stdout
    found = []
    for line in listing.splitlines():
        if match := _WINDOW_LINE.match(line):
            x, y, w, h = (int(match[key]) for key in ("x", "y", "w", "h"))
            found.append(TopLevel(match["title"], match["wm_class"], x, y, w, h))
    return found


def watch_kiosk(
    display: str, args: list[str], title: str, log: Path, *, resize_to: tuple[int, int] | None = None
) -> Sighting:
    """Run ``kiosk ARGS --seconds N`` on ``display`` and watch its windows from outside.

    Watches until the window titled ``title`` covers the screen (or the time
    is up); with ``resize_to``, then changes the screen's resolution and
    watches until the window covers it again; then waits for the kiosk to
    close itself.
    """
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display}
    env.pop("WAYLAND_DISPLAY", None)
    target = _root_size(display)
    first = seen = covering = None
    windows: list[TopLevel] = []
    seconds = RUN_SECONDS if resize_to is None else RUN_SECONDS + 3
    with log.open("w") as errors:
        kiosk = subprocess.Popen(
            [sys.executable, "-m", "kiosk", *args, "--seconds", str(seconds)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            deadline = time.monotonic() + WAIT_S
            while time.monotonic() < deadline and kiosk.poll() is None:
                windows = top_levels(display) or windows
                mine = [w for w in windows if APP_CLASS in w.wm_class]
                first = first or next(iter(mine), None)
                seen = next((w for w in mine if w.title == title), seen)
                if seen is not None and seen.covers(*target):
                    if covering is not None or resize_to is None:
                        break
                    covering = seen
                    set_screen_size(display, *resize_to)
                    target = resize_to
                time.sleep(0.1)
            code = kiosk.wait(timeout=WAIT_S)
        finally:
            if kiosk.poll() is None:
                kiosk.kill()
                kiosk.wait()
    output = log.read_text(errors="replace")
    shown = ", ".join(str(w) for w in windows)
    assert first is not None and seen is not None, (
        f"no window titled {title!r} appeared (windows: {shown}); the kiosk said:\n{output}"
    )
    assert code == 0, f"the kiosk exited with {code}:\n{output}"
    if resize_to is None:
        return Sighting(first, seen, None)
    return Sighting(first, covering or seen, seen if covering is not None else None)


def set_screen_size(display: str, width: int, height: int) -> None:
    """Change the X screen's resolution with ``xrandr``, as a person would on a kiosk PC (or a new monitor)."""
    env = {**os.environ, "DISPLAY": display}

    def xrandr(*args: str) -> str:
        return subprocess.run(
            ["xrandr", *args], env=env, capture_output=True, text=True, timeout=10, check=True
        ).stdout

    output = re.search(r"^(\S+) connected", xrandr("--query"), re.MULTILINE)
    assert output, "xrandr found no connected output"
    mode = f"{width}x{height}"
    # a mode line for Xvfb (which has only its start size); the timings do not matter on a virtual screen
    horizontal = [str(width + extra) for extra in (0, 8, 16, 24)]
    vertical = [str(height + extra) for extra in (0, 1, 2, 3)]
    xrandr("--newmode", mode, "60", *horizontal, *vertical)
    xrandr("--addmode", output[1], mode)
    xrandr("--output", output[1], "--mode", mode)


def _root_size(display: str) -> tuple[int, int]:
    env = {**os.environ, "DISPLAY": display}
    info = subprocess.run(
        ["xwininfo", "-root"], env=env, capture_output=True, text=True, timeout=10, check=True
    )
    width = re.search(r"Width: (\d+)", info.stdout)
    height = re.search(r"Height: (\d+)", info.stdout)
    assert width and height, info.stdout
    return int(width[1]), int(height[1])


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo data folder for the module: the first ``kiosk demo`` installs the demo data in it."""
    return tmp_path_factory.mktemp("demo") / "kiosk-data"


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_demo_covers_a_screen_with_no_window_manager(
    width: int, height: int, demo_data: Path, tmp_path: Path
) -> None:
    """At 1920×1080 the screen then changes to 1280×800 (with ``xrandr``, when installed): the kiosk follows."""
    resize_to = RESIZED if (width, height) != RESIZED and shutil.which("xrandr") else None
    with bare_x_server(width, height, tmp_path / "xvfb.log") as display:
        args = ["--data", str(demo_data), "demo", "--no-cloud"]
        sighting = watch_kiosk(display, args, KIOSK_TITLE, tmp_path / "kiosk.log", resize_to=resize_to)
    assert sighting.window.covers(width, height), (
        f"the kiosk shows as a window of {sighting.window} on a {width}x{height} screen instead of covering it"
    )
    assert sighting.first.title == KIOSK_TITLE, (
        f"the kiosk window first showed the title {sighting.first.title!r}"
    )
    assert sighting.first.covers(width, height), (
        f"the kiosk window first appeared as {sighting.first}, then grew"
    )
    if resize_to is not None:
        assert sighting.resized is not None and sighting.resized.covers(*resize_to), (
            f"after the screen changed to {resize_to[0]}x{resize_to[1]} the kiosk was {sighting.resized}"
        )


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_setup_of_a_new_kiosk_covers_a_screen_with_no_window_manager(
    width: int, height: int, tmp_path: Path
) -> None:
    with bare_x_server(width, height, tmp_path / "xvfb.log") as display:
        args = ["--data", str(tmp_path / "kiosk-data"), "run"]
        sighting = watch_kiosk(display, args, SETUP_TITLE, tmp_path / "kiosk.log")
    assert sighting.window.covers(width, height), (
        f"the setup shows as a window of {sighting.window} on a {width}x{height} screen instead of covering it"
    )
    assert sighting.first.title == SETUP_TITLE, f"the setup first showed the title {sighting.first.title!r}"
    assert sighting.first.covers(width, height), f"the setup first appeared as {sighting.first}, then grew"
