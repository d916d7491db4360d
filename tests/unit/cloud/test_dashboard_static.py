"""The dashboard page's static files: the pinned ECharts, the words of both languages, nothing inline.

The browser tests (tests/browser/) show the page works; these say, without a
browser, that the committed ECharts is the release ``scripts/fetch_echarts.py``
pins, that every word the page writes is in ``strings.json`` in Chinese and
English, and that the page keeps to ``script-src 'self'`` (no inline script,
no inline event handler) and refers only to files it ships.
"""

from __future__ import annotations

import importlib.util
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import get_args

from checkin_protocol.models import OrgLevel
from checkin_protocol.visits import ReviewReason
from cloud.dashboard.staff import ROLES
from cloud.protocol import SelfTestState

ROOT = Path(__file__).resolve().parents[3]
STATIC = ROOT / "cloud" / "dashboard" / "static"
STATIC_URL = "/dashboard/static/"


def fetch_script() -> ModuleType:
    """``scripts/fetch_echarts.py`` as a module (the scripts folder is not a package)."""
    spec = importlib.util.spec_from_file_location("fetch_echarts", ROOT / "scripts" / "fetch_echarts.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def strings() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = json.loads((STATIC / "strings.json").read_text(encoding="utf-8"))
    return table


class PageParts(HTMLParser):
    """What the page's HTML holds: its tags' attributes and the text of its script elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)


def page_parts() -> PageParts:
    parts = PageParts()
    parts.feed((STATIC / "dashboard.html").read_text(encoding="utf-8"))
    return parts


def test_the_committed_echarts_is_the_pinned_release() -> None:
    script = fetch_script()
    committed = STATIC / "echarts" / "echarts.min.js"
    assert script.sha256_of(committed) == script.MIN_JS_SHA256
    assert script.check_committed() == []
    assert re.fullmatch(r"[56]\.\d+\.\d+", script.ECHARTS_VERSION)
    assert "Apache License" in (STATIC / "echarts" / "LICENSE").read_text(encoding="utf-8")
    assert "Apache ECharts" in (STATIC / "echarts" / "NOTICE").read_text(encoding="utf-8")


def test_a_changed_echarts_file_is_reported(tmp_path: Path) -> None:
    script = fetch_script()
    for name in script.MEMBERS.values():
        (tmp_path / name).write_bytes((STATIC / "echarts" / name).read_bytes())
    (tmp_path / "echarts.min.js").write_bytes(b"/* not ECharts */")
    (tmp_path / "NOTICE").unlink()
    problems = script.check_committed(tmp_path)
    assert len(problems) == 2
    assert "NOTICE is missing" in problems[0] and "not the pinned" in problems[1]


def test_both_languages_have_every_word() -> None:
    table = strings()
    assert set(table) == {"zh", "en"}
    assert set(table["zh"]) == set(table["en"])
    empty = [
        f"{lang}:{key}" for lang, words in table.items() for key, text in words.items() if not text.strip()
    ]
    assert empty == []
    placeholders = {key: set(re.findall(r"\{(\w+)\}", table["zh"][key])) for key in table["zh"]}
    differing = [
        key for key in table["en"] if set(re.findall(r"\{(\w+)\}", table["en"][key])) != placeholders[key]
    ]
    assert differing == []


def test_every_word_the_page_writes_is_in_the_table() -> None:
    keys = set(strings()["zh"])
    parts = page_parts()
    in_html = {
        value
        for _, attrs in parts.tags
        for name, value in attrs.items()
        if name in ("data-i18n", "data-i18n-label") and value
    }
    scripts = "\n".join(path.read_text(encoding="utf-8") for path in STATIC.glob("*.js"))
    in_scripts = set(re.findall(r"\bt\(\s*\"([\w.]+)\"", scripts))
    assert in_html and in_scripts
    assert in_html - keys == set()
    assert in_scripts - keys == set()
    # Words looked up by a code the API sends: every code it can send has them.
    coded = (
        [f"role.{role}" for role in ROLES]
        + [f"level.{level.value}" for level in OrgLevel]
        + [f"reason.{reason.value}" for reason in ReviewReason]
        + ["reason.open"]
        + [f"self_test.{state}" for state in get_args(SelfTestState)]
        + [f"metric.{metric}" for metric in ("hours", "activities", "volunteers")]
        + [f"refused.{code}" for code in ("forbidden_area", "unknown_area")]
    )
    assert [key for key in coded if key not in keys] == []


def test_the_page_has_no_inline_script_and_refers_only_to_files_it_ships() -> None:
    parts = page_parts()
    assert parts.script_text == []
    handlers = [(tag, name) for tag, attrs in parts.tags for name in attrs if name.startswith("on")]
    assert handlers == []
    assert [tag for tag, attrs in parts.tags if "style" in attrs] == []
    referred = [
        str(attrs.get("src") or attrs.get("href"))
        for tag, attrs in parts.tags
        if tag in ("script", "link") and (attrs.get("src") or attrs.get("href"))
    ]
    assert referred and all(url.startswith(STATIC_URL) for url in referred), referred
    assert [url for url in referred if not (STATIC / url.removeprefix(STATIC_URL)).is_file()] == []
    for module in STATIC.glob("*.js"):
        imported = re.findall(r'from\s+"\./([\w.]+)"', module.read_text(encoding="utf-8"))
        assert [name for name in imported if not (STATIC / name).is_file()] == [], module.name
