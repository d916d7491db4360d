"""Colours and type have one home, ``kiosk/ui/theme.py``: no other module of the GUI holds its own.

A screen that brings its own ``#B71C1C`` or ``font-size: 22px`` drifts from the others (another red,
text that ignores ``[ui] text_scale``), so these fail and name the file and the line. The fix is a
theme role: ``theme.text_role(label, "body", tone="bad")``, ``theme.button_variant(button, "primary")``,
``theme.qcolor(theme.SCAN_GUIDE)`` (``docs/design-system.md``).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
UI = ROOT / "kiosk" / "ui"
THEME = UI / "theme.py"

# Files that may still hold their own colours or sizes while a change moves them onto the theme.
# Take a file off this list as soon as it no longer needs it.
NOT_YET_THEMED: set[str] = set()
# Paper has its own type, in points (kiosk/ui/printing.py); its colours are the theme's.
PAPER = {"kiosk/ui/printing.py"}

_HEX = re.compile(r"#(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})\b")
_FONT_SIZE = re.compile(r"font-size\s*:\s*\d")  # a number of its own; {theme.text_px(...)} is the theme's
_NAMED_COLOUR = re.compile(r"(?<![-\w])(?:color|background(?:-color)?)\s*:\s*[A-Za-z]")


def _modules() -> list[Path]:
    return sorted(
        path for path in UI.rglob("*.py") if path != THEME and _relative(path) not in NOT_YET_THEMED
    )


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _strings(path: Path) -> list[tuple[int, str]]:
    """Every string literal and comment of ``path`` with its line (f-strings whole)."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [(t.start[0], t.string) for t in tokens if t.type in (tokenize.STRING, tokenize.COMMENT)]


def _offences(pattern: re.Pattern[str], skip: set[str]) -> list[str]:
    return [
        f"{_relative(path)}:{line}: {text.strip()[:80]}"
        for path in _modules()
        if _relative(path) not in skip
        for line, text in _strings(path)
        if pattern.search(text)
    ]


def test_no_gui_module_but_the_theme_holds_a_hex_colour() -> None:
    assert _offences(_HEX, set()) == []


def test_no_gui_module_but_the_theme_names_a_colour_in_a_style_sheet() -> None:
    assert _offences(_NAMED_COLOUR, set()) == []


def test_no_gui_module_but_the_theme_sets_a_font_size_of_its_own() -> None:
    assert _offences(_FONT_SIZE, PAPER) == []


def test_no_gui_module_but_the_theme_makes_a_colour_from_numbers_or_names() -> None:
    offences = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "QColor"
                and node.args
                and all(isinstance(arg, ast.Constant) for arg in node.args)
            ):
                offences.append(f"{_relative(path)}:{node.lineno}")
    assert offences == []


def test_the_files_not_yet_themed_exist() -> None:
    gone = [name for name in sorted(NOT_YET_THEMED) if not (ROOT / name).exists()]
    assert gone == [], f"{gone} are gone: take them off NOT_YET_THEMED"
