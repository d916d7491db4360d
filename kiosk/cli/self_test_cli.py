"""The self-test on the command line: ``kiosk doctor`` and ``kiosk run --self-test`` share this.

It prints one line per check and a summary, writes them to the log and the
same lines to ``logs/self-test.txt`` (:data:`RESULT_FILE`), and returns the
exit code (1 when a check failed). It still runs when the kiosk cannot open
its data (a read-only USB stick), to say why.

The file is what the windowed ``kiosk.exe --self-test`` leaves to read: a
windowed program on Windows has no console, so ``sys.stdout`` is None and
nothing printed is seen. When the data folder has no ``logs/`` to write to
and there is no console either, the file goes to the system's temporary
folder (:data:`FALLBACK_FILE`).
"""

from __future__ import annotations

import logging
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import click

from checkin_protocol import __version__
from kiosk.app import Kiosk
from kiosk.camera.configured import camera_factory
from kiosk.camera.frame_source import FrameSource
from kiosk.cli.state import CliState
from kiosk.clock import SystemClock
from kiosk.config import Config
from kiosk.services.camera_check import check_camera, describe_source, no_camera_check, probe_camera
from kiosk.services.doctor import Check, Status
from kiosk.services.self_test import SelfTestRequest, log_report, run_self_test
from kiosk.sync.kiosk_status import remember_self_test

RESULT_FILE = "self-test.txt"
FALLBACK_FILE = "volunteer-kiosk-self-test.txt"
STATUS_COLOUR = {Status.OK: None, Status.SKIPPED: None, Status.WARN: "yellow", Status.FAIL: "red"}


def _try_kiosk(state: CliState) -> tuple[Kiosk | None, str | None]:
    try:
        return state.kiosk(), None
    except click.ClickException as exc:
        return None, exc.message


def _camera_check(config: Config, required: bool) -> Callable[[], Check]:
    """Open the configured camera the way the kiosk screen does, read a frame, close it."""
    if config.get("camera", "source") == "none":
        return no_camera_check
    words = describe_source(config.values["camera"])
    factory: Callable[[], FrameSource] | None = None
    problem = ""
    try:
        # The kiosk screen's own factory, so the check opens exactly what `kiosk run` opens.
        factory = camera_factory(config)
    except Exception as exc:  # no Qt libraries, a bad [camera] setting: say so, check the rest
        problem = str(exc)

    def check() -> Check:
        if factory is None:
            status = Status.FAIL if required else Status.WARN
            return Check("camera", status, f"{words}: the camera cannot be checked here ({problem})")
        return check_camera(probe_camera(factory), words, required)

    return check


def self_test_command(state: CliState, *, camera: bool, camera_required: bool, full: bool = False) -> int:
    """Run the self-test, print and log it; the exit code (0, or 1 when a check failed)."""
    config = state.config
    kiosk, open_error = _try_kiosk(state)
    request = SelfTestRequest(
        config,
        kiosk.clock if kiosk is not None else SystemClock(),
        report=kiosk.store.report if kiosk is not None else None,
        open_error=open_error,
        camera=_camera_check(config, camera_required) if camera else None,
        full=full,
    )
    report = run_self_test(request)
    if kiosk is not None:  # the cloud's fleet hears of it with the next push (kiosk.sync.kiosk_status)
        remember_self_test(kiosk.store, report.worst, report.started_utc)
    lines = [f"volunteer-kiosk {__version__}", *report.lines(), f"self-test: {report.summary()}"]
    click.echo(lines[0])
    for check, line in zip(report.checks, report.lines(), strict=True):
        click.secho(line, fg=STATUS_COLOUR[check.status])
    click.echo(lines[-1])
    write_result_file(config.log_dir, lines, opened=kiosk is not None)
    if kiosk is not None:
        log_report(report)
    else:
        # Logging could not be set up (that is often why the kiosk could not open): do not
        # let Python's last-resort handler print every line a second time.
        logging.getLogger(__name__).debug("self-test not logged: %s", open_error)
    return 1 if report.failed else 0


def write_result_file(log_dir: Path, lines: list[str], *, opened: bool) -> Path | None:
    """Write the printed lines to ``log_dir/self-test.txt``; where they went (None: nowhere).

    The logs folder is made only when the kiosk opened its data (a mistyped
    ``--data`` makes no folder). Without it and without a console, the lines
    go to the temporary folder, so a windowed self-test is never lost.
    """
    text = "\n".join(lines) + "\n"
    places = [log_dir / RESULT_FILE] if opened or log_dir.is_dir() else []
    if sys.stdout is None:
        places.append(Path(tempfile.gettempdir()) / FALLBACK_FILE)
    for place in places:
        try:
            place.parent.mkdir(parents=True, exist_ok=True)
            place.write_text(text, encoding="utf-8")
        except OSError as exc:
            logging.getLogger(__name__).debug("self-test result not written to %s: %s", place, exc)
            continue
        return place
    return None
