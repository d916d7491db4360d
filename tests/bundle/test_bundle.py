"""The PyInstaller bundle, built once per session and run the way a venue's PC runs it.

The bundle is built by ``freeze/build_bundle.py`` into ``dist/volunteer-kiosk``
(reused when nothing it is made from changed, as ``make bundle`` does). Every
run here hides the development setup: only ``PATH`` (system folders),
``HOME`` (an empty folder), ``QT_QPA_PLATFORM=offscreen`` and an empty
``LD_LIBRARY_PATH``, so nothing can come from the virtualenv. Where the
machine allows a private mount namespace (``unshare --mount``, root in CI),
the system's ZBar library is hidden too, so the bundle has to use its own.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.scripts import load_script

import kiosk
from kiosk.face.engine import BUNDLED_MODELS_DIR, MODEL_FILES
from kiosk.services.sound import SOUND_NAMES

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1800),  # the first test builds the PyInstaller bundle (minutes) in its setup
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the bundle tests run the Linux bundle"),
]

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 180
READY_TIMEOUT_S = 90
DEMO_SECONDS = "8"
UNUSED_MODELS = ("shape_predictor_68_face_landmarks.dat", "mmod_human_face_detector.dat")
LEFT_OUT_PACKAGES = ("cloud", "fastapi", "uvicorn", "starlette", "pydantic")
# What the bundle leaves to the system on purpose: glibc and the C++ runtime (build.spec), and the
# graphics stack (OpenGL/EGL through libglvnd, libdrm, libxcb, Wayland), which has to match the PC's
# drivers and display server.
SYSTEM_LIBRARY = re.compile(
    r"^(linux-vdso|ld-linux(-x86-64)?|libc|libm|libdl|libpthread|librt|libstdc\+\+|libgcc_s|libxcb|libdrm|libwayland-\w+|"
    r"libE?(Open)?GLX?(ESv1_CM|ESv2)?(dispatch)?)\.so"
)


@pytest.fixture(scope="session")
def bundle() -> Path:
    """The bundle folder, built (or reused) once per session."""
    builder = load_script("freeze/build_bundle.py", "kiosk_build_bundle")
    return Path(builder.ensure_bundle().folder)


def bare_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment like a fresh PC's: no virtualenv, no Python, no library path."""
    home.mkdir(parents=True, exist_ok=True)
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "LD_LIBRARY_PATH": "",
        **extra,
    }


def run_bundle(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=RUN_TIMEOUT_S,
    )


def link_copy(source: Path, target: Path) -> None:
    """Copy a folder as hard links (a copy costs nothing), or as files across filesystems."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, symlinks=True, copy_function=link)


def check_ins(data: Path) -> int:
    with sqlite3.connect(f"file:{data / 'kiosk.db'}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT COUNT(*) FROM events WHERE action = 'in'").fetchone()[0])


def kiosk_log(data: Path) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted((data / "logs").glob("*.log*")))


@pytest.fixture(scope="session")
def demo_data(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the demo installed by the bundle itself (copied by each test that changes it)."""
    folder = tmp_path_factory.mktemp("bundle-demo") / "data"
    result = run_bundle(
        [str(bundle / "kiosk"), "--data", str(folder), "demo-data"], bare_env(folder.parent / "home")
    )
    assert result.returncode == 0, (
        f"the bundle could not install the demo data:\n{result.stdout}{result.stderr}"
    )
    return folder


def system_zbar_files() -> list[Path]:
    """The system's ZBar library files (resolved), to hide from the bundle."""
    found = {
        path.resolve() for folder in ("/usr/lib", "/lib") for path in Path(folder).glob("**/libzbar.so*")
    }
    return sorted(path for path in found if path.is_file())


