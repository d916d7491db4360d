"""Every user-visible string of the UI and of the documents has its Chinese translation in the .ts file."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS_FILE = ROOT / "resources" / "i18n" / "kiosk_zh_CN.ts"


def _untranslated(ts: Path) -> list[str]:
    missing = []
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        source = message.findtext("source") or ""
        if (
            translation is None
            or translation.get("type") in ("unfinished", "vanished", "obsolete")
            or (not (translation.text or "").strip() and not translation.findall("numerusform"))
        ):
            missing.append(source)
    return missing


def test_the_committed_translation_is_complete() -> None:
    assert _untranslated(TS_FILE) == []


def test_no_string_in_the_code_is_missing_from_the_translation(tmp_path: Path) -> None:
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent)) or shutil.which(
        "pyside6-lupdate"
    )
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed")
    copy = tmp_path / TS_FILE.name
    shutil.copy(TS_FILE, copy)
    # As scripts/build_translations.py scans: the UI, and the Qt-free words of the documents.
    ui, words = (ROOT / "kiosk" / "ui").rglob("*.py"), (ROOT / "kiosk" / "services").glob("*_words.py")
    sources = sorted(str(p) for p in (*ui, *words))
    subprocess.run([lupdate, *sources, "-no-obsolete", "-ts", str(copy)], check=True, capture_output=True)
    assert _untranslated(copy) == [], (
        "run scripts/build_translations.py --update and translate the new strings"
    )
