"""``scripts/release.py``: reproducible archives, checksums ``sha256sum`` accepts, and no release without its changelog."""

from __future__ import annotations

import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest
from helpers.scripts import load_script

from checkin_protocol import __version__

ROOT = Path(__file__).resolve().parents[2]


release = load_script("scripts/release.py", "kiosk_release")


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A small folder shaped like a bundle: an executable, a library folder, a symlink, Chinese names."""
    folder = tmp_path / "volunteer-kiosk"
    (folder / "_internal" / "资源 文件").mkdir(parents=True)
    (folder / "kiosk").write_bytes(b"\x7fELF fake")
    (folder / "kiosk").chmod(0o755)
    (folder / "_internal" / "libx.so.1").write_bytes(b"lib")
    (folder / "_internal" / "libx.so").symlink_to("libx.so.1")
    (folder / "_internal" / "资源 文件" / "说明.txt").write_text("签到", encoding="utf-8")
    return folder


def test_the_changelog_has_an_entry_for_the_version_the_kiosk_reports() -> None:
    entry = release.changelog_entry(__version__)
    assert entry.startswith(f"## {__version__}") and len(entry.splitlines()) > 2


def test_no_release_without_a_changelog_entry(tmp_path: Path) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## 0.0.9\n\n- older\n", encoding="utf-8")
    with pytest.raises(release.ReleaseError, match=r"no entry '## 0\.1\.0'"):
        release.changelog_entry("0.1.0", changelog)
    changelog.write_text("# Changelog\n\n## 0.1.0\n", encoding="utf-8")  # a heading with nothing under it
    with pytest.raises(release.ReleaseError):
        release.changelog_entry("0.1.0", changelog)
    changelog.write_text("## 0.1.0\n\n- new\n\n## 0.1.00\n\n- not this\n", encoding="utf-8")
    assert release.changelog_entry("0.1.0", changelog) == "## 0.1.0\n\n- new\n"


def test_the_tar_archive_is_reproducible_and_keeps_modes_links_and_names(
    bundle: Path, tmp_path: Path
) -> None:
    first = release.tar_folder(bundle, tmp_path / "a" / "volunteer-kiosk-1.2.3-linux.tar.gz", 1_700_000_000)
    (bundle / "kiosk").touch()  # a newer time on disk changes nothing in the archive
    second = release.tar_folder(bundle, tmp_path / "b" / "volunteer-kiosk-1.2.3-linux.tar.gz", 1_700_000_000)
    assert release.sha256(first) == release.sha256(second)
    with tarfile.open(first) as archive:
        members = {member.name: member for member in archive.getmembers()}
        top = "volunteer-kiosk-1.2.3-linux"
        assert members[f"{top}/kiosk"].mode == 0o755 and members[f"{top}/_internal/libx.so.1"].mode == 0o644
        assert members[f"{top}/_internal/libx.so"].issym()
        assert members[f"{top}/_internal/资源 文件/说明.txt"].uid == 0
        assert {member.mtime for member in members.values()} == {1_700_000_000}
        archive.extractall(tmp_path / "out", filter="tar")
    assert (tmp_path / "out" / top / "_internal" / "资源 文件" / "说明.txt").read_text(
        encoding="utf-8"
    ) == "签到"


def test_the_zip_for_windows_is_reproducible(bundle: Path, tmp_path: Path) -> None:
    (bundle / "_internal" / "libx.so").unlink()  # Windows bundles hold no symlinks
    first = release.zip_folder(bundle, tmp_path / "a" / "volunteer-kiosk-1.2.3-windows.zip", 1_700_000_000)
    second = release.zip_folder(bundle, tmp_path / "b" / "volunteer-kiosk-1.2.3-windows.zip", 1_700_000_000)
    assert release.sha256(first) == release.sha256(second)
    with zipfile.ZipFile(first) as archive:
        assert "volunteer-kiosk-1.2.3-windows/_internal/资源 文件/说明.txt" in archive.namelist()


def test_sha256sum_checks_the_checksums_file(bundle: Path, tmp_path: Path) -> None:
    archive = release.tar_folder(bundle, tmp_path / "volunteer-kiosk-1.2.3-linux.tar.gz", 0)
    sums = release.write_checksums(tmp_path, [archive])
    result = subprocess.run(["sha256sum", "-c", sums.name], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0 and "OK" in result.stdout, result.stdout + result.stderr
    archive.write_bytes(archive.read_bytes() + b"x")
    assert subprocess.run(["sha256sum", "-c", sums.name], cwd=tmp_path, capture_output=True).returncode != 0