def can_hide_files() -> bool:
    """Whether this machine lets us mount over files in a private mount namespace."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", "mount --bind /dev/null /dev/null"], capture_output=True
    )
    return probe.returncode == 0


def hiding(files: list[Path], command: list[str]) -> list[str]:
    """``command`` in a private mount namespace where each of ``files`` reads as empty."""
    script = 'while [ "$1" != -- ]; do mount --bind /dev/null "$1" || exit 97; shift; done; shift; exec "$@"'
    return ["unshare", "--mount", "sh", "-c", script, "sh", *map(str, files), "--", *command]


def libraries_needed(library: Path, bundle_libs: Path) -> dict[str, str]:
    """``ldd``'s answer for ``library`` with the bundle's folder first: soname -> where it was found."""
    output = subprocess.run(
        ["ldd", str(library)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": str(bundle_libs)},
    ).stdout
    needed = {}
    for line in output.splitlines():
        name, _, where = line.strip().partition(" => ")
        if where:
            needed[name] = where.split(" (")[0]
    return needed


def test_the_self_test_passes_with_the_synthetic_camera(bundle: Path, tmp_path: Path) -> None:
    """A coordinator runs `kiosk --self-test` on a fresh PC: every check passes and is printed."""
    env = bare_env(tmp_path / "home", KIOSK_CAMERA__SOURCE="synthetic")
    result = run_bundle([str(bundle / "kiosk"), "--data", str(tmp_path / "data"), "--self-test"], env)
    assert result.returncode == 0, f"the bundle's self-test failed:\n{result.stdout}{result.stderr}"
    assert "camera" in result.stdout and "synthetic" in result.stdout, result.stdout
    assert "face" in result.stdout and "database" in result.stdout, result.stdout


def test_the_demo_checks_a_volunteer_in_from_the_bundle(
    bundle: Path, demo_data: Path, tmp_path: Path
) -> None:
    """The demo, run from the bundle with nothing installed, shows a card to the camera and checks it in."""
    data = tmp_path / "data"
    shutil.copytree(demo_data, data)
    result = run_bundle(
        [str(bundle / "kiosk"), "--data", str(data), "demo", "--seconds", DEMO_SECONDS],
        bare_env(tmp_path / "home"),
    )
    assert result.returncode == 0, f"the demo failed in the bundle:\n{result.stdout}{result.stderr}"
    assert check_ins(data) >= 1, f"no check-in in {DEMO_SECONDS} s of the bundle's demo:\n{kiosk_log(data)}"
    log = kiosk_log(data)
    assert "camera ready" in log
    missing = re.findall(r"translation \S+ not found in \S+", log)  # kiosk/ui/i18n.py's warning
    assert not missing, f"the bundle lacks translations: {missing}"


def test_zbar_from_the_bundle_reads_cards_on_a_pc_without_zbar(
    bundle: Path, demo_data: Path, tmp_path: Path
) -> None:
    """With zxing-cpp gone the kiosk falls back to ZBar; it must be the bundle's libzbar, not the system's."""
    copy = tmp_path / "volunteer-kiosk"
    link_copy(bundle, copy)
    shutil.rmtree(copy / "_internal" / "zxingcpp")
    data = tmp_path / "data"
    shutil.copytree(demo_data, data)
    ready = tmp_path / "ready"
    command = [str(copy / "kiosk"), "--data", str(data), "demo", "--seconds", DEMO_SECONDS]
    hidden = system_zbar_files() if can_hide_files() else []
    if hidden:
        command = hiding(hidden, command)
    env = bare_env(tmp_path / "home", KIOSK_READY_FILE=str(ready))
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not ready.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        maps = Path(f"/proc/{process.pid}/maps").read_text() if process.poll() is None else ""
        output, _ = process.communicate(timeout=RUN_TIMEOUT_S)
    assert process.returncode == 0, f"the demo failed with the bundle's ZBar:\n{output}"
    zbar_maps = {line.split()[-1] for line in maps.splitlines() if "libzbar" in line}
    assert zbar_maps, f"libzbar was not loaded by the kiosk:\n{output}"
    assert all(Path(path).is_relative_to(copy) for path in zbar_maps), (
        f"ZBar came from the system: {zbar_maps}"
    )
    log = kiosk_log(data)
    assert "zxing-cpp is not installed" in log
    assert "ZBar is not available" not in log, log
    assert check_ins(data) >= 1, f"ZBar from the bundle read no card (system ZBar hidden: {hidden}):\n{log}"


def test_the_bundle_says_its_version(bundle: Path, tmp_path: Path) -> None:
    result = run_bundle([str(bundle / "kiosk"), "--version"], bare_env(tmp_path / "home"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"kiosk, version {kiosk.__version__}"


def test_copied_to_a_stick_it_keeps_its_data_beside_itself(bundle: Path, tmp_path: Path) -> None:
    """Portable mode: a `kiosk-data` folder beside the copied executable is the data folder."""
    stick = tmp_path / "stick" / "volunteer-kiosk"
    link_copy(bundle, stick)
    (stick / "kiosk-data").mkdir()
    result = run_bundle([str(stick / "kiosk"), "status"], bare_env(tmp_path / "home"))
    assert result.returncode == 0, result.stderr
    assert f"{stick / 'kiosk-data'} (portable)" in result.stdout, result.stdout
    assert (stick / "kiosk-data" / "kiosk.db").is_file()


def test_a_folder_with_chinese_characters_and_spaces_holds_the_bundle_and_its_data(
    bundle: Path, demo_data: Path, tmp_path: Path
) -> None:
    """A desktop folder on a Chinese PC: 桌面/志愿者 签到/ with the data in a folder with spaces beside it."""
    desktop = tmp_path / "桌面" / "志愿者 签到"
    copy = desktop / "volunteer-kiosk"
    link_copy(bundle, copy)
    data = desktop / "签到 数据 (2026)"
    env = bare_env(tmp_path / "home 主目录", KIOSK_CAMERA__SOURCE="synthetic")
    result = run_bundle([str(copy / "kiosk"), "--data", str(data), "--self-test"], env)
    assert result.returncode == 0, f"{result.stdout}{result.stderr}"
    assert str(data) in result.stdout and (data / "kiosk.db").is_file()

    demo = desktop / "演示 数据"
    shutil.copytree(demo_data, demo)
    result = run_bundle(
        [str(copy / "kiosk"), "--data", str(demo), "demo", "--seconds", DEMO_SECONDS],
        bare_env(tmp_path / "home 主目录"),
    )
    assert result.returncode == 0, f"the demo failed under a Chinese path:\n{result.stdout}{result.stderr}"
    assert check_ins(demo) >= 1, kiosk_log(demo)

    portable = copy / "kiosk-data"  # the stick's own data folder, under the same path
    portable.mkdir()
    result = run_bundle([str(copy / "kiosk"), "status"], bare_env(tmp_path / "home 主目录"))
    assert result.returncode == 0, result.stderr
    assert f"{portable} (portable)" in result.stdout, result.stdout


def test_autostart_from_the_bundle_starts_the_bundle_under_a_chinese_path(
    bundle: Path, tmp_path: Path
) -> None:
    """`kiosk autostart install` from a copied bundle: the login entry runs that copy's watchdog on its data."""
    copy = tmp_path / "桌面" / "志愿者 签到" / "volunteer-kiosk"
    link_copy(bundle, copy)
    data = tmp_path / "签到 数据"
    home = tmp_path / "home"
    result = run_bundle([str(copy / "kiosk"), "--data", str(data), "autostart", "install"], bare_env(home))
    assert result.returncode == 0, f"{result.stdout}{result.stderr}"
    entry = home / ".config" / "autostart" / "volunteer-kiosk.desktop"
    text = entry.read_text(encoding="utf-8")
    assert f'Exec="{copy / "kiosk"}" --data "{data}" watchdog' in text, text
    assert f"Path={copy}" in text, text
    result = run_bundle([str(copy / "kiosk"), "--data", str(data), "autostart", "status"], bare_env(home))
    assert result.returncode == 0 and str(entry) in result.stdout, f"{result.stdout}{result.stderr}"


