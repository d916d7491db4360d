"""Every result has a sound that plays without blocking, and a missing player never breaks a scan."""

from __future__ import annotations

import array
import importlib.util
import itertools
import logging
import shutil
import subprocess
import sys
import wave
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from helpers.fakes import RecordingSoundPlayer

from kiosk.services import sound as sound_module
from kiosk.services.sound import (
    MAX_RUNNING,
    SOUND_NAMES,
    SystemSoundPlayer,
    default_sounds_dir,
    find_player_command,
)

ROOT = Path(__file__).resolve().parents[3]
RATE = 22_050


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sounds", ROOT / "scripts" / "make_sounds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _samples(path: Path) -> array.array[int]:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        frames = wav.readframes(wav.getnframes())
    samples = array.array("h", frames)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def _crossings(samples: array.array[int]) -> int:
    return sum(1 for a, b in itertools.pairwise(samples) if (a < 0) != (b < 0))


# -- the files ------------------------------------------------------------------------------


def test_the_sounds_folder_is_found_in_the_source_tree() -> None:
    assert default_sounds_dir() == ROOT / "resources" / "sounds"


def test_the_sounds_folder_is_found_in_a_frozen_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert default_sounds_dir() == tmp_path / "resources" / "sounds"


@pytest.mark.parametrize("name", SOUND_NAMES)
def test_each_committed_sound_is_a_short_quiet_edged_wav(name: str) -> None:
    path = default_sounds_dir() / f"{name}.wav"
    assert path.stat().st_size < 30_000
    samples = _samples(path)
    assert 0.15 <= len(samples) / RATE <= 0.4
    assert max(abs(s) for s in samples) > 0.2 * 32767, "audible"
    # Faded in and out: no click at either end.
    assert abs(samples[0]) < 100 and abs(samples[-1]) < 100


def test_the_committed_sounds_are_what_the_script_makes(tmp_path: Path) -> None:
    script = _load_script()
    assert tuple(script.SOUNDS) == SOUND_NAMES
    assert script.main(["--out", str(tmp_path)]) == 0
    for name in SOUND_NAMES:
        made, committed = _samples(tmp_path / f"{name}.wav"), _samples(default_sounds_dir() / f"{name}.wav")
        assert len(made) == len(committed), f"{name}.wav is stale: run scripts/make_sounds.py"
        # Within one step, so another platform's sin() does not fail the test.
        assert max(abs(a - b) for a, b in zip(made, committed, strict=True)) <= 1, f"{name}.wav is stale"


