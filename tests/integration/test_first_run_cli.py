"""``kiosk run`` on a kiosk not set up shows the setup (no longer refuses); ``kiosk register`` takes the setup QR text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from helpers.cloud_server import running_cloud
from helpers.setup_gui import new_kiosk, platform_key_ids, saved_step, trusted_keys, write_config

from checkin_protocol.provisioning_qr import provisioning_qr_text
from kiosk.cli.main import cli
from kiosk.services.first_run import needs_setup


def test_kiosk_run_on_a_fresh_data_folder_opens_the_setup_instead_of_refusing(tmp_path: Path) -> None:
    data = tmp_path / "kiosk-data"
    write_config(data, camera={"source": "none"})
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data", str(data), "run", "--seconds", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    kiosk = new_kiosk(data)
    try:
        assert saved_step(kiosk) == "language"  # the setup's first page was shown
        assert needs_setup(kiosk.store.writer)
    finally:
        kiosk.close()


def test_kiosk_register_takes_the_text_of_the_setup_qr_code(tmp_path: Path) -> None:
    data = tmp_path / "kiosk-data"
    with running_cloud(tmp_path / "cloud") as cloud:
        text = provisioning_qr_text(cloud.base_url, cloud.provision())
        result = CliRunner().invoke(cli, ["--data", str(data), "register", text])
        assert result.exit_code == 0, result.output
        assert f"with {cloud.base_url}." in result.output
        damaged = CliRunner().invoke(cli, ["--data", str(tmp_path / "other"), "register", text[:-3] + "!!!"])
        assert damaged.exit_code == 2 and "damaged" in damaged.output
    kiosk = new_kiosk(data)
    try:
        assert trusted_keys(kiosk) == platform_key_ids(cloud)
    finally:
        kiosk.close()