def test_the_bundle_carries_what_the_kiosk_needs_and_nothing_it_does_not(bundle: Path) -> None:
    """Face models (the two used), ZBar, translations, sounds; no cloud server, no unused Qt or models."""
    internal = bundle / "_internal"
    assert sorted(path.name for path in (internal / BUNDLED_MODELS_DIR).iterdir()) == sorted(MODEL_FILES)
    assert not [path for name in UNUSED_MODELS for path in bundle.rglob(name)]
    assert (internal / "libzbar.so.0").is_file()
    for language in ("zh_CN", "en"):
        assert (internal / "resources" / "i18n" / f"kiosk_{language}.qm").is_file()
    assert (internal / "PySide6" / "Qt" / "translations" / "qtbase_zh_CN.qm").is_file()
    assert not list((internal / "PySide6" / "Qt" / "translations").glob("qtbase_de.qm"))
    assert not list((internal / "resources" / "i18n").glob("*.ts"))
    for name in SOUND_NAMES:
        assert (internal / "resources" / "sounds" / f"{name}.wav").is_file()
    for package in LEFT_OUT_PACKAGES:
        assert not (internal / package).exists()
    qt = internal / "PySide6" / "Qt"
    assert not [
        path.name
        for path in (qt / "lib").iterdir()
        if re.search(r"Qt6(Qml|Quick|Network|Pdf|OpenGL)", path.name)
    ]
    assert {path.name for path in (qt / "plugins").iterdir()}.isdisjoint({"qmltooling", "sqldrivers", "tls"})
    size_mb = sum(path.lstat().st_size for path in bundle.rglob("*")) / 2**20
    assert size_mb <= 400, f"the bundle is {size_mb:.0f} MB, over the 400 MB a USB stick copy should take"