def test_success_rises_checkout_falls_and_error_is_low_and_double() -> None:
    def first_and_last_third(name: str) -> tuple[int, int]:
        samples = _samples(default_sounds_dir() / f"{name}.wav")
        third = len(samples) // 3
        return _crossings(samples[:third]), _crossings(samples[-third:])

    first, last = first_and_last_third("success")
    assert last > first * 1.2, "the pitch rises"
    first, last = first_and_last_third("checkout")
    assert first > last * 1.2, "the pitch falls"
    error = _samples(default_sounds_dir() / "error.wav")
    assert _crossings(error) / (len(error) / RATE) < 2 * 300  # a fundamental under 300 Hz
    middle = error[len(error) // 2 - 200 : len(error) // 2 + 200]
    assert max(abs(s) for s in middle) < 100, "a gap between the two buzzes"


# -- the players ----------------------------------------------------------------------------


class FakeProcess:
    """A player process that runs until the test finishes it."""

    def __init__(self, args: list[str], **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs
        self.returncode: int | None = None
        self.pid = 4242

    def poll(self) -> int | None:
        return self.returncode

    def kill(self) -> None:
        self.returncode = -9

    def wait(self, timeout: float | None = None) -> int | None:
        return self.returncode


class FakePopen:
    def __init__(self) -> None:
        self.started: list[FakeProcess] = []

    def __call__(self, args: list[str], **kwargs: Any) -> Any:  # stands in for a Popen
        process = FakeProcess(args, **kwargs)
        self.started.append(process)
        return process


def _which(*installed: str) -> Any:
    return lambda name: f"/usr/bin/{name}" if name in installed else None


@pytest.mark.parametrize(
    ("platform", "installed", "expected"),
    [
        ("linux", ("paplay", "pw-play", "aplay"), ["/usr/bin/paplay"]),
        ("linux", ("pw-play", "aplay"), ["/usr/bin/pw-play"]),
        ("linux", ("aplay",), ["/usr/bin/aplay", "-q"]),
        ("linux", (), None),
        ("darwin", ("afplay", "paplay"), ["/usr/bin/afplay"]),
        ("win32", ("paplay",), None),
    ],
)
def test_the_first_installed_player_is_chosen(
    platform: str, installed: tuple[str, ...], expected: list[str] | None
) -> None:
    assert find_player_command(platform, _which(*installed)) == expected


def test_a_sound_starts_a_player_without_waiting_for_it() -> None:
    popen = FakePopen()
    player = SystemSoundPlayer(default_sounds_dir(), platform="linux", which=_which("aplay"), popen=popen)
    player.play("success")
    (process,) = popen.started
    assert process.args == ["/usr/bin/aplay", "-q", str(default_sounds_dir() / "success.wav")]
    assert process.kwargs["stdout"] == subprocess.DEVNULL and process.kwargs["stderr"] == subprocess.DEVNULL
    assert process.returncode is None  # still running: play() did not wait


def test_finished_players_are_reaped_and_a_stuck_device_does_not_pile_them_up() -> None:
    popen = FakePopen()
    player = SystemSoundPlayer(default_sounds_dir(), platform="linux", which=_which("paplay"), popen=popen)
    for _ in range(MAX_RUNNING + 3):
        player.play("notice")
    assert len(popen.started) == MAX_RUNNING
    for process in popen.started:
        process.returncode = 0
    assert player.running_players == 0
    player.play("error")
    assert len(popen.started) == MAX_RUNNING + 1
    player.close()
    assert popen.started[-1].returncode == -9


def test_no_player_installed_is_silent_and_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    popen = FakePopen()
    with caplog.at_level(logging.INFO, logger="kiosk.services.sound"):
        player = SystemSoundPlayer(default_sounds_dir(), platform="linux", which=_which(), popen=popen)
        for name in SOUND_NAMES * 3:
            player.play(name)
    assert popen.started == []
    assert player.backend is None
    assert [r.levelno for r in caplog.records] == [logging.INFO]
    assert "no sound player found" in caplog.text


def test_a_player_that_vanished_or_fails_to_start_does_not_raise(caplog: pytest.LogCaptureFixture) -> None:
    def broken_popen(args: list[str], **kwargs: Any) -> Any:
        raise FileNotFoundError(2, "No such file or directory", args[0])

    player = SystemSoundPlayer(
        default_sounds_dir(), platform="linux", which=_which("paplay"), popen=broken_popen
    )
    with caplog.at_level(logging.WARNING, logger="kiosk.services.sound"):
        player.play("success")
        player.play("success")
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1
    assert "could not play sound 'success'" in caplog.text


def test_an_unknown_sound_name_is_ignored_with_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    popen = FakePopen()
    player = SystemSoundPlayer(default_sounds_dir(), platform="linux", which=_which("paplay"), popen=popen)
    with caplog.at_level(logging.WARNING, logger="kiosk.services.sound"):
        player.play("fanfare")
    assert popen.started == []
    assert "unknown sound 'fanfare'" in caplog.text


def test_a_missing_sound_file_is_skipped_with_a_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    popen = FakePopen()
    player = SystemSoundPlayer(tmp_path, platform="darwin", which=_which("afplay"), popen=popen)
    with caplog.at_level(logging.WARNING, logger="kiosk.services.sound"):
        player.play("success")
    assert popen.started == []
    assert "success.wav is missing" in caplog.text


@pytest.mark.skipif(shutil.which("true") is None, reason="needs the POSIX `true` command")
def test_a_real_player_process_is_reaped_once_it_has_finished() -> None:
    true = shutil.which("true")
    started: list[subprocess.Popen[Any]] = []

    def popen(args: list[str], **kwargs: Any) -> subprocess.Popen[Any]:
        started.append(subprocess.Popen(args, **kwargs))
        return started[-1]

    player = SystemSoundPlayer(default_sounds_dir(), platform="linux", which=lambda _: true, popen=popen)
    player.play("success")
    started[0].wait(timeout=10)  # the player finished; its exit status is collected below
    assert player.running_players == 0
    player.close()


def test_the_recording_player_remembers_what_was_played() -> None:
    player = RecordingSoundPlayer()
    player.play("success")
    player.play("error")
    assert player.played == ["success", "error"]


def test_on_windows_the_player_is_winsound(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    monkeypatch.setattr(sound_module, "_winsound_play", lambda: calls.append)
    player = SystemSoundPlayer(default_sounds_dir(), platform="win32", popen=FakePopen())
    assert player.backend == "winsound"
    player.play("checkout")
    assert calls == [default_sounds_dir() / "checkout.wav"]
