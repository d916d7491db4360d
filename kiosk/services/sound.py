"""Result sounds: colour is never the only signal, so each result plays one.

The kiosk ships PySide6-Essentials, which has no QtMultimedia, so sounds are
played by the operating system: ``winsound`` on Windows, ``afplay`` on macOS,
and on Linux the first of ``paplay`` (PulseAudio, and PipeWire's Pulse
service), ``pw-play`` (PipeWire) and ``aplay`` (ALSA) that is installed.
Players run as separate processes, so :meth:`SoundPlayer.play` returns at once;
it never raises, because a missing sound must not stop a check-in.

The WAV files are made by ``scripts/make_sounds.py`` and live in
``resources/sounds/`` (see :func:`default_sounds_dir`).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

SOUND_NAMES: tuple[str, ...] = ("success", "checkout", "notice", "error")
LINUX_PLAYERS: tuple[tuple[str, ...], ...] = (("paplay",), ("pw-play",), ("aplay", "-q"))
MAC_PLAYERS: tuple[tuple[str, ...], ...] = (("afplay",),)
# Player processes still running when another sound is asked for; beyond this the
# audio device is probably stuck, and starting more would only pile them up.
MAX_RUNNING = 4

Popen = Callable[..., "subprocess.Popen[Any]"]


class SoundPlayer(Protocol):
    """Plays a named result sound (one of :data:`SOUND_NAMES`) without blocking or raising."""

    def play(self, name: str) -> None: ...


def default_sounds_dir() -> Path:
    """Where the WAV files are: ``resources/sounds`` in the source tree or in the frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources" / "sounds"
    return Path(__file__).resolve().parents[2] / "resources" / "sounds"


class SilentSoundPlayer:
    """A player that plays nothing (sound switched off)."""

    def play(self, name: str) -> None:
        """Do nothing."""


def find_player_command(platform: str, which: Callable[[str], str | None] = shutil.which) -> list[str] | None:
    """The command line (without the file) of the first sound player installed, or None."""
    candidates = MAC_PLAYERS if platform == "darwin" else () if platform == "win32" else LINUX_PLAYERS
    for name, *args in candidates:
        found = which(name)
        if found:
            return [found, *args]
    return None


def _winsound_play() -> Callable[[Path], None] | None:
    if sys.platform != "win32":
        return None
    import winsound

    flags = winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT

    def play(path: Path) -> None:
        winsound.PlaySound(str(path), flags)

    return play


class SystemSoundPlayer:
    """Plays the WAV files in ``folder`` with the operating system's player.

    ``platform``, ``which`` and ``popen`` are there for tests; by default they
    are this machine's. With no player installed it stays silent and says so
    once in the log.
    """

    def __init__(
        self,
        folder: Path,
        *,
        platform: str | None = None,
        which: Callable[[str], str | None] = shutil.which,
        popen: Popen = subprocess.Popen,
    ) -> None:
        self.folder = folder
        self._popen = popen
        self._running: list[subprocess.Popen[Any]] = []
        self._warned: set[str] = set()
        platform = sys.platform if platform is None else platform
        self._winsound = _winsound_play() if platform == "win32" else None
        self._command = None if platform == "win32" else find_player_command(platform, which)
        if self._winsound is not None:
            self.backend: str | None = "winsound"
        else:
            self.backend = None if self._command is None else Path(self._command[0]).name
        if self.backend is None:
            candidates = {"win32": (("winsound",),), "darwin": MAC_PLAYERS}.get(platform, LINUX_PLAYERS)
            tried = ", ".join(c[0] for c in candidates)
            log.info("no sound player found on %s (looked for %s); the kiosk will be silent", platform, tried)
        else:
            log.info("sounds from %s played with %s", folder, self.backend)

    @property
    def running_players(self) -> int:
        """How many player processes are still running (finished ones are reaped first)."""
        self._reap()
        return len(self._running)

    def play(self, name: str) -> None:
        """Start playing sound ``name`` and return at once; problems are logged, never raised."""
        try:
            self._play(name)
        except Exception as exc:  # a sound must never break a check-in
            self._warn_once(f"failed:{type(exc).__name__}", "could not play sound %r: %s", name, exc)

    def close(self) -> None:
        """Stop the players still running and reap them (at exit)."""
        for process in self._running:
            if process.poll() is None:
                process.kill()
            try:
                process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                log.warning("sound player %s did not stop", process.pid)
        self._running.clear()

    def _play(self, name: str) -> None:
        if name not in SOUND_NAMES:
            self._warn_once(f"unknown:{name}", "unknown sound %r ignored (known: %s)", name, SOUND_NAMES)
            return
        if self.backend is None:
            return
        path = self.folder / f"{name}.wav"
        if not path.is_file():
            self._warn_once(f"missing:{name}", "sound file %s is missing; that sound stays silent", path)
            return
        if self._winsound is not None:
            self._winsound(path)
            return
        assert self._command is not None
        if self.running_players >= MAX_RUNNING:
            self._warn_once("busy", "%d sound players have not finished; skipping sounds", MAX_RUNNING)
            return
        self._running.append(self._spawn([*self._command, str(path)]))

    def _spawn(self, command: Sequence[str]) -> subprocess.Popen[Any]:
        devnull = subprocess.DEVNULL
        return self._popen(list(command), stdin=devnull, stdout=devnull, stderr=devnull, close_fds=True)

    def _reap(self) -> None:
        # poll() collects a finished child, so no zombies pile up.
        self._running = [p for p in self._running if p.poll() is None]

    def _warn_once(self, key: str, message: str, *args: object) -> None:
        level = logging.DEBUG if key in self._warned else logging.WARNING
        self._warned.add(key)
        log.log(level, message, *args)
