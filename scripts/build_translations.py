"""Update and compile the Qt Linguist translations.

    python scripts/build_translations.py            # compile resources/i18n/*.ts to .qm
    python scripts/build_translations.py --update   # first re-scan the sources for tr() strings

The sources are ``kiosk/ui`` and the Qt-free word modules of the services
(``kiosk/services/*_words.py``, texts marked with ``QT_TRANSLATE_NOOP``:
the report files' words, translated in the document language).

The ``.ts`` files are committed (translators edit them with Qt Linguist); the
``.qm`` files are build output, made by ``make test``, ``make run`` and the
bundle build.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN",)
# English is the source language; its file only carries plural forms ("1 record", "2 records").
PLURAL_ONLY = ("en",)


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6-Essentials (pip install -e '.[dev]')")
    return found


def translation_sources() -> list[str]:
    """The files ``pyside6-lupdate`` scans, relative to the repository: the UI and the word modules."""
    ui = (ROOT / "kiosk" / "ui").rglob("*.py")
    words = (ROOT / "kiosk" / "services").glob("*_words.py")
    return sorted(str(p.relative_to(ROOT)) for p in (*ui, *words))


def update() -> None:
    sources = translation_sources()
    for language in LANGUAGES:
        ts = I18N / f"kiosk_{language}.ts"
        subprocess.run(
            [
                _tool("pyside6-lupdate"),
                *sources,
                "-source-language",
                "en",
                "-target-language",
                language,
                "-no-obsolete",  # texts gone from the code leave the file
                "-ts",
                str(ts),
            ],
            cwd=ROOT,
            check=True,
        )
    for language in PLURAL_ONLY:
        ts = I18N / f"kiosk_{language}.ts"
        subprocess.run(
            [
                _tool("pyside6-lupdate"),
                *sources,
                "-pluralonly",
                "-no-obsolete",
                "-target-language",
                language,
                "-ts",
                str(ts),
            ],
            cwd=ROOT,
            check=True,
        )


def compile_all() -> None:
    for ts in sorted(I18N.glob("*.ts")):
        subprocess.run(
            [_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="re-scan the sources for strings first")
    args = parser.parse_args()
    if args.update:
        update()
    compile_all()


if __name__ == "__main__":
    main()
