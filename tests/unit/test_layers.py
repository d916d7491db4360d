"""The layers of the guide hold: no PySide6 below kiosk/ui, a pure domain."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "kiosk"
QT_ALLOWED = {PACKAGE / "ui", PACKAGE / "app.py"}
DOMAIN_STDLIB = {
    "__future__",
    "collections",
    "dataclasses",
    "datetime",
    "enum",
    "functools",
    "heapq",
    "itertools",
    "math",
    "typing",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_below_ui_imports_pyside6() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in _modules()
        if not any(path == allowed or allowed in path.parents for allowed in QT_ALLOWED)
        and any(name.split(".")[0] == "PySide6" for name in _imports(path))
    ]
    assert offenders == [], f"PySide6 imported outside kiosk/ui: {offenders}"


def test_the_domain_imports_only_itself_the_shared_models_and_the_standard_library() -> None:
    for path in (PACKAGE / "domain").rglob("*.py"):
        for name in _imports(path):
            top = name.split(".")[0]
            pure = name.startswith(("kiosk.domain", "checkin_protocol.models", "checkin_protocol.policy"))
            assert pure or top in DOMAIN_STDLIB, f"{path.name} imports {name}"


def test_every_package_below_ui_imports_with_pyside6_blocked() -> None:
    names = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in _modules()
    ]
    modules = [m for m in names if not m.startswith("kiosk.ui") and m not in ("kiosk.app", "kiosk.__main__")]
    script = (
        "import importlib, sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'PySide6':\n"
        "            raise ImportError('PySide6 is blocked in this test')\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "print('imported', len(" + repr(modules) + "))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
