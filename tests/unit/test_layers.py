"""The layers hold: import-linter's contracts, no SQL outside the stores, a pure domain, no Qt below kiosk/ui."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "kiosk"
STORE = PACKAGE / "store"
#: The cloud's storage modules: the only ones of the cloud that run SQL.
CLOUD_STORAGE = {
    "storage.py",
    "schema.py",
    "queries.py",
    "face_queries.py",
    "nonce_queries.py",
    "seq_gap_queries.py",
    "staff_queries.py",
    "kiosk_status_queries.py",
    "dashboard_queries.py",
    "pass_queries.py",
    "receipt_queries.py",
    "signal_queries.py",
    "sql_connection.py",
    "schema_postgres.py",
    "storage_postgres.py",
}
#: What running SQL looks like (called), and holding a connection (any use).
SQL_CALLS = {"execute", "executemany", "executescript", "query", "cursor", "atomic", "rows_where"}
CONNECTION_ATTRIBUTES = {"conn", "_conn"}
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


def test_the_import_linter_contracts_hold() -> None:
    """The layers of pyproject.toml's [tool.importlinter] (also run by ``make lint``)."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def _sql_calls(path: Path) -> list[str]:
    """Where a module runs SQL itself or holds a connection: execute-like calls and ``.conn``/``.cursor``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_CALLS
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.func.attr}()")
        elif isinstance(node, ast.Attribute) and node.attr in CONNECTION_ATTRIBUTES:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    return found


def test_no_sql_outside_the_stores() -> None:
    """Queries live in kiosk/store and in the cloud's storage modules; everything else calls their functions."""
    modules = [
        *sorted((ROOT / "checkin_protocol").rglob("*.py")),
        *(path for path in _modules() if STORE not in path.parents),
        *(path for path in sorted((ROOT / "cloud").rglob("*.py")) if path.name not in CLOUD_STORAGE),
    ]
    offenders = [place for path in modules for place in _sql_calls(path)]
    assert offenders == [], "SQL outside the stores:\n" + "\n".join(offenders)


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
