"""docs/architecture.md stays true to the code: its layer map names every package and module of the layers."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"


def _layer_map() -> str:
    """The first fenced block under '## Layers'."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("\n## Layers", 1)[1]
    match = re.search(r"```\n(.*?)```", section, re.S)
    assert match, "docs/architecture.md: the '## Layers' section has no layer map"
    return match.group(1)


def _named_parts() -> list[str]:
    """Every package of the kiosk and the protocol, and the kiosk's top-level modules, as paths."""
    parts = ["checkin_protocol", "cloud"]
    for root in (ROOT / "kiosk", ROOT / "checkin_protocol"):
        parts += sorted(
            str(path.parent.relative_to(ROOT))
            for path in root.glob("*/__init__.py")
            if "__pycache__" not in str(path)
        )
    parts += sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "kiosk").glob("*.py")
        if path.name not in ("__init__.py", "__main__.py")
    )
    return parts


def test_the_layer_map_names_every_package_and_module() -> None:
    layer_map = _layer_map()
    missing = [
        part for part in _named_parts() if not re.search(rf"(?<![\w/]){re.escape(part)}(?![\w])", layer_map)
    ]
    assert missing == [], f"docs/architecture.md's layer map leaves out {missing}"


def test_the_layer_map_names_every_layer_of_the_import_contract() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers" and c["containers"] == ["kiosk"])["layers"]
    names = [name.strip() for layer in layers for name in re.split(r"[|:]", layer)]
    layer_map = _layer_map()
    missing = [name for name in names if f"kiosk/{name}" not in layer_map]
    assert missing == [], f"layers of pyproject.toml missing from docs/architecture.md: {missing}"