def test_no_cloud_server_code_in_the_bundle(bundle: Path) -> None:
    """The reference cloud (FastAPI, uvicorn) stays out of the Python archive too."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(bundle / "kiosk"))
    modules = archive.open_embedded_archive("PYZ.pyz").toc
    top_level = {name.split(".")[0] for name in modules}
    assert top_level.isdisjoint(LEFT_OUT_PACKAGES), sorted(top_level & set(LEFT_OUT_PACKAGES))
    assert "kiosk.ui.qt_app" in modules and "kiosk.camera.decoders" in modules


@pytest.mark.skipif(shutil.which("ldd") is None, reason="ldd is needed to read library dependencies")
def test_zbar_and_the_x11_plugin_find_their_libraries_in_the_bundle(bundle: Path) -> None:
    """Libraries a plain desktop may lack (libv4l for ZBar, xcb helpers for Qt) come with the bundle."""
    internal = bundle / "_internal"
    for library in (
        internal / "libzbar.so.0",
        internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so",
    ):
        needed = libraries_needed(library, internal)
        assert needed, f"ldd read nothing for {library}"
        outside = {
            name: where
            for name, where in needed.items()
            if not SYSTEM_LIBRARY.match(name) and not Path(where).is_relative_to(internal)
        }
        assert not outside, (
            f"{library.name} needs libraries the bundle does not carry: {outside} "
            "(the build machine lacks them: make bundle-deps)"
        )


def test_started_on_a_fresh_stick_it_opens_the_first_run_setup(bundle: Path, tmp_path: Path) -> None:
    """A coordinator starts `kiosk` from a new stick: the setup's first page opens, the data stays on the stick."""
    stick = tmp_path / "stick" / "volunteer-kiosk"
    link_copy(bundle, stick)
    (stick / "kiosk-data").mkdir()
    result = run_bundle([str(stick / "kiosk"), "run", "--seconds", "6"], bare_env(tmp_path / "home"))
    assert result.returncode == 0, f"the bundle did not start the setup:\n{result.stdout}{result.stderr}"
    log = kiosk_log(stick / "kiosk-data")
    assert "setup: step language" in log, log
    assert (stick / "kiosk-data" / "kiosk.db").is_file()
