"""Building a kiosk that is not set up yet, and its launcher, for tests of the first-run setup.

The kiosk runs on a real data folder with a fake clock; ``config.toml`` is
written first (windowed, face check-in off, and the camera the test names),
exactly as a venue's file would be. The launcher is the real one
(``kiosk.ui.qt_app.build_launcher``) with the kiosk's own camera factory;
tests replace only what touches the machine: the camera search (no real
webcam is opened), where provisioning files are looked for, and the file
dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checkin_protocol.codes.qr_images import save_qr
from helpers.cloud_server import RunningCloud
from helpers.fakes import FakeClock, RecordingSoundPlayer
from kiosk.app import Kiosk, build_kiosk
from kiosk.camera.configured import configured_camera
from kiosk.config import DataDir, load_config
from kiosk.config_file import update_config_file
from kiosk.store import sync_state
from kiosk.ui.qt_app import build_launcher
from kiosk.ui.setup.deps import SetupDeps
from kiosk.ui.setup.launcher import KioskLauncher

WAIT_MS = 20_000


def write_config(data: Path, **sections: dict[str, str | int | bool]) -> None:
    """``config.toml`` in ``data``: windowed, no face check-in, plus ``sections``."""
    values: dict[str, dict[str, str | int | bool]] = {
        "kiosk": {"fullscreen": False},
        "face": {"enabled": False},
    }
    for name, table in sections.items():
        values.setdefault(name, {}).update(table)
    data.mkdir(parents=True, exist_ok=True)
    update_config_file(data / "config.toml", values)


def new_kiosk(data: Path, clock: FakeClock | None = None) -> Kiosk:
    """The kiosk of ``data`` as ``kiosk run`` would build it (its ``config.toml``, no environment)."""
    return build_kiosk(load_config(DataDir(data, "cli"), env={}), clock=clock or FakeClock())


def qr_folder(folder: Path, *texts: str) -> Path:
    """A folder of QR images (``1.png``, ``2.png``, …) for an image-folder camera."""
    folder.mkdir(parents=True, exist_ok=True)
    for index, text in enumerate(texts, start=1):
        save_qr(text, folder / f"{index}.png", scale=6)
    return folder


def setup_deps(
    *,
    cameras: list[int] | None = None,
    files: Callable[[], list[Path]] | None = None,
    picked: Path | None = None,
    source_for: Callable[..., object] | None = None,
    offer_synthetic: bool = False,
) -> SetupDeps:
    """The setup's connections for a test: no webcam is searched for; ``picked`` is the "chosen" file."""
    found = list(cameras or [])
    return SetupDeps(
        source_for=source_for or configured_camera,  # type: ignore[arg-type]
        probe_devices=lambda: found,
        offer_synthetic=offer_synthetic,
        find_files=files,
        pick_file=lambda _parent, _start: picked,
    )


def launcher_for(
    kiosk: Kiosk, deps: SetupDeps, translations: Path | None = None
) -> tuple[KioskLauncher, RecordingSoundPlayer]:
    """The real launcher, windowed, with a recording sound player for the kiosk window."""
    sounds = RecordingSoundPlayer()
    launcher = build_launcher(kiosk, deps=deps, sounds=sounds, fullscreen=False, translations=translations)
    return launcher, sounds


def platform_key_ids(cloud: RunningCloud) -> list[str]:
    """The key IDs of the cloud's signing keys (one per purpose), sorted as :func:`trusted_keys` lists them."""
    return sorted(signer.key_id for signer in cloud.instance.keys.signers.values())


def trusted_keys(kiosk: Kiosk) -> list[str]:
    """The key IDs the kiosk trusts."""
    return [row[0] for row in kiosk.store.writer.execute("SELECT key_id FROM trusted_keys ORDER BY key_id")]


def device_id(kiosk: Kiosk) -> str | None:
    """The device ID the cloud registered the kiosk under (``None``: not registered)."""
    return sync_state.get_value(kiosk.store.writer, sync_state.DEVICE_ID)


def saved_step(kiosk: Kiosk) -> str | None:
    """The setup step saved in the store."""
    row = kiosk.store.writer.execute("SELECT value FROM settings WHERE key = 'setup_step'").fetchone()
    return None if row is None else str(row[0])
